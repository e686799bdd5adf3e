"""A built document whose original is gone: status, the snapshot readers (export, qa, review)
and the build say the same thing of it, asked of one owner (:mod:`toolkit.corpus.gone`).

Session 8's reviewers: with its English edited by hand, the build holds such a document
(its English is the only copy of what was typed), while status and the readers said "the
next build removes its English" (status had no ``edited`` row for it), and the snapshot
readers advised ``--only DOC --discard-edits`` or "run toolkit build", neither of which
applies to a document with no original.
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
from toolkit.pipeline.status import corpus_status, stale_documents
from toolkit.pipeline.unbuilt import NO_ORIGINAL

ENGLISH = "001_cb2e6261cd7f216a"  # an English original: built without a model


@pytest.fixture
def corpus(fake_built_corpus: Path) -> Path:
    return fake_built_corpus


def _edit_cell(corpus: Path) -> None:
    edit_cell(corpus, ENGLISH, "MY EDIT")


def _gone_line(corpus: Path) -> str:
    return (
        f"original/{ENGLISH}.txt is gone, and english/{ENGLISH}.aligned.tsv was edited by "
        "hand since the build; held: its English is kept, not removed. Put the original "
        f"back, or remove the document on purpose: delete english/{ENGLISH}.* (then build), "
        f"or toolkit build --only {ENGLISH} --discard-edits"
    )


def _says_held(corpus: Path) -> None:
    """Status, the readers and then the build: one line, 'held', never 'removes'."""
    line = _gone_line(corpus)
    row = {r.document: r for r in corpus_status(corpus)[0]}[ENGLISH]
    assert (row.state, row.message) == ("edited", line)
    assert stale_documents(corpus, {ENGLISH}) == {ENGLISH: line}  # review's, export's
    runner = CliRunner()
    export = runner.invoke(cli, ["export", "--corpus", str(corpus), "--format", "tsv", "-o", "-"])
    qa = runner.invoke(cli, ["qa", "--corpus", str(corpus)])
    review = runner.invoke(cli, ["review", "--corpus", str(corpus), ENGLISH])
    for said in (export.stderr, qa.stderr, review.output):
        assert line in said and "removes its English" not in said, said
        assert "run `toolkit build" not in said, said
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.held == {ENGLISH: line} and summary.gone == []
    assert (corpus / "english" / f"{ENGLISH}.aligned.tsv").exists()


def test_a_gone_document_with_edited_english_is_held_by_every_reader(corpus: Path) -> None:
    _edit_cell(corpus)
    (corpus / "original" / f"{ENGLISH}.txt").rename(corpus / f"{ENGLISH}.txt")
    _says_held(corpus)


def test_a_gone_document_whose_edit_is_recorded_is_held_by_every_reader(corpus: Path) -> None:
    """A correction that records the edit lets a build with the original write it; without
    the original there is nothing to write: the build holds it, and everyone says so (the
    readers said "changed since build (edited or removed by hand?); run toolkit build")."""
    _edit_cell(corpus)
    record = read_meta(corpus / "english" / f"{ENGLISH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    (corpus / "original" / f"{ENGLISH}.txt").unlink()
    _says_held(corpus)


def test_a_gone_document_without_edits_is_still_removed_as_said(corpus: Path) -> None:
    (corpus / "original" / f"{ENGLISH}.txt").unlink()
    row = {r.document: r for r in corpus_status(corpus)[0]}[ENGLISH]
    assert (row.state, row.message) == ("no original", NO_ORIGINAL)
    assert stale_documents(corpus, {ENGLISH}) == {ENGLISH: NO_ORIGINAL}
    assert build_corpus(corpus, provider=FakeProvider()).gone == [ENGLISH]
