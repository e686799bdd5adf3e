"""Hand edits are never lost by the ways out the toolkit itself advises, nor silently.

An attacker's findings (session 8): ``--discard-edits`` without the model removed all of a
document's English; the held line's ``--discard-edits`` discarded every document's edits; a
change in no English (flags column, a line break) was called held by status and overwritten
by the build; a find-and-replace over all of ``english/<doc>.*`` (meta.json too) was taken
for a build's output; an edited document whose original moved away was removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import FakeProvider

from toolkit import _faults
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status

ROOT = Path(__file__).resolve().parents[1]
GERMAN, DUTCH = "000_de546ec99307b48e", "002_d2e9b11a68fdacb0"
ENGLISH = "001_cb2e6261cd7f216a"
WITHOUT_MODELS = ("xx",)  # a provider with neither the de nor the nl model


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    assert len(build_corpus(root, provider=FakeProvider()).built) == 4
    return root


def _cell(corpus: Path, doc: str, column: int, value: str, row: int = 1) -> bytes:
    """Set one cell of ``doc``'s aligned file, as a spreadsheet would."""
    path = corpus / "english" / f"{doc}.aligned.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[row].split("\t")
    cells[column] = value
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.read_bytes()


def _english(corpus: Path, doc: str) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in sorted((corpus / "english").glob(f"{doc}.*"))
    }  # fmt: skip


def test_discarding_an_edit_without_the_model_restores_the_builds_english(corpus: Path) -> None:
    built = _english(corpus, DUTCH)
    _cell(corpus, DUTCH, 4, "MY EDIT")
    held = build_corpus(corpus, provider=FakeProvider(WITHOUT_MODELS))
    assert f"--only {DUTCH} --discard-edits" in held.held[DUTCH]
    assert b"MY EDIT" in _english(corpus, DUTCH)[f"{DUTCH}.aligned.tsv"]
    summary = build_corpus(corpus, provider=FakeProvider(WITHOUT_MODELS), discard_edits=True)
    assert not summary.held and DUTCH in summary.needs_model
    assert _english(corpus, DUTCH) == built  # the build's English, not "needs model"
    assert {r.document: r.state for r in corpus_status(corpus)[0]}[DUTCH] == "needs model"


def test_a_deleted_output_without_the_model_is_written_again_from_its_record(
    corpus: Path,
) -> None:
    built = _english(corpus, DUTCH)
    (corpus / "english" / f"{DUTCH}.en.txt").unlink()
    summary = build_corpus(corpus, provider=FakeProvider(WITHOUT_MODELS))
    assert not summary.held and DUTCH in summary.needs_model
    assert _english(corpus, DUTCH) == built


def test_the_held_lines_discard_acts_on_that_document_only(corpus: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    _cell(corpus, ENGLISH, 4, "EDIT ONE")
    other = "003_c4a4f06c737cf0af"
    kept = _cell(corpus, other, 4, "EDIT TWO")
    held = build_corpus(corpus, provider=FakeProvider())
    advice = f"toolkit build --only {ENGLISH} --discard-edits"
    assert advice in held.held[ENGLISH]
    result = CliRunner().invoke(cli, ["build", str(corpus), "-q", "--only", ENGLISH,
                                      "--discard-edits"])  # fmt: skip
    assert b"EDIT ONE" not in _english(corpus, ENGLISH)[f"{ENGLISH}.aligned.tsv"], result.output
    assert _english(corpus, other)[f"{other}.aligned.tsv"] == kept


@pytest.mark.parametrize("change", ["flags", "origin", "spaces", "swap", "wrap", "tab"])
def test_a_change_in_no_english_is_no_edit_for_status_and_build_and_is_said(
    corpus: Path, change: str
) -> None:
    """Status and the build ask one function: both call it no edit, and the build says
    what it rewrote (it said 'held: the edit is kept' and overwrote it with exit 0)."""
    english = corpus / "english"
    if change in ("wrap", "tab"):
        text = english / f"{ENGLISH}.en.txt"
        new = b" \n" if change == "wrap" else b"\t"
        text.write_bytes(text.read_bytes().replace(b" ", new, 1))
    elif change == "swap":
        path = english / f"{ENGLISH}.aligned.tsv"
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[1], lines[2] = lines[2], lines[1]
        path.write_text("\n".join(lines), encoding="utf-8")
    else:
        path = english / f"{ENGLISH}.aligned.tsv"
        cells = path.read_text(encoding="utf-8").split("\n")[1].split("\t")
        column, value = {"flags": (5, "x"), "origin": (6, "human"),
                         "spaces": (4, f" {cells[4]} ")}[change]  # fmt: skip
        _cell(corpus, ENGLISH, column, value)
    row = {r.document: r for r in corpus_status(corpus)[0]}[ENGLISH]
    assert row.state != "edited" and "held" not in row.message
    summary = build_corpus(corpus, provider=FakeProvider())
    assert not summary.held and summary.exit_code == 0
    assert any("changed by hand in no English" in w for w in summary.warnings), summary.lines()
    assert {r.document: r.state for r in corpus_status(corpus)[0]}[ENGLISH] == "built"


def test_an_edit_made_to_meta_json_too_is_held(corpus: Path) -> None:
    """sed -i 's/x/MYEDIT/' english/<doc>.*: the meta.json is not the build's any more."""
    english = corpus / "english"
    for path in english.glob(f"{ENGLISH}.*"):
        path.write_bytes(path.read_bytes().replace(b"Kim", b"MYEDIT"))
    rows = {r.document: r for r in corpus_status(corpus)[0]}
    assert rows[ENGLISH].state == "edited"
    summary = build_corpus(corpus, provider=FakeProvider())
    assert ENGLISH in summary.held and summary.exit_code == 1
    assert b"MYEDIT" in (english / f"{ENGLISH}.en.txt").read_bytes()


class _Killed(BaseException):
    """A build stopped between two renames of its commit (no undo, as SIGKILL)."""


def test_a_build_killed_while_renaming_leaves_no_edit(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.corpus import undo
    from toolkit.corpus.actions import record_correction
    from toolkit.corpus.formats import read_meta

    # A real SIGKILL runs no undo; the commit now undoes on any exception (corpus/undo.py),
    # so the simulated kill turns the undo off to leave the half-renamed state behind.
    monkeypatch.setattr(undo, "undo", lambda done: [])

    record = read_meta(corpus / "english" / f"{ENGLISH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "A newer build's English.")
    hits = {"n": 0}

    def kill_after_two_renames(name: str) -> None:
        if name == "write.renamed":
            hits["n"] += 1
            if hits["n"] == 2:  # meta.json and en.txt renamed; aligned.tsv, manifest not
                raise _Killed

    _faults.set_hook(kill_after_two_renames)
    try:
        with pytest.raises(_Killed):
            build_corpus(corpus, provider=FakeProvider())
    finally:
        _faults.set_hook(None)
    assert b"A newer build" in (corpus / "english" / f"{ENGLISH}.en.txt").read_bytes()
    assert {r.document: r.state for r in corpus_status(corpus)[0]}[ENGLISH] != "edited"
    summary = build_corpus(corpus, provider=FakeProvider())
    assert not summary.held and summary.built == [ENGLISH]
    assert not (corpus / ".staged-meta.txt").exists()


def test_an_edited_document_whose_original_is_gone_is_held(corpus: Path) -> None:
    edited = _cell(corpus, ENGLISH, 4, "MY EDIT")
    (corpus / "original" / f"{ENGLISH}.txt").rename(corpus / f"{ENGLISH}.txt")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.gone == [] and summary.exit_code == 1
    assert f"original/{ENGLISH}.txt is gone" in summary.held[ENGLISH]
    assert (corpus / "english" / f"{ENGLISH}.aligned.tsv").read_bytes() == edited
    summary = build_corpus(corpus, provider=FakeProvider(), discard_edits=True)
    assert summary.gone == [ENGLISH] and not (corpus / "english" / f"{ENGLISH}.en.txt").exists()


def _row(corpus: Path, doc: str, row: int) -> list[str]:
    path = corpus / "english" / f"{doc}.aligned.tsv"
    return path.read_text(encoding="utf-8").split("\n")[row].split("\t")


def test_a_recorded_edit_survives_a_change_of_the_original_that_shifts_the_ids(
    corpus: Path,
) -> None:
    """A sentence added above the edited row: the correction follows its sentence (by
    source), so the build keeps the edit instead of holding for ever."""
    from toolkit.corpus.actions import record_correction
    from toolkit.corpus.formats import read_meta

    _cell(corpus, ENGLISH, 4, "MY HEADLINE")
    record = read_meta(corpus / "english" / f"{ENGLISH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY HEADLINE")
    original = corpus / "original" / f"{ENGLISH}.txt"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("\n\nKim", "\n\nA new opening line.\n\nKim", 1))
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [ENGLISH] and not summary.held, summary.lines()
    assert _row(corpus, ENGLISH, 2)[:5:4] == ["p2.s1", "MY HEADLINE"]  # the id moved


@pytest.mark.parametrize("change", ["source", "delete"])
def test_a_changed_source_cell_or_a_deleted_row_is_no_edit(corpus: Path, change: str) -> None:
    path = corpus / "english" / f"{ENGLISH}.aligned.tsv"
    if change == "source":
        _cell(corpus, ENGLISH, 3, "KIM")
    else:
        lines = path.read_text(encoding="utf-8").split("\n")
        del lines[3]
        path.write_text("\n".join(lines), encoding="utf-8")
    assert {r.document: r.state for r in corpus_status(corpus)[0]}[ENGLISH] != "edited"
    summary = build_corpus(corpus, provider=FakeProvider())
    assert not summary.held and summary.built == [ENGLISH]
    assert any("changed by hand in no English" in w for w in summary.warnings)


def test_an_added_row_is_held_and_named_as_no_sentence_of_the_build(corpus: Path) -> None:
    path = corpus / "english" / f"{ENGLISH}.aligned.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "p1.s9\t1\t9\tNew.\tMY NEW ROW\t\thuman\t")
    path.write_text("\n".join(lines), encoding="utf-8")
    line = build_corpus(corpus, provider=FakeProvider()).held[ENGLISH]
    assert "(rows p1.s9); rows p1.s9 are no sentence of the build" in line
    assert "SEGMENT" in line  # no row of the build to name


@pytest.mark.parametrize("editor", ["trailing-space", "cp1252", "nfd"])
def test_what_editors_do_is_normalised_before_comparing(corpus: Path, editor: str) -> None:
    """An edit made with one of these still names its row (it said SEGMENT, a whole-file
    edit); the conversion alone is no edit."""
    import unicodedata

    path = corpus / "english" / f"{GERMAN}.aligned.tsv"
    text = path.read_text(encoding="utf-8")
    if editor == "trailing-space":
        converted = "\n".join(line.rstrip() for line in text.split("\n")).encode()
    elif editor == "cp1252":
        converted = text.encode("cp1252")
    else:
        converted = unicodedata.normalize("NFD", text).encode()
    assert converted != text.encode()
    path.write_bytes(converted)
    assert {r.document: r.state for r in corpus_status(corpus)[0]}[GERMAN] != "edited"
    _cell(corpus, ENGLISH, 4, "MY EDIT")  # and an edit elsewhere names its row
    lines = (corpus / "english" / f"{ENGLISH}.aligned.tsv").read_text(encoding="utf-8")
    (corpus / "english" / f"{ENGLISH}.aligned.tsv").write_text(
        "\n".join(line.rstrip() for line in lines.split("\n")), encoding="utf-8"
    )
    summary = build_corpus(corpus, provider=FakeProvider())
    assert GERMAN not in summary.held and GERMAN in summary.built
    assert "(rows p1.s1)" in summary.held[ENGLISH]


def test_an_edited_paragraph_of_the_text_names_its_sentences(corpus: Path) -> None:
    text = corpus / "english" / f"{ENGLISH}.en.txt"
    text.write_bytes(text.read_bytes().replace(b"opened up", b"OPENED UP", 1))
    line = build_corpus(corpus, provider=FakeProvider()).held[ENGLISH]
    assert "(rows p2.s1)" in line and f"toolkit correct {ENGLISH} p2.s1 " in line


def test_an_edit_recorded_as_a_correction_is_not_held_by_any_reader(corpus: Path) -> None:
    """Status, export and the build (without the model too) ask one function: an edit the
    corrections already give is not 'held ... record it' (it advised what was done)."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli
    from toolkit.corpus.actions import record_correction
    from toolkit.corpus.formats import read_meta

    typed = _cell(corpus, DUTCH, 4, "MY EDIT")
    record = read_meta(corpus / "english" / f"{DUTCH}.meta.json")
    record_correction(corpus, record, record.segments[0].id, "MY EDIT")
    row = {r.document: r for r in corpus_status(corpus)[0]}[DUTCH]  # no packages here
    assert row.state != "edited" and "held" not in row.message, row.message
    export = CliRunner().invoke(cli, ["export", "--corpus", str(corpus), "-o", "-"])
    assert "edited by hand" not in export.stderr, export.stderr
    summary = build_corpus(corpus, provider=FakeProvider(WITHOUT_MODELS))
    assert not summary.held and DUTCH in summary.needs_model
    assert (corpus / "english" / f"{DUTCH}.aligned.tsv").read_bytes() == typed
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [DUTCH] and not summary.held
    assert _row(corpus, DUTCH, 1)[4] == "MY EDIT"


def test_a_held_edit_with_a_changed_original_is_not_said_to_be_removed(corpus: Path) -> None:
    text = corpus / "english" / f"{DUTCH}.en.txt"
    text.write_bytes(text.read_bytes().replace(b" ", b" MY EDIT ", 1))
    original = corpus / "original" / f"{DUTCH}.txt"
    original.write_bytes(original.read_bytes() + b"\n\nEen nieuwe zin.\n")
    summary = build_corpus(corpus, provider=FakeProvider(WITHOUT_MODELS))
    assert DUTCH in summary.held
    assert not any("removes that build's English" in w for w in summary.warnings)
    assert b"MY EDIT" in text.read_bytes()


@pytest.mark.parametrize("meta", ["deleted", "edited"])
def test_without_the_model_a_document_whose_record_is_gone_keeps_its_english(
    corpus: Path, meta: str
) -> None:
    english = corpus / "english"
    path = english / f"{DUTCH}.meta.json"
    if meta == "deleted":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\n ", 1))
    text = (english / f"{DUTCH}.en.txt").read_bytes()
    summary = build_corpus(corpus, provider=FakeProvider(WITHOUT_MODELS))
    assert "its English is kept as it is" in summary.needs_model[DUTCH]
    assert (english / f"{DUTCH}.en.txt").read_bytes() == text
    assert build_corpus(corpus, provider=FakeProvider()).built == [DUTCH]


def test_the_staged_note_is_the_corpus_own_file(corpus: Path) -> None:
    """An export -o over it would make a killed build's outputs look edited, or the reverse."""
    from toolkit.corpus.writes import _protected_part

    assert _protected_part(corpus / ".staged-meta.txt", [corpus]) == ".staged-meta.txt"
