"""A hand edit recorded as a correction is written by the next build, whatever else of its
paragraph changes.

A user fixed one sentence in ``english/<doc>.en.txt`` and recorded it (``toolkit correct``);
the original then changed another sentence of that paragraph. The build compared the whole
typed paragraph with the new one, counted the edit as lost and held the document, asking to
record the correction already recorded, while status said a build writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes import FakeProvider, FakeTranslator
from support.hand_edits import edit_cell

from toolkit.corpus.actions import record_correction
from toolkit.corpus.edits import recorded_edits
from toolkit.corpus.formats import manifest_text, parse_manifest, read_meta
from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.snapshot import read_snapshot
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import stale_documents
from toolkit.schema import TranslationInfo

DUTCH = "002_d2e9b11a68fdacb0"


class _OtherModel(FakeProvider):
    """Another model for the same pair: every sentence's machine English differs."""

    def __init__(self) -> None:
        super().__init__()
        self.translator_ = _Retranslating()

    def info(self, from_code: str, to_code: str) -> TranslationInfo:
        return super().info(from_code, to_code).model_copy(update={"package_version": "2"})


class _Retranslating(FakeTranslator):
    def translate(self, sentences: list[str], progress: Any = None) -> list[str]:
        return [f"[en2] {s}" for s in super().translate(sentences, progress)]


def test_a_recorded_edit_of_a_sentence_is_built_when_another_of_its_paragraph_changes(
    fake_built_corpus: Path,
) -> None:
    corpus = fake_built_corpus
    english = corpus / "english" / f"{DUTCH}.en.txt"
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    first, second = record.segments[0], record.segments[1]
    assert first.id == "p1.s1" and second.id == "p1.s2"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace(first.english, "MY EDIT", 1), encoding="utf-8")
    record_correction(corpus, record, first.id, "MY EDIT")
    original = corpus / "original" / f"{DUTCH}.txt"
    changed = original.read_text(encoding="utf-8").replace("30 september", "1 oktober", 1)
    original.write_text(changed, encoding="utf-8")
    said = stale_documents(corpus, {DUTCH})[DUTCH]  # status's word, as the readers say it
    assert "a build with the model rebuilds it, the corrections applied" in said, said
    assert "toolkit correct" not in said, said
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [DUTCH] and not summary.held, summary.lines()
    now = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    assert now.segments[0].english == "MY EDIT" and now.segments[0].origin == "human"
    assert "1 oktober" in now.segments[1].source
    assert english.read_text(encoding="utf-8").startswith("MY EDIT ")


def test_a_recorded_edit_is_built_by_another_model(fake_built_corpus: Path) -> None:
    """The model changed: every other sentence of the edited paragraph reads differently."""
    corpus = fake_built_corpus
    english = corpus / "english" / f"{DUTCH}.en.txt"
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace(record.segments[0].english, "MY EDIT", 1), encoding="utf-8")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    summary = build_corpus(corpus, provider=_OtherModel())
    assert DUTCH in summary.built and not summary.held, summary.lines()
    assert english.read_text(encoding="utf-8").startswith("MY EDIT [en2] ")


def test_edits_are_recorded_only_when_every_one_is(fake_built_corpus: Path) -> None:
    """``recorded_edits``: the one rule the build without the model (kept, restored) and the
    readers ask; two edited rows with one recorded are held by all of them."""
    corpus = fake_built_corpus
    paths = CorpusPaths(corpus)
    entry = parse_manifest(manifest_text(paths.manifest) or "", paths.manifest, [])[DUTCH]
    assert recorded_edits(paths, DUTCH, entry) == {}  # nothing edited
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    typed = edit_cell(corpus, DUTCH, "MY EDIT")
    assert recorded_edits(paths, DUTCH, entry) == {}  # edited, not recorded
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    assert recorded_edits(paths, DUTCH, entry) == {f"{DUTCH}.aligned.tsv": typed}
    edit_cell(corpus, DUTCH, "ANOTHER EDIT", row=2)
    assert recorded_edits(paths, DUTCH, entry) == {}  # one of two recorded: held
    said = read_snapshot(corpus).changed[DUTCH]
    assert "held: not rebuilt" in said and "recorded as a correction" not in said, said
    assert DUTCH in build_corpus(corpus, provider=FakeProvider(("xx",))).held
