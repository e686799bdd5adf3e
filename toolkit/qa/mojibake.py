"""The ``mojibake`` check of a pairs file: text decoded in the wrong code page (``Ã¤`` for
``ä``, ``â€ž`` for ``„``).

A pairs file is the user's data: it is read as written and never repaired (a C1 character that
continues mojibake is kept, :mod:`toolkit.qa.bilingual`), so without this check its mojibake
went through QA, the workbench and ``export --pairs`` unflagged. A build's text needs no such
check: cleaning repairs mojibake with ftfy before anything reads it. Which text is mojibake is
ftfy's own test (``ftfy.badness.is_bad``), the one ftfy repairs by, so cleaning and this check
never disagree; it flags none of 8,600 clean human sentences and pairs (BENCHMARKS.md,
"Mojibake in pairs files").
"""

from __future__ import annotations

from toolkit.qa.flags import qa_flag
from toolkit.schema import QaFlag

_SHOWN = 40
"""At most this many characters of the text around the mojibake go into the message."""


def check_mojibake(source: str, target: str | None) -> list[QaFlag]:
    """One flag for each side whose text reads as mojibake, naming the word and what ftfy
    reads it as (``source has 'Ã¤pfel' ... ftfy reads 'äpfel'``).

    >>> [f.message[:44] for f in check_mojibake("Vier Ã¤pfel.", "Four apples.")]
    ["mojibake: source has 'Ã¤pfel.', text decoded"]
    """
    flags = []
    for side, text in (("source", source), ("target", target or "")):
        found = mojibake_in(text)
        if found is not None:
            word, fixed = found
            reading = f" (ftfy reads '{fixed}')" if fixed != word else ""
            flags.append(qa_flag("mojibake", f"{side} has '{word}', text decoded in the "
                                             f"wrong code page{reading}; kept as written"))
    return flags


def mojibake_in(text: str) -> tuple[str, str] | None:
    """The words around the first mojibake in ``text`` and ftfy's repair of them, or None
    when ftfy finds none (ASCII never has any: answered without ftfy)."""
    if text.isascii():
        return None
    from ftfy import fix_encoding
    from ftfy.badness import BADNESS_RE, is_bad

    if not is_bad(text):
        return None
    match = BADNESS_RE.search(text)
    assert match is not None  # is_bad is a search of BADNESS_RE
    start = text.rfind(" ", 0, match.start()) + 1
    end = text.find(" ", match.end())
    word = text[start:end if end >= 0 else len(text)][:_SHOWN]
    return word, fix_encoding(word)
