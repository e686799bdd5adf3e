"""Whether a text holds any character of a set, and where: ``re`` on short texts, a numpy
table on long ones, both answering from the one set of code points a class pattern names.

Cleaning asks three such questions of every line, on each pass: does it hold a character
ftfy's table-driven steps act on (:mod:`toolkit.prepare.ftfy_noop`), one the normalization
table's character steps replace (:mod:`toolkit.prepare.clean`), one that can anchor ftfy's
mojibake pattern (``badness_witness().single``)? ``re`` scans a character class at ~10-20 ns
a character whatever the class (a 2,600-character news article: ~35-70 µs a scan); looking
every code point up in a 1.1 MB table of the class costs a handful of numpy calls and ~1 ns
a character, so texts of :data:`LONG` characters or more take the table. Both answers come
from the same code points (the table is built by parsing the pattern, which must be one
class of literals and ranges), and ``tests/test_charscan.py`` checks them against each other.
"""

from __future__ import annotations

import re

import numpy as np

LONG = 256
"""Texts at least this long are looked up in the table; shorter ones scanned by ``re``
(below it the numpy calls cost more than the scan)."""
CHUNK = 1 << 16
"""Characters looked up at a time: a long text costs ~13 bytes a character of it while
looked up (its code points, as indices, and the answers), so a huge one is taken in pieces."""
_CODE_POINTS = 0x110000


class CodePoints:
    """The set of code points one ``re`` character class matches (``[...]`` of literals and
    ranges, no negation, categories or flags: anything else is refused when built)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._table: np.ndarray | None = None

    def table(self) -> np.ndarray:
        """One bool per code point, True where the class matches (built on first use, ~1 ms).

        No lock: two threads building it at once build the same table, and a lock held by
        another thread when a build's pool forks its workers would stay held in them."""
        table = self._table
        if table is None:
            table = self._table = _class_table(self.pattern)
        return table

    def search(self, text: str) -> bool:
        """Whether ``text`` holds a character of the set (``pattern.search(text)``)."""
        if len(text) < LONG:
            return self.pattern.search(text) is not None
        table = self.table()
        return any(table.take(code_points(text, i)).any() for i in range(0, len(text), CHUNK))

    def positions(self, text: str) -> list[int]:
        """Where ``text`` holds a character of the set, in order (each match's start)."""
        if len(text) < LONG:
            return [m.start() for m in self.pattern.finditer(text)]
        table, found = self.table(), []
        for i in range(0, len(text), CHUNK):
            found += (np.flatnonzero(table.take(code_points(text, i))) + i).tolist()
        return found


def code_points(text: str, start: int = 0) -> np.ndarray:
    """The code point of each of the :data:`CHUNK` characters of ``text`` from ``start`` (a
    lone surrogate as its own value)."""
    piece = text[start : start + CHUNK]
    return np.frombuffer(piece.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def _class_table(pattern: re.Pattern[str]) -> np.ndarray:
    from re import _parser as sre  # type: ignore[attr-defined]

    if pattern.flags & ~re.UNICODE:
        raise ValueError(f"charscan: {pattern.pattern!r} has flags; only a plain class is read")
    tree = sre.parse(pattern.pattern, pattern.flags).data
    if len(tree) != 1 or tree[0][0] not in (sre.IN, sre.LITERAL):
        raise ValueError(f"charscan: {pattern.pattern!r} is not one character class")
    op, arg = tree[0]
    items = [(op, arg)] if op is sre.LITERAL else arg
    table = np.zeros(_CODE_POINTS, dtype=bool)
    for kind, value in items:
        if kind is sre.LITERAL:
            table[value] = True
        elif kind is sre.RANGE:
            table[value[0] : value[1] + 1] = True
        else:  # NEGATE, CATEGORY (\w, \s): not read here
            raise ValueError(f"charscan: {pattern.pattern!r} holds {kind}, not a literal or range")
    return table
