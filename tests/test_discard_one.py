"""Discarding one document's hand edits never discards another's (session 9 attacker).

A gone document (original deleted) whose English was edited was held with the advice "build
with --discard-edits": that whole-corpus build discarded the edits of every other document
too, and ``toolkit build --only DOC --discard-edits`` was refused "no original of that
name" for the gone document. Every line now advises the ``--only DOC`` form
(:func:`toolkit.corpus.edits.discard_advice`), and ``--only`` takes a gone document's id.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit.cli.app import cli
from toolkit.corpus.edits import discard_advice
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status

GONE = "001_cb2e6261cd7f216a"
OTHER = "000_de546ec99307b48e"


@pytest.fixture
def corpus(fake_built_corpus: Path) -> Path:
    return fake_built_corpus


def _gone_and_edited(corpus: Path) -> bytes:
    """GONE edited and its original deleted; OTHER edited too (unrelated): its bytes."""
    edit_cell(corpus, GONE, "MY EDIT")
    (corpus / "original" / f"{GONE}.txt").unlink()
    return edit_cell(corpus, OTHER, "KEEPME")


def test_the_gone_line_advises_discarding_that_document_only(corpus: Path) -> None:
    _gone_and_edited(corpus)
    row = {r.document: r for r in corpus_status(corpus)[0]}[GONE]
    assert row.message.endswith(f"or {discard_advice(GONE)}"), row.message
    assert discard_advice(GONE) == f"toolkit build --only {GONE} --discard-edits"
    other = {r.document: r for r in corpus_status(corpus)[0]}[OTHER]
    assert discard_advice(OTHER) in other.message  # held_line: the same owner


def test_only_a_gone_document_with_discard_edits_drops_it_alone(corpus: Path) -> None:
    other = _gone_and_edited(corpus)
    summary = build_corpus(corpus, provider=FakeProvider(), only=[GONE], discard_edits=True)
    assert summary.gone == [GONE] and set(summary.discarded) == {GONE}
    assert not list((corpus / "english").glob(f"{GONE}.*"))
    assert (corpus / "english" / f"{OTHER}.aligned.tsv").read_bytes() == other
    assert GONE not in (corpus / "manifest.jsonl").read_text(encoding="utf-8")
    assert OTHER in build_corpus(corpus, provider=FakeProvider()).held  # still held


def test_only_a_gone_edited_document_without_the_flag_is_held(corpus: Path) -> None:
    _gone_and_edited(corpus)
    line = {r.document: r for r in corpus_status(corpus)[0]}[GONE].message
    by_name = build_corpus(corpus, provider=FakeProvider(), only=[f"{GONE}.txt"])
    assert by_name.held == {GONE: line} and by_name.gone == []
    assert (corpus / "english" / f"{GONE}.aligned.tsv").exists()


def test_only_a_plain_gone_document_removes_its_english(corpus: Path) -> None:
    """``--only a033`` of a gone document said "no original of that name ... such as
    A030.txt"; it is the gone document's removal now, even of the corpus's only one (named
    on purpose: no cap), and the CLI says so."""
    (corpus / "original" / f"{GONE}.txt").unlink()
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", GONE])
    assert result.exit_code == 0, result.output
    assert "no original of that name" not in result.output
    assert not list((corpus / "english").glob(f"{GONE}.*"))
    assert len(build_corpus(corpus, provider=FakeProvider()).up_to_date) == 3


def test_only_still_refuses_a_name_that_is_nothing(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(corpus), "--only", "nope"])
    assert result.exit_code == 2 and "no original of that name" in result.output


def test_discard_edits_help_says_it_discards_every_documents_edits() -> None:
    text = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "every document" in " ".join(text.split()) and "--only" in text
