r"""What kind of file an original is, before it is decoded: binary, markup or wide text.

Each answer is a name for the user's one-line error ("a PDF document", "an HTML page",
``utf-16-le``), never a guess acted on: :mod:`toolkit.prepare.decode` refuses the file, and
names the ``--encoding`` that would read wide text without a byte-order mark.

    >>> binary_kind(b"%PDF-1.4 ..."), markup_kind("{\\rtf1\\ansi Hallo}")
    ('a PDF document', 'an RTF document (Word, WordPad)')
    >>> bomless_wide_codec("Hallo".encode("utf-16-le"))
    'utf-16-le'
"""

from __future__ import annotations

import re

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.argosmodel)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def binary_kind(data: bytes, wide: bool = False) -> str | None:
    """A human name for the kind of binary file, or None if the bytes may be text.

    ``wide``: the user named UTF-16/32, whose text is full of NUL bytes; only magic numbers count.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if wide:
        return None
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    # Control bytes other than tab/newline/carriage return/form feed are rare in text
    # in any encoding; more than 10% of them means this is not an article. Counted by
    # deleting them (C speed) rather than a Python loop over every byte.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if head and controls / len(head) > 0.10:
        return "binary data (control bytes)"
    return None


# Documents whose text is markup, saved as .txt: decoded, their markup would be translated
# as article text (``{\rtf1\ansi ...``, ``<p>``, a page's script and style). What may come
# before the first tag: a BOM, blank space, an XML declaration (XHTML), comments (a browser's
# ``<!-- saved from url=... -->``).
_MARKUP_LEAD = re.compile(r"(?:[\s\ufeff]+|<\?xml[^>]{0,200}\?>|<!--.{0,500}?-->)*", re.S)
# An article may start with the word "<html>" ("<html> ist das erste Tag jeder Webseite"): a
# page also closes its elements, or (HTML5 may leave them open) starts a line with one that
# text or another tag follows at once: "<html>\n<body>\n<p>Der ..." is a page; "... Danach
# folgt <head>." and "<head> und <body>." at a line's start are still text.
_PAGE_TAG = re.compile(
    r"</(?:html|head|body|title|p|div|script|style)\s*>"
    r"|^[ \t]*<(?:head|body|p|div|script|style|meta|title|link|table|h[1-6])(?:\s[^>\n]*)?>"
    r"(?=$|\S)",
    re.I | re.M,
)


def markup_kind(text: str) -> str | None:
    """"an RTF document ..." or "an HTML page" when ``text`` is one, else None."""
    lead_end = _MARKUP_LEAD.match(text, 0, 4096)
    lead = text[lead_end.end() if lead_end else 0 :][:64].lower()
    if lead.startswith("{\\rtf"):
        return "an RTF document (Word, WordPad)"
    if lead.startswith("<!doctype html") or (
        lead.startswith("<html") and _PAGE_TAG.search(text, 0, 1 << 16)
    ):
        return "an HTML page"
    return None


def bomless_wide_codec(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` if ``data`` reads as such text with no
    BOM, else None.

    Western text in UTF-16 has a NUL byte in every other position (the high byte of each
    ASCII or Latin-1 letter), in UTF-32 two or three NULs in every four; binary files do
    not. Only named in the error, never guessed: the user confirms with ``--encoding``.
    A text of two characters is enough (a short UTF-16 file was called "binary data").
    """
    head = data[:8192]
    for codec, unit, zeros, letter in _WIDE_LAYOUTS:
        if len(head) < 2 * unit or len(data) % unit:
            continue
        units = len(head) // unit
        high = [head[i::unit] for i in zeros]
        low = head[letter::unit]
        if all(col.count(0) >= 0.9 * units for col in high) and 0 not in low:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if all(ch.isprintable() or ch in "\t\r\n" for ch in text):
                return codec
    return None


_WIDE_LAYOUTS = (  # codec, code unit, its bytes NUL in Western text, its low byte
    ("utf-32-le", 4, (2, 3), 0),
    ("utf-32-be", 4, (0, 1), 3),
    ("utf-16-le", 2, (1,), 0),
    ("utf-16-be", 2, (0,), 1),
)


__all__ = ["binary_kind", "bomless_wide_codec", "markup_kind"]
