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
# Elements of real pages (not custom or XML names: "<Name>", "<tuv>" stay text); a complete
# tag of one: <p>, <P CLASS="x">, </div>, <br/>, an attribute list split over lines (DocBook).
_ELEMENT = (
    r"(?:a|article|aside|b|big|blockquote|body|br|button|center|code|dd|div|dl|dt|em|font"
    r"|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|label|li|link|main|meta|nav"
    r"|noscript|ol|option|p|picture|pre|script|section|select|small|source|span|strong|style"
    r"|sub|sup|table|tbody|td|textarea|th|thead|title|tr|tt|u|ul)"
)
_TAG = rf"</?{_ELEMENT}(?:\s[^<>]{{0,800}})?/?>"
# A page's tags stand where text would have spaces: an article may start with the word
# "<html>" ("<html> ist das erste Tag jeder Webseite") or name "<head> und <body>." at a
# line's start, but a tag that text or another tag follows at once ("<html>\n<body>\n<p>Der
# ...", "<p>Der ...</p>", "<head> <meta ...>") or that ends a line right after text
# ("Der Rat tagte.<br>") is markup.
# What follows such a tag: another tag, the line's end or text, but not a hyphen or a
# punctuation mark, which prose puts after a tag it names ("<div>-Container", "<p>: Absatz").
_MARKUP_NEXT = r"(?=[ \t]*<|[^\s\-\u2010-\u2013,.;:!?)\]]|$)"
_OPENS = re.compile(rf"[ \t]*{_TAG}{_MARKUP_NEXT}", re.I | re.M)
_PAGE_TAG = re.compile(
    rf"</{_ELEMENT}\s*>|^[ \t]*<{_ELEMENT}(?:\s[^<>]{{0,800}})?/?>{_MARKUP_NEXT}", re.I | re.M
)
_ENDS = re.compile(rf"(?<=\S){_TAG}[ \t]*$", re.I | re.M)
# A page after something else (a header, an e-mail's MIME part, a pasted source): a line that
# starts it; a page's end on a line of its own.
_PAGE_START = re.compile(rf"^[ \t]*(?:<!doctype html|<html(?:\s[^<>]{{0,800}})?>{_MARKUP_NEXT})",
                         re.I | re.M)
_PAGE_END = re.compile(r"^[ \t]*</(?:body|html)\s*>[ \t]*(?:</html\s*>[ \t]*)?$", re.I | re.M)
_BR = re.compile(r"(<br\s*/?>)", re.I)
_SCAN = 1 << 16  # the first 64 KiB decide


def markup_kind(text: str) -> str | None:
    """"an RTF document ...", "an e-mail message (MIME)", "an HTML page" or "part of an HTML
    page" when ``text`` is one, else None.

    An HTML fragment (HTML5 needs no ``<html>``: ``<meta charset="utf-8"><title>..``, a
    ``<body>`` or ``<p>`` paragraphs, lines ending in ``<br>``) is one when it starts with
    a tag that text or another tag follows at once and another page tag comes later, when
    a line starts a page (``<html>``) or holds only ``</body>``/``</html>``, or when at least
    half its lines (``<br>`` ends one) start or end with such a tag. An e-mail with MIME
    headers is one too. Prose that names tags (``<div>-Container``, a Markdown file with one
    inline ``<br>``) stays text: BENCHMARKS.md, "Markup saved as text", has what the rule
    refuses in real text and pages.
    """
    lead_end = _MARKUP_LEAD.match(text, 0, 4096)
    start = lead_end.end() if lead_end else 0
    lead = text[start:][:64].lower()
    if lead.startswith("{\\rtf"):
        return "an RTF document (Word, WordPad)"
    if _is_mail(text[start : start + 16384]):
        return "an e-mail message (MIME)"
    if lead.startswith("<!doctype html") or (
        lead.startswith("<html") and _PAGE_TAG.search(text, start + 1, _SCAN)
    ):
        return "an HTML page"
    opened = _OPENS.match(text, start, _SCAN)
    if opened and _PAGE_TAG.search(text, opened.end(), _SCAN):
        return "part of an HTML page"
    page = _PAGE_START.search(text, 0, _SCAN)
    if page and _PAGE_TAG.search(text, page.end(), _SCAN):
        return "an HTML page"
    if _PAGE_END.search(text, 0, _SCAN) or _tag_lines(text[:_SCAN]):
        return "part of an HTML page"
    return None


# An e-mail saved with its headers (.eml, an mbox's "From " line first): its parts (the text,
# the HTML, quoted-printable "=3D" and "=" line ends) would be translated as one article.
_HEADER = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")
_MIME_HEADERS = ("mime-version:", "content-type:")


def _is_mail(head: str) -> bool:
    """Whether ``head`` starts with e-mail headers: ``Name: value`` lines (continuations
    indented) up to the first blank line, one of them MIME's (``Content-Type:``)."""
    block, blank, _ = head.replace("\r\n", "\n").partition("\n\n")
    lines = block.split("\n")
    if lines[0].startswith("From "):
        lines = lines[1:]
    if not blank or not all(_HEADER.match(x) or x[:1] in " \t" for x in lines):
        return False
    return any(line.lower().startswith(_MIME_HEADERS) for line in lines)


def _tag_lines(text: str) -> bool:
    """Whether at least two and at least half of the non-blank lines (``<br>`` ends one)
    start or end with a tag, as :data:`_OPENS` and :data:`_ENDS` read them."""
    lines = [line for line in _BR.sub(r"\1\n", text).split("\n") if line.strip()]
    tagged = sum(1 for line in lines if _OPENS.match(line) or _ENDS.search(line))
    return tagged >= 2 and 2 * tagged >= len(lines)


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
