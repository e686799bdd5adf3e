"""Counted nouns for messages: ``1 document``, ``2 documents``.

Every summary line the toolkit prints goes through :func:`plural`, so a count of one
never reads "1 documents".
"""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` followed by ``word``, or by its plural (``many``, default ``word + "s"``).

    >>> plural(1, "document"), plural(0, "document"), plural(2, "entry", "entries")
    ('1 document', '0 documents', '2 entries')
    """
    return f"{count} {word if count == 1 else (many or word + 's')}"


__all__ = ["plural"]
