"""The ``mojibake`` check of a pairs file: text decoded in the wrong code page (``Ã¤`` for
``ä``, ``â€ž`` for ``„``, ``Ð¿`` or ``п╟`` for Cyrillic, ``\\x9b`` for ``›``).

A pairs file is the user's data: it is read as written and never repaired (a C1 character is
kept, :mod:`toolkit.qa.bilingual`), so without this check its mojibake went through QA, the
workbench and ``export --pairs`` unflagged. A build's text needs no such check: cleaning
repairs mojibake with ftfy before anything reads it.

The rule is a round trip. Mojibake is UTF-8 read in a single-byte code page, so each
character UTF-8 wrote with 2-4 bytes became 2-4 non-ASCII characters; written back in that
page, their bytes are well-formed UTF-8. A clean text's non-ASCII characters almost never
are (``ä`` alone is a lead byte with nothing after it). For each page of :data:`READINGS`,
characters *repair* when their bytes are a UTF-8 sequence of a character some text uses:
from three or more bytes, any assigned one (CJK, ``„``); from two, one that an 8-bit Windows
or ISO-8859 page holds (``ä``, ``ж``, ``ש``), not ``Ɇ`` or a combining ``U+0346`` (the clean
``JOSÉ†``, ``MARTÍ†``). A text is mojibake when, in one page, the characters that repair
are at least one and either they are all of its non-ASCII characters that page can write,
or at least :data:`ENOUGH` (two repaired characters, or one from four bytes) and at least
as many as the rest: a clean word beside them makes one two-character repair too weak a
sign (the Portuguese ``„AMANHÃ“``: ``Ó``), and a long clean text has many words, so a few
repair by chance (Russian ``её`` written in KOI8-R is UTF-8 for ``ţ``, Ukrainian ``дії``
in Windows-1251 for the CJK ``䳿``). Partial mojibake (one broken word in
clean text: ``ProtoÅ¾e`` in a Czech sentence) is ftfy's reading as before
(:func:`_ftfy_reading`), with the round trip's test of what the repair adds. A C1 control
character is always flagged: it is no text in any language. Measured, not assumed: the
threshold was chosen on the UD development files and checked on the test files
(BENCHMARKS.md, "Mojibake in pairs files").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

from toolkit.corpus.paths import shown_name
from toolkit.qa.flags import qa_flag
from toolkit.schema import QaFlag

READINGS = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "cp1251": "Windows-1251",
            "koi8-r": "KOI8-R", "cp437": "DOS code page 437", "mac_roman": "Mac Roman"}
"""The code pages UTF-8 is read in by mistake that the check undoes, in the order it names
them (Windows-1252 first: ``Ã¤`` reads as ``ä`` in Windows-1252 and in Latin-1)."""

ENOUGH = 4
"""Repaired characters that flag a text which also holds clean non-ASCII text (if they are
as many as the clean ones). Chosen on the UD development files (TUNE), before the share
was asked for: 3 flagged 5 clean Ukrainian sentences (``дії``), 4 none; the share was
added when the held-out files gave two more (BENCHMARKS.md has both tables)."""

_TEXT_PAGES = ("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256",
               "cp1257", "cp1258", *(f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9,
                                                               10, 13, 14, 15, 16)))
"""Pages whose characters count as text some language writes (ISO-8859-16 for Romanian's
``ș`` and ``ț``, which Windows-1250 lacks)."""

_C1_NOTE = (" (a C1 control character: in the toolkit's TSVs \\x80-\\x9f spell one, and a "
            "backslash is \\\\)")
"""Said of a C1 character, which a hand-typed ``D:\\x86_tools`` gives too (README)."""

_C1 = re.compile("[\x80-\x9f]")
# A capital word's Ã before a closing quote (Portuguese AMANHÃ“, IRMÃ”, ALEMÃ‘): ftfy reads
# Ã“ as Ó, but in capitals followed by no letter it is more likely clean text.
_CAPITAL_A_TILDE_QUOTE = re.compile("(?<=[A-Z\u00c0-\u00de])\u00c3[\u201a\u201e\u2039\u2018"
                                    "\u2019\u201c\u201d\u203a](?![^\\W_])")
_TWO = re.compile("[^\x00-\x7f]{2}")
_SHOWN = 40
"""At most this many characters of the text around the mojibake go into the message."""


def check_mojibake(source: str, target: str | None) -> list[QaFlag]:
    """One flag for each side whose text reads as mojibake, naming the word, the mistake and
    its repair (``source has 'Ã¤pfel' ... UTF-8 read as Windows-1252: it reads 'äpfel'``);
    a C1 character is spelled as escaped (``D:\\x86_tools``), as a pairs TSV writes it, and
    its reading is ftfy's (``\\x9b`` is Windows-1252's ``›`` read as Latin-1, no UTF-8).

    >>> [f.message[:44] for f in check_mojibake("Vier Ã¤pfel.", "Four apples.")]
    ["mojibake: source has 'Ã¤pfel.', text decoded"]
    """
    flags = []
    for side, text in (("source", source), ("target", target or "")):
        found = mojibake_in(text)
        if found is None:
            continue
        word, fixed = (shown_name(part) for part in found[:2])
        if found[2] is not None:
            reading = f" (UTF-8 read as {READINGS[found[2]]}: it reads '{fixed}')"
        else:
            reading = f" (ftfy reads '{fixed}')" if fixed != word else ""
        # A C1 that is no part of a UTF-8 sequence (ftfy's reading as long): maybe typed.
        alone = found[2] is None and len(found[1]) == len(found[0]) and _C1.search(found[0])
        c1 = _C1_NOTE if alone else ""
        flags.append(qa_flag("mojibake", f"{side} has '{word}', text decoded in the "
                                         f"wrong code page{reading}; kept as written{c1}"))
    return flags


def mojibake_in(text: str) -> tuple[str, str, str | None] | None:
    """The words around the first mojibake in ``text``, their repair and the code page of
    :data:`READINGS` the repair undoes (None for a C1 character, repaired by ftfy), or None
    when there is none (ASCII never has any)."""
    if text.isascii():
        return None
    c1 = _C1.search(text)
    reading = _reading(text)
    if reading is None or c1 is not None:
        span = _ftfy_reading(text) if c1 is None else (c1.start(), c1.end())
        if span is None:
            return None
        from ftfy import fix_encoding

        first = min((found[0][0] for page in READINGS if (found := _repairs(text, page)[0])),
                    default=span[0])
        word = _word(text, min(first, span[0]), span[1])
        return word, fix_encoding(word), None
    page, (at, end, _) = reading
    word = _word(text, at, end)
    fixed = list(word)
    for start, stop, char in reversed(_repairs(word, page)[0]):
        fixed[start:stop] = [char]
    return word, "".join(fixed), page


def _word(text: str, at: int, end: int) -> str:
    """The words of ``text`` from the one holding ``at`` to the one holding ``end - 1``: from
    the word's start, but never so far back that the cut to :data:`_SHOWN` characters loses
    the bad part (a text without spaces: Chinese, a long URL)."""
    start = max(text.rfind(" ", 0, at) + 1, at - _SHOWN // 2)
    stop = text.find(" ", end)
    return text[start:stop if stop >= 0 else len(text)][:_SHOWN]


def _reading(text: str) -> tuple[str, tuple[int, int, str]] | None:
    """The first page of :data:`READINGS` in which ``text`` reads as mojibake (the module's
    rule) and its first repair, or None."""
    if _TWO.search(text) is None:  # UTF-8 read in any page: 2+ non-ASCII characters in a row
        return None
    for page in READINGS:
        repairs, total = _repairs(text, page)
        count = sum(stop - start for start, stop, _ in repairs)
        if count and (count == total or count >= max(ENOUGH, total - count)):
            return page, repairs[0]
    return None


def _ftfy_reading(text: str) -> tuple[int, int] | None:
    """Where ftfy finds mojibake in a text the round trip does not flag (partial mojibake:
    one ``KdyÅ¾`` in clean Czech), or None: ftfy's test (``is_bad``) finds a suspect and
    its repair (``fix_encoding``) makes the text less bad (ftfy's ``badness``) by adding only
    characters the round trip counts as text (not ftfy's guess ``Ɇ`` for ``JOSÉ†``), and not
    one letter from a capital word's ``Ã`` and a closing quote, which is Portuguese
    (``„AMANHÃ“``: ``AMANHÓ``). The round trip alone found half as many one-word mojibake
    texts as ftfy (BENCHMARKS.md)."""
    from ftfy import fix_encoding
    from ftfy.badness import BADNESS_RE, badness

    match = BADNESS_RE.search(text)
    fixed = fix_encoding(text) if match else text
    if match is None or fixed == text or badness(fixed) >= badness(text):
        return None
    added = "".join((Counter(fixed) - Counter(text)).elements())
    if not all(map(_text_char, added)) or (len(added) == 1 and any(
            text[:m.start()] + added + text[m.end():] == fixed
            for m in _CAPITAL_A_TILDE_QUOTE.finditer(text))):
        return None
    return match.start(), match.end()


_UTF8 = re.compile(b"(?:[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
                   b"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
                   b"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                   b"|\xf4[\x80-\x8f][\x80-\xbf]{2})+")
"""Stretches of well-formed UTF-8 sequences of two to four bytes (RFC 3629: no overlong form,
no surrogate)."""


def _repairs(text: str, page: str) -> tuple[list[tuple[int, int, str]], int]:
    """Where ``text`` written in ``page`` holds UTF-8 that reads as text (see the module
    docstring): the start and end of each such stretch of characters and what it reads as;
    and how many of its non-ASCII characters the page can write (the only ones a misreading
    in it can have made: Chinese text beside Windows-1252 mojibake is neither evidence for
    nor against it). A character the page lacks is written as ``?``, so it ends a stretch
    (``，Ã¤`` in Chinese text; ``„Ã¤`` in Windows-1252 is one too: ``„`` is no UTF-8 lead
    byte)."""
    data = text.encode(page, errors="replace")  # one byte a character: single-byte pages
    found = []
    for match in _UTF8.finditer(data):
        at = match.start()
        for char in match.group().decode("utf-8"):
            size = len(char.encode("utf-8"))
            if _text_char(char):
                found.append((at, at + size, char))
            at += size
    return found, sum(byte >= 0x80 for byte in data)
def _text_char(char: str) -> bool:
    """Whether a repair may read as ``char``: from three or more UTF-8 bytes, any assigned
    character; from two, one a page of :data:`_TEXT_PAGES` holds."""
    if char < "\u0800":
        return char in _two_byte_text()
    return unicodedata.category(char) not in ("Co", "Cn")


@cache
def _two_byte_text() -> frozenset[str]:
    """The characters UTF-8 writes in two bytes that a page of :data:`_TEXT_PAGES` holds,
    control characters left out."""
    return frozenset(c for page in _TEXT_PAGES for byte in range(0x80, 0x100)
                     for c in bytes([byte]).decode(page, errors="ignore")
                     if c >= "\u0080" and unicodedata.category(c) != "Cc")
