"""A document reviewed in the terminal: two wrapped columns (source | English) sized to the
terminal, ANSI bold and colour only when asked (the CLI asks when stdout is a terminal, or
with ``--color=always``).

Example::

    records = load_documents(Path("corpus"), ["000_de546ec99307b48e"])
    print(render_terminal(records[0], TerminalStyle(width=120, color=False)))
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.plural import plural
from toolkit.qa.summary import flagged_segments, is_flagged
from toolkit.review.rows import (
    REMOVED,
    ReviewOrder,
    TermSpan,
    flag_details,
    flag_text,
    model_pair,
    ordered,
    removed_label,
    term_spans,
    visible_bidi,
    waits_for_model,
    with_removed,
)
from toolkit.review.stale import NOT_CURRENT, stale_note, state_fields
from toolkit.schema import BoilerplateHit, DocumentRecord, Segment

_RESET = "\x1b[0m"
_TERM = "\x1b[1;36m"  # bold cyan
_ERROR = "\x1b[1;31m"
_WARNING = "\x1b[33m"
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"
_MIN_COLUMN = 12


@dataclass(frozen=True)
class TerminalStyle:
    """How :func:`render_terminal` lays out a document."""

    width: int = 100
    color: bool = False
    only_flagged: bool = False
    sort: ReviewOrder = "document"
    """``confidence``: least sure first (machine rows by ascending confidence, then the rest
    in document order), with each row's confidence shown and no paragraph rules."""


def cell_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for a wide (CJK, most emoji) character, 0 for a
    combining mark or a format character, else 1.

    >>> cell_width("Tokyo"), cell_width("東京"), cell_width("e\u0301")
    (5, 4, 1)
    """
    return sum(_char_cells(ch) for ch in text)


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap as ``(start, end)`` slices of ``text``, each at most ``width``
    terminal columns wide (:func:`cell_width`: a CJK character takes two).

    Offsets (not strings) let highlighting computed on the whole sentence carry over to the
    wrapped lines. A word wider than ``width`` is cut (never inside a character).
    """
    width = max(width, 1)
    cells = [0]
    for ch in text:
        cells.append(cells[-1] + _char_cells(ch))
    lines: list[tuple[int, int]] = []
    start = end = -1
    for word in re.finditer(r"\S+", text):
        ws, we = word.span()
        if start >= 0 and cells[we] - cells[start] <= width:
            end = we
            continue
        if start >= 0:
            lines.append((start, end))
        while cells[we] - cells[ws] > width:
            cut = ws + 1  # at least one character per line, however wide
            while cut < we and cells[cut + 1] - cells[ws] <= width:
                cut += 1
            lines.append((ws, cut))
            ws = cut
        start, end = ws, we
    if start >= 0:
        lines.append((start, end))
    return lines or [(0, 0)]


def _paint(text: str, start: int, end: int, spans: Sequence[TermSpan], color: bool) -> str:
    """``text[start:end]`` with the parts inside glossary spans in bold colour."""
    if not color:
        return text[start:end]
    out, pos = [], start
    for span in spans:
        a, b = max(span.start, start), min(span.end, end)
        if a >= b:
            continue
        out += [text[pos:a], _TERM, text[a:b], _RESET]
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def _column(text: str, spans: Sequence[TermSpan], width: int, color: bool) -> list[str]:
    """A sentence wrapped to ``width`` and padded to it, highlighted."""
    return [
        _paint(text, a, b, spans, color) + " " * (width - cell_width(text[a:b]))
        for a, b in wrap_offsets(text, width)
    ]


def _style(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def render_terminal(
    record: DocumentRecord,
    style: TerminalStyle = TerminalStyle(),
    stale: str = "",
    state: tuple[str, str] | None = None,
) -> str:
    """One document as two wrapped columns (source | English), a rule at each paragraph;
    a paragraph the build removed as boilerplate stands where it was, marked as removed.

    ``stale``: why a build would now write the document differently
    (:mod:`toolkit.review.stale`); the header then says ``NOT CURRENT`` and the reason
    follows it, so a reader of the pager (where stderr's warning scrolled away) sees it."""
    color = style.color
    ids = [s.id for s in record.segments] or ["id"]
    layout = _Layout(style, max(len(i) for i in ids))
    lines = _header_lines(record, layout, stale, state)
    last_paragraph = None
    waiting = waits_for_model(record)
    shown = 0
    for row in with_removed(record, ordered(record.segments, style.sort), style.sort):
        if isinstance(row, BoilerplateHit):
            lines += _removed_lines(row, layout)
            continue
        seg = row
        # A row waiting for a model needs attention too: "only flagged" keeps it.
        if style.only_flagged and not is_flagged(seg) and not (waiting and seg.english is None):
            continue
        shown += 1
        if style.sort == "document" and seg.paragraph != last_paragraph:
            label = f"── ¶ {seg.paragraph} "
            rule = "─" * max(0, layout.id_width + 6 + 2 * layout.column - len(label))
            lines.append(_style(label + rule, _DIM, color))
            last_paragraph = seg.paragraph
        lines += _pair_lines(record, seg, layout)
        lines += _note_lines(seg, layout)
    if style.only_flagged and not shown:
        lines.append(_style("nothing flagged in this document", _DIM, color))
    return "\n".join(lines) + "\n"


def _header_lines(
    record: DocumentRecord, layout: _Layout, stale: str, state: tuple[str, str] | None
) -> list[str]:
    """The document's header, why it is not current, its state's line (status's,
    :func:`~toolkit.review.stale.state_fields`), the column titles."""
    style = layout.style
    color = style.color
    src_lang = record.language.language
    flagged = flagged_segments(record.segments)  # as qa and status count them
    shown = state_fields(record, {record.document: state} if state else {})
    removed = len(record.cleaning.boilerplate)
    header = (
        f"== {record.document}  {NOT_CURRENT + ', ' if stale else ''}"
        f"{src_lang}→{record.target_language}, "
        f"{plural(len(record.segments), 'segment')}, {flagged} flagged, "
        + (f"{plural(removed, 'paragraph')} {REMOVED}, " if removed else "")
        + (model_pair(record) if waits_for_model(record) else f"status {shown['status']}")
    )
    lines = [_style(header[a:b], _BOLD, color) for a, b in wrap_offsets(header, style.width)]
    notes = [stale_note(stale)] if stale else []
    for message in notes + ([shown["message"]] if shown["message"] else []):
        wrapped = wrap_offsets(message, style.width)
        lines += [_style(message[a:b], _WARNING, color) for a, b in wrapped]
    lines.append(
        " " * layout.id_width
        + layout.sep
        + f"source ({src_lang})".ljust(layout.column)
        + layout.sep
        + record.target_language
    )
    return lines


def _removed_lines(hit: BoilerplateHit, layout: _Layout) -> list[str]:
    """A paragraph the build removed: a rule saying so, its text (dimmed) beside a dash."""
    color, column = layout.style.color, layout.column
    label = f"── {removed_label(hit)} "
    lines = [_style(label + "─" * max(0, layout.id_width + 6 + 2 * column - len(label)),
                    _WARNING, color)]  # fmt: skip
    text = visible_bidi(hit.text)
    for i, left in enumerate(_column(text, [], column, False)):  # padded by terminal cells
        left = _style(left, _DIM, color)
        right = _style("—", _DIM, color) if i == 0 else ""
        lines.append(" " * layout.id_width + layout.sep + left + layout.sep + right)
    return lines


@dataclass(frozen=True)
class _Layout:
    """Column widths of one document's table."""

    style: TerminalStyle
    id_width: int

    @property
    def column(self) -> int:
        return max(_MIN_COLUMN, (self.style.width - self.id_width - 6) // 2)

    @property
    def sep(self) -> str:
        return _style(" │ ", _DIM, self.style.color)

    @property
    def indent(self) -> str:
        return " " * (self.id_width + 3)


def _pair_lines(record: DocumentRecord, seg: Segment, layout: _Layout) -> list[str]:
    """The source and English of ``seg`` side by side, wrapped, terms highlighted."""
    color, column = layout.style.color, layout.column
    visible = visible_bidi(seg.source)
    source = _column(visible, term_spans(visible, seg.glossary, "source"), column, color)
    if seg.english is None and waits_for_model(record):
        english = [_style(model_pair(record)[:column].ljust(column), _WARNING, color)]
    elif seg.english is None:
        english = [_style("—".ljust(column), _DIM, color)]
    else:
        visible = visible_bidi(seg.english)
        english = _column(visible, term_spans(visible, seg.glossary, "english"), column, color)
    lines = []
    for i in range(max(len(source), len(english))):
        left = source[i] if i < len(source) else " " * column
        right = english[i] if i < len(english) else ""
        width = layout.id_width
        label = _style(seg.id.ljust(width), _DIM, color) if i == 0 else " " * width
        lines.append((label + layout.sep + left + layout.sep + right).rstrip())
    return lines


def _note_lines(seg: Segment, layout: _Layout) -> list[str]:
    """Under a row: its confidence (sorted by it), QA flags, dismissals, who corrected it."""
    style, indent = layout.style, layout.indent
    color = style.color
    lines = []
    if style.sort == "confidence" and seg.origin == "machine" and seg.confidence is not None:
        lines.append(indent + _style(f"confidence {seg.confidence:.4f}", _DIM, color))
    for flag, severity, message in flag_details(seg):
        code = {"error": _ERROR, "info": _DIM}.get(severity, _WARNING)
        text = f"⚑ {flag_text(flag, message)} [{severity}]"
        for a, b in wrap_offsets(text, max(_MIN_COLUMN, style.width - len(indent))):
            lines.append(indent + _style(text[a:b], code, color))
    for q in seg.qa:  # dismissed flags stay visible, with the reviewer's reason
        if q.dismissed is not None:
            why = f"✓ {q.check} dismissed: {q.dismissed.get('reason', '')}"
            lines.append(indent + _style(why, _DIM, color))
    if seg.correction is not None:
        who = seg.correction.get("author") or "unknown"
        when = seg.correction.get("time") or "?"
        verb = "accepted" if seg.origin == "accepted" else "corrected"
        lines.append(indent + _style(f"✎ {verb} by {who}, {when}", _DIM, color))
    return lines


__all__ = ["TerminalStyle", "render_terminal", "wrap_offsets"]
