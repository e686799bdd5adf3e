"""Row ids of a pairs file: a row of no document keeps another tool's id as it is
(``11:00`` round-trips), so ``row_id("", "a:b") == row_id("a", "b")``. A file holding both
rows was refused as "repeats id 'a:b'" of two rows that do not repeat each other; the line
names both rows and what to rename. A null document was read as the document "None"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.qa.bilingual import row_id
from toolkit.qa.pairs import QaInputError, read_bilingual


def _jsonl(path: Path, *rows: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_bare_id_and_a_documents_row_spelling_it_are_named_both(tmp_path: Path) -> None:
    assert row_id("", "a:b") == row_id("a", "b")  # other tools' ids are kept as they are
    path = _jsonl(tmp_path / "m.jsonl",
                  {"document": "a", "segment": "b", "source": "Zwei.", "target": "Two."},
                  {"document": "", "segment": "a:b", "source": "Eins.", "target": "One."})
    with pytest.raises(QaInputError) as err:
        read_bilingual(path, "de")
    assert str(err.value) == (
        f"{path}: line 2 (a row of no document, id 'a:b') and line 1 (a row of document 'a') "
        "spell the same row id; rename the id of line 2")


def test_rows_of_no_document_and_of_documents_live_together(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "m.jsonl",
                  {"document": "", "segment": "11:00", "source": "Eins.", "target": "One."},
                  {"document": "a", "segment": "p1.s1", "source": "Zwei.", "target": "Two."},
                  {"document": None, "segment": "12:00", "source": "Drei.", "target": "Three."})
    pairs = read_bilingual(path, "de")
    assert [(p.id, p.document) for p in pairs] == [
        ("11:00", None), ("a:p1.s1", "a"), ("12:00", None)]


def test_a_null_segment_or_id_is_none(tmp_path: Path) -> None:
    # {"document": "5", "segment": null} had the id "5:None", {"id": null} the id "None".
    path = _jsonl(tmp_path / "n.jsonl",
                  {"document": "5", "segment": None, "source": "Eins.", "target": "One."},
                  {"document": "5", "segment": None, "id": "s2", "source": "Zwei.",
                   "target": "Two."},
                  {"id": None, "source": "Drei.", "target": "Three."})
    assert [p.id for p in read_bilingual(path, "de")] == ["5:1", "5:s2", "3"]


def _tmx(path: Path, *units: str) -> Path:
    """A TMX of ``units`` (each the inside of a ``<tu>``: its attributes and props)."""
    body = "".join(f'<tu {unit}<tuv xml:lang="de"><seg>Satz {n}.</seg></tuv>'
                   f'<tuv xml:lang="en"><seg>Sentence {n}.</seg></tuv></tu>\n'
                   for n, unit in enumerate(units, start=1))
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header '
                    f'srclang="de"/><body>\n{body}</body></tmx>\n', encoding="utf-8")
    return path


def test_a_bare_tuid_and_a_toolkit_units_id_are_named_both(tmp_path: Path) -> None:
    # Read as two rows of one id: the workbench acted on the first for either, and
    # export --pairs wrote both under document 'a'.
    path = _tmx(tmp_path / "m.tmx", 'tuid="a:b">',
                '><prop type="x-document">a</prop><prop type="x-segment">b</prop>')
    with pytest.raises(QaInputError) as err:
        read_bilingual(path)
    assert str(err.value) == (
        f"{path}: <tu> number 1 (tuid 'a:b') (a row of no document, id 'a:b') and <tu> number 2 "
        "(a row of document 'a') spell the same row id; rename the id of <tu> number 1 "
        "(tuid 'a:b')")


@pytest.mark.parametrize(("units", "needle"), [
    (('tuid="x">', 'tuid="y">', 'tuid="x">'),
     "<tu> number 3 (tuid 'x') repeats id 'x' of <tu> number 1 (tuid 'x'); ids must be unique"),
    # A unit without a tuid is named by its number: "2" is a tuid's too.
    (('tuid="2">', '>'), "<tu> number 2 repeats id '2' of <tu> number 1 (tuid '2')"),
])
def test_a_repeated_tuid_is_one_line_naming_both_units(
    tmp_path: Path, units: tuple[str, ...], needle: str
) -> None:
    path = _tmx(tmp_path / "r.tmx", *units)
    with pytest.raises(QaInputError) as err:
        read_bilingual(path)
    assert str(err.value).startswith(f"{path}: {needle}") and "\n" not in str(err.value)
    assert str(err.value).endswith("rename one")


def test_the_toolkits_own_tmx_is_read_with_its_ids(tmp_path: Path) -> None:
    # Its tuid and its x-document/x-segment spell one id: no repeat.
    path = _tmx(tmp_path / "own.tmx",
                'tuid="a:b"><prop type="x-document">a</prop><prop type="x-segment">b</prop>',
                'tuid="a:c"><prop type="x-document">a</prop><prop type="x-segment">c</prop>')
    assert [(p.id, p.document) for p in read_bilingual(path)] == [("a:b", "a"), ("a:c", "a")]
