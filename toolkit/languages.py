"""The language codes the toolkit knows, and the one place a user's code is checked.

Every ``--from``, ``--to``, ``--lang``, ``--src`` and ``--tgt`` goes through
:func:`normalize_language`, and so does every library entry and configuration field that
takes a language (:func:`language_code`; ``prepare_document(language=...)``,
``segment``, ``check_pair``, ``pin_translate``, ``ArgosProvider``'s pairs,
``BuildConfig.target_language``, ``SegmentConfig.extra_abbreviations``, ...): case and
region subtags are dropped (``DE``, ``de-DE``, ``de_DE`` -> ``de``, as Argos packages and
language id name base languages), and a code nobody knows is one line naming the codes
that work and the installed model pairs, instead of a traceback from the language-id
model or an install hint for a model ``german→en`` that cannot exist.

Known codes: the languages the toolkit is tuned for
(:data:`toolkit.config.languages.LANGUAGE_NAMES`: segmentation
rules, QA length bands, the candidates of sentence-level language id) plus every code the
language-id model (py3langid) can name: the codes builds ask models for. An installed Argos
package's code is not known for being installed (a ``deu→en`` package made ``--from deu``
pass while builds never ask for ``deu``); :func:`toolkit.translation.installed.serving` uses
only packages whose codes this module knows, so what commands accept and what
``models list`` calls used is one rule.

Example:
    >>> normalize_language("de_DE")
    'de'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from toolkit.config.languages import ARGOS_INDEX, IDENTIFIED_AS, LANGUAGE_NAMES, NAMES
from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.schema import LanguageGuess

# Stdlib ``re``, not ``regex``: the patterns are ASCII, and the module stays light.
_CODE = re.compile(r"[a-z]{2,3}")
# A primary subtag, then optional subtags (region, script): de, de-DE, de_at, zh-Hant-TW.
_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


UNDETERMINED = "und"
"""ISO 639-2 for "undetermined": the language id's answer for text with no letters."""

NO_LANGUAGE = "zxx"
"""What language id names a text with no language content (numbers, emoji, a URL)."""

RECORDED_ONLY = frozenset({UNDETERMINED, NO_LANGUAGE})
"""Codes the toolkit's own records carry that name no language (``und``; ``zxx``, no
linguistic content: numbers, emoji, a URL): :func:`language_code` keeps them, so a QA check of
a recorded pair never fails on them; ``--from`` takes only ``zxx`` (``toolkit.cli.options.
check_language``: the advice for a table names it)."""


def identified_as(code: str) -> str:
    """The code language id names ``code``'s language by
    (:data:`~toolkit.config.languages.IDENTIFIED_AS`: ``nb`` -> ``no``; else itself): what a
    stated language is compared with what id read by."""
    return IDENTIFIED_AS.get(code, code)


def same_language(code: str, other: str) -> bool:
    """Whether ``code`` and ``other`` name one language (:func:`identified_as` both sides:
    ``no`` and ``nb``, ``pt`` and ``pb``, ``zh`` and ``zt``): the one rule by which a language
    read or stated is compared with a target (:func:`needs_no_model`, QA's wrong-language
    check), since language id cannot tell the two codes' texts apart."""
    return identified_as(code) == identified_as(other)


def argos_codes(code: str) -> tuple[str, ...]:
    """The codes Argos's package index (:data:`~toolkit.config.languages.ARGOS_INDEX`) names
    ``code``'s language by: ``code`` itself if the index has it, then the Argos codes language
    id reads as ``code`` (:data:`~toolkit.config.languages.IDENTIFIED_AS` read back):
    ``no`` -> ``nb``, ``pt`` -> ``pt``, ``pb``; ``la`` -> none (no Argos package exists)."""
    own = (code,) if code in ARGOS_INDEX else ()
    return own + tuple(argos for argos, model in IDENTIFIED_AS.items() if model == code)


def package_pairs(from_code: str, to_code: str) -> list[tuple[str, str]]:
    """The package pairs that translate ``from_code``→``to_code``, in the order they are
    used: the pair itself (any package installed, one of the index or of one's own), then
    the pairs of Argos's codes for its languages (:func:`argos_codes`): a document read as
    ``no`` is translated by an installed ``nb→en`` package; one stated ``nb`` needs ``nb``.
    The source widens to every Argos code of its language (language id cannot tell ``pt``
    from ``pb``, ``zh`` from ``zt``); the target, a code the user stated, only where it is
    no Argos code itself (``no`` -> ``nb``): into ``zh`` a ``zt`` package would write
    Traditional Chinese labelled ``zh``. The one rule of
    :func:`toolkit.translation.installed.find_package` (so build, translate, status,
    ``models install``) and of which package a kept translation came from."""
    pairs = [(from_code, to_code)]
    targets = (to_code,) if to_code in ARGOS_INDEX else argos_codes(to_code) or (to_code,)
    for source in argos_codes(from_code) or (from_code,):
        for target in targets:
            if (source, target) not in pairs and source != target:
                pairs.append((source, target))
    return pairs


class AskedCodes(NamedTuple):
    """Languages a caller asks language id about, as the model names them, and the way back.

    Built by :func:`asked_codes`: language id (:mod:`toolkit.prepare.langid`) is asked in
    Argos's codes (``nb``) and answers in the caller's, so no caller maps codes itself (a
    caller that forgot got ``ValueError: Unknown language code(s): {'nb'}``)."""

    codes: tuple[str, ...]
    """The distinct model codes asked, sorted (the model's columns)."""
    back: dict[str, str]
    """Model code -> the caller's code, where they differ (``no`` -> ``nb``)."""

    def guess(self, guess: LanguageGuess) -> LanguageGuess:
        """``guess`` (a model code) in the caller's code."""
        code = self.back.get(guess.language)
        return guess if code is None else guess.model_copy(update={"language": code})


def asked_codes(codes: Iterable[str]) -> AskedCodes:
    """``codes`` as language id is asked them (:class:`AskedCodes`). A language asked by both
    codes is answered by the first of its Argos codes asked (:func:`argos_codes`' order: the
    model's own code where Argos has it): ``no`` and ``nb`` -> ``nb`` (``no`` is no Argos code:
    the code a caller names a document or pair by is ``nb``, ``no`` may come with default
    candidates); ``zh`` and ``zt`` -> ``zh``, ``pt`` and ``pb`` -> ``pt`` (both are Argos's, and
    language id cannot tell them apart: answering ``zt`` labelled every Chinese text
    Traditional). The order of ``codes`` does not matter. Remembered: QA asks twice per
    segment, with the same few candidates (5 µs each was 4 % of a call)."""
    return _asked_codes(tuple(codes))


@lru_cache(maxsize=64)
def _asked_codes(codes: tuple[str, ...]) -> AskedCodes:
    back: dict[str, str] = {}
    for model in {identified_as(code) for code in codes}:
        back[model] = next((c for c in argos_codes(model) if c in codes), model)
    return AskedCodes(tuple(sorted(back)), {m: c for m, c in back.items() if m != c})


def needs_no_model(language: str, target: str) -> bool:
    """Whether a document (or sentence) in ``language`` is its own ``target`` text, so no
    model translates it: it is in the target language, or it has no language content
    (:data:`NO_LANGUAGE`, read or stated in ``languages:``: numbers, a URL, a table). Its
    record keeps ``zxx`` as its language; the build, QA, staleness, export and review ask
    here, so such a document is copied and checked like one in the target language. One
    language by two codes is one language where one code is only language id's name for the
    other (not in Argos's index): a text read as ``no`` built into ``nb`` is its own text (it
    asked for a model ``no→nb``, advising ``toolkit models install nb nb``). Two Argos codes
    stay two targets (``zh``/``zt``, ``pt``/``pb``: other scripts or spellings, each with
    packages): a text read as ``zh`` built into ``zt`` is translated, not copied as
    Traditional Chinese. (QA's wrong-language check keeps :func:`same_language`: language id
    cannot tell those texts apart.)

    >>> needs_no_model("no", "nb"), needs_no_model("zh", "zt"), needs_no_model("zxx", "en")
    (True, False, True)
    """
    if language in (NO_LANGUAGE, target):
        return True
    one_is_id_name = language not in ARGOS_INDEX or target not in ARGOS_INDEX
    return one_is_id_name and same_language(language, target)


class UnknownLanguage(ToolkitError):
    """A language code the toolkit does not know; the message lists the ones it does."""


@lru_cache(maxsize=1)
def identifiable() -> frozenset[str]:
    """Every code the language-id model can name (loads py3langid's model once)."""
    from toolkit.prepare.langid_model import shared_identifier

    codes = {str(c) for c in shared_identifier().nb_classes}
    return frozenset(c for c in codes if _CODE.fullmatch(c) and c != "zxx")  # zxx: no language


def language_name(code: str) -> str:
    """``German (de)``, ``Turkish (tr)``, ``no linguistic content (zxx)``: the name of every
    code language id can answer (:data:`toolkit.config.languages.NAMES`); a code nobody
    named is shown once, as itself (``xx``), never as ``xx (xx)``."""
    name = NAMES.get(code)
    return f"{name} ({code})" if name else code


def primary_language(tag: str) -> str | None:
    """The primary language subtag of a language tag, lower-cased, known or not: ``en-US``,
    ``EN_us``, ``en`` -> ``en``; None when ``tag`` is no language tag (``english``, ``x-foo``).

    The one rule by which a tag with a region names a language: :func:`normalize_language`
    checks the code it gives, and a TMX ``xml:lang``, a TSV column named ``de-DE`` and the
    language a glossary entry is matched in are compared by it (:mod:`toolkit.qa.tmx`,
    :mod:`toolkit.qa.pairs`, :mod:`toolkit.glossary.match`).
    """
    match = _TAG.fullmatch(tag.strip())
    return match.group(1).lower() if match else None


def normalize_language(
    code: str, installed: Iterable[tuple[str, str]] | None = None, *, option: str = "language"
) -> str:
    """The base ISO 639 code of ``code``: ``DE``, ``de-DE``, ``de_DE`` -> ``de``.

    ``installed`` (the model pairs commands use, ``(from, to)``) is listed in the error;
    None (a glossary, a file's row: no models are asked) leaves the list out rather than
    saying ``none``. Raises :class:`UnknownLanguage` with one line,
    prefixed by ``option`` (``--from``), for anything else: a name (``german``: use
    ``de``), a typo or a code no part of the toolkit knows (``xx``).
    """
    pairs = sorted(set(installed or ()))
    text = code.strip()
    base = primary_language(text)
    if base is not None and (
        base in LANGUAGE_NAMES or base in IDENTIFIED_AS or base in identifiable()
    ):
        return base
    by_name = {name.lower(): c for c, name in LANGUAGE_NAMES.items()}
    if text.lower() in by_name:
        advice = f"a language name, not a code; use {by_name[text.lower()]}"
    else:
        advice = (
            f"unknown language code; use one of {', '.join(LANGUAGE_NAMES)} or another of the "
            f"{len(identifiable())} ISO 639 codes language id knows"
        )
    if installed is not None:
        advice += f"; installed model pairs: {', '.join(f'{f}→{t}' for f, t in pairs) or 'none'}"
    raise UnknownLanguage(f"{option} {code!r}: {advice}")


def language_code(code: str, option: str = "language") -> str:
    """:func:`normalize_language` without installed pairs, remembered: the check every library
    entry that takes a language runs (``segment``, ``check_pair``, ``pin_translate``, the
    provider's pairs, language fields of the configuration), cheap enough per segment.

    A non-``str`` is one line too (``None``, ``5``, a list): :class:`UnknownLanguage` naming
    ``option``. :data:`RECORDED_ONLY` codes (``und``, ``zxx``: what a record may carry) are
    kept, case-folded as every other code is (``ZXX`` as ``zxx``, like ``DE`` as ``de``).
    """
    if not isinstance(code, str):
        raise UnknownLanguage(
            f"{option} {code!r}: a language code is a str such as "
            f"{', '.join(LANGUAGE_NAMES)}, not {type(code).__name__}"
        )
    folded = code.lower()
    return folded if folded in RECORDED_ONLY else _remembered(code, option)


@lru_cache(maxsize=256)
def _remembered(code: str, option: str) -> str:
    return normalize_language(code, option=option)


__all__ = [
    "AskedCodes",
    "UnknownLanguage",
    "argos_codes",
    "asked_codes",
    "identifiable",
    "identified_as",
    "language_code",
    "language_name",
    "normalize_language",
    "package_pairs",
    "primary_language",
    "same_language",
]
