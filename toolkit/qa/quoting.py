'''Spreadsheet quoting in a pairs TSV: decoded when the file is quoted, refused when unclear.

A spreadsheet (or Python's ``csv`` module) saving a TSV wraps a cell holding ``"`` in quotes
and doubles the quotes inside: ``"Tonight," the post reads.`` is saved as
``"""Tonight,"" the post reads."``. Read literally, 19 of the 300 PUD pairs kept those
quotes and ``qa`` flagged none of them. The toolkit's own TSVs never quote a cell (they escape
tab, newline and backslash with a backslash), so a cell there may start with a quote that is
text: the German ``"Wir schaffen das."``. The rule, per file:

* **quoted** (decoded): some cell is ``"…"`` with doubled quotes, a tab or a line break
  inside (a writer had to quote it; read literally it would start with three quotes or be
  split), or every text cell is ``"…"`` (a writer that quotes all cells);
* **literal** (read as it is): no such cell -- a cell may start or end with a quote;
* **ambiguous** (refused in one line): a quoted file by the first rule that also has a cell no
  quoting writer makes: one starting with a quote that does not close at its end
  (``"Ja", sagte er.``), or ``"…"`` without a comma, semicolon or quote inside where not
  every cell is quoted.

A quoted cell runs to its closing quote, across tabs and line breaks, as RFC 4180 and
spreadsheets write it: ``"Zeile eins<LF>Zeile zwei"`` is one cell holding a line break (it
was split into two rows), and a ``\r\n`` inside it stays as written. Where the lines such a
cell covers are also rows of the file's width (a tab and a line break inside, placed just
so), the rest of the file decides: quoted by a writer (by the first rule), or the cell has
quotes doubled, it is one cell (a writer never leaves a cell starting with a quote
unquoted); otherwise the lines are rows, as written (a quotation over several sentences,
opening in one row and closing rows later). Corrections sidecars
(:mod:`toolkit.corpus.corrections`) are read by the same rule, so a re-saved sidecar means
what a re-saved pairs file means.
'''

from __future__ import annotations

import re
from collections import Counter
from itertools import accumulate
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.qa.bilingual import QaInputError

_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_CELL = re.compile(r'"(?:[^"]|"")*"(?=\t|\r?\n|\Z)|(?:[^\t\n\r]|\r(?!\n))*')
"""One cell where quoting is read: ``"…"`` up to its closing quote (which ends the cell),
tabs and line breaks included, a ``\r\n`` inside kept as written; otherwise up to the next
tab or line end (``\n`` or ``\r\n``). The two branches inside never match at the same
character, so an unclosed quote costs linear time."""
_WHY = {"doubled": '"" inside "…"', "spans": 'a tab or line break inside "…"'}
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

Rows = list[tuple[int, list[str]]]
"""(line number, cells) of TSV rows, as :func:`toolkit.corpus.formats.read_tsv_table` reads them."""


def _kind(cell: str) -> str:
    """``doubled``: quoted with ``""`` inside; ``spans``: quoted with a tab or a line break
    inside (a writer had to quote both); ``quoted``: ``"…"`` a writer may have made (a comma
    or semicolon inside); ``bare``: ``"…"`` no writer quotes; ``open``: starts with a quote
    that does not close at the end; ``text``: a text cell not quoted; ``""``: empty or a
    number (a writer that quotes all text cells may leave them bare)."""
    match = _QUOTED.fullmatch(cell)
    if match is not None:
        inner = match.group(1)
        if "\t" in inner or "\n" in inner:
            return "spans"
        if '""' in inner:
            return "doubled"
        return "quoted" if ("," in inner or ";" in inner or inner != inner.strip()) else "bare"
    if cell.startswith('"'):
        return "open"
    return "" if not cell.strip() or _NUMBER.fullmatch(cell.strip()) else "text"


def read_spreadsheet_table(
    path: Path, text: str, *, hand_edited: bool = False, error: type[ToolkitError] = QaInputError
) -> Rows:
    """The rows of TSV ``text`` as :func:`~toolkit.corpus.formats.read_tsv_table` reads them
    (``hand_edited`` as there), with spreadsheet quoting undone where the file is quoted;
    ``error`` (one line naming ``path``, the lines and the fix) where it cannot be told
    (see the module's docstring). The one place a quoted cell is given a meaning."""
    from toolkit.corpus.formats import read_tsv_table, tsv_text

    rows = read_tsv_table(tsv_text(text), hand_edited=hand_edited)
    first, opens = _kinds(rows)
    records, text_quote, both = _with_spans(text, rows, opens) if opens else (rows, None, None)
    if both is not None and not both[1] and not _writer_quoted(
            _kinds([row for row in rows if row[0] not in both[0]])[0]):
        # Lines that read both as rows and as one quoted cell, in a file no writer quoted
        # elsewhere: a quotation over several rows, read as it stands. Where a writer
        # quoted the file, a cell it did not quote never starts with a quote: one cell.
        records = rows
    if records is not rows:
        first = _kinds(records)[0]
    forced = [first[k] for k in ("doubled", "spans") if k in first]
    all_quoted = _all_quoted(first)
    if not forced and not all_quoted:
        return rows
    odd = [first[k] for k in (("open",) if all_quoted else ("open", "bare")) if k in first]
    if odd:
        kind = "doubled" if first.get("doubled") == min(forced, default=-1) else "spans"
        quoted = (f"line {first[kind]} is quoted as a spreadsheet saves it ({_WHY[kind]})"
                  if forced else "every cell is quoted")
        line = text_quote or min(odd)
        raise error(
            f"{path}: {quoted} but line {line} has a quote that is part of the text; "
            "re-save the file with every cell quoted, or with none"
        )
    return [(lineno, [unquote_cell(c) for c in cells]) for lineno, cells in records]


def _kinds(rows: Rows) -> tuple[dict[str, int], set[int]]:
    """The first line of each kind of cell (:func:`_kind`), and the lines with an open cell."""
    first: dict[str, int] = {}
    opens: set[int] = set()
    for lineno, cells in rows:
        for cell in cells:
            if '"' in cell or "text" not in first:
                kind = _kind(cell)
                first.setdefault(kind, lineno)
                if kind == "open":
                    opens.add(lineno)
    return first, opens


def _with_spans(
    text: str, rows: Rows, opens: set[int]
) -> tuple[Rows, int | None, tuple[set[int], bool] | None]:
    """``rows`` (read line by line) with each quoted cell that holds a tab or a line break read
    as one cell (RFC 4180), where every such reading makes a row of the file's width.
    Otherwise ``rows``, and second the line of the quote that is text: it closes in another
    row (a quotation over several sentences of a file read as it stands would join whole
    rows into one cell). ``opens``: the lines with a cell that opens a quote it does not
    close (only those can start such a cell). Third, where some such cell covers lines that
    are rows of the file's width either way: those lines, and whether a writer's quoting
    shows in them (another quoted cell of the file holds a line break that its lines do
    not read as rows, or one of them has quotes doubled inside); the caller decides."""
    text = text.removeprefix("\ufeff")  # a cell keeps its \r\n as written
    # Line n starts at lengths[n - 1] + n - 1 (the line breaks before it).
    lengths = list(accumulate(map(len, text.split("\n")), initial=0))
    spans: dict[int, tuple[list[str], int]] = {}  # first line -> (cells, last line)
    last = 0  # the last line read as part of a row
    for n in sorted(opens):
        if n <= last:
            continue  # inside a quoted cell of the row before
        cells = _record(text, lengths[n - 1] + n - 1)
        last = n + sum(cell.count("\n") for cell in cells)
        if any(c[:1] == '"' and _kind(c) == "spans" for c in cells):
            spans[n] = (cells, last)
    if not spans:
        return rows, None, None
    by_line = dict(rows)
    width = _width(by_line, spans)
    for n, (cells, _) in spans.items():
        if len(cells) != width:
            return rows, n, None  # its quote is text: it closes in another row
    both = [n for n, (_, last) in spans.items()
            if all(len(by_line.get(k, ())) == width for k in range(n, last + 1))]
    lines = {k for n in both for k in range(n, spans[n][1] + 1)}
    doubled = any('""' in c[1:-1] for n in both for c in spans[n][0] if c[:1] == '"')
    out: Rows = []
    last = 0
    for n, cells in rows:
        if n in spans:
            cells, last = spans[n]
        elif n <= last:
            continue  # an empty line or "#" inside a quoted cell is text, not a row
        out.append((n, cells))
    return out, None, (lines, len(both) < len(spans) or doubled) if both else None


def _writer_quoted(first: dict[str, int]) -> bool:
    """Whether cells of these kinds (:func:`_kinds`) show a writer's quoting: a cell it had
    to quote (quotes doubled, a tab or line break inside), or every text cell quoted."""
    return bool({"doubled", "spans"} & set(first)) or _all_quoted(first)


def _all_quoted(first: dict[str, int]) -> bool:
    """Whether every text cell of these kinds (:func:`_kinds`) is quoted ("quote all")."""
    return "text" not in first and bool({"doubled", "quoted", "bare"} & set(first))


def _width(by_line: dict[int, list[str]], spans: dict[int, tuple[list[str], int]]) -> int:
    """How many cells most rows have when ``spans`` are read as rows (the lines they cover
    not counted): a file's width, whether it has a header or not."""
    widths = Counter(map(len, by_line.values()))
    for n, (cells, last) in spans.items():
        widths.subtract(len(by_line[k]) for k in range(n, last + 1) if k in by_line)
        widths[len(cells)] += 1
    return widths.most_common(1)[0][0]


def _record(text: str, pos: int) -> list[str]:
    """The cells of the row starting at ``pos``, each quoted cell read to its closing quote,
    across tabs and line breaks; cells keep their quotes."""
    cells = []
    while True:
        cell = _CELL.match(text, pos).group()  # type: ignore[union-attr]  # always matches
        cells.append(cell)
        pos += len(cell)
        if pos >= len(text) or text[pos] in "\r\n":  # \r only before \n (_CELL)
            return cells
        pos += 1  # the tab


def cell_break_fix(escapes: bool = False) -> str:
    """How a tab or line break is kept inside a cell, as the readers take it: the one wording
    for a row with too many or too few cells. ``escapes``: the file's cells are unescaped
    (``\\t``, ``\\n``: the toolkit's own TSVs and corrections sidecars).

    >>> cell_break_fix()
    'a tab or line break inside text needs its cell quoted ("…", quotes inside doubled)'
    """
    escaped = "to be written as \\t or \\n, or " if escapes else ""
    return (f"a tab or line break inside text needs {escaped}its cell quoted "
            '("…", quotes inside doubled)')


def unquote_cell(cell: str) -> str:
    """``cell`` without a spreadsheet's quoting (``"…"``, inner ``""``), if it has it.

    >>> unquote_cell('"Er sagte ""Nein""."'), unquote_cell("Ja.")
    ('Er sagte "Nein".', 'Ja.')
    """
    match = _QUOTED.fullmatch(cell)
    return match.group(1).replace('""', '"') if match is not None else cell


__all__ = ["cell_break_fix", "read_spreadsheet_table", "unquote_cell"]
