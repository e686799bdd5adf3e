"""How plausible is one single-byte reading of an article's bytes? (lower cost: more plausible)

:mod:`toolkit.prepare.decode` decodes a file that is not UTF-8 in each candidate code page and
keeps the cheapest reading. Every candidate is a single-byte code page, so the candidate texts
line up character by character and differ only where a byte >= 0x80 decodes differently. For
each such *distinct* byte value a reading is charged:

* a C1 control character (what Latin-1 makes of cp1252's quotes and dashes): 20;
* a letter or mark by how usual it is in de/nl/en news: ``äöüßéèëê…`` and typographic
  punctuation 0; other Western letters, the Central European letters of names
  (``øåæðþ``, ``čłőř``), the Turkish ones (``ğışİ``, which are cp1252's ``ðýþÝ``: a
  Turkish or Icelandic name is therefore always reported as ambiguous) and common
  symbols (``§£½``) and DOS box drawing (``╔═╗│``: tables in DOS text) 1; rare letters
  (``ďľŕ``, and ``õ``: cp850's reading of cp1252's ``ä``) and odd symbols (``¤¦¨¸ˇ``) 3;
* context, averaged over the byte's occurrences: an upper-case letter right after a
  lower-case one (``GrŸ§e``) 3, a symbol between two letters (``Dra¸en``) 5, a symbol
  starting a word (``£ask`` for ``Łask``) 2, a lower-case letter right before an upper-case
  one (``äText``, ``ôI``: cp1252's quotes read as DOS letters) 3, a non-ASCII letter standing
  alone as a word (``100 ı mehr``, `` û ``: a euro sign or a dash read as a letter) 3; a
  no-break space between two words costs nothing (it is cp850's ``á``, and
  ``have\u00a0been`` is ordinary cp1252);
* Mac Roman's Dutch and Spanish letters read as cp1252 punctuation (Mac ``ë`` is cp1252's
  ``‘``, ``ó`` its ``—``): a ``‘`` inside a word (``ge‘ffend``, ``financi‘le``) 5 unless what
  follows is an English or German contraction (``don‘t``, ``geht‘s``, ``we‘ll``); a ``‘``
  ending a word (``Itali‘``) 2, because German closes a quote with it (``‚Nein‘``), so this
  only ties Mac Roman's prior and the article is reported; a dash between two lower-case
  letters that ends the word one letter later (``Asunci—n``) 2, since ``day—film`` and
  ``there—a`` are English; a ``’`` ending a word after a letter other than ``s``, ``x``,
  ``z`` with no ``‘`` in the 300 characters before it (Mac ``í``: ``Gaud’``; ``students’``,
  ``rock ’n’ roll`` and a closed quote ``‘Gaudí’`` cost nothing) 1, which makes such a
  Mac Roman file reported, not right. These are guesses real cp1252 text can contradict (``Hawai‘i``
  with the ʻokina, ``Sana‘a`` with the Arabic ayn), so :meth:`ReadingCosts.guessed` gives
  their part of a reading's cost, and a choice they alone decide is reported;
* a sign before ``C`` or ``F`` ending a word (a unit): a degree sign ``°`` 0, cp1252's ``¡``
  right after a number (Mac Roman's ``°``: ``30 ¡C``) 5, any other sign as elsewhere;
* a diaeresis ``ë``/``ï`` right after a consonant or ``ï`` after an ``i`` 2: in Dutch and
  French it marks a vowel that follows another (``naïef``, ``Zoë``, ``ideeën``), while DOS's
  ``´`` typed as an apostrophe is cp1252's ``ï`` (``I´m`` read as ``Iïm``); names such as
  ``Brontë`` and ``Shkodër`` pay it, which costs them nothing against the readings
  (``BrontÙ``) that are left.

Charging per distinct byte, not per occurrence, keeps a name repeated twenty times from
counting as twenty pieces of evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import NamedTuple

# What is usual in German, Dutch and English news (and the French, Spanish, Nordic loan words
# and names they carry). Everything here costs 0; see the module docstring for the tiers.
_USUAL = frozenset(
    "äöüßÄÖÜéèêëàâáïîíóôòúûùçñÉÈÀÇ"  # de, nl, and French/Spanish loan words
    "–—‘’‚“”„…€•°«»·×\u00a0"  # typographic punctuation
)
_WESTERN = frozenset(
    "øåæØÅÆãýÿìÌÍÎÏÒÓÔÕÚÛÙÑÝÂÃÊËÁðÐþÞŒœŠšŽžŸ"  # other Latin-1/cp1252 letters (not õ: rare)
    "§£¥©®™²³¹½¼¾ºªµ±¿¡†‡‰‹›ƒ¢´÷\u00ad"  # common symbols
)
_CENTRAL = frozenset(
    "čćłńśźżęąěřůőűşțžšČĆŁŃŚŹŻĘĄĚŘŮŐŰŞȚ"  # Central European letters common in names
    "ğıİĞ"  # and Turkish ones (Erdoğan, Işık)
)
_COST_USUAL, _COST_WESTERN, _COST_CENTRAL, _COST_RARE, COST_C1 = 0.0, 1.0, 1.0, 3.0, 20.0
UNDEFINED = 1000.0  # a byte the code page leaves undefined (decoded as U+FFFD): never this one
_COST_CASE_BREAK = 3.0
_COST_LONE_LETTER = 3.0
_COST_SYMBOL_IN_WORD = 5.0
_COST_SYMBOL_STARTS_WORD = 2.0
_COST_QUOTE_ENDS_WORD = 2.0
_COST_DASH_IN_LOWER_WORD = 2.0
_COST_ODD_DIAERESIS = 2.0
_VOWELS = frozenset("aeiouyAEIOUY")
_II = frozenset(("ïi", "ïI", "Ïi", "ÏI"))  # an ï after an i ("Iïm"); ë after i is Dutch "België"
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# One lower-case letter ending a word, not the English article: "Asunci—n" is Mac Roman's
# "Asunción", while "day—film" and "there—a" are English dashes.
_ENDS_IN_ONE_LETTER = re.compile(r"(?!a)[^\W\d_](?![^\W\d_])")
_IN_WORD_OK = frozenset("’´`ʼ'–—-·\u00ad")  # apostrophes, dashes, middle dot, soft hyphen
# cp1252 punctuation that is a letter in Mac Roman (ë, í, ñ, ó): its context cost is a guess.
MAC_LOOKALIKES = frozenset("‘’–—")
_BARE_QUOTE_AFTER = frozenset("sxzSXZ")  # "students’", "Marx’", "Fritz’": possessives
_COST_BARE_CLOSING_QUOTE = 1.0
_QUOTE_REACH = 300  # how far back a closing quote's opening ‘ is looked for
# A degree sign's unit: "30 °C", "98.6°F" (one letter ending the word).
_DEGREE_UNIT = re.compile(r"[CF](?![^\W\d_])")
_OPENERS = frozenset("„‚“‘’«»‹›¿¡([{\"'`–—-•·\u00a0\u00ad")  # may stand right before a word
# What follows an apostrophe in English and German contractions: don‘t, it‘s, I‘m, we‘ll,
# they‘re, I‘ve, he‘d, geht‘s, auf‘m, Rock‘n‘Roll (not a lone ‘n: Dutch oli‘n is Mac's oliën).
_CONTRACTION = re.compile(r"(?:s|t|m|d|ll|re|ve)(?![^\W\d_])|n[‘’']", re.IGNORECASE)


def char_cost(ch: str) -> float:
    """The cost of ``ch`` itself, by how usual it is in de/nl/en news (module docstring)."""
    if ch in _USUAL:
        return _COST_USUAL
    if ch in _WESTERN:
        return _COST_WESTERN
    if ch in _CENTRAL:
        return _COST_CENTRAL
    if "\u2500" <= ch <= "\u259f":  # box drawing and blocks: DOS tables ("╔══╗", "│")
        return _COST_WESTERN
    if unicodedata.category(ch) == "Cc":  # C1 controls: what Latin-1 makes of 0x80-0x9F
        return COST_C1
    return _COST_RARE


def context_cost(text: str, i: int) -> float:
    """The cost of the character at ``text[i]`` in its neighbourhood (module docstring)."""
    ch = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch.isalpha():  # most high bytes are letters: this branch first, and inline (hot loop)
        cost = 0.0
        if ch.isupper() and before.isalpha() and before.islower():
            cost += _COST_CASE_BREAK  # "GrŸ§e", "gehtŽs"
        elif ch.islower() and after.isupper():
            cost += _COST_CASE_BREAK  # cp1252 quotes read as cp850 letters: "äText", "ôI"
        if not before.isalpha() and not after.isalpha():
            cost += _COST_LONE_LETTER  # a dash or bullet read as a letter: "100 ı mehr", " û "
        if ch in "ëïËÏ" and before.isalpha() and (before not in _VOWELS or ch + before in _II):
            cost += _COST_ODD_DIAERESIS  # DOS's ´ read as cp1252's ï: "Iïm", "donït"
        return cost
    if ch.isspace():
        return 0.0  # a no-break space joins two words ("have\u00a0been"): no evidence
    if ch in MAC_LOOKALIKES and before.isalpha():  # elsewhere an opening quote or dash: free
        return _mac_letter_cost(text, i, before, after)
    if after.isalpha() and not before.isalpha() and _DEGREE_UNIT.match(text, i + 1):
        return _degree_cost(text, i, before)
    if after.isalpha():
        if before.isalpha() and ch not in _IN_WORD_OK:
            return _COST_SYMBOL_IN_WORD  # "Dra¸en", "Gr§e"
        if not before.isalpha() and ch not in _OPENERS:
            return _COST_SYMBOL_STARTS_WORD  # "£ask" for "Łask", "¼uvre" for "Œuvre"
    return 0.0


def _mac_letter_cost(text: str, i: int, before: str, after: str) -> float:
    """cp1252's ``‘``, ``’``, ``–`` or ``—`` after a letter, where Mac Roman's ``ë``, ``í``,
    ``ñ`` or ``ó`` would stand: a guess from where it stands, which real cp1252 text can contradict
    (``Hawai‘i``, the ʻokina; ``Sana‘a``, the Arabic ayn), so :meth:`ReadingCosts.guessed`
    names it."""
    if text[i] == "’":
        if after.isalpha() or before in _BARE_QUOTE_AFTER or text[i - 2 : i] == "’n":
            return 0.0  # "don’t", "students’", "rock ’n’ roll"
        if text.rfind("‘", max(0, i - _QUOTE_REACH), i) >= 0:
            return 0.0  # closes a quote: "‘Gaudí’"
        return _COST_BARE_CLOSING_QUOTE  # Mac Roman's í: "Gaud’", "Dal’"
    if text[i] != "‘":
        if before.islower() and after.isalpha() and _ENDS_IN_ONE_LETTER.match(text, i + 1):
            return _COST_DASH_IN_LOWER_WORD  # Mac Roman's ó or ñ: "Asunci—n", "ni–o"
        return 0.0  # "day—film", "there—a": English dashes
    if not after.isalpha():
        return _COST_QUOTE_ENDS_WORD  # "Itali‘ " (Mac ë), but also German "‚Nein‘ "
    if _CONTRACTION.match(text, i + 1):
        return 0.0  # "don‘t", "geht‘s": an apostrophe typed as a left quote
    return _COST_SYMBOL_IN_WORD  # "ge‘ffend", "financi‘le", "ide‘n"


def _degree_cost(text: str, i: int, before: str) -> float:
    """A sign before a unit that ends the word (``°C``, ``°F``): a degree sign costs nothing
    there, and so does any sign not right after a number; cp1252's ``¡`` right after one
    (``30 ¡C``, ``30¡F``) is Mac Roman's ``°``."""
    ch = text[i]
    if ch == "°":
        return 0.0
    number = before.isdigit() or (before == " " and i > 1 and text[i - 2].isdigit())
    if ch == "¡" and number:
        return _COST_SYMBOL_IN_WORD
    return 0.0 if ch in _OPENERS else _COST_SYMBOL_STARTS_WORD


def high_bytes(data: bytes) -> dict[int, list[int]]:
    """Byte value -> its positions, for every byte >= 0x80 (the only ones code pages differ on)."""
    positions: dict[int, list[int]] = defaultdict(list)
    for match in _HIGH_BYTE.finditer(data):  # a regex scan: articles are mostly ASCII
        positions[data[match.start()]].append(match.start())
    return positions


def score_text(positions: dict[int, list[int]], text: str) -> float:
    """The cost of ``text``, one reading of bytes whose high bytes sit at ``positions``."""
    return ReadingCosts.of(text, positions).total()


class ReadingCosts(NamedTuple):
    """One reading's costs: each distinct byte's own cost, each occurrence's context cost."""

    char: dict[int, float]
    """Byte value -> the cost of the character it reads as (U+FFFD, undefined: prohibitive)."""
    context: dict[int, list[float]]
    """Byte value -> the context cost of each of its occurrences, in file order."""
    lookalikes: frozenset[int]
    """The byte values read as :data:`MAC_LOOKALIKES`, whose context cost is only a guess."""

    @classmethod
    def of(cls, text: str, positions: dict[int, list[int]]) -> ReadingCosts:
        char = {
            byte: UNDEFINED if text[where[0]] == "\ufffd" else char_cost(text[where[0]])
            for byte, where in positions.items()
        }
        context = {b: [context_cost(text, i) for i in where] for b, where in positions.items()}
        lookalikes = frozenset(
            b for b, where in positions.items() if text[where[0]] in MAC_LOOKALIKES
        )
        return cls(char, context, lookalikes)

    def total(self) -> float:
        """Each distinct byte's cost plus its context cost averaged over its occurrences."""
        return sum(self.char[b] + sum(c) / len(c) for b, c in self.context.items())

    def guessed(self) -> float:
        """The part of :meth:`total` that is the context cost of cp1252's ``‘’–—`` standing
        where Mac Roman's ``ë``, ``í``, ``ñ``, ``ó`` would: a guess, not evidence.

        Mac Roman's Dutch ``geëffend`` is cp1252's ``ge‘ffend``, but cp1252's ``Hawai‘i``
        (the ʻokina), ``Sana‘a`` and ``Mira‘at`` (the Arabic ayn; one is in 10kGNAD) are
        real cp1252 text: the bytes alone cannot tell them apart, so a choice these guesses
        decide is reported (:mod:`toolkit.prepare.decode`).
        """
        return sum(sum(self.context[b]) / len(self.context[b]) for b in self.lookalikes)


def score_decoding(data: bytes, codec: str) -> float | None:
    """The cost of reading ``data`` in the single-byte ``codec`` (lower is more plausible).

    None when the codec leaves one of the bytes undefined. Only bytes >= 0x80 are scored
    (ASCII reads the same in every candidate); each distinct byte value counts once, with
    its context cost averaged over its occurrences.
    """
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return score_text(high_bytes(data), text)
