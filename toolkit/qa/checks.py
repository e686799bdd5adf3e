"""Translation QA: flag every segment pair a reviewer must look at.

Each check is a small pure function with a name, a fixed severity and a one-line
message that says what differs (``number: source has 45, target lacks it``).
All thresholds live in :class:`QaConfig`, which the build records in provenance.

The checks were calibrated on real professional translations (the 300 German ->
English pairs of UD German-PUD; ``benchmarks/qa_pud.py``): clean human pairs must
almost never be flagged (<= 2 %), while an injected error (empty target, copied
source, changed or dropped number, cut target, repeated phrase, wrong-language
target) must almost always be (>= 95 % per kind). That is why the checks tolerate
what translators legitimately do -- reformat numbers by locale, spell them out
("28 Männern" -> "twenty eight men"), reorder sentences, swap quote styles -- and
why translate-toolkit's pofilter checks are *not* used: on the same clean pairs
they flag about a quarter of all segments (quotes, punctuation, sentence counts).

Example:
    >>> [f.message for f in check_pair("Er ist 45 Jahre alt.", "He is 54 years old.", "de", "en")]
    ['number: source has 45, target lacks it (target has 54)']
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from toolkit.errors import InputError
from toolkit.languages import CANDIDATES, language_name
from toolkit.plural import plural
from toolkit.prepare.clean import BIDI_CONTROLS
from toolkit.prepare.langid import detect_language
from toolkit.schema import DocumentRecord, LanguageGuess, QaFlag

Severity = Literal["error", "warning"]

SEVERITY: dict[str, Severity] = {
    "empty": "error",
    "untranslated": "error",
    "language": "warning",
    "number": "error",
    "glossary": "error",
    "protected": "error",
    "length": "warning",
    "repetition": "error",
    "truncated": "error",
    "inconsistent": "warning",
    "source-language": "warning",
    "bidi": "error",
    "low-confidence": "warning",
}
"""Each check's fixed severity: errors are very likely wrong, warnings need a look."""

PAIR_CHECKS = (
    "empty",
    "untranslated",
    "language",
    "number",
    "glossary",
    "protected",
    "length",
    "repetition",
    "truncated",
    "bidi",
    "low-confidence",
)
"""The per-pair checks, in the order their flags are reported."""



class QaInputError(InputError):
    """A pairs file (TSV or TMX) cannot be read; the message names the file and the fix."""


class LengthBand(BaseModel):
    """Allowed target/source character-length ratio for one language pair."""

    model_config = ConfigDict(frozen=True)

    pair: str = Field(description="'<src>-<tgt>', e.g. 'de-en'")
    low: float
    high: float
    calibration: str = Field(default="", description="Where the numbers come from")


class QaConfig(BaseModel):
    """Every QA threshold, recorded in provenance. Frozen: build it once, pass it around.

    Length bands: ``calibrate_length_band`` on the 300 PUD de->en pairs gives the
    0.5 % / 99.5 % ratio quantiles 0.613 / 1.213 (median 0.877); widened by 10 % that is
    0.55 / 1.33. There is no Dutch reference set, so nl-en borrows the German band
    (both languages run ~10-15 % longer than English). A segment may also be off by
    ``length_slack_chars`` characters, which loosens the band for short segments, where
    one long name or a dropped article moves the ratio a lot.
    """

    model_config = ConfigDict(frozen=True)

    checks: tuple[str, ...] = Field(
        default=PAIR_CHECKS, description="Per-pair checks to run; drop a name to switch it off"
    )
    language_candidates: tuple[str, ...] = CANDIDATES
    language_min_chars: int = Field(
        default=20, description="Targets shorter than this are not language-identified"
    )
    language_min_confidence: float = Field(
        default=0.9, description="A target is in the wrong language only at this confidence"
    )
    number_words: bool = Field(
        default=True,
        description="Spelled-out source numbers ('vier', 'zwanzigste') must appear in the target",
    )
    length_bands: tuple[LengthBand, ...] = (
        LengthBand(pair="de-en", low=0.55, high=1.33,
                   calibration="PUD de->en 300 pairs: q0.5%=0.613, q99.5%=1.213, widened 10%"),
        LengthBand(pair="nl-en", low=0.55, high=1.33, calibration="borrowed from de-en"),
    )
    length_default_band: tuple[float, float] = Field(
        default=(0.45, 2.2), description="Band for pairs without a calibrated entry (loose)"
    )
    length_same_language_band: tuple[float, float] = Field(
        default=(0.8, 1.25), description="Band when source and target language are the same"
    )
    length_slack_chars: int = Field(
        default=12, description="Absolute slack added to both ends of the band"
    )
    length_min_chars: int = Field(
        default=10, description="Sources shorter than this are never length-checked"
    )
    repetition_max_ngram: int = Field(default=6, description="Longest repeated phrase looked for")
    repetition_min_repeats: int = Field(
        default=3, description="A phrase this many times in a row is a loop"
    )
    low_confidence_threshold: float | None = Field(
        default=None,
        description="Flag machine segments whose confidence (mean log-probability per token) "
        "is below this; None (the default) until calibrated on real corrections "
        "(`toolkit qa --calibrate-confidence`)",
    )


# -- helpers ----------------------------------------------------------------------------------


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


def _flag(check: str, detail: str) -> QaFlag:
    return QaFlag(check=check, severity=SEVERITY[check], message=f"{check}: {detail}")


def _lang_name(code: str) -> str:
    return language_name(code)


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
    _split("von van de der den da di du del della la le ter ten zu zur bin al el y dos das")
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


# -- numbers ----------------------------------------------------------------------------------

_COMMA_DECIMAL = frozenset(_split("de nl fr es it pt da sv nb no fi pl cs sk ru tr"))
_NUMBER = re.compile(r"\d+(?:[.,:\u00a0\u202f\u2009]\d+)*")
_SUFFIX_WORD = re.compile(r"\s?([^\W\d_]+)\.?")
_DECADE_SUFFIX = re.compile(r"(?:er|ern|ers|s|['’]s)\b")
_CLOCK_HOUR = re.compile(r"\s?(?:Uhr|uur|h)\b")
_DECADE_PREFIX = re.compile(r"\bjaren\s+['’]?$", re.IGNORECASE)  # Dutch "jaren 70", "jaren '70"
_TIME = re.compile(r"(\d{1,2})[.:](\d{2})")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})?")
_SCALES: dict[str, dict[str, int]] = {
    "en": {"thousand": 10**3, "k": 10**3, "million": 10**6, "millions": 10**6, "m": 10**6,
           "mn": 10**6, "mln": 10**6, "billion": 10**9, "billions": 10**9, "bn": 10**9,
           "trillion": 10**12},
    "de": {"tausend": 10**3, "million": 10**6, "millionen": 10**6, "mio": 10**6,
           "milliarde": 10**9, "milliarden": 10**9, "mrd": 10**9, "billion": 10**12,
           "billionen": 10**12},
    "nl": {"duizend": 10**3, "miljoen": 10**6, "miljoenen": 10**6, "mln": 10**6,
           "miljard": 10**9, "miljarden": 10**9, "mld": 10**9, "biljoen": 10**12},
}


def _num_key(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _parse_plain(token: str, group: str, decimal: str) -> Decimal | None:
    """Value of ``token`` under one convention, or None if it does not fit it."""
    g, d = re.escape(group), re.escape(decimal)
    if not re.fullmatch(rf"(?:\d{{1,3}}(?:{g}\d{{3}})+|\d+)(?:{d}\d+)?", token):
        return None
    try:
        return Decimal(token.replace(group, "").replace(decimal, "."))
    except InvalidOperation:
        return None


def _token_items(token: str, lang: str) -> list[set[str]]:
    """The numbers one digit token stands for, each as a set of equivalent keys.

    Locale-aware: in German/Dutch ``1.000,5`` is 1000.5, in English ``1,000.5`` is;
    a token that fits neither reading of its language is tried the other way round.
    ``6:30`` and ``6.30`` are also the time 6:30 (and 18:30 is 6:30 pm). A date
    ``6.3.2017`` needs only its day and year: the month is often spelled out.
    """
    if len(token) > 40:
        return []  # a code or an ID, not a quantity; also keeps int() within its limits
    compact = re.sub(r"[\u00a0\u202f\u2009](?=\d{3}(?!\d))", "", token)
    keys: set[str] = set()
    if t := _TIME.fullmatch(compact):
        hour, minute = int(t.group(1)), int(t.group(2))
        if hour <= 24 and minute < 60:
            keys.add(f"t{hour}:{minute:02d}")
            if hour > 12:
                keys.add(f"t{hour - 12}:{minute:02d}")
            if ":" in compact:
                return [keys]
    group, decimal = (".", ",") if lang in _COMMA_DECIMAL else (",", ".")
    value = _parse_plain(compact, group, decimal)
    if value is None:
        value = _parse_plain(compact, decimal, group)
    if value is not None:
        keys.add(_num_key(value))
        return [keys]
    if keys:
        return [keys]
    if d := _DATE.fullmatch(compact):
        return [{str(int(x))} for x in (d.group(1), d.group(3)) if x]
    return [{str(int(p))} for p in re.split(r"[^\d]+", compact) if p]


def _scale(after: str, lang: str) -> tuple[str, int] | None:
    """The scale word right after a number ("Millionen", "bn") and its factor, if any."""
    if m := _SUFFIX_WORD.match(after):
        factor = _SCALES.get(lang, _SCALES["en"]).get(m.group(1).casefold())
        if factor:
            return m.group().strip(), factor
    return None


def _number_aliases(keys: set[str], after: str, lang: str, *, strict_scale: bool = False,
                    before: str = "") -> set[str]:
    """Extra keys from the words around a number: a scale word or a decade marker.

    With ``strict_scale`` (used for the source) a scaled number keeps only its scaled
    value, so "3,5 Milliarden" is not satisfied by "3.5 million".
    """
    out = set(keys)
    if scale := _scale(after, lang):
        scaled = {_num_key(Decimal(k) * scale[1]) for k in keys if not k.startswith("t")}
        out = scaled if strict_scale and scaled else out | scaled
    if _CLOCK_HOUR.match(after):  # "20 Uhr" is "8 pm"
        out |= {str(int(k) - 12) for k in keys if k.isdigit() and 13 <= int(k) <= 24}
    if _DECADE_SUFFIX.match(after) or _DECADE_PREFIX.search(before):
        for k in keys:
            if k.isdigit() and int(k) % 10 == 0:
                out |= _decade_keys(int(k))
    return out


def _shown(token: str, after: str, lang: str) -> str:
    """A number as a message shows it: with its scale word or decade suffix."""
    if scale := _scale(after, lang):
        return f"{token} {scale[0]}"
    if decade := _DECADE_SUFFIX.match(after):
        return token + decade.group()
    return token


def _decade_keys(value: int) -> set[str]:
    """'70er' and 'seventies' may mean the 1970s (or 2070s): they match '1970s'.

    The other way round a full '1990s' keeps only its own key, so that a changed
    century ('1390s') cannot hide behind the shared '90'; '1990ern' still matches
    'nineties' and "'90s", whose keys include 1990.
    """
    if value < 100:
        return {str(value), str(1900 + value), str(2000 + value)}
    return {str(value)}


# Spelled-out numbers. Tables are generated for 0-99 so compounds ("achtundzwanzig",
# "tweeëntwintig", "twenty-eight") and ordinals ("sechzigste", "sixtieth") are covered.
_EN_UNITS = _split(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = _split("twenty thirty forty fifty sixty seventy eighty ninety")
_EN_ORD = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth",
           12: "twelfth"}
_DE_UNITS = _split(
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
    "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn"
)
_DE_TENS = _split("zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig")
_NL_UNITS = _split(
    "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
    "vijftien zestien zeventien achttien negentien"
)
_NL_TENS = _split("twintig dertig veertig vijftig zestig zeventig tachtig negentig")


def _number_words() -> dict[str, dict[str, tuple[int, bool]]]:
    """Per language: word -> (value, is_decade)."""
    en: dict[str, tuple[int, bool]] = {}
    de: dict[str, tuple[int, bool]] = {}
    nl: dict[str, tuple[int, bool]] = {}
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
    return {"en": en, "de": de, "nl": nl}


_WORDS = _number_words()
# Words that satisfy a number but are not required when the source has them: the
# article ("ein", "een"), "first" (often "initial", "early"), words with a common
# non-number sense ("achten" = respect, "die Elf" = the team) and loose quantities.
_SOURCE_WORD_SKIP = frozenset(_split(
    "eins null erste erster ersten erstem erstes achten elf nul eerste zero first "
    "once twice thrice double triple dozen dozens both couple pair beide beiden beider paar "
    "dutzend dutzende dutzenden dozijn"
))
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
_WORD_GAP = re.compile(r"(?:[\s\-‐]|\band\b|\bund\b|\ben\b)*")
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


def _word_numbers(text: str, lang: str) -> list[_WordNumber]:
    """Spelled-out numbers in ``text``; adjacent words form one run ("twenty-eight")."""
    table = _WORDS.get(lang)
    if table is None:
        return []
    runs: list[_WordNumber] = []
    for m in _WORD_TOKEN.finditer(text):
        hit = table.get(m.group().casefold())
        if hit is None:
            continue
        prev = runs[-1] if runs else None
        if prev and not prev.decade and not hit[1] and _WORD_GAP.fullmatch(
                text[prev.end:m.start()]):
            runs[-1] = _WordNumber(text=text[prev.start:m.end()], values=(*prev.values, hit[0]),
                                   decade=False, start=prev.start, end=m.end())
        else:
            runs.append(_WordNumber(text=m.group(), values=(hit[0],), decade=hit[1],
                                    start=m.start(), end=m.end()))
    return runs


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


def _target_number_keys(target: str, lang: str) -> tuple[set[str], list[tuple[str, set[str]]]]:
    """Every key the target's numbers (digits and words) satisfy, and each digit number
    as shown in a message with its own keys."""
    keys: set[str] = set()
    shown: list[tuple[str, set[str]]] = []
    for m in _NUMBER.finditer(target):
        after, before = target[m.end():m.end() + 12], target[max(0, m.start() - 8):m.start()]
        own: set[str] = set()
        for item in _token_items(m.group(), lang):
            own |= _number_aliases(item, after, lang, before=before)
        keys |= own
        shown.append((_shown(m.group(), after, lang), own))
    for run in _word_numbers(target, lang):
        # Each word on its own too: "five six-year-olds" is not 11.
        keys |= {str(v) for v in run.values} | {str(run.value)}
        if run.decade:
            keys |= _decade_keys(run.value)
    return keys, shown


def _required_words(source: str, lang: str) -> list[tuple[str, set[str]]]:
    """Spelled-out source numbers the target must carry, with their keys."""
    out = []
    for run in _word_numbers(source, lang):
        if run.value < 2 or (len(run.values) == 1 and run.text.casefold() in _SOURCE_WORD_SKIP):
            continue
        if re.match(r"-[^\W\d_]", source[run.end:run.end + 2]):
            continue  # a modifier ("two-year-old", "five-member"): languages build these apart
        if run.text[0].isupper() and not _SENTENCE_START.search(source[:run.start]):
            continue  # capitalised mid-sentence: a noun ("die Acht") or a name
        if lang == "nl" and run.text.casefold() == "acht" and _IN_ACHT.search(
                source[:run.start]):
            continue  # "in acht nemen": take into account
        decade = run.decade or bool(_DECADE_PREFIX.search(source[max(0, run.start - 8):run.start]))
        out.append((run.text, _decade_keys(run.value) if decade else {str(run.value)}))
    return out


def check_numbers(source: str, target: str, src_lang: str, tgt_lang: str,
                  config: QaConfig) -> list[QaFlag]:
    """One flag per source number the target lacks in any equivalent form.

    Equivalent forms: locale formatting (``1.000,5`` = ``1,000.5``), ordinals (``9.`` =
    ``9th`` = ``ninth``), words (``vier`` = ``four`` = ``4``), scale words (``5,7
    Millionen`` = ``5,700,000``), decades (``70er`` = ``1970s`` = ``seventies``), times
    (``6:30`` = ``6.30``). Extra numbers in the target are not flagged by themselves.
    """
    required: list[tuple[str, set[str]]] = []
    for m in _NUMBER.finditer(source):
        after, before = source[m.end():m.end() + 12], source[max(0, m.start() - 8):m.start()]
        required += [(_shown(m.group(), after, src_lang),
                      _number_aliases(item, after, src_lang, strict_scale=True, before=before))
                     for item in _token_items(m.group(), src_lang)]
    if config.number_words:
        required += _required_words(source, src_lang)
    if not required:
        return []
    have, target_numbers = _target_number_keys(target, tgt_lang)
    flags: dict[str, QaFlag] = {}  # keyed by message: a number missing twice is one flag
    for text, keys in required:
        if keys & have:
            continue
        # The target's numbers that match no source number: probably what it became.
        unmatched = [shown for shown, own in target_numbers
                     if not any(own & k for _, k in required)]
        extra = f" (target has {', '.join(unmatched)})" if unmatched else ""
        flag = _flag("number", f"source has {text}, target lacks it{extra}")
        flags[flag.message] = flag
    return list(flags.values())


# -- the other checks -------------------------------------------------------------------------


def _detect(text: str, candidates: tuple[str, ...]) -> LanguageGuess | None:
    """Language id among ``candidates``; None when the model does not know one of them
    (a document whose language is 'und' cannot be checked this way)."""
    try:
        return detect_language(text, candidates)
    except ValueError:
        return None


def check_untranslated(source: str, target: str, src_lang: str, tgt_lang: str,
                       config: QaConfig) -> list[QaFlag]:
    """The target copies the source, or reads as the source language (or another one).

    Names-only segments ("Kim Kardashian") are the same in every language and short
    targets carry too little evidence for language id, so both are left alone; a
    segment whose source language is the target language is never untranslated.
    """
    if src_lang == tgt_lang:
        return []
    if normalize_text(source) == normalize_text(target):
        if has_content_words(source):
            return [_flag("untranslated", "target is a copy of the source")]
        return []
    if len(target.strip()) < config.language_min_chars or not has_content_words(target):
        return []
    # One call settles the usual case (target in the target language). Otherwise the
    # source-vs-target question is asked on its own: a two-way choice is far more
    # reliable on short text than a six-way one (UD EWT dev: 0 of 1,544 English
    # sentences read as German at 0.9, 778 of 780 German sentences do).
    cands = tuple(sorted(set(config.language_candidates) | {src_lang, tgt_lang}))
    broad = _detect(target, cands)
    if broad is None or broad.language == tgt_lang:
        return []
    pairwise = _detect(target, (src_lang, tgt_lang))
    if pairwise is None:
        return []
    if pairwise.language == src_lang and pairwise.confidence >= config.language_min_confidence:
        return [_flag("untranslated", f"target reads as {_lang_name(src_lang)}, "
                                      f"not {_lang_name(tgt_lang)}")]
    if broad.language != src_lang and broad.confidence >= config.language_min_confidence:
        return [_flag("language", f"target reads as {_lang_name(broad.language)}, "
                                  f"expected {_lang_name(tgt_lang)}")]
    return []


def length_band(src_lang: str, tgt_lang: str, config: QaConfig) -> tuple[float, float]:
    """The configured ratio band for a pair; same-language pairs get a tight one."""
    pair = f"{src_lang}-{tgt_lang}"
    for band in config.length_bands:
        if band.pair == pair:
            return band.low, band.high
    if src_lang == tgt_lang:
        return config.length_same_language_band
    return config.length_default_band


def calibrate_length_band(
    ratios: Sequence[float], quantile: float = 0.005, widen: float = 0.1
) -> tuple[float, float]:
    """A ratio band from clean human translations: the outer quantiles, widened.

    ``ratios`` are len(target)/len(source) of real pairs. The band is
    ``(q(quantile) * (1 - widen), q(1 - quantile) * (1 + widen))`` -- the quantiles
    cut the worst outliers, the widening covers a corpus slightly different from the
    calibration one.

    >>> calibrate_length_band([0.5, 1.0, 2.0], quantile=0.0, widen=0.0)
    (0.5, 2.0)
    """
    if not ratios:
        raise ValueError("calibrate_length_band needs at least one ratio")
    xs = sorted(ratios)

    def q(p: float) -> float:
        pos = p * (len(xs) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)

    return round(q(quantile) * (1 - widen), 3), round(q(1 - quantile) * (1 + widen), 3)


def check_length(source: str, target: str, src_lang: str, tgt_lang: str,
                 config: QaConfig) -> list[QaFlag]:
    """Target length outside the pair's calibrated band (plus slack for short segments)."""
    s, t = len(source.strip()), len(target.strip())
    if s < config.length_min_chars:
        return []
    low, high = length_band(src_lang, tgt_lang, config)
    slack = config.length_slack_chars
    if low * s - slack <= t <= high * s + slack:
        return []
    side = "short" if t < low * s - slack else "long"
    return [_flag("length", f"target is {t} chars for a {s}-char source (ratio {t / s:.2f}, "
                            f"band {low:.2f}-{high:.2f}): too {side}")]


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


def check_repetition(source: str, target: str, config: QaConfig) -> list[QaFlag]:
    """A phrase looping in the target (an NMT hallucination) that does not loop in the source."""
    loop = find_loop(target, config.repetition_max_ngram, config.repetition_min_repeats)
    if loop is None or find_loop(source, config.repetition_max_ngram,
                                 config.repetition_min_repeats):
        return []
    return [_flag("repetition", f"'{loop[0]}' repeated {loop[1]} times in a row in target")]


_CLOSERS = "\"'”’»«“)]}›‹ \u00a0"
_TERMINAL = ".!?…:;"
_DOUBLE_QUOTES = "\"„“”«»‟"


# Words whose period is an abbreviation's: "…, Mr." does not end a sentence.
_ABBREVIATION_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|Jr|Sr|No|Nr|vs|Gen|Col|Lt|Sgt|Capt|Rev|Gov|Sen|Rep|"
    r"Hr|Fr|Hrn|bzw|ca|z\.\s?B|u\.\s?a|d\.\s?h|e\.\s?g|i\.\s?e)|\b[A-Z])\.$"
)


def _ends_sentence(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return bool(body) and body[-1] in _TERMINAL and not _ABBREVIATION_END.search(body)


def _unbalanced(text: str) -> str | None:
    """The first bracket or quote that is not closed (or opened), if any."""
    for open_, close in ("()", "[]"):
        if text.count(open_) != text.count(close):
            return open_ if text.count(open_) > text.count(close) else close
    if sum(text.count(q) for q in _DOUBLE_QUOTES) % 2:
        return "quote"
    return None


def check_truncated(source: str, target: str) -> list[QaFlag]:
    """The target stops mid-sentence (or leaves a bracket/quote open) and the source does not."""
    if _ends_sentence(source) and not _ends_sentence(target):
        tail = target.rstrip()[-20:]
        return [_flag("truncated", f"source ends a sentence, target ends with '…{tail}'")]
    if _unbalanced(source) is None and (mark := _unbalanced(target)) is not None:
        return [_flag("truncated", f"target has an unbalanced {mark}, source does not")]
    return []


_BIDI_CONTROL = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


def check_bidi(source: str, target: str) -> list[QaFlag]:
    """A side holds bidi controls, so what a reader sees is not the order of the text.

    ``beträgt \u202e0051\u202c Euro`` *displays* as "1500 Euro", while the model, the TSV
    and every export have 0051 (Trojan Source). Cleaning removes these from articles; this
    check catches the ones that arrive another way (corrections, model output, pairs files).
    Right-to-left letters alone are not flagged: their display order is the script's own.
    """
    flags = []
    for side, text in (("source", source), ("target", target)):
        found = _BIDI_CONTROL.search(text)
        if found is not None:
            name = BIDI_CONTROLS[found.group()]
            flags.append(
                _flag(
                    "bidi",
                    f"{side} has bidi control U+{ord(found.group()):04X} ({name}) at character "
                    f"{found.start() + 1}: it displays in another order than the text has",
                )
            )
    return flags


def check_glossary(glossary_missing: Iterable[str]) -> list[QaFlag]:
    """One flag per pinned glossary term the target lost (as found by glossary.verify_terms)."""
    return [_flag("glossary", f"'{term}' pinned in source, missing in target")
            for term in glossary_missing]


def check_protected(protected_missing: Iterable[str]) -> list[QaFlag]:
    """One flag per protected span (URL, address, handle, hashtag; toolkit.glossary.spans) the
    target
    does not contain byte for byte."""
    return [_flag("protected", f"'{span}' in source, not byte for byte in target")
            for span in protected_missing]


def check_confidence(confidence: float | None, config: QaConfig) -> list[QaFlag]:
    """The model was unsure: its confidence is below ``config.low_confidence_threshold``.

    Off (no flag) while the threshold is None, and for segments without a model score.
    """
    threshold = config.low_confidence_threshold
    if threshold is None or confidence is None or confidence >= threshold:
        return []
    return [_flag("low-confidence", f"model confidence {confidence:.2f} is below {threshold:.2f}")]


# -- public API -------------------------------------------------------------------------------


def check_pair(
    source: str,
    target: str | None,
    src_lang: str,
    tgt_lang: str,
    config: QaConfig = QaConfig(),  # noqa: B008 -- frozen, so a shared default is safe
    *,
    glossary_missing: Sequence[str] = (),
    protected_missing: Sequence[str] = (),
    confidence: float | None = None,
) -> list[QaFlag]:
    """Every flag a reviewer should see for one segment pair, in :data:`PAIR_CHECKS` order.

    >>> check_pair("Guten Tag.", "", "de", "en")[0].message
    'empty: target is empty, source is not'
    """
    on = set(config.checks)
    if not source.strip():
        return []
    if target is None or not target.strip():
        return [_flag("empty", "target is empty, source is not")] if "empty" in on else []
    flags: list[QaFlag] = []
    if "untranslated" in on or "language" in on:
        flags += check_untranslated(source, target, src_lang, tgt_lang, config)
    if "number" in on:
        flags += check_numbers(source, target, src_lang, tgt_lang, config)
    if "glossary" in on:
        flags += check_glossary(glossary_missing)
    if "protected" in on:
        flags += check_protected(protected_missing)
    if "length" in on:
        flags += check_length(source, target, src_lang, tgt_lang, config)
    if "repetition" in on:
        flags += check_repetition(source, target, config)
    if "truncated" in on:
        flags += check_truncated(source, target)
    if "bidi" in on:
        flags += check_bidi(source, target)
    if "low-confidence" in on:
        flags += check_confidence(confidence, config)
    return [f for f in flags if f.check in on]


def consistency_key(source: str) -> str:
    """What counts as 'the same source sentence': NFKC, casefolded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFKC", source).casefold().split())


def check_consistency(pairs: Iterable[tuple[str, str, str]]) -> dict[str, list[QaFlag]]:
    """Flag pairs whose (normalised) source is translated differently elsewhere.

    ``pairs`` are ``(id, source, target)``; the result maps each flagged id to its
    ``inconsistent`` warning, which names the other ids.
    """
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pid, source, target in pairs:
        if source.strip() and target and target.strip():
            groups[consistency_key(source)].append((pid, " ".join(target.split())))
    out: dict[str, list[QaFlag]] = {}
    for members in groups.values():
        variants = {t for _, t in members}
        if len(variants) < 2:
            continue
        for pid, _ in members:
            others = [o for o, _ in members if o != pid]
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            out[pid] = [_flag("inconsistent", f"same source as {shown}, translated "
                                              f"{len(variants)} different ways")]
    return out


# -- reading pairs ----------------------------------------------------------------------------


class Pair(BaseModel):
    """One source/target pair read from a TSV or TMX file."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    target: str | None = None
    source_language: str | None = None
    """The row's own source language, where the file records one (export TSV/JSONL,
    the aligned TSV's ``origin source`` rows); ``None`` means the ``--src`` language."""


_ID_COLUMNS = ("id", "segment_id")
_PREFIX_COLUMNS = ("document", "file")  # the toolkit's multi-document files
_TARGET_COLUMNS = ("target", "english")


def read_bilingual(path: Path, src: str | None = None, tgt: str = "en") -> list[Pair]:
    """Pairs from any bilingual file the toolkit writes, or a plain one.

    Recognised: TMX (``.tmx``); JSONL, one object a line with ``source`` and ``target``
    (or ``english``), ids from ``document``/``segment`` or ``id`` (``toolkit export
    --format jsonl``); a JSON list of documents with ``segments`` (``toolkit translate
    --format json``); TSV with a header naming an id column (``id`` or ``segment_id``,
    prefixed by ``document``/``file`` when present), a source column (``source`` or
    the ``src`` code) and a target column (``target``, ``english`` or the ``tgt`` code)
    -- the aligned TSV, ``toolkit export --format tsv``, ``toolkit translate --format
    tsv``, the PUD files; and plain ``source<TAB>target`` lines without a header (ids
    are line numbers). Rows that record their own source language (``source_language``;
    ``origin`` ``source`` in the aligned TSV) carry it in :attr:`Pair.source_language`.
    Any problem raises :class:`QaInputError` with one line naming the file and the fix.

    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "plain.tsv"
    >>> _ = f.write_text("Vier Äpfel.\\tFour apples.\\n", encoding="utf-8")
    >>> read_bilingual(f, "de")[0].target
    'Four apples.'
    """
    path = Path(path)
    if path.suffix.lower() == ".tmx":
        return read_pairs(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise QaInputError(f"{path}: cannot read ({err.strerror}); check the path") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise QaInputError(
            f"{path}: not UTF-8 (bad byte at offset {err.start}); re-save it as UTF-8"
        ) from err
    start = text.lstrip()[:1]
    if start == "<":
        return read_pairs(path)
    if start == "[":
        return _read_json_documents(path, text)
    if start == "{" or path.suffix.lower() in (".jsonl", ".ndjson"):
        return _read_jsonl(path, text)
    return _read_tsv(path, text, src, tgt)


def _unique(path: Path, pairs: list[Pair]) -> list[Pair]:
    seen: set[str] = set()
    for pair in pairs:
        if pair.id in seen:
            raise QaInputError(f"{path}: id {pair.id!r} occurs twice; ids must be unique")
        seen.add(pair.id)
    return pairs


def _json_pair(path: Path, where: str, obj: object, fallback_id: str) -> Pair:
    if not isinstance(obj, dict):
        raise QaInputError(f"{path}: {where}: not a JSON object; each record must be "
                           "an object with source and target")
    source = obj.get("source")
    target = obj.get("target", obj.get("english"))
    if not isinstance(source, str) or not (target is None or isinstance(target, str)):
        raise QaInputError(f"{path}: {where}: needs a string 'source' and a string "
                           "'target' (or 'english'); found keys "
                           f"{', '.join(sorted(map(str, obj))) or 'none'}")
    if "document" in obj and ("segment" in obj or "id" in obj):
        pid = f"{obj['document']}:{obj.get('segment', obj.get('id'))}"
    else:
        pid = str(obj.get("id", obj.get("segment", fallback_id)))
    lang = obj.get("source_language")
    return Pair(id=pid, source=source, target=target,
                source_language=lang if isinstance(lang, str) else None)


def _read_jsonl(path: Path, text: str) -> list[Pair]:
    import json

    pairs = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:  # "[[[[…" nested deeper than Python's stack: not a record
            raise QaInputError(f"{path}: line {lineno}: JSON nested too deeply; JSONL needs "
                               "one flat object per line") from None
        except ValueError as err:
            raise QaInputError(f"{path}: line {lineno}: not valid JSON ({err.args[0][:60]}); "
                               "JSONL needs one object per line") from None
        pairs.append(_json_pair(path, f"line {lineno}", obj, str(lineno)))
    return _unique(path, pairs)


def _read_json_documents(path: Path, text: str) -> list[Pair]:
    import json

    try:
        docs = json.loads(text)
    except RecursionError:
        raise QaInputError(f"{path}: JSON nested too deeply; expected the output of toolkit "
                           "translate --format json") from None
    except ValueError as err:
        raise QaInputError(f"{path}: not valid JSON ({err.args[0][:60]}); fix the file") from None
    pairs = []
    for n, doc in enumerate(docs, start=1):
        segments = doc.get("segments") if isinstance(doc, dict) else None
        if not isinstance(segments, list):
            raise QaInputError(f"{path}: document {n} has no 'segments' list; expected the "
                               "output of toolkit translate --format json")
        name = str(doc.get("file", n))
        for i, seg in enumerate(segments, start=1):
            pair = _json_pair(path, f"document {n} segment {i}", seg, str(i))
            pairs.append(pair.model_copy(update={"id": f"{name}:{pair.id}"}))
    return _unique(path, pairs)


def _tsv_lines(text: str) -> list[str]:
    """The lines of a TSV file: split at ``\n`` (and ``\r\n``) only.

    Not ``str.splitlines()``, which also breaks at U+2028, U+0085 and U+001C-U+001E: one
    such character inside a cell (text pasted from the web or Word) would cut a row in two
    and turn a good file into "line 1 has 1 fields".
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _read_tsv(path: Path, text: str, src: str | None, tgt: str) -> list[Pair]:
    from toolkit.corpus.formats import tsv_unescape

    lines = _tsv_lines(text)
    if not lines or not lines[0].strip():
        raise QaInputError(f"{path}: is empty; expected a header line 'id<TAB>source<TAB>target' "
                           "or lines 'source<TAB>target'")
    header = lines[0].split("\t")
    known = {*_ID_COLUMNS, *_PREFIX_COLUMNS, "source", *_TARGET_COLUMNS}
    known |= {c for c in (src, tgt) if c}
    if not known & set(header):  # plain "source<TAB>target" lines, no header
        return _read_plain(path, lines)
    if header == ["source", "target"]:
        return _read_plain(path, lines[1:], first_line=2)
    id_col = next((c for c in _ID_COLUMNS if c in header), None)
    src_col = "source" if "source" in header else (src if src in header else None)
    tgt_col = next((c for c in (*_TARGET_COLUMNS, tgt) if c in header), None)
    missing = [name for name, col in (("id", id_col), ("source", src_col), ("target", tgt_col))
               if col is None]
    if missing:
        raise QaInputError(f"{path}: header lacks column(s) {', '.join(missing)}; "
                           f"found {', '.join(header)} (columns are tab-separated)")
    assert id_col and src_col and tgt_col
    prefix = next((c for c in _PREFIX_COLUMNS if c in header), None)
    # The toolkit's own TSVs (those with segment_id) escape tabs and newlines in cells.
    unescape = tsv_unescape if id_col == "segment_id" else (lambda v: v)
    pairs: list[Pair] = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            fields = plural(len(cells), "field")
            raise QaInputError(f"{path}: line {lineno} has {fields}, the header has "
                               f"{len(header)}; tabs inside text are not allowed")
        row = dict(zip(header, (unescape(c) for c in cells), strict=True))
        pid = f"{row[prefix]}:{row[id_col]}" if prefix else row[id_col]
        lang = row.get("source_language") or None
        if row.get("origin") == "source":  # aligned TSV: the source was already English
            lang = tgt
        pairs.append(Pair(id=pid, source=row[src_col], target=row[tgt_col],
                          source_language=lang))
    return _unique(path, pairs)


def _read_plain(path: Path, lines: list[str], first_line: int = 1) -> list[Pair]:
    pairs = []
    for lineno, line in enumerate(lines, start=first_line):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            fields = plural(len(cells), "field")
            raise QaInputError(f"{path}: line {lineno} has {fields}; without a header "
                               "each line must be source<TAB>target (or add a header "
                               "'id<TAB>source<TAB>target')")
        pairs.append(Pair(id=str(lineno), source=cells[0], target=cells[1]))
    return pairs


def read_pairs(path: Path, *, source_column: str = "source",
               target_column: str = "target") -> list[Pair]:
    """Read pairs from a TSV (header ``id``, ``source``, ``target``) or a ``.tmx`` file.

    Other column names can be chosen (the PUD file has ``id``, ``de``, ``en``). Any
    problem raises :class:`QaInputError` with one line naming the file and the fix.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise QaInputError(f"{path}: cannot read ({err.strerror}); check the path") from err
    if path.suffix.lower() == ".tmx":
        return _read_tmx(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise QaInputError(
            f"{path}: not UTF-8 (bad byte at offset {err.start}); re-save it as UTF-8"
        ) from err
    lines = _tsv_lines(text)
    if not lines or not lines[0].strip():
        raise QaInputError(f"{path}: is empty; expected a header line 'id<TAB>source<TAB>target'")
    header = lines[0].split("\t")
    wanted = ("id", source_column, target_column)
    missing = [c for c in wanted if c not in header]
    if missing:
        raise QaInputError(f"{path}: header lacks column(s) {', '.join(missing)}; "
                           f"found {', '.join(header)} (columns are tab-separated)")
    idx = [header.index(c) for c in wanted]
    pairs: list[Pair] = []
    seen: set[str] = set()
    for lineno, line in enumerate(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE),
                                  start=2):
        if not line or line == [""]:
            continue
        if len(line) != len(header):
            fields = plural(len(line), "field")
            raise QaInputError(f"{path}: line {lineno} has {fields}, the header has "
                               f"{len(header)}; tabs inside text are not allowed")
        pid, source, target = (line[i] for i in idx)
        if pid in seen:
            raise QaInputError(f"{path}: line {lineno} repeats id {pid!r}; ids must be unique")
        seen.add(pid)
        pairs.append(Pair(id=pid, source=source, target=target))
    return pairs


def _read_tmx(path: Path, data: bytes) -> list[Pair]:
    """Pairs from a TMX file: the header's ``srclang`` (or the first ``tuv``) is the source."""
    try:
        from lxml import etree
    except ImportError as err:
        raise QaInputError(f"{path}: reading TMX needs lxml; run: pip install lxml") from err

    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as err:
        raise QaInputError(f"{path}: not well-formed TMX ({err}); fix the XML") from err
    if root.tag != "tmx":
        raise QaInputError(f"{path}: root element is <{root.tag}>, not <tmx>; is this TMX?")
    header = root.find("header")
    srclang = (header.get("srclang") if header is not None else None) or ""
    pairs: list[Pair] = []
    for n, tu in enumerate(root.iter("tu"), start=1):
        segs: list[tuple[str, str]] = []
        for tuv in tu.findall("tuv"):
            seg = tuv.find("seg")
            lang = (tuv.get(xml_lang) or tuv.get("lang") or "").lower()
            segs.append((lang, "".join(seg.itertext()) if seg is not None else ""))
        if not segs:
            raise QaInputError(f"{path}: <tu> number {n} has no <tuv>; each needs a source one")
        src_i = next((i for i, (lang, _) in enumerate(segs)
                      if srclang and srclang.lower() != "*all*"
                      and lang.split("-")[0] == srclang.lower().split("-")[0]), 0)
        source = segs[src_i][1]
        rest = [t for i, (_, t) in enumerate(segs) if i != src_i]
        pairs.append(Pair(id=tu.get("tuid") or str(n), source=source,
                          target=rest[0] if rest else None))
    return pairs


# -- corpus summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QaSummary:
    """Flag counts of a built corpus: per document and check, and in total.

    The ``inconsistent`` check needs the whole corpus, so it is computed here (and by
    ``toolkit qa``) rather than in the build, which keeps each document's files a function
    of that document alone.
    """

    per_document: dict[str, Counter[str]]
    segments: dict[str, int]
    errors: int
    dismissed: Counter[str] = field(default_factory=Counter)
    """Flags a reviewer dismissed as false alarms, per check: listed, not counted above."""
    error_documents: int = 0
    """How many documents have at least one error-severity flag."""

    @property
    def per_check(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.per_document.values():
            total.update(counts)
        return total

    def to_json(self) -> dict[str, object]:
        return {
            "documents": {d: dict(c) for d, c in self.per_document.items()},
            "checks": dict(self.per_check),
            "errors": self.errors,
            "dismissed": dict(self.dismissed),
        }

    def table(self) -> list[list[str]]:
        """Rows of a ``document, <check>..., segments`` table, with a ``total`` row last."""
        checks = sorted(self.per_check)
        rows = [["document", *checks, "segments"]]
        for doc, counts in self.per_document.items():
            rows.append([doc, *(str(counts[k]) for k in checks), str(self.segments[doc])])
        total = self.per_check
        rows.append(["total", *(str(total[k]) for k in checks), str(sum(self.segments.values()))])
        return rows


@dataclass(frozen=True)
class CalibrationRow:
    """One candidate ``low_confidence_threshold`` and what it would flag."""

    threshold: float
    corrected_below: float
    """Share of human-corrected segments whose machine confidence is below the threshold."""
    all_below: float
    """Share of all scored segments below it: how much of the corpus the check would flag."""


def calibrate_confidence(
    records: Sequence[DocumentRecord], steps: int = 10
) -> tuple[list[CalibrationRow], float | None, int, int]:
    """Candidate thresholds for the ``low-confidence`` check, from a corpus with corrections.

    Every machine segment and every human correction of one (a correction keeps the
    confidence of the machine output it replaced) counts; the candidates are the
    ``steps``-quantiles of all confidences. Returns the rows, the proposed threshold (the one
    that best separates corrected from all segments: corrected share minus overall share is
    largest; None without corrections), and the numbers of scored and corrected segments.
    Calibration means something only with a real model and real human corrections.
    """
    scored = [
        (s.confidence, s.origin == "human")
        for r in records
        for s in r.segments
        if s.confidence is not None and s.origin in ("machine", "human")
    ]
    corrected = [c for c, human in scored if human]
    if not scored:
        return [], None, 0, 0
    values = sorted(c for c, _ in scored)
    candidates = sorted({values[min(len(values) - 1, (len(values) * k) // steps)]
                         for k in range(1, steps + 1)})
    rows = []
    for t in candidates:
        below_all = sum(1 for c in values if c < t) / len(values)
        below_corrected = sum(1 for c in corrected if c < t) / len(corrected) if corrected else 0.0
        rows.append(CalibrationRow(round(t, 4), below_corrected, below_all))
    proposed = (
        max(rows, key=lambda r: (r.corrected_below - r.all_below, -r.threshold)).threshold
        if corrected
        else None
    )
    return rows, proposed, len(values), len(corrected)


def summarize_corpus(records: Sequence[DocumentRecord]) -> QaSummary:
    """Count every segment's QA flags, plus corpus-wide ``inconsistent`` warnings."""
    consistency = check_consistency(
        (f"{r.document}:{s.id}", s.source, s.english or "")
        for r in records
        for s in r.segments
        if s.origin in ("machine", "human", "accepted")
    )
    per_document: dict[str, Counter[str]] = {}
    dismissed: Counter[str] = Counter()
    errors = error_documents = 0
    for r in records:
        counts: Counter[str] = Counter()
        before = errors
        for s in r.segments:
            for flag in [*s.qa, *consistency.get(f"{r.document}:{s.id}", [])]:
                if flag.dismissed is not None:  # a reviewer's "false alarm", with a reason
                    dismissed[flag.check] += 1
                    continue
                counts[flag.check] += 1
                errors += flag.severity == "error"
        per_document[r.document] = counts
        error_documents += errors > before
    segments = {r.document: len(r.segments) for r in records}
    return QaSummary(per_document, segments, errors, dismissed, error_documents)
