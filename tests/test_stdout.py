"""Standard output has one owner (:mod:`toolkit.stdout`): a reader that quits early, a full
disk or a closed descriptor is one ``toolkit: error:`` line and exit 141 or 1 for every
command, never silence and never a traceback (attack findings: ``translate | head`` exited 0
with no word; ``> /dev/full`` printed an OSError traceback even for ``--help``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "corpus" / "original" / "003_c4a4f06c737cf0af.txt"
TOOLKIT = [sys.executable, "-m", "toolkit.cli.app"]


def _to_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """``toolkit ARGS | head -c 0``: the reader is gone before the first byte."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [*TOOLKIT, *args], stdout=write, stderr=subprocess.PIPE, timeout=300, check=False
        )
    finally:
        os.close(write)


def _shell(redirect: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``toolkit ARGS`` with a shell redirection (``>/dev/full``, ``>&-``, ``<&-``)."""
    command = " ".join(["exec", *map(repr, [*TOOLKIT, *args]), redirect])
    return subprocess.run(["sh", "-c", command], capture_output=True, timeout=300, check=False)


def _one_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text and text.count("toolkit: error:") == 1, text
    return text


@pytest.mark.parametrize(
    "args",
    [
        ["translate", "-q", "--format", "json", str(ENGLISH)],
        ["translate", "-q", "--format", "tsv", str(ENGLISH)],
        ["clean", str(ENGLISH)],
        ["segment", str(ENGLISH)],
        ["detect", str(ENGLISH)],
    ],
)
def test_a_reader_that_quits_early_is_reported_with_exit_141(args: list[str]) -> None:
    done = _to_a_closed_pipe(*args)
    stderr = _one_line(done.stderr)
    assert done.returncode == 141, stderr  # 128 + SIGPIPE, as shells report `cat | head`
    assert "standard output was closed after 0" in stderr and "incomplete" in stderr


def test_a_whole_result_names_how_much_of_it_got_through() -> None:
    done = _to_a_closed_pipe("translate", "-q", "--format", "json", str(ENGLISH))
    assert b"closed after 0 of " in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["models", "list", "--format", "json"],
        ["clean", str(ENGLISH)],
        ["status"],
    ],
)
def test_a_full_disk_on_stdout_is_one_line(args: list[str], tmp_path: Path) -> None:
    if args == ["status"]:
        (tmp_path / "corpus" / "original").mkdir(parents=True)
        args = ["status", str(tmp_path / "corpus")]
    done = _shell(">/dev/full", *args)
    stderr = _one_line(done.stderr)
    assert done.returncode == 1
    assert "standard output: cannot write (No space left on device)" in stderr


def test_a_closed_stdout_is_one_line() -> None:
    done = _shell(">&-", "clean", str(ENGLISH))
    assert done.returncode == 1
    assert "standard output is closed" in _one_line(done.stderr)


def test_a_closed_stdin_is_one_line() -> None:
    done = _shell("<&-", "clean", "-")
    assert done.returncode == 1
    assert "<stdin>: is closed" in _one_line(done.stderr)


def test_empty_stdin_does_not_say_remove_the_file() -> None:
    done = subprocess.run(
        [*TOOLKIT, "clean", "-"], stdin=subprocess.DEVNULL, capture_output=True, timeout=300
    )
    stderr = _one_line(done.stderr)
    assert "nothing came on standard input" in stderr and "remove the file" not in stderr


def test_a_device_without_a_size_is_more_than_the_limit() -> None:
    done = subprocess.run([*TOOLKIT, "clean", "/dev/zero"], capture_output=True, timeout=300)
    stderr = _one_line(done.stderr)
    assert "/dev/zero: is more than the 8.0 MB article limit" in stderr
