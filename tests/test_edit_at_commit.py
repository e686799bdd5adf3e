"""An edit typed right before a build's commit is not lost (session 10 attacker's finding).

``check_unedited`` ran before the commit, and the commit first waits for the staged files'
fsyncs: an edit typed in between was overwritten, the build exit 0 and 'built'. The commit
now compares what each renamed-over English output held right before its rename with what
the build saw, and undoes every rename if one differs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit import _faults
from toolkit.errors import CorpusError
from toolkit.pipeline.build import build_corpus

ENGLISH = "001_cb2e6261cd7f216a"


@pytest.mark.parametrize("when", ["build.before-commit", "write.staged"])
def test_an_edit_typed_just_before_the_renames_stops_the_commit(
    fake_built_corpus: Path, when: str
) -> None:
    corpus = fake_built_corpus
    original = corpus / "original" / f"{ENGLISH}.txt"
    original.write_bytes(original.read_bytes() + b"\nA new sentence was added.\n")
    before = {p: p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}
    typed: dict[str, bytes] = {}

    def edit_late(name: str) -> None:
        if name == when and not typed:
            typed["bytes"] = edit_cell(corpus, ENGLISH, "TYPED LATE")

    _faults.set_hook(edit_late)
    try:
        with pytest.raises(CorpusError, match=f"{ENGLISH}.aligned.tsv: changed while the build"):
            build_corpus(corpus, provider=FakeProvider())
    finally:
        _faults.set_hook(None)
    tsv = corpus / "english" / f"{ENGLISH}.aligned.tsv"
    assert tsv.read_bytes() == typed["bytes"]  # the edit, as typed
    after = {p: p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}
    assert {p: b for p, b in after.items() if p != tsv} == {
        p: b for p, b in before.items() if p != tsv
    }  # nothing else written, no temporary file left
    assert ENGLISH in build_corpus(corpus, provider=FakeProvider()).held
