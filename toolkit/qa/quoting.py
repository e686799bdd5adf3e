'''Spreadsheet quoting in a pairs TSV: decoded when the file is quoted, refused when unclear.

A spreadsheet (or Python's ``csv`` module) saving a TSV wraps a cell holding ``"`` in quotes
and doubles the quotes inside: ``"Tonight," the post reads.`` is saved as
``"""Tonight,"" the post reads."``. Read literally, 19 of the 300 PUD pairs kept those
quotes and ``qa`` flagged none of them. The toolkit's own TSVs never quote a cell (they escape
tab, newline and backslash with a backslash), so a cell there may start with a quote that is
text: the German ``"Wir schaffen das."``. The rule, per file:

* **quoted** (decoded): some cell is ``"…"`` with doubled quotes inside (a writer had to
  quote it; read literally it would start with three quotes), or every text cell is
  ``"…"`` (a writer that quotes all cells);
* **literal** (read as it is): no such cell -- a cell may start or end with a quote;
* **ambiguous** (refused in one line): a quoted file by the first rule that also has a cell no
  quoting writer makes: one starting with a quote that does not close at its end
  (``"Ja", sagte er.``), or ``"…"`` without a comma, semicolon or quote inside where not
  every cell is quoted.

A quoted cell holding a tab or a line break is read as separate cells (and then reported as a
row with the wrong number of fields): such a cell has no place in a pairs file.
'''

from __future__ import annotations

import re
from pathlib import Path

from toolkit.qa.bilingual import QaInputError

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

Rows = list[tuple[int, list[str]]]
"""(line number, cells) of TSV rows, as :func:`toolkit.corpus.formats.read_tsv_table` reads them."""


def _kind(cell: str) -> str:
    """``doubled``: quoted with ``""`` inside; ``quoted``: ``"…"`` a writer may have made
    (a comma or semicolon inside); ``bare``: ``"…"`` no writer quotes; ``open``: starts
    with a quote that does not close at the end; ``text``: a text cell not quoted; ``""``:
    empty or a number (a writer that quotes all text cells may leave them bare)."""
    match = _QUOTED.fullmatch(cell)
    if match is not None:
        inner = match.group(1)
        if '""' in inner:
            return "doubled"
        return "quoted" if ("," in inner or ";" in inner or inner != inner.strip()) else "bare"
    if cell.startswith('"'):
        return "open"
    return "" if not cell.strip() or _NUMBER.fullmatch(cell.strip()) else "text"


def unquote_spreadsheet_cells(path: Path, rows: Rows) -> Rows:
    """``rows`` with spreadsheet quoting undone where the file is quoted, as they are where it
    is literal; :class:`QaInputError` where it cannot be told (see the module's docstring)."""
    first: dict[str, int] = {}
    for lineno, cells in rows:
        for cell in cells:
            if '"' in cell or "text" not in first:
                first.setdefault(_kind(cell), lineno)
    all_quoted = "text" not in first and bool({"doubled", "quoted", "bare"} & set(first))
    if "doubled" not in first and not all_quoted:
        return rows
    odd = [first[k] for k in (("open",) if all_quoted else ("open", "bare")) if k in first]
    if odd:
        quoted = (f'line {first["doubled"]} is quoted as a spreadsheet saves it ("" inside "…")'
                  if "doubled" in first else "every cell is quoted")
        raise QaInputError(
            f"{path}: {quoted} but line {min(odd)} has a quote that is part of the text; "
            "re-save the file with every cell quoted, or with none"
        )
    return [(lineno, [unquote_cell(c) for c in cells]) for lineno, cells in rows]


def unquote_cell(cell: str) -> str:
    """``cell`` without a spreadsheet's quoting (``"…"``, inner ``""``), if it has it.

    >>> unquote_cell('"Er sagte ""Nein""."'), unquote_cell("Ja.")
    ('Er sagte "Nein".', 'Ja.')
    """
    match = _QUOTED.fullmatch(cell)
    return match.group(1).replace('""', '"') if match is not None else cell


__all__ = ["unquote_cell", "unquote_spreadsheet_cells"]
