"""QA of a pairs file: one library function (:func:`toolkit.qa.report.check_pairs`) that
``toolkit qa PAIRS`` and the review workbench both ask, so they flag the same rows the
same way (session 8: the workbench ran ``check_pair`` alone, without the protected-span
and consistency checks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.glossary.model import Glossary
from toolkit.review.workbench.pairs import PairsStore

_ROWS = [
    ("1", "Mehr auf https://example.org/wahl heute.", "More at https://example.org/vote today."),
    ("2", "Das Haus ist rot.", "The house is red."),
    ("3", "Das Haus ist rot.", "The building is red."),
    ("4", "Guten Tag.", ""),
    ("5", "Der Hund schläft.", "The dog is asleep."),
    ("6", "Vier Ã¤pfel liegen dort.", "Four apples lie there."),
    ("7", "Er sagte „Ja“ und ging.", "He said â€œyesâ€\x9d and left."),
]


def _pairs_file(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "pairs.tsv"
    lines = ["id\tsource\ttarget", *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def qa_flags(path: Path, glossary: Path | None = None) -> dict[str, list[str]]:
    """``toolkit qa PAIRS --format jsonl``: each row's flags."""
    chosen = ["--glossary", str(glossary)] if glossary else ["--no-glossary"]
    result = CliRunner().invoke(cli, ["qa", str(path), "--src", "de", *chosen,
                                      "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return {o["id"]: flag_names_of(o) for o in objects}


def flag_names_of(row: dict) -> list[str]:
    """A qa JSON row's checks once each (its ``flags`` run alongside its ``messages``)."""
    assert len(row["flags"]) == len(row["messages"]), row
    return list(dict.fromkeys(row["flags"]))


def workbench_flags(path: Path, tmp_path: Path,
                    glossary: Glossary | None = None) -> dict[str, list[str]]:
    """The pairs workbench's rows: each row's flags."""
    store = PairsStore(root=tmp_path, rebuild=lambda _r, _n: [], author="anna", kinds={},
                       pairs_file=path, src="de", tgt="en",
                       glossary=glossary or Glossary.empty())
    return {row["id"]: row["flags"] for row in store.document(path.name)["rows"]}


def test_qa_and_the_workbench_flag_a_pairs_file_the_same(tmp_path: Path) -> None:
    path = _pairs_file(tmp_path, _ROWS)
    by_qa = qa_flags(path)
    assert "protected" in by_qa["1"]
    assert "inconsistent" in by_qa["2"] and "inconsistent" in by_qa["3"]
    assert by_qa["4"] == ["empty"] and by_qa["5"] == []
    assert by_qa["6"] == ["mojibake"] and by_qa["7"] == ["mojibake"]
    assert workbench_flags(path, tmp_path) == by_qa


def test_a_check_raised_on_both_sides_is_listed_once(tmp_path: Path) -> None:
    # One check on both sides: the workbench lists it once; qa's JSON names it beside each of
    # its two messages (flags run alongside messages), the same check (qa_flags reads it once).
    path = _pairs_file(tmp_path, [("1", "Vier Ã¤pfel.", "Four Ã¤pples.")])
    assert qa_flags(path) == {"1": ["mojibake"]} == workbench_flags(path, tmp_path)


def test_qa_and_the_workbench_check_the_glossary_alike(tmp_path: Path) -> None:
    from toolkit.glossary.load import load_glossary

    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("version: 1\nentries:\n  - term: Kim Kardashian\n    kind: person\n",
                        encoding="utf-8")
    path = _pairs_file(tmp_path, [
        ("1", "Kim Kardashian kam nach Wien.", "Kim came to Vienna."),
        ("2", "Kim Kardashian blieb dort.", "Kim Kardashian stayed there."),
    ])
    by_qa = qa_flags(path, glossary)
    assert by_qa == {"1": ["glossary"], "2": []}
    assert workbench_flags(path, tmp_path, load_glossary(glossary)) == by_qa


def test_export_pairs_leaves_out_rows_as_a_corpus_export_does(tmp_path: Path) -> None:
    # The protected-span flag leaves a row out (a build stores it), as mojibake does; the
    # corpus-wide inconsistent one does not (a corpus export never sees it), though shown.
    path = _pairs_file(tmp_path, _ROWS)
    out = tmp_path / "out.tsv"
    result = CliRunner().invoke(cli, ["export", "--pairs", str(path), "--src", "de",
                                      "--format", "tsv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert "The house is red." in written and "The building is red." in written
    assert "example.org" not in written and "excluded 3 flagged segments" in result.output


def test_an_8bit_csi_colour_is_removed_whole_and_gives_no_number(tmp_path: Path) -> None:
    # \x9b31m lost its \x9b alone: "31mrote" stayed, and qa said "source has 31".
    from toolkit.qa.pairs import read_bilingual

    path = _pairs_file(tmp_path, [("1", "Der \x9b31mrote\x9b0m Apfel kostet 5 Euro.",
                                   "The red apple costs 5 euros.")])
    assert read_bilingual(path, "de")[0].source == "Der rote Apfel kostet 5 Euro."
    assert qa_flags(path) == {"1": []}


@pytest.mark.parametrize(("source", "reading"), [
    # German \u203a...\u2039 quotes in Windows-1252 read as Latin-1: "\x9b100m" was taken for a
    # colour code and removed whole ("-Lauf", and a false number flag), "\x9bB\x8b" went.
    ("Der \x9b100m\x8b-Lauf ist heute.", "\u203a100m\u2039-Lauf"),
    ("Der \x9b3D\x8b-Drucker druckt.", "\u203a3D\u2039-Drucker"),
    ("Das \x9b5G\x8b-Netz kommt.", "\u203a5G\u2039-Netz"),
    ("Plan \x9bB\x8b gilt.", "\u203aB\u2039"),
    ("Text\x9bbunt", "Text\u203abunt"),
])
def test_windows_1252_read_as_latin1_is_kept_and_flagged_mojibake(
        tmp_path: Path, source: str, reading: str) -> None:
    from toolkit.qa.pairs import read_bilingual
    from toolkit.qa.report import check_pairs

    path = _pairs_file(tmp_path, [("1", source, f"It is the {reading} one.")])
    pairs = read_bilingual(path, "de")
    assert pairs[0].source == source and pairs[0].control_characters == 0
    [(_, flags)] = check_pairs(pairs, "de", "en", Glossary.empty()).results
    checks = [f.check for f in flags]
    assert "mojibake" in checks and "number" not in checks
    assert f"(ftfy reads '{reading}')" in flags[checks.index("mojibake")].message


def test_an_8bit_colour_run_is_removed_only_where_no_text_goes_with_it(tmp_path: Path) -> None:
    from toolkit.qa.bilingual import _terminal_colours

    assert _terminal_colours("\x9b1;31mrot\x9bm und \x9b32mgr\xfcn\x9b0m") == ("rot und gr\xfcn", 4)
    for kept in ("\x9b100m\x8b-Lauf \x9b0m", "\x9b31m rot", "Home \x9bmore", "\x9b0mx\x9bm",
                 "\u00c3\x9b31mx\x9b0m", "\x9b31mrot\x9b0m \x9d"):
        assert _terminal_colours(kept) == (kept, 0)


@pytest.mark.parametrize("clean", ["Andr\u00e9\u2020", "Jos\u00e9 MART\u00cd\u2020 starb.",
                                   "Ros\u00e9\u2021", "JOS\u00c9\u2020 starb."])
def test_an_accented_letter_before_a_dagger_is_no_mojibake(clean: str) -> None:
    # ftfy's is_bad calls these mojibake; its repair leaves the first and third as they are
    # and reads MART\u00cd\u2020 as a combining mark: export --pairs dropped the rows (error).
    from toolkit.qa.mojibake import check_mojibake

    assert check_mojibake(clean, clean) == []


@pytest.mark.parametrize("own", [True, False])
def test_a_c1_escape_typed_in_a_pairs_tsv_stays_and_is_named(tmp_path: Path, own: bool) -> None:
    # D:\x86_tools in a toolkit TSV reads as U+0086 (the format spells a backslash \\); it
    # was stripped as a control character, the cell read D:_tools. In a hand-made TSV (its
    # header no toolkit's: attack 10d) it is the text typed, as a typed \u2028 is.
    path = tmp_path / "p.tsv"
    cells = ["1", "In D:\\x86_tools.", "In the tools folder."]
    header = ["segment_id", "source", "english"]
    if own:  # toolkit translate --format tsv's header
        header, cells = ["file", *header, "flags", "source_language"], ["f", *cells, "", "de"]
    path.write_text("\t".join(header) + "\n" + "\t".join(cells) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["qa", str(path), "--src", "de", "--no-glossary"])
    assert result.exit_code == 0, result.output
    assert "control characters" not in result.output
    named = "source has 'D:\\x86_tools.'" in result.output
    assert named == ("a backslash is \\\\" in result.output)
    assert named == own, result.output
    from toolkit.qa.pairs import read_bilingual

    source = "In D:\x86_tools." if own else "In D:\\x86_tools."
    assert [(p.source, p.target) for p in read_bilingual(path, "de")] == [
        (source, "In the tools folder.")]


@pytest.mark.parametrize("value", [
    "\u00e2\u20ac\x9d und \x85 NEL \x9b31m", "a\\x9b stays text", "\\", "tab\tnew\nline\r\\n",
])
def test_tsv_cells_escape_c1_controls_and_read_back_as_written(value: str) -> None:
    from toolkit.corpus.formats import render_tsv_table, tsv_unescape

    line = render_tsv_table(("v",), [(value,)]).split("\n")[1]
    assert not any("\x80" <= c <= "\x9f" for c in line) and "\t" not in line
    assert tsv_unescape(line) == value


@pytest.mark.parametrize(("fmt", "escape"), [("tsv", "\\x9d"), ("jsonl", "\\u009d")])
def test_kept_c1_mojibake_goes_through_export_escaped_and_comes_back(
        tmp_path: Path, fmt: str, escape: str) -> None:
    # JSONL wrote U+009D raw (a terminal's 8-bit control), TSV spells it \x9d.
    from toolkit.qa.pairs import read_bilingual

    source = "Er sagte: \u00e2\u20ac\u0153Hallo\u00e2\u20ac\x9d und ging 5 km."
    path = _pairs_file(tmp_path, [("1", source, "He said hello and walked 5 km.")])
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--pairs", str(path), "--src", "de",
                                      "--format", fmt, "--include-flagged", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert "\x9d" not in written and f"\u00e2\u20ac{escape} und ging" in written
    assert [p.source for p in read_bilingual(out)] == [source]


def test_mojibake_is_flagged_on_the_side_that_has_it_and_kept(tmp_path: Path) -> None:
    # Kept as written (the user's data) but never flagged: qa said "0 flagged".
    from toolkit.qa.pairs import read_bilingual
    from toolkit.qa.report import check_pairs

    path = _pairs_file(tmp_path, _ROWS[5:])
    pairs = read_bilingual(path, "de")
    assert pairs[1].target == "He said \u00e2\u20ac\u0153yes\u00e2\u20ac\x9d and left."
    messages = [[f.message for f in flags]
                for _, flags in check_pairs(pairs, "de", "en", Glossary.empty())]
    assert messages == [
        ["mojibake: source has '\u00c3\u00a4pfel', text decoded in the wrong code page "
         "(UTF-8 read as Windows-1252: it reads '\u00e4pfel'); kept as written"],
        ["mojibake: target has '\u00e2\u20ac\u0153yes\u00e2\u20ac\\x9d', text decoded in the "
         "wrong code page (ftfy reads '\u201cyes\u201d'); kept as written"],
    ]


def test_a_pairs_file_and_a_build_check_each_pair_by_one_rule(tmp_path: Path) -> None:
    # The per-pair part (checks, glossary, protected spans) of a pairs file's QA is the
    # build's: a row in the target language is a copy whose spans and terms are its own
    # (qa PAIRS flagged an English row "protected" that a build never would).
    from toolkit.config.build import BuildConfig
    from toolkit.corpus.corrections import ReviewState
    from toolkit.pipeline.qa_step import run_qa
    from toolkit.qa.flags import CORPUS_CHECKS, PAIRS_FILE_CHECKS
    from toolkit.review.workbench.pairs import pairs_record

    path = tmp_path / "pairs.tsv"
    path.write_text(
        "id\tsource\ttarget\tsource_language\n"
        "1\tMore at https://example.org/a today.\tMore at example.org today.\ten\n"
        "2\tMehr auf https://example.org/a heute.\tMore at example.org today.\tde\n"
        "3\tEr ist 45 Jahre alt.\tHe is 54 years old.\tde\n"
        "4\tDas Haus ist rot.\tThe house is red.\tde\n", encoding="utf-8")
    record = pairs_record(path, "de", "en", Glossary.empty(), ReviewState())
    by_pairs = {s.id: [c for c in s.flags if c not in (*CORPUS_CHECKS, *PAIRS_FILE_CHECKS)]
                for s in record.segments}
    built = record.model_copy(deep=True)
    run_qa(built, Glossary.empty(), BuildConfig())
    assert by_pairs == {s.id: s.flags for s in built.segments}
    assert by_pairs == {"1": [], "2": ["protected"], "3": ["number"], "4": []}


@pytest.mark.parametrize("typed", ["C:\\x41", "\\xz", "a \\x9 b", "end \\x", "\\x9", "\\X9B"])
def test_a_backslash_x_that_is_no_c1_escape_reads_as_typed(typed: str) -> None:
    # A hand-edited cell holding \x41 made every reader of the corpus (status, review, export,
    # build) stop with int('', 16)'s ValueError: the pattern let a lone "x" through as a code.
    from toolkit.corpus.formats import tsv_unescape

    assert tsv_unescape(typed) == typed


def test_the_mojibake_message_quotes_the_bad_part_of_a_text_without_spaces() -> None:
    # The quoted word ran from the last space before the bad character and was cut to 40
    # characters: in Chinese text (no spaces) it quoted the first 40 characters, no mojibake.
    from toolkit.qa.mojibake import mojibake_in

    text = "这是一个没有空格的很长的中文句子" * 4 + "，Ã¤pfel und BÃ¤ume"
    found = mojibake_in(text)
    assert found is not None and "Ã¤" in found[0], found


def test_a_guillemet_before_a_word_is_no_colour_reset(tmp_path: Path) -> None:
    # Windows-1252 ›100m-Finale ... ›mehr read as Latin-1: "\x9bm" of "mehr" counted as the
    # reset, so "100m" and the "m" of "mehr" were removed (a false number flag, no mojibake).
    from toolkit.qa.pairs import read_bilingual
    from toolkit.qa.report import check_pairs

    source = ("Leichtathletik \x9b100m-Finale: Bolt siegt in 9,58 Sekunden. \x9bmehr")
    path = _pairs_file(tmp_path, [("1", source, "Athletics 100m final: Bolt wins in 9.58 "
                                               "seconds. more")])
    pairs = read_bilingual(path, "de")
    assert pairs[0].source == source and pairs[0].control_characters == 0
    [(_, flags)] = check_pairs(pairs, "de", "en", Glossary.empty()).results
    checks = [f.check for f in flags]
    assert "mojibake" in checks and "number" not in checks


def test_a_colour_reset_must_end_where_a_word_does() -> None:
    from toolkit.qa.bilingual import _terminal_colours

    for kept in ("\x9b100m-Finale \x9bmehr", "\x9b31mrot\x9b0mals", "\x9b31mrot\x9bm5",
                 "\x9b31mrot\x9b00m", "\x9b31mrot\x9bmehr \x9b0m"):
        assert _terminal_colours(kept) == (kept, 0)
    assert _terminal_colours("\x9b31mrot\x9b0m.") == ("rot.", 2)


@pytest.mark.parametrize("clean", ["Der Film \u201eAMANH\u00c3\u201c l\u00e4uft heute.",
                                   "The film \u201cAMANH\u00c3\u201d is on today.",
                                   "Sie spielt \u201eIRM\u00c3\u201c.",
                                   "\u201aALEM\u00c3\u2018 ist es."])
def test_a_portuguese_capital_before_a_quote_is_no_mojibake(clean: str) -> None:
    # ftfy reads AMANH\u00c3\u201c as AMANH\u00d3: the row was flagged and left out of export.
    from toolkit.qa.mojibake import check_mojibake

    assert check_mojibake(clean, clean) == []


def test_capital_letters_decoded_wrongly_elsewhere_are_still_mojibake() -> None:
    from toolkit.qa.mojibake import mojibake_in

    assert mojibake_in("Der K\u00c3\u201eSE ist gut.") is not None  # K\u00c4SE
    assert mojibake_in("\u201eAMANH\u00c3\u201c und sch\u00c3\u00b6n") is not None

