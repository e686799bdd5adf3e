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

from toolkit.prepare.sniff_mail import mail_kind

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
# Elements of real pages (not any name: "<Name>", "<tuv>" stay text), with an XML prefix
# as XHTML may write them (<h:p>); a complete tag of one: <p>, <P CLASS="x">, </div>, <br/>,
# an attribute list split over lines (DocBook). A custom element's name has a hyphen, as HTML
# requires of one (<my-app>, <news-story>): a page may be written in nothing else. Its tag
# counts only where the name is closed (see _unclosed_custom_masked): "<Anzeige-Beginn>"
# marker lines around prose are no element. Tag names are case-insensitive, as HTML's are.
_ELEMENT = (
    r"(?:[a-z][a-z0-9]{0,20}:)?"
    r"(?:a|abbr|address|article|aside|audio|b|base|big|blockquote|body|br|button|canvas"
    r"|caption|center|code|col|colgroup|dd|details|dialog|div|dl|dt|em|embed|fieldset"
    r"|figcaption|figure|font|footer|form|frame|frameset|h[1-6]|head|header|hr|html|i|iframe"
    r"|img|input|label|legend|li|link|main|mark|meta|nav|noframes|noscript|object|ol|option|p"
    r"|picture|pre|script|section|select|slot|small|source|span|strong|style|sub|summary|sup"
    r"|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|tt|u|ul|video|wbr"
    r"|[a-z][a-z0-9]{0,20}(?:-[a-z0-9]{1,20}){1,4})"
)
_TAG = rf"</?{_ELEMENT}(?:\s[^<>]{{0,800}})?/?>"
# A page's tags stand where text would have spaces: an article may start with the word
# "<html>" ("<html> ist das erste Tag jeder Webseite") or name "<head> und <body>." at a
# line's start, but a tag that text or another tag follows at once ("<html>\n<body>\n<p>Der
# ...", "<p>Der ...</p>", "<head> <meta ...>") or that ends a line right after text
# ("Der Rat tagte.<br>") is markup.
# What follows such a tag: another tag, the line's end or text, but not a hyphen or a
# punctuation mark, which prose puts after a tag it names ("<div>-Container", "<p>: Absatz").
# A <script> or <style> that text follows is quoted code ("<script>alert(1)</script> - mit
# diesen Zeichen ..."), in a page it is followed by its code and closed before the next tag.
_MARKUP_NEXT = r"(?=[ \t]*<|[^\s\-\u2010-\u2013,.;:!?)\]]|$)"
_OPENS = re.compile(
    rf"[ \t]*(?!<(?:script|style)\b[^<>]*>[ \t]*[^\s<]){_TAG}{_MARKUP_NEXT}", re.I | re.M
)
_PAGE_TAG = re.compile(
    rf"</{_ELEMENT}\s*>|^[ \t]*<{_ELEMENT}(?:\s[^<>]{{0,800}})?/?>{_MARKUP_NEXT}", re.I | re.M
)
_ENDS = re.compile(rf"(?<=\S){_TAG}[ \t]*$", re.I | re.M)
# A tag or a comment (no "--" inside, as HTML wants it: a search that stops early).
_ANY_TAG = re.compile(rf"{_TAG}|<!--(?:[^-]|-[^-])*-->", re.I)
_CLOSES = re.compile(rf"</{_ELEMENT}\s*>\s*$", re.I)
# An element around text, as inline markup writes it (<b>All-in</b>, <a href="...">GPA</a>);
# quoted code (<script>alert(1)</script>) is no evidence.
_PAIR = re.compile(rf"<(?!(?:script|style)\b)({_ELEMENT})(\s[^<>]{{0,800}})?>[^<]+</\1\s*>",
                   re.I)
# A page's end closes the text: "</html>" (or "</body>") as its last line.
_PAGE_END = re.compile(r"^[ \t]*(?:</body\s*>\s*)?</(?:body|html)\s*>\s*\Z", re.I | re.M)
# A page's code: the lines of a <script> or <style> element over several lines.
# (Code holding "<" is left as it is; [^<] keeps the search linear in a crafted file.)
_CODE = re.compile(r"(<(script|style)\b[^<>]*>)([^<]*)(?=</\2\s*>)", re.I)
_BR = re.compile(r"(<br\s*/?>)", re.I)
_SCAN = 1 << 16  # the first 64 KiB decide


def markup_kind(text: str) -> str | None:
    """"an RTF document ...", "an e-mail message (MIME)", "an e-mail message with its
    headers", "an HTML page" or "part of an HTML page" when ``text`` is one, else None.

    An HTML fragment (HTML5 needs no ``<html>``: ``<meta charset="utf-8"><title>..``, a
    ``<body>`` or ``<p>`` paragraphs, lines ending in ``<br>``) is one when it starts with
    a tag that text or another tag follows at once and another page tag comes later, when it
    ends with a line ``</html>``, or when markup makes up the text: lines that are markup
    (see :func:`_markup_share`) hold at least half its characters. Text that quotes markup
    (an ``<html>``/``<body>`` snippet between paragraphs, one ``</body>`` line, an XSS
    article opening with ``<script>alert(1)</script> –``) and prose that names tags
    (``<div>-Container``, a Markdown file with one inline ``<br>``) stay text: BENCHMARKS.md,
    "Markup saved as text", has what the rule refuses in real text and pages.
    """
    lead_end = _MARKUP_LEAD.match(text, 0, 4096)
    start = lead_end.end() if lead_end else 0
    lead = text[start : start + 64].lower()
    if lead.startswith("{\\rtf"):
        return "an RTF document (Word, WordPad)"
    mail = mail_kind(text[start : start + 16384])
    if mail is not None:
        return mail
    # Every rule below needs a tag, so a text without "<" (most news) skips them: exactly the
    # same answer, without the share's line-by-line scan (~5 % of preparing 10kGNAD).
    return _page_kind(text, start, lead) if "<" in text else None


def _page_kind(text: str, start: int, lead: str) -> str | None:
    """:func:`markup_kind`'s HTML rules on ``text`` (markup from ``start``, ``lead`` its
    first 64 characters lower-cased); each needs a ``<`` in ``text``."""
    text = _unclosed_custom_masked(text)
    if lead.startswith("<!doctype html") or (
        lead.startswith("<html") and _PAGE_TAG.search(text, start + 1, _SCAN)
    ):
        return "an HTML page"
    opened = _OPENS.match(text, start, _SCAN)
    if opened and _PAGE_TAG.search(text, opened.end(), _SCAN):
        return "part of an HTML page"
    if _PAGE_END.search(text[-_SCAN:]) or _markup_share(text[:_SCAN]) >= 0.5:
        return "part of an HTML page"
    return None


# A custom element's name (see _ELEMENT), opening or closing. HTML has no void custom element:
# every one a page holds is closed ("<my-app>...</my-app>", "</MY-APP>" too: names are
# case-insensitive), so a name never closed in the text is no element: "<anzeige-beginn>" ...
# "<anzeige-ende>" marker lines around prose (an ad's markers in an exported article) are text.
_CUSTOM_NAME = r"([a-z][a-z0-9]{0,20}(?:-[a-z0-9]{1,20}){1,4})(?=[\s/>])"
_CUSTOM = re.compile(rf"<{_CUSTOM_NAME}", re.I)
_CUSTOM_CLOSED = re.compile(rf"</{_CUSTOM_NAME}", re.I)


def _unclosed_custom_masked(text: str) -> str:
    """``text`` with the ``<`` of each custom element's opening tag whose name no ``</name>``
    closes made ``\u2039`` (the same length: offsets stay), so the page rules read it as
    text. Only the first and last :data:`_SCAN` characters are masked, all the page rules
    read (rewriting every tag of a tag-heavy text of megabytes took seconds)."""
    windows = [text] if len(text) <= 2 * _SCAN else [text[:_SCAN], text[-_SCAN:]]
    opened = {tag.lower() for window in windows for tag in _CUSTOM.findall(window)}
    if not opened:
        return text
    closed = _closed_names(text, opened)
    if opened <= closed:
        return text
    masked = [_CUSTOM.sub(lambda tag: tag[0] if tag[1].lower() in closed
                          else "\u2039" + tag[0][1:], window) for window in windows]
    return masked[0] if len(text) <= 2 * _SCAN else masked[0] + text[_SCAN:-_SCAN] + masked[1]


def _closed_names(text: str, names: set[str]) -> set[str]:
    """Those of the custom element ``names`` (lower case) that ``text`` closes somewhere.
    A few names: one search each for its closing tag (C speed, a literal prefix); many: one
    pass collecting every closing tag's name (a pass that makes a string per closing tag)."""
    if len(names) > 16:
        return {name.lower() for name in _CUSTOM_CLOSED.findall(text)}
    lowered = text.lower()
    return {name for name in names if re.search(rf"</{re.escape(name)}(?=[\s/>])", lowered)}


def _markup_share(text: str) -> float:
    """The share of ``text``'s characters (blank space aside) in lines that are markup, 0.0
    when they hold fewer than two tags. ``<br>`` ends a line. A line is markup when it is
    tags and comments only (a page's script or style code counts as such), starts or ends
    with a tag as :data:`_OPENS` and :data:`_ENDS` read them, starts with a tag and ends
    with a closing one (``<p> Die ... </p>``), or holds two elements around text or one
    with attributes (``<a href="...">GPA</a>``) while more than two thirds of the body's lines
    hold a tag: such lines among untagged ones are sentences quoting markup (``Mit <b>fett</b>
    und <i>kursiv</i> formatiert man Text.`` in a course's article). The body is the lines
    that read as sentences (see :func:`_is_body`), all lines when none does: a headline,
    dateline, byline and "Foto: dpa" do not outvote two linked paragraphs."""
    total = marked = inline = tags = 0
    body = [0, 0]  # body lines, those of them holding a tag
    lines = [0, 0]  # the same over all non-blank lines
    text = _CODE.sub(_commented, text)
    for line in _BR.sub(r"\1\n", text).split("\n"):
        size = len("".join(line.split()))
        total += size
        found = _ANY_TAG.findall(line)
        if size:
            for count in (lines, body) if _is_body(line) else (lines,):
                count[0] += 1
                count[1] += bool(found)
        kind = _markup_line_kind(line.strip()) if found else None
        if kind is not None:
            marked += size if kind == "markup" else 0
            inline += size if kind == "inline" else 0
            tags += len(found)
    read, held = body if body[0] else lines
    # More than two thirds, not half: nothing in a line tells a quoted <b>/<a href> from a
    # page's own, so only the share decides; a course's article quoting tags in two of three
    # sentences (s7attack5) is text, two linked paragraphs out of two are a page's.
    if 3 * held > 2 * read:
        marked += inline
    return marked / total if total and tags >= 2 else 0.0


# A sentence's end: its mark, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201c\u201d\u2019\u00ab\u00bb)\]]*\Z")


def _is_body(line: str) -> bool:
    """Whether a line is the article's body, not a headline, dateline, byline or credit: it
    ends a sentence (its tags aside), or is as long as a wrapped paragraph's lines."""
    words = _ANY_TAG.sub("", line).strip()
    return len(words) > 60 or bool(_SENTENCE_END.search(words))


def _commented(code: re.Match[str]) -> str:
    """A multi-line script or style element with each line of its code made a comment."""
    if "\n" not in code[3]:
        return code[0]  # one line: "<script>alert(1)</script>" quoted in a sentence
    return code[1] + re.sub(r"(?m)^(.+)$", r"<!--\1-->", code[3])


def _markup_line_kind(line: str) -> str | None:
    """"markup" when one stripped line holding a tag is markup by its shape, "inline" when
    only by elements around its text, else None (see :func:`_markup_share`)."""
    if not _ANY_TAG.sub("", line).strip() or _OPENS.match(line) or _ENDS.search(line):
        return "markup"
    if _ANY_TAG.match(line) and _CLOSES.search(line):
        return "markup"
    pairs = list(_PAIR.finditer(line))
    return "inline" if len(pairs) >= 2 or any(pair.group(2) for pair in pairs) else None


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
