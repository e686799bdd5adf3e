"""U+2028 and U+2029 in the toolkit's TSVs: escaped as ``\\u2028``/``\\u2029``, the way C1 is
``\\x85`` (one table, :mod:`toolkit.corpus.formats`), so a reader splitting lines with
``str.splitlines`` gets one row a line, and the toolkit's own reader gets the text back."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.formats import (
    LINE_SEPARATORS,
    read_tsv_table,
    render_tsv_table,
    tsv_escape,
    tsv_unescape,
)
from toolkit.qa.pairs import read_bilingual

ROWS = [("Erste Zeile\u2028zweite Zeile.", "First line\u2028second line."),
        ("Absatz eins.\u2029Absatz zwei.", "Paragraph one.\u2029Paragraph two."),
        ("Er wartete\x85 und ging.", "He waited\x85 and left."),
        ("Das Haus ist rot.", "The house is red.")]


def test_the_unicode_separators_are_escaped_and_read_back() -> None:
    # Written raw, splitlines() cut the row in two.
    assert tsv_escape("a\u2028b\u2029c\x85d") == "a\\u2028b\\u2029c\\x85d"
    assert tsv_unescape("a\\u2028b\\u2029c\\x85d") == "a\u2028b\u2029c\x85d"
    assert not set(LINE_SEPARATORS) & set(tsv_escape(LINE_SEPARATORS))


@pytest.mark.parametrize("typed", ["\\u2028", "C:\\u2029x", "\\\\u2028", "\\x85 \\u2028"])
def test_a_typed_backslash_u2028_reads_back_as_typed(typed: str) -> None:
    # The backslash is written \\, so the text \u2028 a user typed is no escape in the file.
    assert tsv_unescape(tsv_escape(typed)) == typed
    assert "\u2028" not in tsv_unescape(tsv_escape(typed))


@pytest.mark.parametrize("other", ["\\u2027", "\\u202e", "\\U2028", "\\u202", "\\u"])
def test_a_backslash_u_that_is_no_separator_escape_stays_as_it_is(other: str) -> None:
    assert tsv_unescape(other) == other


def test_a_tsv_table_with_separators_keeps_one_row_a_line_for_splitlines() -> None:
    text = render_tsv_table(("source", "target"), ROWS)
    lines = text.splitlines()
    assert len(lines) == 1 + len(ROWS)
    assert [tuple(tsv_unescape(c) for c in line.split("\t")) for line in lines[1:]] == ROWS
    assert [tuple(tsv_unescape(c) for c in cells) for _, cells in read_tsv_table(text)[1:]] \
        == ROWS


def test_a_tsv_export_of_separator_rows_is_aligned_and_read_back_as_written(
    tmp_path: Path,
) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("id\tsource\ttarget\n" + "".join(
        f"{n}\t{src}\t{tgt}\n" for n, (src, tgt) in enumerate(ROWS, start=1)), encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = CliRunner().invoke(cli, ["export", "--pairs", str(pairs), "--src", "de", "--format",
                                      "tsv", "--include-flagged", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert not set(LINE_SEPARATORS) & set(written)
    assert len(written.splitlines()) == 1 + len(ROWS)
    assert [(p.source, p.target) for p in read_bilingual(out)] == ROWS
