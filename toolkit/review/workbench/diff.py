"""The word diff the workbench shows of a corrected row: what the reviewer changed in the
machine English."""

from __future__ import annotations

import difflib
import re

_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> list[list[str]]:
    """Word-level diff of ``after`` against ``before``: ``[op, text]`` with op ``=``, ``-``
    or ``+``, in reading order (whitespace travels with the words)."""
    a, b = _WORDS.findall(before), _WORDS.findall(after)
    out: list[list[str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(["=", "".join(a[i1:i2])])
            continue
        if i2 > i1:
            out.append(["-", "".join(a[i1:i2])])
        if j2 > j1:
            out.append(["+", "".join(b[j1:j2])])
    return out


__all__ = ["word_diff"]
