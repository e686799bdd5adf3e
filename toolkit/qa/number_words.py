"""Spelled-out numbers: "vier", "achtundzwanzig", "twenty-eight", "sechzigste", "seventies".

Tables are generated for 0-99 in English, German and Dutch, so compounds and ordinals are
covered; adjacent number words that compose one number form one run with one value
(:func:`word_numbers`). :func:`required_words` says which of a source's spelled-out numbers a
translation must carry; ``toolkit.qa.numbers`` matches them against the target's digits and
words; :func:`explained_values` says which further numbers a source stands for (compounds
beyond 99, "eineinhalb", "halbe Stunde"), so that a target's digits for them are not invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from toolkit.qa.text import split_words

DECADE_PREFIX = re.compile(r"\bjaren\s+['’]?$", re.IGNORECASE)  # Dutch "jaren 70", "jaren '70"


def decade_keys(value: int) -> set[str]:
    """'70er' and 'seventies' may mean the 1970s (or 2070s): they match '1970s'.

    The other way round a full '1990s' keeps only its own key, so that a changed
    century ('1390s') cannot hide behind the shared '90'; '1990ern' still matches
    'nineties' and "'90s", whose keys include 1990.
    """
    if value < 100:
        return {str(value), str(1900 + value), str(2000 + value)}
    return {str(value)}


_EN_UNITS = split_words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = split_words("twenty thirty forty fifty sixty seventy eighty ninety")
_EN_ORD = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth",
           12: "twelfth"}
_DE_UNITS = split_words(
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn"
)
_DE_TENS = split_words("zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig")
_NL_UNITS = split_words(
    "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien"
)
_NL_TENS = split_words("twintig dertig veertig vijftig zestig zeventig tachtig negentig")


_Table = dict[str, tuple[int, bool]]
"""word -> (value, is_decade)"""


def _english_words() -> _Table:
    en: _Table = {}
    for n, w in enumerate(_EN_UNITS):
        en[w] = (n, False)
        en[_EN_ORD.get(n, w + "th")] = (n, False)
    for i, w in enumerate(_EN_TENS):
        n = 20 + 10 * i
        en[w] = (n, False)
        en[w[:-1] + "ieth"] = (n, False)
        en[w[:-1] + "ies"] = (n, True)
    for n in range(2, 11):
        en[_EN_UNITS[n] + "fold"] = (n, False)
    en.update({"hundred": (100, False), "hundredth": (100, False), "thousand": (1000, False),
               "thousandth": (1000, False), "once": (1, False), "twice": (2, False),
               "thrice": (3, False), "double": (2, False), "triple": (3, False),
               "dozen": (12, False), "dozens": (12, False), "both": (2, False),
               "couple": (2, False), "pair": (2, False)})
    return en


def _german_words() -> _Table:
    de: _Table = {}
    de_ord = {1: "erst", 3: "dritt", 7: "siebt", 8: "acht"}
    de_card = dict(enumerate(_DE_UNITS))
    for i, w in enumerate(_DE_TENS):
        de_card[20 + 10 * i] = w
        for u in range(1, 10):
            de_card[20 + 10 * i + u] = ("ein" if u == 1 else _DE_UNITS[u]) + "und" + w
    for n, w in de_card.items():
        de[w] = (n, False)
        stem = de_ord.get(n, w + ("st" if n >= 20 else "t"))
        for ending in ("e", "er", "en", "em", "es"):
            de[stem + ending] = (n, False)
        if n >= 2 and n <= 12:
            de[w + "mal"] = (n, False)
            de[w + "fach"] = (n, False)
    for i, w in enumerate(_DE_TENS):
        for ending in ("er", "ern", "erjahre", "erjahren"):
            de[w + ending] = (20 + 10 * i, True)
    de.update({"hundert": (100, False), "tausend": (1000, False), "einhundert": (100, False),
               "eintausend": (1000, False), "siebente": (7, False), "beide": (2, False),
               "beiden": (2, False), "beider": (2, False), "paar": (2, False),
               "dutzend": (12, False), "dutzende": (12, False), "dutzenden": (12, False)})
    return de


def _dutch_words() -> _Table:
    nl: _Table = {}
    nl_ord = {1: "eerste", 3: "derde", 8: "achtste"}
    nl_card = dict(enumerate(_NL_UNITS))
    for i, w in enumerate(_NL_TENS):
        nl_card[20 + 10 * i] = w
        for u in range(1, 10):
            unit = "een" if u == 1 else _NL_UNITS[u]
            nl_card[20 + 10 * i + u] = unit + ("ën" if unit.endswith("e") else "en") + w
    for n, w in nl_card.items():
        nl[w] = (n, False)
        nl[nl_ord.get(n, w + ("ste" if n >= 20 else "de"))] = (n, False)
        if 2 <= n <= 12:
            nl[w + "voudig"] = (n, False)
    nl.update({"honderd": (100, False), "duizend": (1000, False), "honderdste": (100, False),
               "beide": (2, False), "beiden": (2, False), "paar": (2, False),
               "dozijn": (12, False)})
    return nl


def _folded(table: _Table) -> _Table:
    """Keys as lookups see them: every lookup casefolds the text ("Dreißig" -> "dreissig")."""
    return {word.casefold(): hit for word, hit in table.items()}


_WORDS: dict[str, _Table] = {
    "en": _folded(_english_words()), "de": _folded(_german_words()),
    "nl": _folded(_dutch_words()),
}
# Words that satisfy a number but are not required when the source has them: the
# article ("ein", "een"), "first" (often "initial", "early"), words with a common
# non-number sense ("achten" = respect, "die Elf" = the team) and loose quantities.
_SOURCE_WORD_SKIP = frozenset(split_words(
    "eins null erste erster ersten erstem erstes achten elf nul eerste zero first "
    "once twice thrice double triple dozen dozens both couple pair beide beiden beider paar "
    "dutzend dutzende dutzenden dozijn"
))
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
_SPACE_GAP = re.compile(r"[\s\-‐]+")
_AND_GAP = re.compile(r"[\s\-‐]+(?:and|und|en)[\s\-‐]+", re.IGNORECASE)
_SCALE_PARTS = frozenset({100, 1000})
_IN_ACHT = re.compile(r"\bin\s+$", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s*)[„“\"'«»(\s]*$")


class _WordNumber(BaseModel):
    """A run of adjacent number words ("twenty eight", "zwei"), combined into one value."""

    model_config = ConfigDict(frozen=True)

    text: str
    values: tuple[int, ...]
    decade: bool
    start: int
    end: int

    @property
    def value(self) -> int:
        return _combine(self.values)


@lru_cache(maxsize=1024)  # a pair's source is read three times (required, explained, keys)
def word_numbers(text: str, lang: str) -> tuple[_WordNumber, ...]:
    """Spelled-out numbers in ``text``; adjacent words that compose one number form one run
    ("twenty-eight", "two hundred"), others stay apart ("fünf und sechs")."""
    table = _WORDS.get(lang)
    if table is None:
        return ()
    runs: list[_WordNumber] = []
    for m in _WORD_TOKEN.finditer(text):
        hit = table.get(m.group().casefold())
        if hit is None:
            continue
        prev = runs[-1] if runs else None
        if prev and not hit[1] and _joins(prev, m.group(), hit[0], text[prev.end:m.start()]):
            runs[-1] = _WordNumber(text=text[prev.start:m.end()], values=(*prev.values, hit[0]),
                                   decade=False, start=prev.start, end=m.end())
        else:
            runs.append(_WordNumber(text=m.group(), values=(hit[0],), decade=hit[1],
                                    start=m.start(), end=m.end()))
    return tuple(runs)


def _joins(prev: _WordNumber, word: str, value: int, gap: str) -> bool:
    """Whether a number word continues the run before it as one number: "twenty-eight",
    "two hundred", "hundred and five", "zwölf hundert"; not two numbers side by side, "drei
    und vier", "fünf, zehn", "ersten drei", "paar tausend" (each is its own number)."""
    last = prev.values[-1]
    if prev.decade or {prev.text.casefold(), word.casefold()} & _SOURCE_WORD_SKIP:
        return False
    if _AND_GAP.fullmatch(gap):  # "and" joins only after a hundred or thousand
        return last in _SCALE_PARTS and value < last
    if not _SPACE_GAP.fullmatch(gap):
        return False
    return (value in _SCALE_PARTS or (last in _SCALE_PARTS and value < last)
            or (last in range(20, 100, 10) and 1 <= value <= 9))


def _combine(values: Sequence[int]) -> int:
    """Value of a run of number words: (20, 8) -> 28, (2, 100) -> 200, (3, 1000) -> 3000."""
    total, current = 0, 0
    for v in values:
        if v == 100:
            current = max(current, 1) * 100
        elif v >= 1000:
            total += max(current, 1) * v
            current = 0
        else:
            current += v
    return total + current


def required_words(source: str, lang: str) -> list[tuple[str, set[str]]]:
    """Spelled-out source numbers the target must carry, with their keys."""
    out = []
    for run in word_numbers(source, lang):
        if run.value < 2 or (len(run.values) == 1 and run.text.casefold() in _SOURCE_WORD_SKIP):
            continue
        if re.match(r"-[^\W\d_]", source[run.end:run.end + 2]):
            continue  # a modifier ("two-year-old", "five-member"): languages build these apart
        if run.text[0].isupper() and not _SENTENCE_START.search(source[:run.start]):
            continue  # capitalised mid-sentence: a noun ("die Acht") or a name
        if lang == "nl" and run.text.casefold() == "acht" and _IN_ACHT.search(
                source[:run.start]):
            continue  # "in acht nemen": take into account
        decade = run.decade or bool(DECADE_PREFIX.search(source[max(0, run.start - 8):run.start]))
        out.append((run.text, decade_keys(run.value) if decade else {str(run.value)}))
    return out


# "one" as the first word of a number and a half ("eineinhalb"); alone it is an article.
_LEADING_ONE = {"de": "ein", "nl": "een"}
_HALF_AFTER = re.compile(  # "zwei einhalb", "two and a half", "twee en een half"
    r"[\s\-‐]+(?:and\s+an?\s+half|(?:und\s+)?ein\s*halb|en\s+een\s+half)\b", re.IGNORECASE)
_FRACTION_WORD = {  # the casefolded word: a number, then "and a half"
    "de": re.compile(r"(\w*?)einhalb"), "nl": re.compile(r"(\w+?)(?:ën|en)(?:een)?half"),
}
_ONE_AND_A_HALF = {"de": "anderthalb", "nl": "anderhalf"}
# Halves and quarters a translation may write as digits: "eine halbe Stunde" -> "30 minutes",
# "die Hälfte" -> "50 percent", "een kwartier" -> "15 minutes". Searched in casefolded text.
_PART_PHRASES: dict[str, tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]] = {
    lang: tuple((re.compile(rx), tuple(keys.split())) for rx, keys in table) for lang, table in {
        "de": ((r"\bhalbe[nrms]?\s+stunde|\bhalbstünd", "30"), (r"viertelstun|viertelstün", "15"),
               (r"dreiviertelstun", "45"), (r"\bhalbe[nrms]?\s+jahr|\bhalbjahr", "6"),
               (r"\bhalb|\bhälfte", "0.5 50")),
        "nl": ((r"\bhalf\s*uur", "30"), (r"kwartier", "15"), (r"driekwartier", "45"),
               (r"\bhalf\s*jaar", "6"), (r"\bhalf|\bhelft", "0.5 50")),
        "en": ((r"\bhalf[\s\-]+(?:an\s+)?hour", "30"), (r"quarter[\s\-]+(?:of\s+an\s+)?hour", "15"),
               (r"\bhalf\s+a\s+year", "6"), (r"\bhalf\b", "0.5 50")),
    }.items()
}

# The first three letters of every number word, "ein"/"een" and "anderthalb"/"anderhalf".
_STARTS = {lang: frozenset({w[:3] for w in table} | {"and", _LEADING_ONE.get(lang, "")})
           for lang, table in _WORDS.items()}


def _chain(word: str, table: _Table) -> tuple[tuple[int, ...], int]:
    """The number words ``word`` (casefolded) starts with, one after the other, and how many
    of its characters they cover: "dreihundertfünfzigjährig" -> (3, 100, 50), 18."""
    best: tuple[tuple[int, ...], int] = ((), 0)
    for end in range(len(word), 2, -1):
        hit = table.get(word[:end])
        if hit is None:
            continue
        rest, covered = _chain(word[end:], table)
        if end + covered > best[1]:
            best = ((hit[0], *rest), end + covered)
    return best


def _word_value(word: str, lang: str) -> tuple[Decimal, bool] | None:
    """The number a (casefolded) word starts with, and whether it is the whole word:
    "zweitausend" 2000, "honderdduizend" 100000, "negentienhonderdnegentig" 1990,
    "eineinhalb" 1.5, "tweeënhalf" 2.5; "zweimonatig" 2 (not whole); None if none."""
    table = _WORDS.get(lang)
    if table is None or word[:3] not in _STARTS[lang]:
        return None  # most words: no number word starts them
    if word.startswith(_ONE_AND_A_HALF.get(lang, "\0")):
        return Decimal("1.5"), word == _ONE_AND_A_HALF[lang]
    pattern = _FRACTION_WORD.get(lang)
    if m := pattern.match(word) if pattern else None:
        whole = m.group(1)
        if whole in ("", _LEADING_ONE[lang]):  # "einhalb", "eineinhalb"
            return Decimal("1.5" if whole else "0.5"), m.end() == len(word)
        values, covered = _chain(whole, table)
        if values and covered == len(whole):
            return _joined(values) + Decimal("0.5"), m.end() == len(word)
    values, covered = _chain(word, table)
    return (Decimal(_joined(values)), covered == len(word)) if values else None


def _joined(values: tuple[int, ...]) -> int:
    """The value of a chain of number words in one word. Only hundreds and thousands join
    numbers into one ("zweihundert"); otherwise the first is the number ("zweimonatig")."""
    return _combine(values) if _SCALE_PARTS & set(values) else values[0]


def one_word_numbers(text: str, lang: str) -> set[Decimal]:
    """Numbers written as one word beyond the tables: "zweitausend", "dreihundertfünfzig",
    "eineinhalb" -- a whole word, not the start of one ("einsam" is no number). A target's
    such word carries the number ("two thousand" -> "zweitausend")."""
    return {hit[0] for m in _WORD_TOKEN.finditer(text)
            if (hit := _word_value(m.group().casefold(), lang)) and hit[1]}


def explained_values(text: str, lang: str) -> set[Decimal]:
    """Numbers a source stands for beyond its digits, so that a target's digits for them
    are not "invented": its number words, compounds ("zweimonatigen" 2, "Achtzehnjährige" 18,
    "dreihundertfünfzig" 350, "tweeduizend" 2000), numbers and a half ("eineinhalb" 1.5,
    "two and a half" 2.5) and halves and quarters ("halbe Stunde" 30, "kwartier" 15).

    Only widens what a source can explain; never required of a target, since "einsam"
    starts with "eins" too.

    >>> sorted(int(v) for v in explained_values("eine Achtzehnjährige, zweimonatig", "de"))
    [2, 18]
    """
    found = {hit[0] for m in _WORD_TOKEN.finditer(text)
             if (hit := _word_value(m.group().casefold(), lang))}
    for run in word_numbers(text, lang):
        found.add(Decimal(run.value))
        if _HALF_AFTER.match(text, run.end):
            found.add(run.value + Decimal("0.5"))
    folded = text.casefold()
    for pattern, keys in _PART_PHRASES.get(lang, ()):
        if pattern.search(folded):
            found |= {Decimal(k) for k in keys}
    return found
