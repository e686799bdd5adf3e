"""Hand edits as a user makes them, for the tests of what build, status and the readers say."""

from __future__ import annotations

from pathlib import Path


def edit_cell(corpus: Path, doc: str, english: str, row: int = 1) -> bytes:
    """The English cell of ``doc``'s aligned row ``row`` (the first by default), edited as in
    a spreadsheet; the file's bytes after."""
    path = corpus / "english" / f"{doc}.aligned.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[row].split("\t")
    cells[4] = english
    lines[row] = "\t".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path.read_bytes()
