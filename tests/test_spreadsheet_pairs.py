"""Pairs files and their corrections sidecars re-saved by a spreadsheet mean what they say.

A spreadsheet (LibreOffice, Excel) or Python's ``csv`` module with the ``excel-tab`` dialect
quotes a cell holding ``"``, a tab or a line break and doubles the quotes inside. Such a
sidecar's English was applied with its quotes, a quoted source with ``source_sha256`` left
empty matched no row (silently), a quoted cell holding a line break was split, and
``export --pairs`` counted one document for a file of several. The files below are written
the way those writers write them, from real UD German-PUD pairs.
"""

from __future__ import annotations

import csv
import io
import json
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.corrections import (
    CORRECTION_COLUMNS,
    Correction,
    CorrectionsError,
    parse_review_state,
    render_corrections,
)
from toolkit.corpus.formats import read_tsv_table
from toolkit.pipeline.provenance import sha256_text
from toolkit.qa.pairs import QaInputError, read_bilingual

# UD German-PUD (/work/shared/data/pud-dev/de_en.dev.tsv): n01001011 holds „…“ and “…”,
# n01026004 and n01041018 straight quotes in their English.
PUD = [
    ("n01001011", "„Ein Großteil des digitalen Übergangs ist für die Vereinigten Staaten neu, "
     "ein friedlicher Machtwechsel hingegen nicht“, schrieb Obamas Sonderberaterin Kori "
     "Schulman am Montag in einem Blogeintrag.", "“While much of the digital transition is "
     "unprecedented in the United States, the peaceful transition of power is not,” Obama "
     "special assistant Kori Schulman wrote in a blog post Monday."),
    ("n01026004", "Heute Nacht nutzen wir Fernlicht für unsere Strafmaßnahmen, ist in dem "
     "Eintrag zu lesen.", '"Tonight we are carrying out punishments using a high beam," the '
     "post reads."),
    ("n01041018", "Ärzte haben diese Mittel nicht, sie haben nur einen Rezeptblock und eine "
     "Spritze, sagte Mailis.", '"Physicians don\'t have these tools, they have only a '
     'prescription pad and an injection," Mailis said.'),
]

# How each writer saves a TSV: Excel and the csv module's excel-tab dialect (CRLF, a cell
# quoted only where it must be), LibreOffice (LF; and with "Quote all text cells").
WRITERS = {
    "excel-tab": {"dialect": "excel-tab"},
    "libreoffice": {"dialect": "excel-tab", "lineterminator": "\n"},
    "libreoffice-quote-all": {"dialect": "excel-tab", "lineterminator": "\n",
                              "quoting": csv.QUOTE_ALL},
}


def _save(rows: list[list[str]], writer: str) -> str:
    out = io.StringIO()
    csv.writer(out, **WRITERS[writer]).writerows(rows)  # type: ignore[arg-type]
    return out.getvalue()


def _resave(text: str, writer: str) -> str:
    """A TSV the toolkit wrote, opened in a spreadsheet and saved again."""
    return _save([cells for _, cells in read_tsv_table(text)], writer)


def _pairs_file(tmp_path: Path) -> Path:
    path = tmp_path / "pud.tsv"
    path.write_text("id\tde\ten\n" + "".join("\t".join(r) + "\n" for r in PUD), encoding="utf-8")
    return path


def _export(path: Path) -> tuple[list[dict], list[str]]:
    args = ["export", "--pairs", str(path), "--src", "de", "--format", "jsonl", "-o", "-",
            "--include-flagged"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr.splitlines()


# Human English holding straight quotes, a comma and non-ASCII: what a spreadsheet quotes.
FIXES = ['"Hello, ""world"""', '"Tonight we use high beams for our punishments," the post '
         'says.', "Doctors lack these means – they have a prescription pad and a syringe, "
         'Mailis said: "Ärzte".']


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("with_sha", [True, False], ids=["sha", "sha-left-empty"])
def test_a_sidecar_resaved_by_a_spreadsheet_applies_the_english_as_written(
    tmp_path: Path, writer: str, with_sha: bool
) -> None:
    # Before: the English was applied with the spreadsheet's quotes ('"Tonight ..."" the post
    # says."'), and with source_sha256 left empty a quoted source matched no row, silently.
    path = _pairs_file(tmp_path)
    rows = [Correction(sha256_text(src) if with_sha else "", src, fix, "anna",
                       "2026-12-01T10:00:00Z") for (_, src, _), fix in zip(PUD, FIXES, strict=True)]
    sidecar = tmp_path / "pud.tsv.corrections.tsv"
    sidecar.write_text(_resave(render_corrections(rows), writer), encoding="utf-8")
    assert '"""' in sidecar.read_text(encoding="utf-8")  # quoted as the writer quotes
    units, stderr = _export(path)
    assert [(u["source"], u["target"], u["origin"]) for u in units] == [
        (src, fix, "human") for (_, src, _), fix in zip(PUD, FIXES, strict=True)
    ]
    assert not [line for line in stderr if "orphan" in line]


def test_a_correction_that_matches_no_row_is_named_by_export_pairs(tmp_path: Path) -> None:
    # Before: dropped without a word (exit 0, "exported 3 segments").
    path = _pairs_file(tmp_path)
    gone = "Der Satz ist nicht mehr in der Datei."
    rows = [Correction("", PUD[1][1], "Fixed.", "anna", "t"), Correction("", gone, "Gone.")]
    (tmp_path / "pud.tsv.corrections.tsv").write_text(render_corrections(rows), "utf-8")
    units, stderr = _export(path)
    assert [u["target"] for u in units] == [PUD[0][2], "Fixed.", PUD[2][2]]
    orphans = [line for line in stderr if "orphan" in line]
    assert orphans == [
        f"warning: orphan correction 1 of 1: {path}.corrections.tsv: "
        f'{sha256_text(gone)[:12]} "{gone}" (no row of pud.tsv has this source sentence; '
        "not applied: edit or delete the row)"
    ]


def test_review_serve_names_a_correction_that_matches_no_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: the workbench showed the file as if the sidecar row did not exist.
    import toolkit.review.workbench.launch as launch

    monkeypatch.setattr(launch, "serve", lambda store, **kw: None)
    path = _pairs_file(tmp_path)
    gone = "Der Satz ist nicht mehr in der Datei."
    (tmp_path / "pud.tsv.corrections.tsv").write_text(
        render_corrections([Correction("", gone, "Gone.", "anna", "t")]), "utf-8")
    said: list[str] = []
    launch.run_workbench(path, host="127.0.0.1", port=0, packages_dir=None, glossary_path=None,
                         author="ana", echo=said.append, languages=("de", "en"), no_glossary=True)
    assert [line for line in said if "orphan" in line] == [
        f"warning: orphan correction 1 of 1: {path}.corrections.tsv: "
        f'{sha256_text(gone)[:12]} "{gone}" (no row of pud.tsv has this source sentence; '
        "not applied: edit or delete the row)"
    ]


def test_a_resaved_sidecar_with_a_typed_row_that_cannot_be_told_is_one_line() -> None:
    # A row typed into the re-saved file: '"Ja", sagte er.' is no spreadsheet's quoting.
    text = _resave(render_corrections([Correction("", PUD[1][1], FIXES[1])]), "libreoffice")
    text += '\t"Ja", sagte er.\tYes, he said.\t\t\n'
    with pytest.raises(CorrectionsError) as err:
        parse_review_state(text, "p.tsv.corrections.tsv")
    message = str(err.value)
    assert message.startswith("p.tsv.corrections.tsv: line 2 is quoted as a spreadsheet")
    assert "line 3 has a quote that is part of the text; re-save" in message
    assert "\n" not in message


def test_a_sidecar_the_toolkit_wrote_is_read_as_it_stands() -> None:
    # Literal quotes at both ends of a cell are text where no cell is spreadsheet-quoted.
    row = Correction("", "Er sagte: „Wir schaffen das.“", '"We will manage."', "anna", "t")
    assert parse_review_state(render_corrections([row])).rows == [
        Correction(sha256_text(row.source), row.source, row.english, "anna", "t")
    ]


# -- a quoted cell holding a line break ----------------------------------------------------------

BROKEN = [("n1", "Erste Zeile\nzweite Zeile mit „Anführung“.", 'First line\n"second" line.'),
          ("n2", "Übergang:\n\n# kein Kommentar", "Transition:\n\n# no comment"),
          ("n3", "Spalte\teins", "Column\tone")]


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_quoted_cell_holding_a_line_break_is_one_cell(tmp_path: Path, writer: str) -> None:
    # Before: split into two rows (refused, naming the wrong cause, or read wrongly).
    path = tmp_path / "lines.tsv"
    path.write_text(_save([["id", "de", "en"], *map(list, PUD), *map(list, BROKEN)], writer),
                    encoding="utf-8")
    assert [(p.id, p.source, p.target) for p in read_bilingual(path, "de")] == [*PUD, *BROKEN]


def test_a_plain_file_whose_cells_hold_line_breaks_is_read_by_its_cells(tmp_path: Path) -> None:
    # No header, every row two lines: the file's width is its rows', not its lines'.
    paragraphs = [(f"{a[1]}\n{b[1]}", f"{a[2]}\n{b[2]}") for a, b in pairwise(PUD)]
    path = tmp_path / "plain.tsv"
    path.write_text(_save([list(p) for p in paragraphs], "libreoffice"), encoding="utf-8")
    assert [(p.source, p.target) for p in read_bilingual(path, "de")] == paragraphs


def test_a_line_break_in_a_resaved_sidecar_cell_is_one_cell(tmp_path: Path) -> None:
    # A reviewer's Alt+Enter in the spreadsheet: the English is one line, as every value is.
    rows = [["source_sha256", "source", "english", "author", "time"],
            ["", PUD[0][1], "While much of it\n\n# is new, “the peaceful” one is not.", "a",
             "t"]]
    state = parse_review_state(_save(rows, "excel-tab"))
    assert [r.english for r in state.rows] == [
        "While much of it # is new, “the peaceful” one is not."
    ]


def test_a_quotation_over_several_rows_of_a_file_read_as_it_stands_is_kept(
    tmp_path: Path
) -> None:
    # News quotes run over sentences: an opening quote in one row and the closing one rows
    # later are text, not one quoted cell joining the rows between.
    rows = [("n1", "Er sagte: „Wir werden gewinnen.", '"We will win.'),
            ("n2", "Daran gibt es keinen Zweifel.", "There is no doubt about it."),
            ("n3", "Niemand hält uns auf.“", 'Nobody will stop us."')]
    path = tmp_path / "literal.tsv"
    path.write_text("id\tde\ten\n" + "".join("\t".join(r) + "\n" for r in rows), "utf-8")
    assert [(p.id, p.source, p.target) for p in read_bilingual(path, "de")] == rows


def test_a_quote_that_never_closes_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "open.tsv"
    path.write_text(_save([["id", "de", "en"], *map(list, PUD)], "libreoffice")
                    + 'n9\t"Wir schaffen das.\tWe will manage.\n', encoding="utf-8")
    with pytest.raises(QaInputError) as err:
        read_bilingual(path, "de")
    assert "line 5 has a quote that is part of the text" in str(err.value)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_quoted_cell_whose_lines_also_read_as_rows_is_one_cell_in_a_quoted_file(
    tmp_path: Path, writer: str
) -> None:
    # Written by the csv module: row n2's quoted source holds a tab and a line break, and its
    # two lines are also rows of three cells each. Session 7 refused the file ("lines 4-5 read
    # both as one row ... and as 2 rows"); read line by line, the quote that opens line 4
    # would be text in a file a writer quoted, which no writer does: it is one cell.
    rows = [["id", "de", "en"], ["n1", "Eins\nzwei", "One"], ["n2", 'x;\tJa\n', 'Ja"",""\t'],
            ["n3", "Spalte\teins\nzwei\tdrei", "Column"]]
    path = tmp_path / "both.tsv"
    path.write_text(_save(rows, writer), encoding="utf-8", newline="")
    assert [[p.id, p.source, p.target] for p in read_bilingual(path, "de")] == rows[1:]


def test_a_lone_quoted_cell_with_doubled_quotes_over_rows_is_never_read_as_it_stands(
    tmp_path: Path
) -> None:
    # csv-written, the one quoted cell holds "" and a line break, and its lines are rows of
    # the file's width: it was read as two rows, silently (id 'Ja"'), then refused.
    path = tmp_path / "one.tsv"
    path.write_text(_save([["id", "source", "target"], ["1", 'Ja""\t\nJa', "\t"]],
                          "libreoffice"), encoding="utf-8")
    assert [(p.id, p.source, p.target) for p in read_bilingual(path, "de")] == [
        ("1", 'Ja""\t\nJa', "\t")]


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_windows_line_end_inside_a_quoted_cell_is_kept(tmp_path: Path, writer: str) -> None:
    # The file's \r\n were made \n before its cells were read: the cell came back changed.
    rows = [["id", "de", "en"], ["n1", "Zeile eins\r\nZeile zwei", "Line one\nline two"],
            ["n2", "Ein Satz.", "One sentence."]]
    path = tmp_path / "crlf.tsv"
    path.write_text(_save(rows, writer), encoding="utf-8", newline="")
    assert [[p.id, p.source, p.target] for p in read_bilingual(path, "de")] == rows[1:]


@pytest.mark.parametrize(("header", "escapes"), [("id\tsource\ttarget", False),
                                                 ("segment_id\tsource\ttarget", True)])
def test_a_row_of_the_wrong_width_names_what_the_reader_accepts(
    tmp_path: Path, header: str, escapes: bool
) -> None:
    # Before: "tabs inside text are not allowed", though a quoted cell holding a tab (and,
    # in the toolkit's own TSVs, a \t) is read.
    path = tmp_path / "wide.tsv"
    path.write_text(f"{header}\nn1\tEin\tSatz.\tOne.\n", encoding="utf-8")
    with pytest.raises(QaInputError) as err:
        read_bilingual(path, "de")
    message = str(err.value)
    assert message.endswith('its cell quoted ("…", quotes inside doubled)')
    assert "not allowed" not in message and (r"\t or \n" in message) == escapes
    quoted = _save([["id", "source", "target"], ["n1", "Ein\tSatz.", "One."]], "libreoffice")
    path.write_text(quoted, encoding="utf-8")
    assert [p.source for p in read_bilingual(path, "de")] == ["Ein\tSatz."]


def test_a_sidecar_row_of_the_wrong_width_names_both_ways_to_keep_a_tab() -> None:
    with pytest.raises(CorrectionsError) as err:
        parse_review_state("\t".join(CORRECTION_COLUMNS) + "\n\tEin\tSatz.\tOne." + "\t" * 7
                           + "\n", "x.corrections.tsv")
    assert str(err.value).endswith(r'written as \t or \n, or its cell quoted ("…", quotes '
                                   "inside doubled)")


# -- documents counted ---------------------------------------------------------------------------


def test_export_pairs_counts_the_documents_a_file_holds(tmp_path: Path) -> None:
    # Before: "exported 3 segments from 1 document" for rows of two documents.
    path = tmp_path / "two.tsv"
    path.write_text("document\tid\tsource\ttarget\n" + "".join(
        f"{doc}\t{sid}\t{src}\t{tgt}\n"
        for doc, (sid, src, tgt) in zip(("pud", "pud", "news"), PUD, strict=True)
    ), encoding="utf-8")
    units, stderr = _export(path)
    assert sorted({u["document"] for u in units}) == ["news", "pud"]
    assert stderr[0] == "exported 3 segments from 2 documents to standard output"


def test_qa_of_a_pairs_file_applies_its_sidecar(tmp_path: Path) -> None:
    # qa checked the file as it stood: a row the reviewer corrected was still flagged (the
    # workbench and export --pairs apply the sidecar), a dismissed flag still shown, and a
    # sidecar row that matches no row not named.
    path = tmp_path / "p.tsv"
    path.write_text("id\tde\ten\nn1\tDer Rat tagte 5 mal.\tThe council met 7 times.\n"
                    "n2\tDas Haus ist alt.\tThe house is old.\n"
                    "n3\tEs kamen 12 Leute.\tThere came 13 people.\n", encoding="utf-8")
    code, out = _qa(path)
    assert "2 pairs flagged" in out.replace("3 pairs, 2 flagged", "2 pairs flagged")
    gone = "Der Satz ist nicht mehr in der Datei."
    rows = [Correction("", "Der Rat tagte 5 mal.", "The council met 5 times.", "anna", "t"),
            Correction("", "Es kamen 12 Leute.", "", "anna", "t", "dismiss", "number", "ok"),
            Correction("", gone, "Gone.", "anna", "t")]
    (tmp_path / "p.tsv.corrections.tsv").write_text(render_corrections(rows), "utf-8")
    code, out = _qa(path)
    assert code == 0 and "3 pairs, 0 flagged" in out, out
    assert f"toolkit: {path}.corrections.tsv: applied 1 correction and 1 dismissed flag" in out
    assert f'orphan correction 1 of 1: {path}.corrections.tsv: {sha256_text(gone)[:12]} "' in out


def _qa(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["qa", str(path), "--src", "de", "--no-glossary"])
    return result.exit_code, result.output
