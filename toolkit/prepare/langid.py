"""Language identification with py3langid, whose model ships inside the wheel.

Why py3langid: it needs no download at run time (the naive-Bayes model is a
file in the package), it covers 97 languages so an article in an unexpected
language is *named* rather than forced into German, Dutch or English, and it
classifies several MB/s on one core. lingua was measured as more accurate on
very short strings but 4-8x slower and 100 MB larger (see BENCHMARKS.md).

Example:
    >>> detect_language("Vriendelijk blijven, zei ze.").language
    'nl'
"""

from __future__ import annotations

from functools import lru_cache

from toolkit.config.prepare import LanguageIdConfig
from toolkit.schema import LanguageGuess


@lru_cache(maxsize=1)
def _full_identifier():  # type: ignore[no-untyped-def]
    # Loading (xz-decompressing) the model takes ~0.4 s: done once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...] | None):  # type: ignore[no-untyped-def]
    """One identifier per language set, all sharing the loaded model's arrays.

    ``set_languages`` only ever builds new arrays (column subsets), so the restricted
    identifiers never change the shared ones.
    """
    full = _full_identifier()
    if not languages:
        return full
    ptc, pc, classes = full._full_model
    ident = type(full)(
        ptc, pc, classes, full.tk_nextmove, full.tk_output, norm_probs=True, tk_row=full.tk_row
    )
    ident.set_languages(list(languages))
    return ident


def detect_language(text: str, candidates: tuple[str, ...] | None = None) -> LanguageGuess:
    """Return the most likely ISO 639-1 language of ``text`` and its confidence (0-1).

    With ``candidates`` the choice is restricted to those languages.
    """
    if not text.strip():
        return LanguageGuess(language="und", confidence=0.0)
    lang, prob = _identifier(tuple(sorted(candidates)) if candidates else None).classify(text)
    return LanguageGuess(language=str(lang), confidence=round(float(prob), 4))


def sentence_language_differs(
    sentence: str, document_language: str, config: LanguageIdConfig
) -> LanguageGuess | None:
    """The sentence's language if it confidently differs from the document's, else None."""
    if len(sentence) < config.sentence_min_chars:
        return None
    cands = tuple(sorted(set(config.candidates) | {document_language}))
    guess = detect_language(sentence, cands)
    if guess.language != document_language and guess.confidence >= config.sentence_min_confidence:
        return guess
    return None
