"""SIGTERM and SIGHUP stop any command as Ctrl-C does: one ``toolkit: interrupted`` line and
128 + the signal (143, 129; 130 for Ctrl-C), never a silent death (attack finding:
``toolkit translate`` killed by SIGTERM printed nothing and exited -15)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _wait_for_a_reader(fifo: Path) -> int:
    """A writer end of ``fifo``, opened once the command has it open for reading (it then
    blocks reading, as on a slow pipe), kept open so the read waits."""
    for _ in range(600):
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                raise
        time.sleep(0.1)
    raise AssertionError("the command never opened the FIFO")


@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
)
def test_translate_stopped_by_a_signal_says_so(tmp_path: Path, signum: int, status: int) -> None:
    fifo = tmp_path / "slow"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "toolkit.cli.app", "translate", "-q", str(fifo)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        writer = _wait_for_a_reader(fifo)
        try:
            proc.send_signal(signum)
            _, stderr = proc.communicate(timeout=60)
        finally:
            os.close(writer)
    assert proc.returncode == status, stderr
    assert stderr.decode() == "toolkit: interrupted\n"


@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
)
def test_a_build_stopped_by_a_signal_exits_as_every_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, signum: int, status: int
) -> None:
    """A build's safe-point stop carries its signal to the exit status: 143 / 129 / 130, as
    for every other command (it exited 130 for all three). The real signalled build is
    tests/test_interrupt.py's; this one stops the build where run_build raises."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli
    from toolkit.interrupts import Terminated
    from toolkit.pipeline import run

    stop = KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)

    def stopped(*args: object, **kwargs: object) -> None:
        try:
            raise stop
        except KeyboardInterrupt as caught:  # as run_build turns it into BuildInterrupted
            raise run.BuildInterrupted(2, getattr(caught, "signum", signal.SIGINT)) from None

    monkeypatch.setattr(run, "run_build", stopped)
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-q"])
    assert result.exit_code == status, result.output
    assert "toolkit: interrupted: 2 translations kept in the cache" in result.stderr
