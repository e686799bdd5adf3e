"""Text predicates the QA checks share: copies, content words, same sources, loops.

Pure functions of strings, no language model: ``untranslated`` compares copies with
:func:`normalize_text`, the consistency check groups sources by :func:`consistency_key`,
the repetition check looks for loops with :func:`find_loop`.
"""

from __future__ import annotations

import re
import unicodedata


def split_words(words: str) -> tuple[str, ...]:
    """``"a b c"`` -> ``("a", "b", "c")``: long word lists read better as one string."""
    return tuple(words.split())


_NON_ALNUM = re.compile(r"[\W_]+")


def normalize_text(text: str) -> str:
    """Casefolded NFKC text with punctuation and spacing removed: compares copies.

    >>> normalize_text("„Ja“, sagte er.") == normalize_text('"ja," sagte er')
    True
    """
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Lowercase words that occur inside names and so do not make a segment translatable.
_NAME_PARTICLES = frozenset(
    split_words("von van de der den da di du del della la le ter ten zu zur bin al el y dos das")
)


def _is_content_word(word: str) -> bool:
    return (len(word) > 2 and word[0].islower() and word not in _NAME_PARTICLES
            and not any(c.isupper() for c in word[1:]))  # iPhone, eBay: names


def has_content_words(text: str) -> bool:
    """Whether ``text`` has a lowercase-initial word of 3+ letters (not a name particle).

    A segment with none -- "Kim Kardashian", "BERLIN", "Angela Merkel in Berlin" -- is
    names, acronyms and short words German and English share, and is legitimately the
    same in both languages.
    """
    return any(_is_content_word(m.group()) for m in _WORD.finditer(text))



def consistency_key(source: str) -> str:
    """What counts as 'the same source sentence': NFKC, casefolded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFKC", source).casefold().split())


_LOOP_TOKEN = re.compile(r"\w+")


def find_loop(text: str, max_ngram: int, min_repeats: int) -> tuple[str, int] | None:
    """The first word n-gram repeated ``min_repeats`` times in a row, with its count."""
    words = [w.casefold() for w in _LOOP_TOKEN.findall(text)]
    for n in range(1, max_ngram + 1):
        for i in range(len(words) - n * min_repeats + 1):
            gram = words[i:i + n]
            count = 1
            while words[i + count * n:i + (count + 1) * n] == gram:
                count += 1
            if count >= min_repeats:
                return " ".join(gram), count
    return None
