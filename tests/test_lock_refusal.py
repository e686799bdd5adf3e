"""The corpus lock file is never removed: with ``flock`` locks, removing the file someone may
be waiting on lets a reader wake on a file that is no lock any more (the classic unlink
race), and a queued writer then runs beside it. ``toolkit correct`` on a corpus never built
is refused before it takes the lock, so it leaves no ``.lock`` (it used to create one)."""

from __future__ import annotations

import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.lock import CorpusLock, CorpusLocked

ENGLISH = (
    "The council met on Monday to discuss the bridge. It agreed to spend more money on the "
    "bridge next year, and the mayor welcomed the decision.\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus never built: one article in original/, nothing else."""
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    (tmp_path / "corpus" / "original" / "bridge.txt").write_text(ENGLISH, encoding="utf-8")
    return tmp_path / "corpus"


@pytest.mark.parametrize("no_build", [False, True])
def test_correct_on_a_corpus_never_built_takes_no_lock(corpus: Path, no_build: bool) -> None:
    args = ["correct", "--corpus", str(corpus), *(["--no-build"] if no_build else [])]
    result = CliRunner().invoke(cli, [*args, "bridge.txt", "1", "The council met."])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "no built documents; build the corpus first" in result.output
    assert sorted(p.name for p in corpus.iterdir()) == ["original"]


def test_a_lock_file_kept_from_before_is_kept(corpus: Path) -> None:
    (corpus / ".lock").write_bytes(b"")
    result = CliRunner().invoke(cli, ["correct", "--corpus", str(corpus), "bridge", "1", "Met."])
    assert result.exit_code == 1
    assert (corpus / ".lock").exists()


def test_a_successful_build_keeps_the_lock_file_it_created(corpus: Path) -> None:
    """The build ends in ``sys.exit(0)`` inside the lock: that is no refusal."""
    result = CliRunner().invoke(cli, ["build", str(corpus)])
    assert result.exit_code == 0, result.output
    assert (corpus / ".lock").is_file()


_WRITER = """
import sys, time
from pathlib import Path
from toolkit.corpus.lock import CorpusLock
root, end = Path(sys.argv[1]), sys.argv[2]
with CorpusLock(root, 'writer A'):
    print('held', flush=True)
    while not (root.parent / 'go').exists():
        time.sleep(0.01)
    if end == 'interrupt':
        raise KeyboardInterrupt
    sys.exit(int(end))
"""

_READER = """
import sys, time
from pathlib import Path
from toolkit.corpus.lock import shared_lock
root = Path(sys.argv[1])
with shared_lock(root, on_wait=lambda _line: (root.parent / 'waiting').touch()):
    print('reading', flush=True)
    while not (root.parent / 'done').exists():
        time.sleep(0.01)
"""


def _wait_for(path: Path, reader: subprocess.Popen[str]) -> None:
    """Until the reader says it waits (``path``); a reader that reads at once fails."""
    while not path.exists():
        ready, _, _ = select.select([reader.stdout], [], [], 0.01)
        assert not ready, "the reader read while writer A held the lock"


@pytest.mark.parametrize("end", ["0", "1", "interrupt"])
def test_no_writer_runs_while_a_reader_that_waited_reads(corpus: Path, end: str) -> None:
    """Writer A (which created the lock file) ends -- exit 0, a refusal, Ctrl-C -- while
    reader R waits on its lock file; R then reads, and writer C must find the corpus locked.
    A removed lock file woke R on a file no writer locks: C then wrote during R's read."""
    (corpus / ".lock").unlink(missing_ok=True)
    env_python = [sys.executable, "-c"]
    writer = subprocess.Popen(
        [*env_python, _WRITER, str(corpus), end],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    reader = None
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "held"
        reader = subprocess.Popen(
            [*env_python, _READER, str(corpus)], stdout=subprocess.PIPE, text=True
        )
        _wait_for(corpus.parent / "waiting", reader)
        (corpus.parent / "go").touch()
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        writer.wait()
        assert (corpus / ".lock").is_file()
        with pytest.raises(CorpusLocked):
            CorpusLock(corpus, "writer C").acquire()
    finally:
        (corpus.parent / "done").touch()
        for process in (writer, reader):
            if process is not None:
                process.kill()
                process.wait()
