"""A document kept as it is without its model (its edit recorded as a correction, its original
changed since, the model not installed here): status and the readers say ``out of date`` with
the build's line (kept as it is, needs the model), and review shows it.

Session 9's attacker: ``toolkit review`` refused to show it while the workbench showed it. A
fix then named its state ``needs model`` as the build counts it, which took it out of the
readers' "not current" set: export and review stopped saying its English describes an older
original (tests/test_hand_edits_recorded.py caught it). Its English is out of date, as a kept
stale document is ``stale``; the line says it is kept and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit.cli.app import cli
from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status, reader_states, stale_documents

DUTCH = "002_d2e9b11a68fdacb0"


def _kept_as_it_is(corpus: Path) -> None:
    edit_cell(corpus, DUTCH, "MY EDIT")
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    original = corpus / "original" / f"{DUTCH}.txt"
    original.write_bytes(original.read_bytes() + b"\n\nEen nieuwe zin.\n")


def test_status_says_out_of_date_with_the_builds_line(fake_built_corpus: Path) -> None:
    corpus = fake_built_corpus
    _kept_as_it_is(corpus)
    row = {r.document: r for r in corpus_status(corpus)[0]}[DUTCH]
    assert row.state == "out of date", (row.state, row.message)
    assert reader_states(corpus, {DUTCH})[DUTCH] == ("out of date", row.message)
    assert stale_documents(corpus, {DUTCH})[DUTCH] == row.message  # the readers warn
    summary = build_corpus(corpus, provider=FakeProvider(("xx",)))
    assert summary.needs_model[DUTCH] == row.message


def test_review_shows_it_with_the_line(fake_built_corpus: Path) -> None:
    """As the workbench does: its build's record, with status's state and line (review
    refused it: 'changed since build ... recorded as a correction'); with no DOC too."""
    corpus = fake_built_corpus
    _kept_as_it_is(corpus)
    line = {r.document: r for r in corpus_status(corpus)[0]}[DUTCH].message
    result = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), DUTCH])
    assert result.exit_code == 0, result.output
    assert "NOT CURRENT" in result.output  # shown, and said to be older than its original
    assert "status out of date" in " ".join(result.output.split())
    assert " ".join(line.split()) in " ".join(result.output.split()), result.output
    page = corpus.parent / "review.html"
    every = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), "--html", str(page)])
    assert every.exit_code == 0 and "4 documents" in every.output, every.output
    assert f"left out: {DUTCH}" not in every.output and DUTCH in page.read_text("utf-8")


ENGLISH = "001_cb2e6261cd7f216a"


@pytest.mark.parametrize("renamed", ["case", "hidden"])
def test_a_held_name_whose_english_was_edited_says_so(
    fake_built_corpus: Path, renamed: str
) -> None:
    """An original renamed in letter case (A030.txt) or hidden (.a034.txt) while its English
    holds an edit: status said only 'skipped', with no word of the edit."""
    corpus = fake_built_corpus
    edit_cell(corpus, ENGLISH, "MY EDIT")
    name = f"{ENGLISH.upper()}.txt" if renamed == "case" else f".{ENGLISH}.txt"
    (corpus / "original" / f"{ENGLISH}.txt").rename(corpus / "original" / name)
    row = {r.document: r for r in corpus_status(corpus)[0]}[ENGLISH]
    assert row.state == "skipped" and f"original/{name}" in row.message
    said = f"english/{ENGLISH}.aligned.tsv was edited by hand since the build: kept with it"
    assert said in row.message, row.message
    # its flags: "?" in status, with why in words (the row said nothing of it)
    assert row.flagged is None and row.flags is None
    assert "its flags are not counted (? in status): no QA has read" in row.message
    assert reader_states(corpus, {ENGLISH})[ENGLISH] == ("skipped", row.message)


@pytest.mark.parametrize("original", ["changed", "unchanged"])
def test_review_shows_the_english_the_corpus_holds(fake_built_corpus: Path, original: str) -> None:
    """Terminal and HTML review showed the build's record: the English the user had replaced
    ('Vriendelijk blijven.'), with the build's flags of it, while the corpus holds the typed
    English (recorded as a correction). They show the typed English now, NOT CURRENT where
    the original changed."""
    corpus = fake_built_corpus
    if original == "changed":
        _kept_as_it_is(corpus)
    else:
        edit_cell(corpus, DUTCH, "MY EDIT")
        record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
        record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    assert build_corpus(corpus, provider=FakeProvider(("xx",))).exit_code == 3  # kept
    replaced = read_meta(corpus / "english" / f"{DUTCH}.meta.json").segments[0].english
    shown = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), DUTCH, "--width", "120"])
    assert shown.exit_code == 0, shown.output
    first = shown.output.split("p1.s1", 1)[1].split("p1.s2", 1)[0]
    assert "│ MY EDIT" in first and "✎ corrected by" in first, first
    assert replaced not in first and "untranslated" not in first, first  # of English gone
    assert ("NOT CURRENT" in shown.output) == (original == "changed")
    page = corpus.parent / "review.html"
    html = CliRunner().invoke(cli, ["review", "--corpus", str(corpus), "--html", str(page)])
    assert html.exit_code == 0 and "MY EDIT" in page.read_text("utf-8"), html.output


def test_the_workbench_shows_the_english_review_shows(fake_built_corpus: Path) -> None:
    """The workbench's document view and overview show what ``toolkit review`` shows: the
    typed English (it showed the build's, the English the user had replaced)."""
    from toolkit.review.workbench.store import ReviewStore

    corpus = fake_built_corpus
    _kept_as_it_is(corpus)
    build_corpus(corpus, provider=FakeProvider(("xx",)))
    store = ReviewStore(corpus, rebuild=lambda root, original: [], author="me", kinds={})
    first = store.document(DUTCH)["rows"][0]
    assert first["text"] == "MY EDIT" and first["origin"] == "human", first
    assert first["diff"] is not None and first["flags"] == []  # machine -> typed, unchecked
    listed = {d["id"]: d for d in store.overview()["documents"]}[DUTCH]
    assert listed["flagged"] is None  # no QA has read the typed English: status's ?
