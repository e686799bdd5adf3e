"""Counts and sizes for messages: ``1 document``, ``2 documents``, ``3.2 MB``.

Every summary line the toolkit prints goes through :func:`plural`, so a count of one
never reads "1 documents"; every file size through :func:`byte_size`, so a small limit
never reads "0.0 MB".
"""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` followed by ``word``, or by its plural (``many``, default ``word + "s"``).

    >>> plural(1, "document"), plural(0, "document"), plural(2, "entry", "entries")
    ('1 document', '0 documents', '2 entries')
    """
    return f"{count} {word if count == 1 else (many or word + 's')}"


def byte_size(size: float) -> str:
    """A size in bytes as a message shows it, with the digits that tell sizes apart.

    >>> byte_size(1), byte_size(3000), byte_size(8_000_000), byte_size(2_500_000_000)
    ('1 byte', '3,000 bytes', '8.0 MB', '2.50 GB')
    """
    if size < 1e6:
        return f"{int(size):,} {'byte' if int(size) == 1 else 'bytes'}"
    return f"{size / 1e6:.1f} MB" if size < 1e9 else f"{size / 1e9:.2f} GB"


__all__ = ["byte_size", "plural"]
