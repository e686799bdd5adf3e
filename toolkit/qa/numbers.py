"""The number check: every number of the source must reach the target in some form.

Numbers are compared as sets of keys: each digit token gives the keys of every value it can
stand for under the language's conventions (``1.000,5`` in German, ``1,000.5`` in English; a
time ``6.30``; a date's day and year), widened by the words around it (a scale word
"Millionen", a decade suffix "70er", a clock "20 Uhr"); spelled-out numbers come from
:mod:`toolkit.qa.number_words`. A source number is satisfied when one of its keys is among
the target's.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from toolkit.config.qa import QaConfig
from toolkit.qa.flags import qa_flag
from toolkit.qa.number_words import (
    DECADE_PREFIX,
    decade_keys,
    explained_values,
    one_word_numbers,
    required_words,
    word_numbers,
)
from toolkit.qa.text import split_words
from toolkit.schema import QaFlag

_COMMA_DECIMAL = frozenset(split_words("de nl fr es it pt da sv nb no fi pl cs sk ru tr"))
_NUMBER = re.compile(r"\d+(?:[.,:\u00a0\u202f\u2009]\d+)*")
_SUFFIX_WORD = re.compile(r"\s?([^\W\d_]+)\.?")
_DECADE_SUFFIX = re.compile(r"(?:er|ern|ers|s|['’]s)\b")
_CLOCK_HOUR = re.compile(r"\s?(?:Uhr|uur|h)\b")
_AM_PM = re.compile(r"\s?(?:[ap]\.?m\.?)(?!\w)", re.IGNORECASE)  # "10am", "6 p.m."
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

# A scale word on its own ("eine Million"); not the one- and two-letter "k", "m", "bn".
_SCALE_WORD = {lang: re.compile(rf"\b(?:{'|'.join(w for w in table if len(w) > 2)})\b",
                                re.IGNORECASE) for lang, table in _SCALES.items()}


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
            return m.group(1), factor  # the word, not the full stop after it ("1 million.")
    return None


def _number_aliases(keys: set[str], after: str, lang: str,
                    before: str = "") -> tuple[set[str], set[str]]:
    """A number's keys widened by the words around it (a scale word, a clock, a decade
    marker), read two ways from one reading of those words: as a source number requires
    them, and as the number stands for them.

    Required, a scaled number keeps only its scaled value, so "3,5 Milliarden" is not
    satisfied by "3.5 million"; standing for, it is both ("3,5 Milliarden" explains a
    target's 3.5 and 3,500,000).
    """
    scaled: set[str] = set()
    if scale := _scale(after, lang):
        scaled = {_num_key(Decimal(k) * scale[1]) for k in keys if not k.startswith("t")}
    extra: set[str] = set()
    if _CLOCK_HOUR.match(after):  # "20 Uhr" is "8 pm"
        extra |= {str(int(k) - 12) for k in keys if k.isdigit() and 13 <= int(k) <= 24}
    if _AM_PM.match(after):  # "10am" is the time 10:00
        extra |= {f"t{int(k)}:00" for k in keys if k.isdigit() and 1 <= int(k) <= 12}
    if _DECADE_SUFFIX.match(after) or DECADE_PREFIX.search(before):
        for k in keys:
            if k.isdigit() and int(k) % 10 == 0:
                extra |= decade_keys(int(k))
    return (scaled or keys) | extra, keys | scaled | extra


def _shown(token: str, after: str, lang: str) -> str:
    """A number as a message shows it: with its scale word or decade suffix."""
    if scale := _scale(after, lang):
        return f"{token} {scale[0]}"
    if decade := _DECADE_SUFFIX.match(after):
        return token + decade.group()
    return token


class _DigitNumber(NamedTuple):
    """One digit token of a text: as a message shows it, the keys a source requires of a
    target for each number it stands for (a date is two), and every key it stands for."""

    shown: str
    required: list[set[str]]
    keys: set[str]


def _digit_numbers(text: str, lang: str) -> list[_DigitNumber]:
    """The digit numbers of ``text``, each read once for every use: a source's required
    keys, a target's keys, the keys that explain a target's numbers."""
    out: list[_DigitNumber] = []
    for m in _NUMBER.finditer(text):
        after, before = text[m.end():m.end() + 12], text[max(0, m.start() - 8):m.start()]
        required: list[set[str]] = []
        keys: set[str] = set()
        for item in _token_items(m.group(), lang):
            strict, loose = _number_aliases(item, after, lang, before=before)
            required.append(strict)
            keys |= loose
        out.append(_DigitNumber(_shown(m.group(), after, lang), required, keys))
    return out


def _word_number_keys(text: str, lang: str) -> set[str]:
    """Every key the spelled-out number runs of ``text`` stand for."""
    keys: set[str] = set()
    for run in word_numbers(text, lang):
        # Each word on its own too: "five six-year-olds" is not 11.
        keys |= {str(v) for v in run.values} | {str(run.value)}
        if run.decade or DECADE_PREFIX.search(text[max(0, run.start - 8):run.start]):
            keys |= decade_keys(run.value)  # "zeventiger", "jaren zeventig"
    return keys


def _target_number_keys(target: str, lang: str) -> tuple[set[str], list[tuple[str, set[str]]]]:
    """Every key the target's numbers (digits and words) satisfy, and each digit number
    as shown in a message with its own keys."""
    digits = _digit_numbers(target, lang)
    keys = set().union(*(d.keys for d in digits)) | _word_number_keys(target, lang)
    keys |= {_num_key(v) for v in one_word_numbers(target, lang)}  # "zweitausend"
    return keys, [(d.shown, d.keys) for d in digits]


def check_numbers(source: str, target: str, src_lang: str, tgt_lang: str,
                  config: QaConfig) -> list[QaFlag]:
    """One flag per source number the target lacks in any equivalent form.

    Equivalent forms: locale formatting (``1.000,5`` = ``1,000.5``), ordinals (``9.`` =
    ``9th`` = ``ninth``), words (``vier`` = ``four`` = ``4``), scale words (``5,7
    Millionen`` = ``5,700,000``), decades (``70er`` = ``1970s`` = ``seventies``), times
    (``6:30`` = ``6.30``, ``10:00`` = ``10am``).

    When every source number is there, a digit number of the target that no number of the
    source stands for is flagged too ("target has 3000, the source has no such number"): an
    invented number is as wrong as a dropped one (a model's hallucination; a score "3:1" made
    "3:1, 20 minutes"). Not when a source number is missing: that flag already names the
    target's unmatched numbers. The source explains a number generously (its digits and
    words as the target's would be read, and :func:`toolkit.qa.number_words.explained_values`:
    compounds "zweitausend", "zweimonatig", "eineinhalb", "halbe Stunde"; a scale word
    without digits, "einer Million").
    """
    source_digits = _digit_numbers(source, src_lang)  # read once: required and explaining
    required = [(d.shown, keys) for d in source_digits for keys in d.required]
    if config.number_words:
        required += required_words(source, src_lang)
    have, target_numbers = _target_number_keys(target, tgt_lang)
    flags: dict[str, QaFlag] = {}  # keyed by message: a number missing twice is one flag
    for text, keys in required:
        if keys & have:
            continue
        # The target's numbers that match no source number: probably what it became.
        unmatched = [shown for shown, own in target_numbers
                     if not any(own & k for _, k in required)]
        extra = f" (target has {', '.join(unmatched)})" if unmatched else ""
        flag = qa_flag("number", f"source has {text}, target lacks it{extra}")
        flags[flag.message] = flag
    if not flags:
        for shown in _unexplained(source, src_lang, source_digits, target_numbers):
            flag = qa_flag("number", f"target has {shown}, the source has no such number")
            flags[flag.message] = flag
    return list(flags.values())


def _unexplained(source: str, lang: str, source_digits: list[_DigitNumber],
                 target_numbers: list[tuple[str, set[str]]]) -> list[str]:
    """The target's digit numbers (as shown) that no number of the source stands for."""
    if not target_numbers:
        return []
    explained = set().union(*(d.keys for d in source_digits)) | _word_number_keys(source, lang)
    # explained_values includes every one-word number ("zweitausend"), so the target's
    # one_word_numbers reading is not needed here.
    values = explained_values(source, lang)
    # A scale word without digits: "einer Million" is "1 million", "zweieinhalb Millionen"
    # is "2,500,000" (the target's "2.5 million" is explained by the 2.5 alone).
    scale_lang = lang if lang in _SCALES else "en"
    factors = {_SCALES[scale_lang][m.group().casefold()]
               for m in _SCALE_WORD[scale_lang].finditer(source)}
    explained |= {_num_key(v) for v in values} | {str(f) for f in factors}
    explained |= {_num_key(v * f) for v in values for f in factors}
    return [shown for shown, own in target_numbers if own and not own & explained]
