"""Hand edits are asked about with each record read once per build (no behaviour change).

A reviewer's findings (session 8): each edited document's meta.json was parsed about five
times per build (eight for a held one) and the staged note read again for every question;
the text's paragraphs were grouped by two functions that had to agree. The answers are the
other hand-edit tests'; these prove the reading is once and the grouping one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeProvider

from toolkit.corpus.formats import english_paragraphs, read_meta, render_english_text
from toolkit.pipeline.build import build_corpus
from toolkit.schema import DocumentRecord

ROOT = Path(__file__).resolve().parents[1]
ENGLISH, DUTCH = "001_cb2e6261cd7f216a", "002_d2e9b11a68fdacb0"


@pytest.fixture
def corpus(fake_built_corpus: Path) -> Path:
    return fake_built_corpus


def _edit(corpus: Path, doc: str) -> None:
    path = corpus / "english" / f"{doc}.en.txt"
    path.write_bytes(path.read_bytes().replace(b" ", b" MY EDIT ", 1))


def test_a_build_parses_an_edited_documents_meta_json_once(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(corpus, ENGLISH)
    meta = (corpus / "english" / f"{ENGLISH}.meta.json").read_bytes()
    parsed = {"n": 0}
    validate = DocumentRecord.model_validate_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[DocumentRecord], data: bytes | str, **kwargs: object) -> object:
        parsed["n"] += data == meta
        return validate(cls, data, **kwargs)

    monkeypatch.setattr(DocumentRecord, "model_validate_json", classmethod(counting))
    summary = build_corpus(corpus, provider=FakeProvider(), force=True)
    assert list(summary.held) == [ENGLISH]
    assert parsed["n"] == 1  # the plan's question; the write step's answer from it


def test_the_staged_note_is_read_once_per_build(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked of every meta.json that is not the manifest's (two edited with their English,
    as by sed): read by the plan once, and by the commit that writes it."""
    import toolkit.corpus.staged as staged

    for doc in (ENGLISH, DUTCH):
        for path in (corpus / "english").glob(f"{doc}.*"):
            path.write_bytes(path.read_bytes().replace(b"Kim", b"MYEDIT"))
    reads = {"n": 0}
    read = staged.read_regular_file

    def counting(path: Path, limit: int) -> bytes:
        reads["n"] += path.name == staged.STAGED
        return read(path, limit)

    monkeypatch.setattr(staged, "read_regular_file", counting)
    summary = build_corpus(corpus, provider=FakeProvider(), force=True)
    assert sorted(summary.held) == [ENGLISH, DUTCH]
    assert reads["n"] == 2  # the plan's RecordsBeside, and commit_noting_staged


def test_the_text_is_written_in_the_paragraphs_an_edit_is_matched_by(corpus: Path) -> None:
    """One grouping (formats.english_paragraphs): the shipped corpus's English text (written
    before it) is what the build renders, paragraph for paragraph; a paragraph with no
    English is not one."""
    shipped = sorted((ROOT / "corpus" / "english").glob("*.en.txt"))
    assert shipped
    for text in shipped:
        record = read_meta(text.with_name(text.name.replace(".en.txt", ".meta.json")))
        assert render_english_text(record.segments) == text.read_text("utf-8")
    for meta in sorted((corpus / "english").glob("*.meta.json")):
        record = read_meta(meta)
        text = meta.with_name(meta.name.replace(".meta.json", ".en.txt")).read_text("utf-8")
        paragraphs = english_paragraphs(record.segments)
        assert [" ".join(s.english for s in p) for p in paragraphs] == text[:-1].split("\n\n")
    record = read_meta(ROOT / "corpus" / "english" / f"{ENGLISH}.meta.json")
    first = record.segments[0].paragraph
    for segment in record.segments:
        if segment.paragraph == first:
            segment.english = ""
    paragraphs = english_paragraphs(record.segments)
    assert all(s.paragraph != first for p in paragraphs for s in p)
    assert render_english_text(record.segments).split("\n\n")[0].startswith(
        paragraphs[0][0].english
    )


def _count_looks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The documents whose English outputs are looked at (each call of hand_edits), in
    order, from now on."""
    import toolkit.corpus.edits as edits

    looked: list[str] = []
    look = edits.hand_edits

    def counting(paths: object, doc: str, *args: object) -> dict[str, bytes]:
        looked.append(doc)
        return look(paths, doc, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(edits, "hand_edits", counting)
    return looked


def test_the_readers_look_at_an_edited_documents_english_once(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One edited document whose edit is recorded, one held: the readers' snapshot (and
    ``recorded_edits`` itself) looked at each one's English outputs once (hand_edits ran three
    times for the recorded one: recorded_edits, then unrecorded_edits and its lost_edits)."""
    from support.hand_edits import edit_cell

    import toolkit.corpus.edits as edits
    from toolkit.corpus.actions import record_correction
    from toolkit.corpus.formats import read_manifest
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.snapshot import read_snapshot

    edit_cell(corpus, DUTCH, "MY EDIT")
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    _edit(corpus, ENGLISH)
    looked = _count_looks(monkeypatch)
    snapshot = read_snapshot(corpus)
    assert "recorded as a correction" in snapshot.changed[DUTCH]
    assert "held: not rebuilt" in snapshot.changed[ENGLISH]
    assert sorted(looked) == sorted([ENGLISH, DUTCH]), looked
    looked.clear()
    entry = read_manifest(corpus / "manifest.jsonl")[DUTCH]
    assert edits.recorded_edits(CorpusPaths(corpus), DUTCH, entry)
    assert looked == [DUTCH]


def test_the_plan_looks_once_for_a_document_kept_with_its_edits_recorded(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document whose original changed, with its edit recorded and no model here (kept as
    it is: pipeline.kept): the plan looked at its English twice (its held line, then kept's
    recorded_edits); kept asks the plan's look (plan.looked)."""
    from support.hand_edits import edit_cell

    from toolkit.corpus.actions import record_correction

    edit_cell(corpus, DUTCH, "MY EDIT")
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    original = corpus / "original" / f"{DUTCH}.txt"
    original.write_bytes(original.read_bytes() + b"\n\nEen nieuwe zin.\n")
    looked = _count_looks(monkeypatch)
    summary = build_corpus(corpus, provider=FakeProvider(("xx",)))
    assert DUTCH in summary.needs_model, summary.lines()  # kept as it is
    assert looked.count(DUTCH) == 1, looked
