"""``\\u2028`` and ``\\x85`` are read back as U+2028 and NEL only in a TSV whose header is
exactly one the toolkit writes (attack 10d): a hand-made TSV with a ``segment_id`` column
about JSON that typed ``\\u2028`` had it read as an invisible line separator (Moses then left
the row out as holding one). Backslash, tab, newline and CR escapes are read in both."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.corpus.formats import (
    ALIGNED_COLUMNS,
    TRANSLATE_COLUMNS,
    TSV_COLUMNS,
    render_tsv_table,
    toolkit_header,
    tsv_unescape,
)
from toolkit.qa.pairs import read_bilingual

TYPED = "Do not use \\u2028 or \\x85 raw in JSON strings."


def test_a_hand_made_segment_id_tsv_keeps_typed_separator_escapes(tmp_path: Path) -> None:
    path = tmp_path / "sp.tsv"
    path.write_text(
        "segment_id\tsource\ttarget\n"
        f"1\tVerwende \\u2028 nicht roh.\t{TYPED}\n"
        "2\tZwei\\tSpalten\\\\u2028.\tTwo\\ncolumns.\n",
        encoding="utf-8",
    )
    pairs = read_bilingual(path, "de")
    assert [(p.source, p.target) for p in pairs] == [
        ("Verwende \\u2028 nicht roh.", TYPED),
        ("Zwei\tSpalten\\u2028.", "Two\ncolumns."),
    ]


@pytest.mark.parametrize("header", [TSV_COLUMNS, TRANSLATE_COLUMNS, ALIGNED_COLUMNS])
def test_the_toolkits_own_tsv_round_trips_separators_and_typed_text(
    tmp_path: Path, header: tuple[str, ...]
) -> None:
    """Written by the toolkit (every backslash escaped): a raw U+2028/NEL comes back, and
    text typed ``\\u2028`` (a backslash in the cell) comes back as that text."""
    cells = {"segment_id": "s1", "source": "Eins\u2028zwei\x85drei", "target": TYPED,
             "english": TYPED, "document": "d", "file": "d.txt", "source_language": "de",
             "origin": "machine", "paragraph": "1", "sentence": "1"}
    row = [cells.get(column, "") for column in header]
    path = tmp_path / "own.tsv"
    path.write_text(render_tsv_table(header, [row]), encoding="utf-8")
    (pair,) = read_bilingual(path, "de")
    assert (pair.source, pair.target) == ("Eins\u2028zwei\x85drei", TYPED)


def test_only_the_headers_the_toolkit_writes_are_its_own() -> None:
    assert toolkit_header(list(TSV_COLUMNS)) and not toolkit_header(["segment_id", "source"])
    assert tsv_unescape("a\\u2028b\\x85c\\td", separators=False) == "a\\u2028b\\x85c\td"
    assert tsv_unescape("a\\u2028b\\x85c\\td") == "a\u2028b\x85c\td"
