"""The ``mojibake`` check of a pairs file: text decoded in the wrong code page (``Ã¤`` for
``ä``, ``â€ž`` for ``„``, ``\\x9b`` for ``›``).

A pairs file is the user's data: it is read as written and never repaired (a C1 character is
kept, :mod:`toolkit.qa.bilingual`), so without this check its mojibake went through QA, the
workbench and ``export --pairs`` unflagged. A build's text needs no such check: cleaning
repairs mojibake with ftfy before anything reads it. Which text is mojibake is ftfy's own
reading: its test (``ftfy.badness.is_bad``) finds a suspect, and ftfy's repair
(``fix_encoding``) must change the text into a plausible one -- ``is_bad`` alone called
``André†`` and ``Rosé‡`` mojibake, which ftfy leaves as they are, and ftfy reads
``MARTÍ†`` as ``MART͆`` (a combining mark) -- so cleaning and this check never disagree on a
text ftfy repairs. A C1 control character is always flagged: it is no text in any language.
It flags none of 22,576 clean human texts (BENCHMARKS.md, "Mojibake in pairs files").
"""

from __future__ import annotations

import re
from collections import Counter

from toolkit.corpus.paths import shown_name
from toolkit.qa.flags import qa_flag
from toolkit.schema import QaFlag

_C1_NOTE = (" (a C1 control character: in the toolkit's TSVs \\x80-\\x9f spell one, and a "
            "backslash is \\\\)")
"""Said of a C1 character, which a hand-typed ``D:\\x86_tools`` gives too (README)."""

_C1 = re.compile("[\x80-\x9f]")
# A capital word's Ã before a closing quote (Portuguese AMANHÃ“, IRMÃ”, ALEMÃ‘): ftfy reads
# Ã“ as Ó, but in capitals followed by no letter it is more likely clean text.
_CAPITAL_A_TILDE_QUOTE = re.compile("(?<=[A-Z\u00c0-\u00de])\u00c3[\u201a\u201e\u2039\u2018"
                                    "\u2019\u201c\u201d\u203a](?![^\\W_])")
_SHOWN = 40
"""At most this many characters of the text around the mojibake go into the message."""


def check_mojibake(source: str, target: str | None) -> list[QaFlag]:
    """One flag for each side whose text reads as mojibake, naming the word and what ftfy
    reads it as (``source has 'Ã¤pfel' ... ftfy reads 'äpfel'``); a C1 character is spelled
    as escaped (``D:\\x86_tools``), as a pairs TSV writes it.

    >>> [f.message[:44] for f in check_mojibake("Vier Ã¤pfel.", "Four apples.")]
    ["mojibake: source has 'Ã¤pfel.', text decoded"]
    """
    flags = []
    for side, text in (("source", source), ("target", target or "")):
        found = mojibake_in(text)
        if found is not None:
            word, fixed = (shown_name(part) for part in found)
            reading = f" (ftfy reads '{fixed}')" if fixed != word else ""
            # A C1 that is no part of a UTF-8 sequence (ftfy's reading as long): maybe typed.
            alone = len(found[1]) == len(found[0]) and _C1.search(found[0])
            c1 = _C1_NOTE if alone else ""
            flags.append(qa_flag("mojibake", f"{side} has '{word}', text decoded in the "
                                             f"wrong code page{reading}; kept as written{c1}"))
    return flags


def mojibake_in(text: str) -> tuple[str, str] | None:
    """The words around the first mojibake in ``text`` and ftfy's repair of them, or None
    when there is none (ASCII never has any: answered without ftfy)."""
    if text.isascii():
        return None
    from ftfy import fix_encoding
    from ftfy.badness import BADNESS_RE, is_bad

    if not is_bad(text):
        return None
    c1 = c1_at.start() if (c1_at := _C1.search(text)) else None
    if c1 is None and not _plausible(text, fix_encoding(text)):
        return None
    match = BADNESS_RE.search(text)
    assert match is not None  # is_bad is a search of BADNESS_RE
    at = match.start() if c1 is None else min(c1, match.start())
    # From the word's start, but never so far back that the cut below loses the bad part
    # (a text without spaces: Chinese, a long URL).
    start = max(text.rfind(" ", 0, at) + 1, at - _SHOWN // 2)
    end = text.find(" ", max(at, match.end() if c1 is None else c1))
    word = text[start:end if end >= 0 else len(text)][:_SHOWN]
    return word, fix_encoding(word)


def _plausible(text: str, fixed: str) -> bool:
    """Whether ftfy's repair of ``text`` reads as mojibake repaired: it changes the text into
    a less bad one (ftfy's ``badness``), and what it adds is Windows-1252 text (the code page
    nearly all mojibake here comes from: ``Ã¤`` is ``ä``, ``â€ž`` is ``„``), more than one
    character (a Polish or Cyrillic text read wrongly repairs many) or one from three or more
    (``â™¥`` is ``♥``). One character no Western page has, read from two, is ftfy guessing at
    a capital and a dagger (``MARTÍ†``, ``JOSÉ†``: a combining mark, ``Ɇ``); one letter
    from a capital word's ``Ã`` and a closing quote is Portuguese (``„AMANHÃ“``: ``AMANHÓ``)."""
    from ftfy.badness import badness

    if fixed == text or badness(fixed) >= badness(text):
        return False
    added = list((Counter(fixed) - Counter(text)).elements())
    if len(added) > 1 or len(text) - len(fixed) > 1:
        return True
    if any(text[:m.start()] + "".join(added) + text[m.end():] == fixed
           for m in _CAPITAL_A_TILDE_QUOTE.finditer(text)):
        return False
    try:
        "".join(added).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
