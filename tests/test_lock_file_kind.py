"""The corpus lock file is read and written only if it is a regular file in the corpus.

A corpus is often received from someone else (an archive, a shared folder). A ``.lock``
there that is a symlink to a file outside the corpus was opened through the link and
truncated by the first build (``~/.bashrc`` emptied); a FIFO made every reader (``export``,
``qa``, ``review``) block for ever on opening it. Each is now one line naming the file and the
fix, and nothing outside the corpus is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENGLISH = "The council met on Monday to discuss the bridge and agreed to spend more money.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    (tmp_path / "corpus" / "original" / "bridge.txt").write_text(ENGLISH, encoding="utf-8")
    return tmp_path / "corpus"


def _toolkit(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def test_a_lock_symlinked_outside_the_corpus_is_never_written(
    corpus: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (corpus / ".lock").symlink_to(victim)
    result = _toolkit("build", str(corpus), "--no-glossary")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "the corpus lock is a symlink" in lines[0] and "rm " in lines[0]
    assert not (corpus / "english").exists()  # refused before anything was written


def test_a_fifo_lock_neither_hangs_a_reader_nor_a_writer(corpus: Path) -> None:
    # Each call in its own process with a timeout: without the fix, opening the FIFO blocks
    # for ever, and the test must fail rather than hang.
    built = _toolkit("build", str(corpus), "--no-glossary")  # English: its own text
    assert built.returncode == 0, built.stderr
    (corpus / ".lock").unlink()
    os.mkfifo(corpus / ".lock")
    reader = ["export", "--corpus", str(corpus), "--wait", "-o", "-", "--format", "tsv"]
    for args in (["build", str(corpus), "--no-glossary"], reader):
        result = _toolkit(*args, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "the corpus lock is a FIFO or device" in result.stderr, result.stderr
        assert "rm " in result.stderr


def test_the_advised_rm_is_one_shell_argument_for_a_path_with_spaces(tmp_path: Path) -> None:
    import shlex

    from toolkit.corpus.lock import LOCK_NAME, _open_lock
    from toolkit.errors import CorpusError

    corpus = tmp_path / "my corpus; x"
    corpus.mkdir()
    lock = corpus / LOCK_NAME
    lock.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(CorpusError) as raised:
        _open_lock(lock, os.O_RDWR | os.O_CREAT)
    command = str(raised.value).split("(rm ", 1)[1].split(") and run", 1)[0]
    assert shlex.split(command) == [str(lock)], command
