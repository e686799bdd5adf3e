"""``toolkit review`` says when what it shows is not what a build would write now.

It showed ``built`` for a document ``toolkit status`` calls stale (its glossary changed) or
out of date (its original was edited): a reviewer then reviewed and corrected English that
the next build replaces, without a word. Terminal, HTML page and workbench now ask status's
question, with the glossary and models given to review, and say why.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider, build_shipped_corpus

from toolkit.cli.review import review
from toolkit.glossary.discover import discover_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.review.documents import load_documents
from toolkit.review.html import render_html
from toolkit.review.stale import not_current
from toolkit.review.workbench.launch import argos_staleness
from toolkit.review.workbench.store import ReviewStore

ROOT = Path(__file__).resolve().parents[1]
GERMAN = "000_de546ec99307b48e"
ENGLISH = "001_cb2e6261cd7f216a"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus built with the glossary in it (a plain build's), once."""
    return build_shipped_corpus(tmp_path_factory.mktemp("stale") / "corpus")


@pytest.fixture
def corpus(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built corpus, no models installed (the same answer on every machine)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    shutil.copytree(template, tmp_path / "corpus")
    return tmp_path / "corpus"


WHY = "stale: glossary changed; toolkit build rebuilds it"
SHOWN = "shown as last built, not as a build would write it now"
EXTRA = "  - term: Winterfest\n    kind: event\n"


def _change_glossary(corpus: Path) -> Path:
    """Add an entry to the corpus's glossary; return a copy of the one it was built with."""
    built_with = corpus.parent / "built-with.yaml"
    shutil.copy(corpus / "glossary.yaml", built_with)
    with (corpus / "glossary.yaml").open("a", encoding="utf-8") as fh:
        fh.write(EXTRA)
    return built_with


def _review(*args: str):
    result = CliRunner().invoke(review, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_terminal_warns_and_marks_a_stale_document(corpus: Path) -> None:
    current = _review(ENGLISH, "--corpus", str(corpus), "--color", "never")
    assert current.stderr == "" and "NOT CURRENT" not in current.stdout
    built_with = _change_glossary(corpus)
    stale = _review(ENGLISH, "--corpus", str(corpus), "--color", "never", "--width", "300")
    named, warning = stale.stderr.splitlines()  # the glossary it was judged against, first
    assert named.startswith(f"toolkit: glossary: {corpus / 'glossary.yaml'} (40 entries")
    assert warning == f"toolkit: warning: {ENGLISH}: {WHY}; {SHOWN}"
    header, note = stale.stdout.splitlines()[:2]
    assert header.startswith(f"== {ENGLISH}  NOT CURRENT, en→en")
    assert note == f"{WHY}; {SHOWN}"
    # The question is asked with the glossary given to review, as status asks it.
    given = _review(ENGLISH, "--corpus", str(corpus), "--glossary", str(built_with))
    assert given.stderr == "" and "NOT CURRENT" not in given.stdout
    none = _review(ENGLISH, "--corpus", str(corpus), "--no-glossary")
    assert f"{ENGLISH}: {WHY}" in none.stderr


def test_an_edited_original_is_out_of_date_in_the_review(corpus: Path) -> None:
    original = corpus / "original" / f"{ENGLISH}.txt"
    original.write_text(original.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    result = _review(ENGLISH, GERMAN, "--corpus", str(corpus), "--color", "never")
    assert result.stderr.splitlines()[1:] == [
        f"toolkit: warning: {ENGLISH}: out of date: its original changed since the build; {SHOWN}"
    ]
    assert f"== {ENGLISH}  NOT CURRENT" in result.stdout
    assert f"== {GERMAN}  de→en" in result.stdout  # its English is kept: no model here


def test_a_meta_json_from_elsewhere_is_not_asked_about(corpus: Path, tmp_path: Path) -> None:
    _change_glossary(corpus)
    copy = tmp_path / f"{ENGLISH}.meta.json"
    shutil.copy(corpus / "english" / copy.name, copy)
    elsewhere = _review(str(copy), "--corpus", str(corpus))
    assert elsewhere.stderr == "" and "NOT CURRENT" not in elsewhere.stdout
    inside = _review(str(corpus / "english" / copy.name), "--corpus", str(corpus))
    assert f"{ENGLISH}: {WHY}" in inside.stderr


def test_the_html_page_has_a_banner_on_each_stale_document(corpus: Path, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    _review("--corpus", str(corpus), "--html", str(page))
    assert 'class="stale"' not in page.read_text(encoding="utf-8")
    built_with = _change_glossary(corpus)
    result = _review("--corpus", str(corpus), "--html", str(page))
    documents = len(list((corpus / "english").glob("*.meta.json")))
    assert result.stderr.count(f"; {SHOWN}\n") == documents
    # Without its model here, a German document's English is kept: stale, and the build says why.
    assert f"{GERMAN}: needs model de→en" in result.stderr
    assert "kept, stale (glossary changed; its model is not installed here)" in result.stderr
    html = page.read_text(encoding="utf-8")
    banner = f'<p class="stale" role="alert">⚠ NOT CURRENT: {WHY}; {SHOWN}</p>'
    assert html.count('<p class="stale" role="alert">⚠ NOT CURRENT: ') == documents
    assert html.count('<span class="toc-stale">NOT CURRENT</span>') == documents
    assert html.index(banner) > html.index(f'data-document="{ENGLISH}" data-stale>')
    _review("--corpus", str(corpus), "--html", str(page), "--glossary", str(built_with))
    assert "NOT CURRENT" not in page.read_text(encoding="utf-8")


def test_a_broken_glossary_is_one_line_on_the_page(corpus: Path) -> None:
    records = load_documents(corpus, [ENGLISH])
    html = render_html(records, stale={"": "cannot tell whether the documents are current (x)"})
    assert '<main><p class="stale" role="alert">⚠ cannot tell whether' in html
    assert "NOT CURRENT" not in html


def _rebuild(root: Path, original: str) -> list[str]:
    """The workbench's rebuild, with the glossary a plain build finds (the fake translator)."""
    glossary = discover_glossary(root).load()
    summary = build_corpus(root, provider=FakeProvider(), glossary=glossary, only=[original])
    return list(summary.errors.values())


def test_the_workbench_shows_the_state_and_an_action_makes_it_current(corpus: Path) -> None:
    staleness = argos_staleness(None, None)
    store = ReviewStore(root=corpus, rebuild=_rebuild, author="anna", kinds={}, staleness=staleness)
    assert {d["id"]: d["stale"] for d in store.overview()["documents"]}[ENGLISH] == ""
    # --serve --no-glossary: asked (and rebuilt) without one, as `toolkit build --no-glossary`.
    states = argos_staleness(None, None, no_glossary=True)(corpus, {ENGLISH})
    assert not_current(states) == {ENGLISH: WHY}
    _change_glossary(corpus)
    overview = store.overview()
    stale = {d["id"]: d["stale"] for d in overview["documents"]}
    assert stale[ENGLISH] == WHY
    assert stale[GERMAN].startswith("needs model de→en") and "glossary changed" in stale[GERMAN]
    assert "each save, acceptance or dismissal is recorded and the document rebuilt" in (
        overview["stale_note"]
    )
    shown = store.document(ENGLISH)
    assert (shown["stale"], shown["stale_unknown"]) == (WHY, "")
    row = shown["rows"][0]
    store.act(ENGLISH, row["id"], "correct", row["version"], english="Corrected.")
    assert store.document(ENGLISH)["stale"] == ""  # the rebuild after the action
    assert store.document(GERMAN)["stale"] == stale[GERMAN]  # the others are left as they are
    (corpus / "glossary.yaml").write_text("version: [", encoding="utf-8")
    broken = store.overview()
    assert broken["stale_unknown"].startswith("cannot tell whether the documents are current (")
    assert all(d["stale"] == "" for d in broken["documents"])


def test_asking_about_one_document_gives_the_answer_asking_about_all_gives(corpus: Path) -> None:
    from toolkit.pipeline.status import stale_documents

    _change_glossary(corpus)
    edited = corpus / "original" / "003_c4a4f06c737cf0af.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    docs = {p.name.removesuffix(".meta.json") for p in (corpus / "english").glob("*.meta.json")}
    everything = stale_documents(corpus, docs)
    assert len(everything) == len(docs) == 4
    assert everything["003_c4a4f06c737cf0af"].startswith("out of date")
    assert {d: stale_documents(corpus, {d})[d] for d in docs} == everything


def test_review_takes_the_encoding_and_max_bytes_the_corpus_is_built_with(tmp_path: Path) -> None:
    from toolkit.pipeline.run import build_config

    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "original" / f"{ENGLISH}.txt", tmp_path / "corpus" / "original")
    config = build_config(max_bytes=100_000, encoding="utf-8")
    assert build_corpus(tmp_path / "corpus", provider=FakeProvider(), config=config).built
    corpus = str(tmp_path / "corpus")
    plain = _review(ENGLISH, "--corpus", corpus)
    assert "stale: settings changed" in plain.stderr and "NOT CURRENT" in plain.stdout
    given = _review(ENGLISH, "--corpus", corpus, "--encoding", "utf-8", "--max-bytes", "100000")
    assert given.stderr == "" and "NOT CURRENT" not in given.stdout


def test_a_correction_the_rebuild_keeps_out_leaves_the_document_stale(corpus: Path) -> None:
    """Without its model the build keeps a German document's English: a correction is then
    recorded but not shown, and the workbench's answer to the save says why."""
    from toolkit.review.workbench.launch import argos_rebuild

    rebuild = argos_rebuild(corpus.parent / "no-packages", None)
    store = ReviewStore(
        root=corpus, rebuild=rebuild, author="anna", kinds={}, staleness=argos_staleness(None, None)
    )
    assert store.document(GERMAN)["stale"] == ""
    row = store.document(GERMAN)["rows"][0]
    after = store.act(GERMAN, row["id"], "correct", row["version"], english="Kim spoke.")
    assert after["text"] == row["text"]  # kept as last built
    assert "stale (corrections changed" in store.still_stale(GERMAN)
