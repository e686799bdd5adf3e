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
