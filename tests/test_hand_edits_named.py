"""What a held or stopped build names: every document, only what is left to do (session 9
attacker's findings on the hand-edit lines)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit import _faults
from toolkit.errors import CorpusError
from toolkit.pipeline import held
from toolkit.pipeline.build import build_corpus

DOCS = [
    "000_de546ec99307b48e",
    "001_cb2e6261cd7f216a",
    "002_d2e9b11a68fdacb0",
    "003_c4a4f06c737cf0af",
]


@pytest.fixture
def corpus(fake_built_corpus: Path) -> Path:
    return fake_built_corpus


def _stopped_by_edits(corpus: Path, docs: list[str]) -> str:
    """The line of a forced build stopped by ``docs`` edited right before its manifest."""

    def edit_before_the_manifest(name: str) -> None:
        if name == "build.before-manifest":
            for doc in docs:
                edit_cell(corpus, doc, f"TYPED LATE {doc}")

    _faults.set_hook(edit_before_the_manifest)
    try:
        with pytest.raises(CorpusError, match="changed while the build ran") as caught:
            build_corpus(corpus, provider=FakeProvider(), force=True)
    finally:
        _faults.set_hook(None)
    return str(caught.value)


def test_a_stopped_commit_names_every_document_edited(corpus: Path) -> None:
    """It named the first file only: the user fixed one document and was stopped again."""
    line = _stopped_by_edits(corpus, DOCS[1:3])
    said = "changed while the build ran (edited by hand?)"
    assert f"the English of 2 documents: {said}: {DOCS[1]}, {DOCS[2]};" in line, line
    assert "nothing was written" in line and "keeps the edits" in line


def test_the_named_documents_are_bounded(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(held, "NAMED", 2)
    line = _stopped_by_edits(corpus, DOCS)
    assert f"(edited by hand?): {DOCS[0]}, {DOCS[1]} and 2 more;" in line, line
    assert DOCS[2] not in line


def test_one_edited_file_is_named_as_before(corpus: Path) -> None:
    line = _stopped_by_edits(corpus, DOCS[1:2])
    assert line.startswith(str(corpus / "english" / f"{DOCS[1]}.aligned.tsv") + ": changed")


DUTCH = DOCS[2]


@pytest.mark.parametrize("file", ["en.txt", "aligned.tsv"])
def test_the_held_line_names_only_rows_not_yet_recorded(corpus: Path, file: str) -> None:
    """Two sentences edited, the first recorded with ``toolkit correct``: the line still
    said "rows p1.s1, p1.s2" and suggested recording p1.s1."""
    from toolkit.corpus.actions import record_correction
    from toolkit.corpus.formats import read_meta
    from toolkit.pipeline.status import corpus_status

    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    first, second = record.segments[0], record.segments[1]
    assert (first.id, second.id) == ("p1.s1", "p1.s2")
    path = corpus / "english" / f"{DUTCH}.{file}"
    text = path.read_text(encoding="utf-8")
    text = text.replace(first.english, "MY FIRST", 1).replace(second.english, "MY SECOND", 1)
    path.write_text(text, encoding="utf-8")

    def line() -> str:
        return {r.document: r for r in corpus_status(corpus)[0]}[DUTCH].message

    assert "(rows p1.s1, p1.s2)" in line()
    record_correction(corpus, record, first.id, "MY FIRST")
    assert "(rows p1.s2)" in line() and f"toolkit correct {DUTCH} p1.s2 " in line(), line()
    assert build_corpus(corpus, provider=FakeProvider()).held[DUTCH] == line()
