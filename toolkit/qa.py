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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from toolkit.errors import InputError
from toolkit.langid import detect_language
from toolkit.schema import QaFlag

Severity = Literal["error", "warning"]

SEVERITY: dict[str, Severity] = {
    "empty": "error",
    "untranslated": "error",
    "language": "warning",
    "number": "error",
    "glossary": "error",
    "length": "warning",
    "repetition": "error",
    "truncated": "error",
    "inconsistent": "warning",
}
"""Each check's fixed severity: errors are very likely wrong, warnings need a look."""

PAIR_CHECKS = (
    "empty",
    "untranslated",
    "language",
    "number",
    "glossary",
    "length",
    "repetition",
    "truncated",
)
"""The per-pair checks, in the order their flags are reported."""

LANGUAGE_NAMES = {"de": "German", "nl": "Dutch", "en": "English", "fr": "French", "es": "Spanish",
                  "it": "Italian"}


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
    language_candidates: tuple[str, ...] = ("de", "nl", "en", "fr", "es", "it")
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


# -- helpers ----------------------------------------------------------------------------------


def _flag(check: str, detail: str) -> QaFlag:
    return QaFlag(check=check, severity=SEVERITY[check], message=f"{check}: {detail}")


def _lang_name(code: str) -> str:
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


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
    "von van de der den da di du del della la le ter ten zu zur bin al el y dos das".split()
)


def content_words(text: str) -> int:
    """How many lowercase-initial words (not name particles) ``text`` has.

    A segment with none -- "Kim Kardashian", "BERLIN", "Apple Inc." -- is names or
    acronyms only, and is legitimately the same in every language.
    """
    return sum(
        1
        for m in _WORD.finditer(text)
        if m.group()[0].islower() and m.group() not in _NAME_PARTICLES and len(m.group()) > 1
        and not any(c.isupper() for c in m.group()[1:])  # iPhone, eBay: names
    )


# -- numbers ----------------------------------------------------------------------------------

_COMMA_DECIMAL = frozenset("de nl fr es it pt da sv nb no fi pl cs sk ru tr".split())
_NUMBER = re.compile(r"\d+(?:[.,:\u00a0\u202f\u2009]\d+)*")
_SUFFIX_WORD = re.compile(r"\s?([^\W\d_]+)\.?")
_DECADE_SUFFIX = re.compile(r"(?:er|ern|ers|s|['’]s)\b")
_TIME = re.compile(r"(\d{1,2})[.:](\d{2})")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})?")
_SCALES: dict[str, dict[str, int]] = {
    "en": {"thousand": 10**3, "k": 10**3, "million": 10**6, "millions": 10**6, "m": 10**6,
           "mn": 10**6, "billion": 10**9, "billions": 10**9, "bn": 10**9, "trillion": 10**12},
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


def _number_aliases(keys: set[str], after: str, lang: str) -> set[str]:
    """Extra keys from what follows a number: a scale word or a decade suffix."""
    out = set(keys)
    if (m := _SUFFIX_WORD.match(after)) and (
        scale := _SCALES.get(lang, _SCALES["en"]).get(m.group(1).casefold())
    ):
        out |= {_num_key(Decimal(k) * scale) for k in keys if not k.startswith("t")}
    if _DECADE_SUFFIX.match(after):
        for k in keys:
            if k.isdigit() and int(k) % 10 == 0:
                out |= _decade_keys(int(k))
    return out


def _decade_keys(value: int) -> set[str]:
    """'70er', '1970s', 'seventies' all name the same decade."""
    if value < 100:
        return {str(value), str(1900 + value), str(2000 + value)}
    return {str(value), str(value % 100)}


# Spelled-out numbers. Tables are generated for 0-99 so compounds ("achtundzwanzig",
# "tweeëntwintig", "twenty-eight") and ordinals ("sechzigste", "sixtieth") are covered.
_EN_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_ORD = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth",
           12: "twelfth"}
_DE_UNITS = ("null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn "
             "vierzehn fünfzehn sechzehn siebzehn achtzehn neunzehn").split()
_DE_TENS = "zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split()
_NL_UNITS = ("nul één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien "
             "vijftien zestien zeventien achttien negentien").split()
_NL_TENS = "twintig dertig veertig vijftig zestig zeventig tachtig negentig".split()


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
               "dozen": (12, False), "dozens": (12, False)})
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
               "eintausend": (1000, False), "siebente": (7, False)})
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
    nl.update({"honderd": (100, False), "duizend": (1000, False), "honderdste": (100, False)})
    return {"en": en, "de": de, "nl": nl}


_WORDS = _number_words()
# Source words not required in the target: articles ("ein", "een"), "first" (often
# rendered "initial", "early"), and words with a common non-number sense.
_SOURCE_WORD_SKIP = frozenset(
    "eins null erste erster ersten erstem erstes achten elf nul eerste".split()
)
_WORD_TOKEN = re.compile(r"[^\W\d_]+")
_WORD_GAP = re.compile(r"(?:[\s\-‐]|\band\b|\bund\b|\ben\b)*")


def _word_numbers(text: str, lang: str) -> list[tuple[str, int, bool, int]]:
    """Spelled-out numbers in ``text``: (word, value, is_decade, start offset)."""
    table = _WORDS.get(lang)
    if table is None:
        return []
    out = []
    for m in _WORD_TOKEN.finditer(text):
        hit = table.get(m.group().casefold())
        if hit is not None:
            out.append((m.group(), hit[0], hit[1], m.start()))
    return out


def _target_number_keys(target: str, lang: str) -> tuple[set[str], list[str]]:
    """Every key the target's numbers (digits and words) satisfy, and its digit tokens."""
    keys: set[str] = set()
    tokens: list[str] = []
    for m in _NUMBER.finditer(target):
        tokens.append(m.group())
        for item in _token_items(m.group(), lang):
            keys |= _number_aliases(item, target[m.end():m.end() + 12], lang)
    words = _word_numbers(target, lang)
    run: list[int] = []
    prev_end = -1
    for word, value, decade, start in words:
        keys.add(str(value))
        if decade:
            keys |= _decade_keys(value)
        # Combine adjacent words: "twenty eight" -> 28, "two hundred" -> 200.
        if run and _WORD_GAP.fullmatch(target[prev_end:start]):
            run.append(value)
        else:
            run = [value]
        keys.add(str(_combine(run)))
        prev_end = start + len(word)
    return keys, tokens


def _combine(values: Sequence[int]) -> int:
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
        for item in _token_items(m.group(), src_lang):
            required.append((m.group(), _number_aliases(item, source[m.end():m.end() + 12],
                                                        src_lang)))
    if config.number_words:
        for word, value, decade, start in _word_numbers(source, src_lang):
            if word.casefold() in _SOURCE_WORD_SKIP or value < 2:
                continue
            if word[0].isupper() and start > 0 and source[:start].strip(" „“\"'«»(")[-1:] not in ".!?:":
                continue  # capitalised mid-sentence: a noun ("die Elf", "die Acht")
            required.append((word, _decade_keys(value) if decade else {str(value)}))
    if not required:
        return []
    have, tokens = _target_number_keys(target, tgt_lang)
    flags = []
    for text, keys in required:
        if not keys & have:
            unmatched = [t for t in tokens if not any(
                item & keys for item in _token_items(t, tgt_lang))]
            extra = f" (target has {', '.join(unmatched)})" if unmatched else ""
            flags.append(_flag("number", f"source has {text}, target lacks it{extra}"))
    # A number missing twice yields one flag.
    return list({f.message: f for f in flags}.values())


# -- the other checks -------------------------------------------------------------------------


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
        if content_words(source) >= 1:
            return [_flag("untranslated", "target is a copy of the source")]
        return []
    if len(target.strip()) < config.language_min_chars or content_words(target) < 2:
        return []
    cands = tuple(sorted(set(config.language_candidates) | {src_lang, tgt_lang}))
    guess = detect_language(target, cands)
    if guess.language == tgt_lang or guess.confidence < config.language_min_confidence:
        return []
    if guess.language == src_lang:
        return [_flag("untranslated", f"target reads as {_lang_name(src_lang)}, "
                                      f"not {_lang_name(tgt_lang)}")]
    if "language" in config.checks:
        return [_flag("language", f"target reads as {_lang_name(guess.language)}, "
                                  f"expected {_lang_name(tgt_lang)}")]
    return []


def length_band(src_lang: str, tgt_lang: str, config: QaConfig) -> tuple[float, float]:
    """The configured ratio band for a pair; same-language pairs get a tight one."""
    pair = f"{src_lang}-{tgt_lang}"
    for band in config.length_bands:
        if band.pair == pair:
            return band.low, band.high
    if src_lang == tgt_lang:
        return 0.8, 1.25
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


def _ends_sentence(text: str) -> bool:
    body = text.rstrip(_CLOSERS)
    return bool(body) and body[-1] in _TERMINAL


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


def check_glossary(glossary_missing: Iterable[str]) -> list[QaFlag]:
    """One flag per pinned glossary term the target lost (as found by glossary.verify_terms)."""
    return [_flag("glossary", f"'{term}' pinned in source, missing in target")
            for term in glossary_missing]


# -- public API -------------------------------------------------------------------------------


def check_pair(
    source: str,
    target: str | None,
    src_lang: str,
    tgt_lang: str,
    config: QaConfig = QaConfig(),  # noqa: B008 -- frozen, so a shared default is safe
    *,
    glossary_missing: Sequence[str] = (),
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
    if "length" in on:
        flags += check_length(source, target, src_lang, tgt_lang, config)
    if "repetition" in on:
        flags += check_repetition(source, target, config)
    if "truncated" in on:
        flags += check_truncated(source, target)
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
    lines = text.splitlines()
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
            raise QaInputError(f"{path}: line {lineno} has {len(line)} fields, the header has "
                               f"{len(header)}; tabs inside text are not allowed")
        pid, source, target = (line[i] for i in idx)
        if pid in seen:
            raise QaInputError(f"{path}: line {lineno} repeats id {pid!r}; ids must be unique")
        seen.add(pid)
        pairs.append(Pair(id=pid, source=source, target=target))
    return pairs


def _read_tmx(path: Path, data: bytes) -> list[Pair]:
    """Pairs from a TMX file: the header's ``srclang`` (or the first ``tuv``) is the source."""
    from lxml import etree

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
