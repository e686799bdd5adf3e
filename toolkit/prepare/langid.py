"""Language identification with py3langid's model, whose file ships inside the wheel.

Why py3langid: no download at run time (the naive-Bayes model is a file in the package),
97 languages, so an article in an unexpected language is *named* rather than forced into
German, Dutch or English, and several MB/s on one core. lingua was measured as more accurate
on very short strings but 4-8x slower and 100 MB larger (see BENCHMARKS.md).

Speed: py3langid walks its byte automaton in pure Python, which was 80 % of preparing an
article. Here the same automaton is walked in numpy (:mod:`toolkit.prepare.langid_walk`):
every state depends only on the last few bytes, so all positions advance together. Sentences are
scored together (:func:`sentence_languages`) and only those that could differ from their
document are scored again exactly as py3langid does, so every py3langid score is its own
to the last bit (``tests/test_langid.py`` checks that on real text). Whether a sentence
leaves its document's language also weighs its function words
(:func:`toolkit.prepare.langid_words.switches`); the language a sentence is then *named* is
a pool of fastText and py3langid's (:mod:`toolkit.prepare.langid_pool`).

Example:
    >>> detect_language("Vriendelijk blijven, zei ze.").language
    'nl'
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from toolkit.config.prepare import LanguageIdConfig
from toolkit.languages import asked_codes, identified_as
from toolkit.prepare.langid_pool import pool
from toolkit.prepare.langid_walk import (
    automaton,
    full_identifier,
    walk,
    walk_each,
    walk_short_parts,
)
from toolkit.prepare.langid_words import switches, votes, word_evidence
from toolkit.schema import LanguageGuess

SCREEN_MARGIN = 0.05
"""Log-probability margin of the sentence screen (natural log).

The screen sums in float64 and in another order than py3langid's float32 product; the
difference is far below 1e-3 nats on a sentence, so a sentence whose best other language
stays ``SCREEN_MARGIN`` below the flagging confidence cannot be flagged by the exact score.
"""


def _encode(text: str) -> bytes:
    """The bytes py3langid scores: lower-cased if all upper case, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


class _Columns(NamedTuple):
    """The model restricted to some languages (``LanguageIdentifier.set_languages``)."""

    classes: list[str]
    ptc: np.ndarray
    pc: np.ndarray
    aliases: list[tuple[int, int]]
    """(first, duplicate) columns of a label the model has twice (script variants)."""
    languages: tuple[str, ...] | None
    """What :func:`_columns` was asked for (its cache key)."""


@lru_cache(maxsize=1)
def _ptc32() -> np.ndarray:
    """The model's float16 feature weights widened to float32 once (57 MB, ~0.1 s).

    py3langid widens the rows a text uses on every call (the ``@`` with float32 counts);
    widening them once gives the same values and product at a third of the cost per document.
    """
    return full_identifier().nb_ptc.astype(np.float32)


@lru_cache(maxsize=8)
def _columns(languages: tuple[str, ...] | None) -> _Columns:
    full = full_identifier()
    classes, ptc, pc = list(full.nb_classes), _ptc32(), full.nb_pc
    if languages:
        if unknown := set(languages) - set(classes):
            raise ValueError(f"Unknown language code(s): {unknown}")
        indices = [i for i, c in enumerate(classes) if c in set(languages)]
        # Row-major, so that gathering a text's rows reads each row in one piece.
        classes, pc = [classes[i] for i in indices], pc[indices]
        ptc = np.ascontiguousarray(ptc[:, indices])
    first: dict[str, int] = {}
    aliases = [(first[c], i) for i, c in enumerate(classes) if first.setdefault(c, i) != i]
    return _Columns(classes, ptc, pc, aliases, languages)


def _text_probabilities(encoded: bytes, cols: _Columns) -> np.ndarray:
    """:func:`_probabilities` of one text, walked alone (py3langid's ``classify``)."""
    return _probabilities(walk(np.frombuffer(encoded, dtype=np.uint8)), len(encoded), cols)


def _best(scores: np.ndarray, cols: _Columns) -> tuple[str, float]:
    """The best of ``scores`` (one per ``cols.classes``) and its probability."""
    best = int(scores.argmax())
    return cols.classes[best], float(scores[best])


def _probabilities(feats: np.ndarray, length: int, cols: _Columns) -> np.ndarray:
    """py3langid's normalised probability of each of ``cols.classes`` (aliases merged into
    their first column), bit for bit."""
    if (feats >= 0).any():
        # The same product in the same order as py3langid (features by first occurrence).
        found, counts = _by_first_occurrence(feats)
        weights = np.log1p(counts.astype(np.float32))
        scores = weights @ np.take(cols.ptc, found, axis=0) + cols.pc
    else:
        scores = np.full(len(cols.classes), 0.0, dtype=np.float32)
    scores *= 1.0 / math.sqrt(length or 1)
    np.exp(scores - scores.max(), out=scores)
    scores /= scores.sum()
    for i, j in cols.aliases:
        scores[i] += scores[j]
        scores[j] = 0.0
    return scores


def _by_first_occurrence(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct features of ``feats`` (-1: none) in order of first occurrence, and counts.

    What ``np.unique(return_index=True)`` and a stable argsort give, from two plain sorts of
    int64 keys instead (3x faster): (feature, position) finds each feature's run and its
    first position, then (first position, run) orders the runs.
    """
    at = np.flatnonzero(feats >= 0)
    keys = np.sort((feats[at] << 32) | at)  # a text is far shorter than 4 GB
    feature = keys >> 32
    run = np.flatnonzero(np.concatenate(([True], feature[1:] != feature[:-1])))
    counts = np.diff(np.append(run, len(keys)))
    order = np.sort(((keys[run] & 0xFFFFFFFF) << 32) | np.arange(len(run))) & 0xFFFFFFFF
    return feature[run][order], counts[order]


class DocumentScan(NamedTuple):
    """A document's language, and what the walk counted at each of its bytes.

    :func:`sentence_languages` takes the features of the document's sentences from here
    rather than walking their bytes a second time.
    """

    guess: LanguageGuess
    encoded: bytes
    """The bytes walked (:func:`_encode` of the text)."""
    features: np.ndarray
    """The feature counted at each byte, -1 where none (:func:`walk`)."""


def scan_document(text: str) -> DocumentScan:
    """:func:`detect_language` over all the model's languages, keeping the walk."""
    if not text.strip():
        return DocumentScan(detect_language(text), b"", np.zeros(0, dtype=np.intp))
    encoded = _encode(text)
    features = walk(np.frombuffer(encoded, dtype=np.uint8))
    cols = _columns(None)
    lang, prob = _best(_probabilities(features, len(encoded), cols), cols)
    return DocumentScan(LanguageGuess(language=lang, confidence=round(prob, 4)), encoded, features)


def detect_language(text: str, candidates: tuple[str, ...] | None = None) -> LanguageGuess:
    """Return the most likely ISO 639-1 language of ``text`` and its confidence (0-1).

    With ``candidates`` the choice is restricted to those languages (ValueError if the
    model knows one of them not), which may be Argos's codes the model names otherwise
    (``nb``: :func:`~toolkit.languages.asked_codes`); the answer is in the caller's code.
    """
    if not text.strip():
        return LanguageGuess(language="und", confidence=0.0)
    asked = asked_codes(candidates or ())
    cols = _columns(asked.codes or None)
    lang, prob = _best(_text_probabilities(_encode(text), cols), cols)
    return asked.guess(LanguageGuess(language=lang, confidence=round(prob, 4)))


def sentence_languages(
    sentences: Sequence[str],
    document_language: str,
    config: LanguageIdConfig,
    document: DocumentScan | None = None,
) -> list[LanguageGuess | None]:
    """For each sentence, its language if it confidently differs from the document's, else None.

    Whether a sentence leaves its document's language is
    :func:`~toolkit.prepare.langid_words.switches`' rule (votes of py3langid's best
    candidate, function words and the pool); the language it gets is :func:`name_sentence`'s
    (if that is the document's, the sentence stays in it). All sentences are screened together
    (:func:`_screen`); only those the screen cannot rule out are identified exactly, so the
    answer is the one identifying each sentence alone gives. ``document`` (the scan of the
    text the sentences come from) only saves walking them again. ``document_language`` and
    the candidates may be Argos's codes (``nb``); a sentence is named in the caller's code.
    """
    out: list[LanguageGuess | None] = [None] * len(sentences)
    todo = [i for i, s in enumerate(sentences) if s.strip()]
    if not todo:
        return out
    asked = asked_codes((*config.candidates, document_language))
    document_language = identified_as(document_language)
    cols = _columns(asked.codes)
    encoded = [_encode(sentences[i]) for i in todo]
    threshold = config.sentence_min_confidence
    could_flag, could_win = _screen(encoded, cols, document_language, threshold, document)
    for i, data, flag, win in zip(todo, encoded, could_flag, could_win, strict=True):
        if not win:  # py3langid's best is the document's language: no switch
            continue
        long = len(sentences[i]) >= config.sentence_min_chars
        words = word_evidence(sentences[i], cols.classes)
        own = words[1] if words and words[0] != document_language else 0
        if (2 if long else 1) * flag + own < 1:  # no vote even at best (the pool's: 1 more)
            continue
        probs = _text_probabilities(data, cols)
        lang, prob = _best(probs, cols)
        guess = LanguageGuess(language=lang, confidence=round(prob, 4))
        if votes(guess, words, long, document_language, threshold) < 1:
            continue
        # name_sentence's pool over the same columns, from the probabilities just computed
        named = pool(sentences[i], cols.classes, probs.tolist(), config.sentence_pool_weight)
        found = switches(guess, words, long, document_language, threshold, named)
        out[i] = asked.guess(named) if found else None
    return out


def name_sentence(
    text: str, config: LanguageIdConfig, document_language: str = ""
) -> LanguageGuess:
    """The language the toolkit names a sentence: :func:`~toolkit.prepare.langid_pool.pool`
    among ``config.candidates`` and ``document_language`` (Argos's codes taken, answered in
    the caller's: :func:`~toolkit.languages.asked_codes`). (Documents: :func:`detect_language`.)"""
    if not text.strip():
        return LanguageGuess(language="und", confidence=0.0)
    asked = asked_codes({*config.candidates, document_language} - {""})
    cols = _columns(asked.codes)
    probs = _text_probabilities(_encode(text), cols)
    return asked.guess(pool(text, cols.classes, probs.tolist(), config.sentence_pool_weight))


def _features(encoded: list[bytes], document: DocumentScan | None) -> np.ndarray:
    """What py3langid's walk of each text alone counts at each byte, the texts concatenated.

    A text found in the document's bytes takes its features there but for its first
    ``depth - 1`` bytes (they read bytes before it), walked again; one not there (lower-cased
    capitals) is walked whole. All the walking is one :func:`walk_short_parts` (the heads,
    a few bytes each, mostly remembered from earlier documents); the result is one
    concatenation of those walks and slices of the document's features, in order."""
    if document is None:
        return walk_each(encoded)
    found = _find_in_order(encoded, document.encoded).tolist()
    head = automaton().depth - 1
    walked = [text if at < 0 else text[:head] for text, at in zip(encoded, found, strict=True)]
    parts: list[np.ndarray] = []
    for text, at, alone in zip(encoded, found, walk_short_parts(walked, head), strict=True):
        parts.append(alone)
        if at >= 0 and len(text) > head:
            parts.append(document.features[at + head : at + len(text)])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)


def _find_in_order(parts: list[bytes], whole: bytes, gap: int = 256) -> np.ndarray:
    """Where each of ``parts`` starts in ``whole``: right after the previous, only spaces
    between (after a part not found, within ``gap`` bytes more); -1 if not there as is."""
    starts, cursor, skipped = np.full(len(parts), -1, dtype=np.intp), 0, 0
    for i, part in enumerate(parts):
        at = whole.find(part, cursor, cursor + skipped + len(part) + gap)
        if at >= 0 and (skipped or not whole[cursor:at].strip()):  # not "ok." in a later word
            starts[i], cursor, skipped = at, at + len(part), 0
        else:
            skipped += len(part) + gap
    return starts


def _screen(
    encoded: list[bytes],
    cols: _Columns,
    document_language: str,
    threshold: float,
    document: DocumentScan | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per text: could another language than the document's reach ``threshold``, and
    could another language be py3langid's best at all?

    All texts are scored together (:func:`_screen_probabilities`); a text is ruled out only
    when every other language stays :data:`SCREEN_MARGIN` (in log probability) below
    ``threshold`` (first answer) or below the document's language (second answer). A text
    without features scores uniform: left to the exact path like any close call.
    """
    n = len(encoded)
    others = [i for i, c in enumerate(cols.classes) if c != document_language]
    if not others or threshold <= 0:
        return np.full(n, bool(others)), np.full(n, bool(others))
    scores, unscored = _screen_probabilities(encoded, cols, document)
    best_other = scores[:, others].max(axis=1)
    slack = math.exp(-SCREEN_MARGIN)
    could_flag = (best_other >= threshold * slack) | unscored
    could_win = best_other >= scores[:, cols.classes.index(document_language)] * slack
    return could_flag, could_win | unscored


def _screen_probabilities(
    encoded: list[bytes], cols: _Columns, document: DocumentScan | None
) -> tuple[np.ndarray, np.ndarray]:
    """py3langid's normalised probabilities of each text (texts x classes, aliases merged),
    summed in float64 with one sum per language from :func:`_features`, and which texts had
    no feature at all."""
    lengths = np.fromiter(map(len, encoded), dtype=np.intp, count=len(encoded))
    feats = _features(encoded, document)
    found = feats >= 0
    n_features = cols.ptc.shape[0]
    keys = np.sort(np.repeat(np.arange(len(encoded)), lengths)[found] * n_features + feats[found])
    run = _run_starts(keys)  # one run per (text, feature), texts in order
    texts, features = np.divmod(keys[run], n_features)
    weighted = np.take(_screen_table(cols.languages), features, axis=0)
    # log1p(count) of each row, repeated across its columns (faster than broadcasting)
    weights = np.repeat(np.log1p(np.diff(np.append(run, len(keys)))), weighted.shape[1])
    weighted *= weights.reshape(weighted.shape)
    first = _run_starts(texts)
    scores = np.zeros((len(encoded), len(cols.classes)))
    if len(first):
        scores[texts[first]] = np.add.reduceat(weighted, first, axis=0) + cols.pc
    scores /= np.sqrt(np.maximum(lengths, 1))[:, None]
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in cols.aliases:
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    unscored = np.ones(len(encoded), dtype=bool)
    unscored[texts[first]] = False
    return scores, unscored


def _run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal neighbours in ``values`` starts."""
    return np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1]))[: len(values)])


@lru_cache(maxsize=8)
def _screen_table(languages: tuple[str, ...] | None) -> np.ndarray:
    """``_columns(languages).ptc`` in float64 (exact): the screen gathers a text's features
    from it without widening them each time."""
    return _columns(languages).ptc.astype(np.float64)
