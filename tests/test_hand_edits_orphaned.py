"""A hand edit recorded as a correction whose source sentence then left the original.

The build with the model held the document asking the user to record the correction that
was already recorded (``toolkit correct DOC p1.s1 "English"``): doing so changed nothing,
and the document stayed held. What is true: the correction is recorded, but its source
sentence is gone from the original, so no build keeps that English; the line says so and
names the ways out (put the sentence back, or rebuild discarding the edit: the typed English
stays in the corrections file, an orphan, until its row there is deleted).
"""

from __future__ import annotations

from pathlib import Path

from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus

DUTCH = "002_d2e9b11a68fdacb0"


def test_a_recorded_edit_whose_sentence_left_the_original_is_held_with_what_is_true(
    fake_built_corpus: Path,
) -> None:
    corpus = fake_built_corpus
    aligned = corpus / "english" / f"{DUTCH}.aligned.tsv"
    typed = edit_cell(corpus, DUTCH, "MY EDIT")
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    first = record.segments[0]
    record_correction(corpus, record, first.id, "MY EDIT")
    original = corpus / "original" / f"{DUTCH}.txt"
    text = original.read_text(encoding="utf-8")
    assert first.source in text
    original.write_text(text.replace(first.source, "", 1), encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    line = summary.held[DUTCH]
    assert aligned.read_bytes() == typed  # held: nothing lost
    assert "toolkit correct" not in line, line  # it is recorded: recording again does nothing
    assert (
        f"recorded as a correction, but its source sentence is gone from original/{DUTCH}.txt"
        in line
    )
    assert f"toolkit build --only {DUTCH} --discard-edits" in line
    assert f"corrections/{DUTCH}.corrections.tsv" in line
    again = build_corpus(corpus, provider=FakeProvider(), only={f"{DUTCH}.txt"}, discard_edits=True)
    assert again.built == [DUTCH] and not again.held, again.lines()
    assert DUTCH in again.orphan_corrections  # the typed English is still in the file
