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
        "spell the same row id; rename line 2's id")


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
