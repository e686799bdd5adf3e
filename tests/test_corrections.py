"""Human corrections: the file format, applying them, and surviving rebuilds (fake translator)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.corrections import correct
from toolkit.corpus.actions import apply_corrections, record_correction
from toolkit.corpus.corrections import (
    CORRECTION_COLUMNS,
    LEGACY_COLUMNS,
    Correction,
    CorrectionsError,
    corrections_path,
    documents_with_corrections,
    load_corrections,
    load_review_state,
    parse_corrections,
    render_corrections,
)
from toolkit.corpus.formats import parse_aligned_tsv, read_manifest, read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.provenance import sha256_text
from toolkit.schema import QaFlag

ROOT = Path(__file__).resolve().parents[1]
GERMAN = "000_de546ec99307b48e"
HEADER = "\t".join(CORRECTION_COLUMNS)
LEGACY = "\t".join(LEGACY_COLUMNS)


@pytest.fixture
def corpus(built_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(built_template, root)
    return root


def _meta(corpus: Path, doc: str = GERMAN):
    return read_meta(corpus / "english" / f"{doc}.meta.json")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _rebuild_from_scratch(corpus: Path):
    shutil.rmtree(corpus / "english")
    (corpus / "manifest.jsonl").unlink()
    return build_corpus(corpus, provider=FakeProvider())


# -- the file ----------------------------------------------------------------------------------


def test_file_round_trips_values_with_tabs_and_newlines() -> None:
    source = 'Er sagte:\t"Nein"\nund ging \\ weg.'
    fixes = [
        Correction(sha256_text(source), source, 'He said: "No" \\ and left.', "a b", "2025"),
        Correction(sha256_text("Zwei."), "Zwei.", "Two.", "", ""),
    ]
    text = render_corrections(fixes)
    assert text.splitlines()[0] == HEADER
    assert len(text.splitlines()) == 3  # escapes keep one row per correction
    assert list(parse_corrections(text).values()) == fixes


def test_hand_written_row_without_hash_gets_it_from_the_source() -> None:
    text = f"{HEADER}\n# added by hand\n\n\tEin Satz.\tOne sentence.\tanna\t\n"
    (fix,) = parse_corrections(text).values()
    assert fix.source_sha256 == sha256_text("Ein Satz.")
    assert fix.english == "One sentence." and fix.author == "anna"


QUOTED_SOURCE = "Nein, sagte er."
QUOTED_ROW = "\t".join([sha256_text(QUOTED_SOURCE), f'"{QUOTED_SOURCE}"', "No.", "", "\n"])


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("source\tenglish\n", "header"),
        (f"{HEADER}\nabc\tEin Satz.\tOne.\n", ":2: expected 5"),
        (f"{HEADER}\n{'z' * 64}\tEin Satz.\tOne.\t\t\n", ":2: source_sha256 must be 64 hex"),
        (f"{HEADER}\n{'0' * 64}\tEin Satz.\tOne.\t\t\n", ":2: source_sha256 does not match"),
        # A source cell quoted by a CSV-minded writer (a comma inside) in a file where no
        # cell needs quoting: its quotes are text, so leaving the sha empty is no way out.
        (HEADER + "\n" + QUOTED_ROW,
         "its source cell is the sentence in quotes, which are text where no cell needs"),
        (f"{HEADER}\n\tEin Satz.\t \t\t\n", ":2: english is empty"),
        (f"{HEADER}\n\t\tOne.\t\t\n", ":2: give source_sha256 or source"),
        (f"{LEGACY}\n\tEin Satz.\tOne.\t\t\n\tEin Satz.\tUno.\t\t\n", ":3: a second correction"),
    ],
)
def test_malformed_file_is_one_line_naming_file_and_line(body: str, needle: str) -> None:
    with pytest.raises(CorrectionsError) as err:
        parse_corrections(body, "corrections/x.corrections.tsv")
    message = str(err.value)
    assert message.startswith("corrections/x.corrections.tsv") and needle in message
    assert "\n" not in message


# -- applying ----------------------------------------------------------------------------------


def test_apply_sets_human_english_and_returns_orphans(corpus: Path) -> None:
    record = _meta(corpus)
    target = record.segments[1]
    target.flags.append("glossary-lost")
    target.qa.append(QaFlag(check="glossary-lost", severity="error", message="lost"))
    fix = Correction(target.source_sha256, target.source, "Fixed.", "anna", "2025-01-01T00:00:00Z")
    gone = Correction(sha256_text("Nicht mehr da."), "Nicht mehr da.", "Gone.", "", "")
    machine = target.english
    orphans = apply_corrections(record, {fix.source_sha256: fix, gone.source_sha256: gone})
    assert orphans == [gone]
    assert target.english == "Fixed." and target.origin == "human"
    when = "2025-01-01T00:00:00Z"
    assert target.correction == {"author": "anna", "time": when, "machine": machine}
    assert "glossary-lost" not in target.flags
    assert all(q.check != "glossary-lost" for q in target.qa)
    others = [s for s in record.segments if s is not target]
    assert all(s.origin == "machine" and s.correction is None for s in others)


# -- surviving rebuilds ------------------------------------------------------------------------


def test_correction_survives_a_rebuild_from_scratch(corpus: Path) -> None:
    record = _meta(corpus)
    fixed = record.segments[2]
    record_correction(corpus, record, fixed.id, "We will always be family.", author="anna")
    summary = _rebuild_from_scratch(corpus)
    assert summary.exit_code == 0 and not summary.orphan_corrections

    meta = _meta(corpus)
    segment = next(s for s in meta.segments if s.id == fixed.id)
    assert segment.english == "We will always be family." and segment.origin == "human"
    assert segment.correction and segment.correction["author"] == "anna"
    assert sum(s.origin == "human" for s in meta.segments) == 1
    english_text = (corpus / "english" / f"{GERMAN}.en.txt").read_text(encoding="utf-8")
    assert "We will always be family." in english_text
    assert fixed.english not in english_text
    aligned = (corpus / "english" / f"{GERMAN}.aligned.tsv").read_text(encoding="utf-8")
    rows = parse_aligned_tsv(aligned)
    row = next(r for r in rows if r.segment_id == fixed.id)
    assert row.english == "We will always be family." and row.origin == "human"
    assert {r.origin for r in rows if r.segment_id != fixed.id} == {"machine"}


def test_correction_follows_its_sentence_when_segment_ids_move(corpus: Path) -> None:
    record = _meta(corpus)
    fixed = record.segments[0]
    record_correction(corpus, record, fixed.id, "Kim Kardashian spoke openly.", author="anna")
    original = corpus / "original" / f"{GERMAN}.txt"
    text = original.read_text(encoding="utf-8")
    original.write_text("Ein neuer erster Absatz.\n\n" + text, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == [GERMAN] and not summary.orphan_corrections
    (human,) = [s for s in _meta(corpus).segments if s.origin == "human"]
    assert human.source == fixed.source and human.id != fixed.id
    assert human.english == "Kim Kardashian spoke openly."


def test_orphan_is_reported_on_every_build_and_kept_in_the_file(corpus: Path) -> None:
    record = _meta(corpus)
    fixed = record.segments[0]
    record_correction(corpus, record, fixed.id, "Kim spoke.", author="anna")
    original = corpus / "original" / f"{GERMAN}.txt"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace(fixed.source, "Ganz anders."), encoding="utf-8")
    file_before = corrections_path(corpus, GERMAN).read_bytes()

    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 0
    (orphan,) = summary.orphan_corrections[GERMAN]
    assert fixed.source_sha256[:12] in orphan
    lines = [line for line in summary.lines() if line.startswith("orphan correction:")]
    assert len(lines) == 1 and GERMAN in lines[0] and f"{GERMAN}.corrections.tsv" in lines[0]
    assert all(s.origin != "human" for s in _meta(corpus).segments)

    again = build_corpus(corpus, provider=FakeProvider())
    assert GERMAN in again.up_to_date and GERMAN in again.orphan_corrections
    assert corrections_path(corpus, GERMAN).read_bytes() == file_before


def test_corrections_of_a_removed_document_are_reported(corpus: Path) -> None:
    path = corrections_path(corpus, "999_gone")
    _write(path, f"{HEADER}\n\tEin Satz.\tOne.\t\t\n")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert "999_gone" in summary.orphan_corrections
    assert path.exists()
    # A whole file is not "a source sentence no longer in the document" (the line said so);
    # a file whose id differs from a document's only in case says which one it may be.
    upper = corrections_path(corpus, GERMAN.upper())
    _write(upper, f"{HEADER}\n\tEin Satz.\tOne.\t\t\n")
    lines = [x for x in build_corpus(corpus, provider=FakeProvider()).lines() if "orphan" in x]
    assert lines == [
        f"orphan correction: corrections/{GERMAN.upper()}.corrections.tsv: the whole file: no "
        f"original of that name (did you mean {GERMAN}? document ids are case-sensitive); "
        "rename it to its document's id, or move it out of corrections/",
        "orphan correction: corrections/999_gone.corrections.tsv: the whole file: no original "
        "of that name; rename it to its document's id, or move it out of corrections/",
    ]
    # An original that is skipped (a symlink) still owns its corrections: never "no original".
    outside = corpus.parent / "elsewhere.txt"
    outside.write_text("Ein Satz.\n", encoding="utf-8")
    (corpus / "original" / "linked.txt").symlink_to(outside)
    _write(corrections_path(corpus, "linked"), f"{HEADER}\n\tEin Satz.\tOne.\t\t\n")
    lines = [x for x in build_corpus(corpus, provider=FakeProvider()).lines() if "linked" in x]
    assert ("orphan correction: corrections/linked.corrections.tsv: the whole file: its "
            "original original/linked.txt is skipped (not a regular file); the corrections wait "
            "for it") in lines  # fmt: skip


def test_malformed_corrections_file_fails_only_its_document(corpus: Path) -> None:
    _write(corrections_path(corpus, GERMAN), "not a header\n")
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 1
    message = summary.errors[GERMAN]
    assert "header" in message and f"{GERMAN}.corrections.tsv" in message
    assert GERMAN not in summary.built and len(summary.up_to_date) == 3


def test_recording_twice_replaces_the_row(corpus: Path) -> None:
    record = _meta(corpus)
    sid = record.segments[3].id
    record_correction(corpus, record, sid, "First try.", author="a")
    record_correction(corpus, record, record.segments[4].id, "Other.", author="a")
    record_correction(corpus, record, sid, "Second try.", author="b")
    fixes = list(load_corrections(corpus, GERMAN).values())
    assert [f.english for f in fixes] == ["Second try.", "Other."]
    assert not [p for p in (corpus / "corrections").iterdir() if p.name.endswith(".tmp")]


# -- the command -------------------------------------------------------------------------------


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """`toolkit correct` rebuilds through ArgosProvider; give it the fake instead."""
    monkeypatch.setattr("toolkit.translation.provider.ArgosProvider", lambda **_: FakeProvider())


def test_correct_command_records_and_rebuilds(corpus: Path, fake_engine: None) -> None:
    sid = _meta(corpus).segments[1].id
    result = CliRunner().invoke(
        correct, [GERMAN, sid, "  Kim answered soberly.  ", "--by", "anna", "--corpus", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    segment = next(s for s in _meta(corpus).segments if s.id == sid)
    assert segment.english == "Kim answered soberly." and segment.origin == "human"
    assert segment.correction and segment.correction["author"] == "anna"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", segment.correction["time"])
    manifest = read_manifest(corpus / "manifest.jsonl")
    assert len(manifest) == 4  # the other documents' entries are kept


def test_correct_refuses_to_rebuild_a_translated_document_without_its_model(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``toolkit correct`` rebuilt the document; without its model that turned it into
    "needs model" and removed all its English for one corrected sentence (attack finding).
    Now it saves the correction and does not rebuild (exit 3), saying why."""
    monkeypatch.setattr(
        "toolkit.translation.provider.ArgosProvider", lambda **_: FakeProvider(pairs=("nl",))
    )
    english = corpus / "english" / f"{GERMAN}.en.txt"
    before = english.read_bytes()
    sid = _meta(corpus).segments[1].id
    result = CliRunner().invoke(correct, [GERMAN, sid, "Fixed.", "--corpus", str(corpus)])
    assert result.exit_code == 3, result.output
    assert "needs model de→en" in result.output and "is not rebuilt" in result.output
    assert english.read_bytes() == before
    assert (corpus / "corrections" / f"{GERMAN}.corrections.tsv").is_file()


def test_correct_takes_author_from_environment(
    corpus: Path, fake_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOOLKIT_AUTHOR", "reviewer-7")
    sid = _meta(corpus).segments[0].id
    args = [GERMAN, sid, "Fixed.", "--corpus", str(corpus), "--no-build"]
    result = CliRunner().invoke(correct, args)
    assert result.exit_code == 0, result.output
    (fix,) = load_corrections(corpus, GERMAN).values()
    assert fix.author == "reviewer-7"
    assert _meta(corpus).segments[0].origin == "machine"  # --no-build leaves outputs alone


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ([GERMAN, "p99.s1", "x"], "no segment 'p99.s1'"),
        (["nope", "p1.s1", "x"], "nope: no built document"),
        ([GERMAN, "p1.s1", "   "], "empty"),
    ],
)
def test_correct_rejects_bad_input_with_one_line(
    corpus: Path, args: list[str], needle: str
) -> None:
    result = CliRunner().invoke(correct, [*args, "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert result.output.startswith("toolkit: error: ") and needle in result.output
    assert result.output.count("\n") == 1
    assert not corrections_path(corpus, GERMAN).exists()


def test_correct_without_corpus_fails_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(correct, [GERMAN, "p1.s1", "x", "--corpus", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no such corpus directory" in result.output


def test_deleting_the_corrections_file_restores_machine_english(corpus: Path) -> None:
    record = _meta(corpus)
    record_correction(corpus, record, record.segments[0].id, "Kim spoke.", author="anna")
    assert build_corpus(corpus, provider=FakeProvider()).built == [GERMAN]
    assert _meta(corpus).segments[0].origin == "human"
    corrections_path(corpus, GERMAN).unlink()
    assert build_corpus(corpus, provider=FakeProvider()).built == [GERMAN]
    assert _meta(corpus).segments[0] == record.segments[0]


# -- history, sanitising and unreadable files (issues 14 and 16) --------------------------------


def test_a_second_correction_keeps_the_first_as_history(corpus: Path) -> None:
    record = _meta(corpus)
    sid = record.segments[3].id
    machine = record.segments[3].english
    record_correction(corpus, record, sid, "First try.", author="a", time="T1")
    record_correction(corpus, record, sid, "Second try.", author="b", time="T2")
    rows = load_review_state(corpus, GERMAN).rows
    assert [(r.english, r.author, r.time, r.previous) for r in rows] == [
        ("First try.", "a", "T1", machine),
        ("Second try.", "b", "T2", "First try."),
    ]
    (fix,) = load_corrections(corpus, GERMAN).values()
    assert fix.english == "Second try."


@pytest.mark.parametrize("text", ["Line one.\nLine two.", "Cell\tcell.", "a\r\nb"])
def test_correct_refuses_a_line_break_or_tab_with_one_line(corpus: Path, text: str) -> None:
    result = CliRunner().invoke(correct, [GERMAN, "p1.s1", text, "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert result.output.startswith("toolkit: error: ") and "one line" in result.output
    assert result.output.count("\n") == 1
    assert not corrections_path(corpus, GERMAN).exists()


def test_terminal_escapes_never_reach_the_outputs(corpus: Path) -> None:
    record = _meta(corpus)
    evil = "Kim\x1b]0;pwned\x07 spoke\x1b[2J \x9b31mopenly."
    record_correction(corpus, record, record.segments[0].id, evil, author="m\x1b[2Jallory")
    path = corrections_path(corpus, GERMAN)
    recorded = path.read_bytes()
    path.write_text(  # a hand-edited row with escapes too
        path.read_text(encoding="utf-8")
        + f"\t{record.segments[1].source}\tBad\x1b[31m red\x07.\tx\x1b]0;t\x07\t\n",
        encoding="utf-8",
    )
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    written = b"".join(
        (corpus / "english" / f"{GERMAN}{s}").read_bytes()
        for s in (".en.txt", ".aligned.tsv", ".meta.json")
    )
    written += recorded
    assert b"\x1b" not in written and b"\x07" not in written and b"\xc2\x9b" not in written
    segments = _meta(corpus).segments
    assert segments[0].english == "Kim]0;pwned spoke[2J 31mopenly."
    assert segments[1].english == "Bad[31m red."
    assert segments[0].correction and segments[0].correction["author"] == "m[2Jallory"


def test_cp1252_bom_and_directory_corrections_fail_one_document_each(corpus: Path) -> None:
    others = ["001_cb2e6261cd7f216a", "002_d2e9b11a68fdacb0", "003_c4a4f06c737cf0af"]
    folder = corpus / "corrections"
    folder.mkdir()
    source = _meta(corpus).segments[0].source
    (folder / f"{GERMAN}.corrections.tsv").write_bytes(
        f"{LEGACY}\n\t{source.encode('ascii', 'ignore').decode()}\tKöln is big.\t\t\n".encode(
            "cp1252"
        )
    )
    (folder / f"{others[0]}.corrections.tsv").mkdir()
    english = _meta(corpus, others[1]).segments[0]
    (folder / f"{others[1]}.corrections.tsv").write_bytes(
        f"\ufeff{LEGACY}\n\t{english.source}\tWith a BOM.\t\t\n".encode()
    )
    summary = build_corpus(corpus, provider=FakeProvider())
    assert set(summary.errors) == {GERMAN, others[0]}
    assert summary.errors[GERMAN].startswith(str(folder / f"{GERMAN}.corrections.tsv"))
    assert "not UTF-8" in summary.errors[GERMAN] and "save it as UTF-8" in summary.errors[GERMAN]
    assert "is a directory" in summary.errors[others[0]]
    assert all("\n" not in m for m in summary.errors.values())
    assert others[1] in summary.built  # the BOM file is read
    assert _meta(corpus, others[1]).segments[0].english == "With a BOM."


def test_acceptances_and_dismissals_of_a_vanished_sentence_are_orphans(corpus: Path) -> None:
    from toolkit.corpus.actions import record_action

    record = _meta(corpus)
    accepted, dismissed = record.segments[0], record.segments[1]
    record_action(corpus, record, accepted.id, "accept", author="anna")
    record_action(
        corpus, record, dismissed.id, "dismiss", check=dismissed.flags[0], reason="fine",
        author="anna",
    )  # fmt: skip
    original = corpus / "original" / f"{GERMAN}.txt"
    text = original.read_text(encoding="utf-8")
    for seg in (accepted, dismissed):
        text = text.replace(seg.source, "Ganz anders.")
    original.write_text(text, encoding="utf-8")
    file_before = corrections_path(corpus, GERMAN).read_bytes()

    summary = build_corpus(corpus, provider=FakeProvider())
    orphans = summary.orphan_corrections[GERMAN]
    assert len(orphans) == 2
    assert {accepted.source_sha256[:12], dismissed.source_sha256[:12]} == {
        o.split()[0] for o in orphans
    }
    assert all(s.origin != "accepted" for s in _meta(corpus).segments)
    assert corrections_path(corpus, GERMAN).read_bytes() == file_before


def test_status_and_build_list_the_same_corrections_files(corpus: Path) -> None:
    """One function lists the corrections files (status and build used two): unsafe names are
    left out of both, and described once for the build to report."""
    folder = corpus / "corrections"
    _write(folder / f"{GERMAN}.corrections.tsv", HEADER + "\n")
    _write(folder / ".hidden.corrections.tsv", HEADER + "\n")
    warnings: list[str] = []
    assert documents_with_corrections(corpus, warnings) == [GERMAN]
    assert len(warnings) == 1 and "corrections/.hidden.corrections.tsv" in warnings[0]
    summary = build_corpus(corpus, provider=FakeProvider())
    assert [w for w in summary.warnings if ".hidden" in w] == warnings


def test_symlinked_or_fifo_corrections_fail_their_document_without_reading_it(
    corpus: Path, tmp_path: Path
) -> None:
    """A corrections file that is a symlink (to a file outside the corpus, or to /dev/zero)
    or a FIFO was opened and read: outside data parsed as corrections, a device read until
    memory ran out, a FIFO waited on forever. Each now fails its own document, one line."""
    folder = corpus / "corrections"
    folder.mkdir()
    outside = tmp_path / "outside.tsv"
    outside.write_text(f"{LEGACY}\n", encoding="utf-8")
    docs = ["001_cb2e6261cd7f216a", "002_d2e9b11a68fdacb0", "003_c4a4f06c737cf0af"]
    (folder / f"{docs[0]}.corrections.tsv").symlink_to(outside)
    (folder / f"{docs[1]}.corrections.tsv").symlink_to("/dev/zero")
    os.mkfifo(folder / f"{docs[2]}.corrections.tsv")
    summary = build_corpus(corpus, provider=FakeProvider())  # returns: nothing waits on the FIFO
    assert set(summary.errors) == set(docs)
    assert "is a symlink, not a corrections file" in summary.errors[docs[0]]
    assert "is a symlink" in summary.errors[docs[1]]
    assert "is a FIFO or device, not a corrections file" in summary.errors[docs[2]]


def test_an_oversized_corrections_file_fails_its_document_without_being_read(
    corpus: Path,
) -> None:
    """A 16 GB sparse corrections file was read whole (2 GB RSS for 1 GB; attack finding)."""
    folder = corpus / "corrections"
    folder.mkdir()
    doc = "001_cb2e6261cd7f216a"
    with open(folder / f"{doc}.corrections.tsv", "wb") as handle:
        handle.truncate(16_000_000_000)  # sparse: no disk used
    summary = build_corpus(corpus, provider=FakeProvider())
    assert set(summary.errors) == {doc}
    assert "16.00 GB, over the 64.0 MB limit of a corrections file" in summary.errors[doc]


def test_correct_names_every_segment_with_the_same_source(tmp_path: Path) -> None:
    """A correction is keyed by the source sentence, so it changes each repeat of it; the
    command said only "DOC p1.s2: correction saved" while p1.s1 changed too (attack finding)."""
    root = tmp_path / "corpus"
    _write(root / "original" / "rep.txt", "Das ist gut. Das ist gut. Das ist gut und schön.\n")
    build_corpus(root, provider=FakeProvider())
    args = ["rep", "p1.s2", "That is good.", "--corpus", str(root), "--no-build"]
    result = CliRunner().invoke(correct, args)
    assert result.exit_code == 0, result.output
    assert "it applies to all 2 segments with this source sentence (p1.s1, p1.s2)" in (
        result.stderr
    )
    result = CliRunner().invoke(correct, ["rep", "p1.s3", "Fine.", "--corpus", str(root),
                                          "--no-build"])  # fmt: skip
    assert result.exit_code == 0 and "applies to all" not in result.stderr


def test_correct_rebuilds_with_the_encoding_the_corpus_is_built_with(
    tmp_path: Path, fake_engine: None
) -> None:
    """`toolkit correct` had no --encoding: on a corpus built with --encoding cp1250 its
    rebuild decoded the document with the default guess and rewrote it (`Dvořák` ->
    `Dvoøák`), a warning aside (attack finding)."""
    from toolkit.config.build import BuildConfig
    from toolkit.pipeline.run import build_config

    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    text = "Antonín Dvořák schrieb die Sinfonie in Amerika. Sie wurde sofort berühmt."
    (root / "original" / "cz.txt").write_bytes(text.encode("cp1250"))
    config: BuildConfig = build_config(None, "cp1250")
    build_corpus(root, provider=FakeProvider(), config=config)
    assert "Dvořák" in _meta(root, "cz").segments[0].source
    args = ["cz", "p1.s2", "It became famous at once.", "--corpus", str(root)]
    result = CliRunner().invoke(correct, [*args, "--encoding", "cp1250", "--no-glossary"])
    assert result.exit_code == 0, result.output
    record = _meta(root, "cz")
    assert record.input.encoding == "cp1250" and "Dvořák" in record.segments[0].source
    assert record.segments[1].origin == "human"


def test_record_correction_refuses_another_corpus_record(corpus: Path, tmp_path: Path) -> None:
    """The library call saved another corpus's record as this corpus's correction; the CLI
    refuses another corpus's meta.json. Nothing is written to the corpus given."""
    record = _meta(corpus)
    other = tmp_path / "other"
    shutil.copytree(corpus, other)
    (other / record.input.path).write_text("Ein anderer Text. Er hat zwei Sätze.\n", "utf-8")
    assert build_corpus(other, provider=FakeProvider()).exit_code == 0
    empty = tmp_path / "empty"
    (empty / "original").mkdir(parents=True)
    sha = record.input.sha256[:12]
    for root, why in ((other, "its build of that id read other bytes"),
                      (empty, "no build of that id")):  # fmt: skip
        with pytest.raises(CorrectionsError) as err:
            record_correction(root, record, record.segments[0].id, "Kim spoke.", author="a")
        meta = root / "english" / f"{GERMAN}.meta.json"
        assert str(err.value) == (
            f"{root}: the record of '{GERMAN}' ({record.input.path}, sha256 {sha}) is not this "
            f"corpus's ({why}); give the corpus the record was read from, or read the record "
            f"from {meta}")
        assert not corrections_path(root, GERMAN).exists()
    record_correction(other, _meta(other), _meta(other).segments[0].id, "Fine.", author="a")
    assert corrections_path(other, GERMAN).exists()


def test_a_record_that_is_not_the_built_one_is_refused(corpus: Path) -> None:
    """A crafted (or older) record naming the built original's path and sha256 but holding a
    sentence the build does not hold was written as an orphan correction; record_action
    (public) had no guard at all. Both refuse it in one line; nothing is written."""
    from toolkit.corpus.actions import record_action

    record = _meta(corpus)
    crafted = record.model_copy(deep=True)
    seg = crafted.segments[0]
    seg.source = "Ein ganz fremder Satz."
    seg.source_sha256 = sha256_text(seg.source)
    meta = corpus / "english" / f"{GERMAN}.meta.json"
    line = (
        f"{corpus}: the record of '{GERMAN}' ({record.input.path}, sha256 "
        f"{record.input.sha256[:12]}) is not this corpus's (it differs from its build of that "
        f"id: an older build's, or changed since read); give the corpus the record was read "
        f"from, or read the record from {meta}")
    # the corpus's own file however spelled: as written, corrections/../corrections/X skipped it
    spelled = corpus / "corrections" / ".." / "corrections" / f"{GERMAN}.corrections.tsv"
    (corpus / "corrections").mkdir(exist_ok=True)
    calls = (lambda: record_correction(corpus, crafted, seg.id, "Foreign.", author="a"),
             lambda: record_action(corpus, crafted, seg.id, "accept", author="a"),
             lambda: record_action(corpus, crafted, seg.id, "correct", english="EVIL",
                                   author="a", file=spelled))  # fmt: skip
    for call in calls:
        with pytest.raises(CorrectionsError) as err:
            call()
        assert str(err.value) == line
        assert not corrections_path(corpus, GERMAN).exists()
    record_action(corpus, record, record.segments[0].id, "accept", author="a")
    assert corrections_path(corpus, GERMAN).exists()
