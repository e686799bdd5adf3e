"""A refused command leaves nothing behind, not even the corpus lock it took: ``toolkit
correct`` on a corpus never built left a ``.lock`` (it took the lock before refusing), and so
did ``add`` and ``build`` refusals. A writer that waited for a refused one, whose lock file
is then gone, locks the file that has the name, never the removed one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.lock import CorpusLock, read_owner

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


def test_refused_writers_leave_no_lock_file(corpus: Path, tmp_path: Path) -> None:
    binary, bomb = tmp_path / "x.pdf", tmp_path / "bomb.yaml"
    binary.write_bytes(b"%PDF-1.4 not an article")
    bomb.write_text('a: &a ["lol"]\nentries: []\n', encoding="utf-8")
    refused = [
        ["correct", "--corpus", str(corpus), "bridge", "1", "The council met."],
        ["correct", "--corpus", str(corpus), "--no-build", "bridge.txt", "1", "Met."],
        ["add", "--corpus", str(corpus), str(binary)],
        ["build", str(corpus), "--glossary", str(bomb)],
    ]
    for args in refused:
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1 and "Traceback" not in result.output, (args, result.output)
        assert sorted(p.name for p in corpus.iterdir()) == ["original"], args


def test_a_lock_file_kept_from_before_is_kept(corpus: Path) -> None:
    """Only a lock file the refused command created goes: one a build left is the corpus's."""
    (corpus / ".lock").write_bytes(b"")
    result = CliRunner().invoke(cli, ["correct", "--corpus", str(corpus), "bridge", "1", "Met."])
    assert result.exit_code == 1
    assert (corpus / ".lock").exists()


def test_a_writer_waiting_for_a_refused_one_locks_the_named_file(corpus: Path) -> None:
    """The refused holder removes the lock file it created while the second writer waits on
    it: the second must lock the file named ``.lock`` (created anew), or a third writer would
    create one and write the corpus beside it."""
    go = corpus.parent / "go"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from toolkit.corpus.lock import CorpusLock\n"
            "root = Path(sys.argv[1])\n"
            "with CorpusLock(root, 'refused'):\n"
            "    print('held', flush=True)\n"
            "    while not (root.parent / 'go').exists(): time.sleep(0.01)\n"
            "    raise SystemExit(1)",
            str(corpus),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        waiting = CorpusLock(corpus, "second", wait=True, on_wait=lambda _line: go.touch())
        waiting.acquire()
        try:
            assert holder.wait() == 1
            owner = read_owner(corpus / ".lock")
            assert owner is not None and owner.command == "second"
        finally:
            waiting.release()
    finally:
        holder.kill()
        holder.wait()


def test_a_refused_workbench_save_leaves_no_lock_file(corpus: Path) -> None:
    """``toolkit review --serve``: a save refused under the lock (no such document, a row
    another tab changed) left the ``.lock`` it created, as ``correct`` did."""
    from toolkit.review.workbench.store import ReviewStore, StoreError

    store = ReviewStore(corpus, rebuild=lambda root, name: [], author="test", kinds={})
    with pytest.raises(StoreError, match="no built document"):
        store.act("bridge", "p1.s1", "undo", 0)
    assert sorted(p.name for p in corpus.iterdir()) == ["original"]
