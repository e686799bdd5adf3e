"""The workbench and ``review`` (terminal and ``--html``) show each document's state as
``toolkit status`` says it, asked of one owner (:func:`toolkit.pipeline.status.reader_states`,
its word from :func:`toolkit.pipeline.states.state_word`): a document whose English is kept
without its model here is ``needs model`` in all of them. The workbench's overview said
``built`` (its record's status), review ``status built``, while status said ``needs model``
(session 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import build_shipped_corpus

from toolkit.pipeline.status import corpus_status
from toolkit.review.workbench.launch import argos_staleness
from toolkit.review.workbench.store import ReviewStore

GERMAN = "000_de546ec99307b48e"  # built with the fake translator: its model is not here


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    return build_shipped_corpus(tmp_path / "corpus")


def _store(corpus: Path) -> ReviewStore:
    return ReviewStore(
        root=corpus,
        rebuild=lambda root, name: [],
        author="anna",
        kinds={},
        staleness=argos_staleness(None, None),
    )


def test_the_overview_and_the_document_view_say_what_status_says(corpus: Path) -> None:
    rows = {r.document: r for r in corpus_status(corpus)[0]}
    assert rows[GERMAN].state == "needs model"
    store = _store(corpus)
    overview = {d["id"]: d for d in store.overview()["documents"]}
    assert {doc: d["status"] for doc, d in overview.items()} == {
        doc: row.state for doc, row in rows.items()
    }
    assert overview[GERMAN]["message"] == rows[GERMAN].message  # install it; English kept
    assert "the English of its last build is kept" in rows[GERMAN].message
    document = store.document(GERMAN)
    assert (document["status"], document["message"]) == ("needs model", rows[GERMAN].message)



def test_review_and_its_page_say_what_status_says(corpus: Path, tmp_path: Path) -> None:
    """``review`` said ``status built`` of the same document, and its page ``built``."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    line = {r.document: r for r in corpus_status(corpus)[0]}[GERMAN].message
    runner = CliRunner()
    shown = runner.invoke(cli, ["review", "--corpus", str(corpus), GERMAN, "--width", "1000"])
    assert shown.exit_code == 0, shown.output
    assert ", status needs model\n" in shown.output and f"\n{line}\n" in shown.output
    page = tmp_path / "review.html"
    wrote = runner.invoke(cli, ["review", "--corpus", str(corpus), "--html", str(page)])
    assert wrote.exit_code == 0, wrote.output
    assert f"<dt>status</dt><dd>needs model: {line}</dd>" in page.read_text(encoding="utf-8")
