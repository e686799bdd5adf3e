"""English typed into a document's outputs by hand is never overwritten without being asked.

A build holds such a document (one line naming the file and both ways out), status says the
same (one owner: the plan), a correction recording the edit lets the build write it again,
``--discard-edits`` discards it on purpose; what is no edit (a deleted output, CRLF line ends,
a killed build's outputs newer than the manifest) is rebuilt as before.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from support.hand_edits import edit_cell

from toolkit.cli.app import cli
from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import read_meta
from toolkit.errors import CorpusError
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = "001_cb2e6261cd7f216a"
ENGLISH_2 = "003_c4a4f06c737cf0af"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two English articles, built (no model needed: status and build agree by themselves)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for doc in (ENGLISH, ENGLISH_2):
        shutil.copy(ROOT / "corpus" / "original" / f"{doc}.txt", root / "original")
    assert build_corpus(root, provider=FakeProvider()).built == [ENGLISH, ENGLISH_2]
    return root


def _edit_text(corpus: Path) -> bytes:
    path = corpus / "english" / f"{ENGLISH}.en.txt"
    path.write_bytes(path.read_bytes().replace(b"Kim", b"KIM", 1))
    return path.read_bytes()


def _edit_cell(corpus: Path, english: str = "Kim says she is his biggest fan.") -> bytes:
    """The English cell of the first row of the aligned file, edited as in a spreadsheet."""
    return edit_cell(corpus, ENGLISH, english)


@pytest.mark.parametrize("edit", [_edit_text, _edit_cell], ids=["en.txt", "aligned.tsv"])
def test_a_hand_edit_is_held_and_status_says_what_the_build_does(corpus: Path, edit) -> None:
    name = "en.txt" if edit is _edit_text else "aligned.tsv"
    edited = edit(corpus)
    summary = build_corpus(corpus, provider=FakeProvider())
    assert (corpus / "english" / f"{ENGLISH}.{name}").read_bytes() == edited  # not lost
    line = summary.held[ENGLISH]
    assert f"english/{ENGLISH}.{name} was edited by hand" in line  # its rows named, both files
    assert f"toolkit correct {ENGLISH} p1.s1 " in line and "--discard-edits" in line
    assert "(rows p1.s1)" in line
    assert summary.built == [] and summary.exit_code == 1
    assert f"held: {ENGLISH}: {line}" in summary.lines()
    rows = {row.document: row for row in corpus_status(corpus)[0]}
    assert (rows[ENGLISH].state, rows[ENGLISH].message) == ("edited", line)
    assert rows[ENGLISH_2].state == "built"


def test_the_command_line_holds_and_discards_on_purpose(corpus: Path) -> None:
    edited = _edit_text(corpus)
    runner = CliRunner()
    held = runner.invoke(cli, ["build", str(corpus), "-q"])
    assert held.exit_code == 1, held.output
    assert "1 held (edited by hand)" in held.output and "nothing changed" not in held.output
    status = runner.invoke(cli, ["status", str(corpus)])
    assert f"{ENGLISH}\ten\tedited" in status.output and "1 edited" in status.output
    assert (corpus / "english" / f"{ENGLISH}.en.txt").read_bytes() == edited
    export = runner.invoke(cli, ["export", "--corpus", str(corpus), "-o", "-", "--format", "tsv"])
    said = f"excluded document {ENGLISH}: changed since build: english/{ENGLISH}.en.txt was "
    assert said + "edited by hand" in export.stderr, export.stderr  # not "run toolkit build"
    gone = runner.invoke(cli, ["build", str(corpus), "-q", "--discard-edits"])
    assert gone.exit_code == 0, gone.output
    assert (corpus / "english" / f"{ENGLISH}.en.txt").read_bytes() != edited
    assert corpus_status(corpus)[0][0].state == "built"


def test_a_correction_that_records_the_edit_lets_the_build_write_it(corpus: Path) -> None:
    _edit_cell(corpus, "Kim says she is his biggest fan.")
    record = read_meta(corpus / "english" / f"{ENGLISH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "Kim says she is his biggest fan.")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [ENGLISH] and not summary.held
    aligned = (corpus / "english" / f"{ENGLISH}.aligned.tsv").read_text(encoding="utf-8")
    assert "\tKim says she is his biggest fan.\t" in aligned  # now a correction: origin human
    assert corpus_status(corpus)[0][0].state == "built"


def test_an_edited_paragraph_is_kept_when_its_sentences_are_corrected(corpus: Path) -> None:
    """The text has no row ids: its paragraphs are matched by place; an edited one must come
    out as typed, the others may change (another correction)."""
    text = corpus / "english" / f"{ENGLISH}.en.txt"
    paragraphs = text.read_text(encoding="utf-8").split("\n\n")
    paragraphs[0] = "Kim says she is his biggest fan."
    text.write_text("\n\n".join(paragraphs), encoding="utf-8")
    record = read_meta(corpus / "english" / f"{ENGLISH}.meta.json")
    first, other = record.segments[0], record.segments[1]
    assert (first.paragraph, other.paragraph) == (1, 2)
    record_correction(corpus, record, other.id, "Another paragraph's fix.")
    assert ENGLISH in build_corpus(corpus, provider=FakeProvider()).held
    record_correction(corpus, record, first.id, "Kim says she is his biggest fan.")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [ENGLISH] and not summary.held
    written = text.read_text(encoding="utf-8")
    assert written.startswith("Kim says she is his biggest fan.\n\nAnother paragraph's fix.")


def test_what_is_no_edit_is_rebuilt(corpus: Path) -> None:
    """A deleted output, CRLF line ends (an editor), a meta.json (the build's record)."""
    english = corpus / "english"
    (english / f"{ENGLISH}.en.txt").unlink()
    text = english / f"{ENGLISH_2}.en.txt"
    built = text.read_bytes()
    text.write_bytes(built.replace(b"\n", b"\r\n"))
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [ENGLISH, ENGLISH_2] and not summary.held
    assert text.read_bytes() == built and (english / f"{ENGLISH}.en.txt").is_file()


def test_outputs_newer_than_the_manifest_are_no_edit(corpus: Path) -> None:
    """A build killed after renaming a document's files, before the manifest: its outputs
    are what their meta.json renders; the next build finishes the job."""
    old_manifest = (corpus / "manifest.jsonl").read_bytes()
    record = read_meta(corpus / "english" / f"{ENGLISH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "A newer build's English.")
    assert build_corpus(corpus, provider=FakeProvider()).built == [ENGLISH]
    (corpus / "manifest.jsonl").write_bytes(old_manifest)
    summary = build_corpus(corpus, provider=FakeProvider())
    assert not summary.held and summary.exit_code == 0
    assert corpus_status(corpus)[0][0].state == "built"


def test_an_edit_made_while_the_build_runs_stops_the_commit(corpus: Path) -> None:
    """The first document is staged; then its English is edited (the build is checking the
    second): nothing is written, the edit is there, and the next build holds it."""
    text = corpus / "english" / f"{ENGLISH}.en.txt"

    def edit_during_qa(stage: str, done: int, total: int) -> None:
        if stage == "qa" and done == 2:
            text.write_bytes(text.read_bytes() + b"A sentence typed during the build.\n")

    with pytest.raises(CorpusError, match="changed while the build ran"):
        build_corpus(corpus, provider=FakeProvider(), force=True, progress=edit_during_qa)
    assert text.read_bytes().endswith(b"typed during the build.\n")
    assert ENGLISH in build_corpus(corpus, provider=FakeProvider()).held


def test_the_workbench_records_actions_on_an_edited_document_until_the_edit_is_kept(
    corpus: Path,
) -> None:
    """An action on a held document is recorded, not an error: the document is NOT CURRENT
    with the build's line until the corrections give the English typed; other rows may be
    corrected meanwhile (only the edited rows must come out as typed)."""
    from toolkit.review.workbench import ReviewStore
    from toolkit.review.workbench.launch import argos_rebuild, argos_staleness

    _edit_cell(corpus, "Kim says she is his biggest fan.")
    store = ReviewStore(
        root=corpus, rebuild=argos_rebuild(None, None, True), author="anna", kinds={},
        staleness=argos_staleness(None, None, True),
    )  # fmt: skip
    rows = store.document(ENGLISH)["rows"]
    assert "aligned.tsv was edited by hand since the build (rows p1.s1)" in store.document(
        ENGLISH
    )["stale"]
    store.act(ENGLISH, rows[1]["id"], "correct", rows[1]["version"], english="Another row.")
    assert "edited by hand" in store.still_stale(ENGLISH)  # held: the typed row is not kept
    aligned = corpus / "english" / f"{ENGLISH}.aligned.tsv"
    assert "\tKim says she is his biggest fan.\t" in aligned.read_text(encoding="utf-8")
    typed = "Kim says she is his biggest fan."
    store.act(ENGLISH, rows[0]["id"], "correct", rows[0]["version"], english=typed)
    assert store.still_stale(ENGLISH) == ""  # written: both corrections, the edit kept
    text = aligned.read_text(encoding="utf-8")
    assert "\tKim says she is his biggest fan.\t" in text and "\tAnother row.\t" in text
