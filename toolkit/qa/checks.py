"""Translation QA: flag every segment pair a reviewer must look at.

Each check is a small pure function with a name, a fixed severity and a one-line
message that says what differs (``number: source has 45, target lacks it``).
All thresholds live in :class:`toolkit.config.qa.QaConfig`, which the build records in
provenance; :mod:`toolkit.qa.numbers` holds the number check, the largest one.

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

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from toolkit.arguments import require_text
from toolkit.config.qa import QaConfig
from toolkit.languages import language_code, language_name, needs_no_model, same_language
from toolkit.prepare.clean import BIDI_CONTROLS
from toolkit.prepare.langid import detect_language
from toolkit.qa.flags import qa_flag
from toolkit.qa.numbers import check_numbers
from toolkit.qa.text import find_loop, has_content_words, normalize_text
from toolkit.schema import LanguageGuess, QaFlag

if TYPE_CHECKING:
    from toolkit.config.glossary import SpanConfig
    from toolkit.glossary.model import Glossary


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
    segment whose source language is the target language (or none: ``zxx``, numbers, a
    table; :func:`~toolkit.languages.needs_no_model`) is never untranslated.
    """
    if needs_no_model(src_lang, tgt_lang):
        return []
    if normalize_text(source) == normalize_text(target):
        if has_content_words(source):
            return [qa_flag("untranslated", "target is a copy of the source")]
        return []
    if len(target.strip()) < config.language_min_chars or not has_content_words(target):
        return []
    # One call settles the usual case (target in the target language). Otherwise the
    # source-vs-target question is asked on its own: a two-way choice is far more
    # reliable on short text than a six-way one (UD EWT dev: 0 of 1,544 English
    # sentences read as German at 0.9, 778 of 780 German sentences do).
    # Language id takes Argos's codes (nb) and answers in them: no mapping here.
    cands = tuple(sorted(set(config.language_candidates) | {src_lang, tgt_lang}))
    broad = _detect(target, cands)
    if broad is None or same_language(broad.language, tgt_lang):  # pt for pb: one language
        return []
    pairwise = _detect(target, (src_lang, tgt_lang))
    if pairwise is None:
        return []
    if pairwise.language == src_lang and pairwise.confidence >= config.language_min_confidence:
        return [qa_flag("untranslated", f"target reads as {language_name(src_lang)}, "
                                      f"not {language_name(tgt_lang)}")]
    sure = broad.confidence >= config.language_min_confidence
    if sure and not same_language(broad.language, src_lang):
        return [qa_flag("language", f"target reads as {language_name(broad.language)}, "
                                  f"expected {language_name(tgt_lang)}")]
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
    return [qa_flag("length", f"target is {t} chars for a {s}-char source (ratio {t / s:.2f}, "
                            f"band {low:.2f}-{high:.2f}): too {side}")]


def check_repetition(source: str, target: str, config: QaConfig) -> list[QaFlag]:
    """A phrase looping in the target (an NMT hallucination) that does not loop in the source."""
    loop = find_loop(target, config.repetition_max_ngram, config.repetition_min_repeats)
    if loop is None or find_loop(source, config.repetition_max_ngram,
                                 config.repetition_min_repeats):
        return []
    return [qa_flag("repetition", f"'{loop[0]}' repeated {loop[1]} times in a row in target")]


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
        return [qa_flag("truncated", f"source ends a sentence, target ends with '…{tail}'")]
    if _unbalanced(source) is None and (mark := _unbalanced(target)) is not None:
        return [qa_flag("truncated", f"target has an unbalanced {mark}, source does not")]
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
                qa_flag(
                    "bidi",
                    f"{side} has bidi control U+{ord(found.group()):04X} ({name}) at character "
                    f"{found.start() + 1}: it displays in another order than the text has",
                )
            )
    return flags


def check_glossary(glossary_missing: Iterable[str]) -> list[QaFlag]:
    """One flag per pinned glossary term the target lost (as found by glossary.verify_terms)."""
    return [qa_flag("glossary", f"'{term}' pinned in source, missing in target")
            for term in glossary_missing]


def check_protected(protected_missing: Iterable[str]) -> list[QaFlag]:
    """One flag per protected span (URL, address, handle, hashtag; toolkit.glossary.spans) the
    target
    does not contain byte for byte."""
    return [qa_flag("protected", f"'{span}' in source, not byte for byte in target")
            for span in protected_missing]


def check_confidence(confidence: float | None, config: QaConfig) -> list[QaFlag]:
    """The model was unsure: its confidence is below ``config.low_confidence_threshold``.

    Off (no flag) while the threshold is None, and for segments without a model score.
    """
    threshold = config.low_confidence_threshold
    if threshold is None or confidence is None or confidence >= threshold:
        return []
    return [
        qa_flag("low-confidence", f"model confidence {confidence:.2f} is below {threshold:.2f}")
    ]




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

    ``src_lang``/``tgt_lang`` by the rule of ``--src``/``--tgt`` (``DE``, ``de-DE`` -> ``de``;
    they chose the default length band and flagged ``de``/``DE`` copies as untranslated);
    ``source``/``target`` must be text (:func:`toolkit.arguments.require_text`).

    >>> check_pair("Guten Tag.", "", "de", "en")[0].message
    'empty: target is empty, source is not'
    """
    src_lang = language_code(src_lang, "check_pair(): src_lang")
    tgt_lang = language_code(tgt_lang, "check_pair(): tgt_lang")
    source = require_text(source, "source", "check_pair()")
    if target is not None:
        target = require_text(target, "target", "check_pair()")
    on = set(config.checks)
    if not source.strip():
        return []
    if target is None or not target.strip():
        return [qa_flag("empty", "target is empty, source is not")] if "empty" in on else []
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


def checked_language(src_lang: str, tgt_lang: str) -> str:
    """The language a pair's source is checked as: ``tgt_lang`` where the source needs no
    model (:func:`~toolkit.languages.needs_no_model`: ``zxx``, or the target language; such a
    text is its own English), else ``src_lang``. The one rule of :func:`pair_flags` and of the
    build's QA step (which tells a translated pair from a copied one by it)."""
    return tgt_lang if needs_no_model(src_lang, tgt_lang) else src_lang


def pair_flags(
    source: str,
    target: str | None,
    src_lang: str,
    tgt_lang: str,
    glossary: Glossary,
    config: QaConfig = QaConfig(),  # noqa: B008 -- frozen, so a shared default is safe
    *,
    spans: SpanConfig | None = None,
    confidence: float | None = None,
) -> list[QaFlag]:
    """:func:`check_pair` with the pair's glossary terms and protected spans (``spans``;
    None: the default kinds) checked: the one per-pair rule of a build's QA step, the
    repair loop and the QA of a pairs file (:func:`toolkit.qa.report.check_pairs`).

    A source that needs no model (:func:`~toolkit.languages.needs_no_model`: ``zxx``, or the
    target language) is checked as target-language text, and its terms and spans are not
    checked: such a text is its own English, its names and links as they are. Before, a pairs
    file's English row was flagged ``protected`` where a build of the same text was not.
    """
    from toolkit.config.glossary import SpanConfig
    from toolkit.glossary.match import verify_terms
    from toolkit.glossary.spans import missing_spans

    src_lang = checked_language(src_lang, tgt_lang)
    translated = src_lang != tgt_lang and bool(target)
    terms = verify_terms(source, target, src_lang, glossary) if translated and target else []
    lost = missing_spans(source, target, spans or SpanConfig()) if translated and target else []
    return check_pair(source, target, src_lang, tgt_lang, config, glossary_missing=terms,
                      protected_missing=lost, confidence=confidence)
