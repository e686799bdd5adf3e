"""Bytes in, segmented document out: decode, clean, strip boilerplate, identify, segment.

This is the part of a build that needs no model. :func:`prepare_document` is
pure (bytes and settings in, record out) so it runs the same in a test, in
``toolkit clean``/``detect``/``segment`` and inside a build.

Example:
    >>> rec = prepare_document(b"Hallo Welt. Wie geht es dir heute?", "original/a.txt")
    >>> rec.language.language, [s.source for s in rec.segments]
    ('de', ['Hallo Welt.', 'Wie geht es dir heute?'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from toolkit.config.languages import LANGUAGE_NAMES
from toolkit.config.prepare import LanguageIdConfig, PrepareConfig
from toolkit.corpus.paths import document_stem
from toolkit.errors import InputError
from toolkit.languages import (
    NO_LANGUAGE,
    language_name,
    needs_no_model,
    normalize_language,
    same_language,
)
from toolkit.pipeline.provenance import sha256_bytes, sha256_text, versions
from toolkit.prepare.boilerplate import strip_boilerplate
from toolkit.prepare.clean import clean_text, ftfy_record
from toolkit.prepare.decode import decode_bytes
from toolkit.prepare.langid import (
    DocumentScan,
    detect_language,
    scan_document,
    sentence_languages,
)
from toolkit.prepare.langid_pool import LanguageModelError
from toolkit.prepare.segment import (
    SEGMENTER_NAME,
    SEGMENTER_VERSION,
    split_paragraphs,
    split_sentences,
)
from toolkit.schema import (
    CleaningReport,
    DocumentRecord,
    InputInfo,
    LanguageGuess,
    QaFlag,
)

SOURCE_LANGUAGE = "source-language"
"""QA check: the language given for a document contradicts what language id finds."""


def prepare_document(
    data: bytes,
    input_path: str,
    config: PrepareConfig | None = None,
    *,
    language: str | None = None,
    document: str | None = None,
) -> DocumentRecord:
    """Decode, clean, strip boilerplate, identify the language and segment one article.

    ``language`` overrides identification (``toolkit translate --from de``; else the file's
    entry in ``config.decode.languages``, ``languages:`` of ``corpus/settings.yaml``); it is
    normalised (``DE``, ``de-DE`` -> ``de``; :class:`~toolkit.languages.UnknownLanguage`
    if nobody knows it). What language id found is kept in ``language_detected``; if it
    confidently contradicts ``language``, every segment is flagged ``source-language``.
    ``document`` is the record's id; by default :func:`toolkit.corpus.paths.document_stem` of
    the input's name -- the same rule the build uses, so the two can never disagree.
    Raises :class:`InputError` (without the file name; the caller adds it)
    for empty, binary, undecodable or all-boilerplate input, and for a document with a
    sentence whose language only the fastText model can name when that model is missing.
    """
    config = config or PrepareConfig()
    file_name = _file_name(input_path)
    language = language or config.decode.languages.get(file_name)  # settings.yaml's, else id
    decoded = decode_bytes(data, config.decode, file_name)
    cleaned = clean_text(decoded.text, config.clean)
    kept, hits, metadata = strip_boilerplate(split_paragraphs(cleaned.text))
    if not kept:
        what = "is all boilerplate" if hits else "has no text after cleaning"
        raise InputError(f"{what} ({len(hits)} paragraphs removed); nothing to translate")
    scan = scan_document("\n\n".join(kept))
    detected = scan.guess
    guess, conflict = _given_language(detected, language, config)
    segments = _segments(kept, guess.language, config, scan)
    record = DocumentRecord(
        document=document if document is not None else document_stem(input_path),
        status="built",
        input=InputInfo(
            path=input_path,
            sha256=sha256_bytes(data),
            size=len(data),
            encoding=decoded.encoding,
            encoding_candidates=list(decoded.candidates),
        ),
        language=guess,
        language_detected=detected if language else None,
        cleaning=CleaningReport(
            ftfy_config=ftfy_record(config.clean),
            changes=cleaned.changes,
            boilerplate=hits,
            metadata=metadata,
        ),
        segmenter={"name": SEGMENTER_NAME, "version": SEGMENTER_VERSION},
        versions=versions(),
        segments=segments,  # validated here, in one call (not one Segment(...) call each)
    )
    if conflict is not None:
        for segment in record.segments:
            segment.add_flag(conflict.model_copy())
    return record


def _given_language(
    detected: LanguageGuess, language: str | None, config: PrepareConfig
) -> tuple[LanguageGuess, QaFlag | None]:
    """The document's language, and the warning if the caller's contradicts ``detected``.

    The caller's code wins (toolkit translate --from), but a confident contradiction is
    never silent: it is recorded and every segment flagged for QA.
    """
    if not language:
        return detected, None
    # zxx (no language content: a table, stated in languages: or --from) is judged like any
    # code: Polish prose given as zxx, read as pl at 1.00, was copied as its English without
    # a word; tables and lists of names read at 0.97 at most (BENCHMARKS), under the 0.99.
    given = NO_LANGUAGE if language == NO_LANGUAGE else normalize_language(language)
    conflict = None
    if not same_language(detected.language, given) and (
        detected.confidence >= config.language_id.given_min_confidence
    ):
        conflict = QaFlag(
            check=SOURCE_LANGUAGE,
            severity="warning",
            message=f"{SOURCE_LANGUAGE}: language given as {language_name(given)}, but the "
            f"text reads as {language_name(detected.language)} "
            f"(confidence {detected.confidence:.4f})",
        )
    return LanguageGuess(language=given, confidence=1.0), conflict


def _segments(
    paragraphs: list[str], language: str, config: PrepareConfig, scan: DocumentScan
) -> list[dict[str, Any]]:
    """The fields of each sentence's :class:`Segment`, those in another language than
    ``language`` flagged (the caller's record validates them).

    Language id sees all of a document's sentences at once (it screens them together, and
    takes their features from ``scan``, the walk of the paragraphs' text).
    """
    sentences = [
        (p, s, sentence)
        for p, paragraph in enumerate(paragraphs, start=1)
        for s, sentence in enumerate(split_sentences(paragraph, language, config.segment), 1)
    ]
    texts = [t for _, _, t in sentences]
    try:
        others = sentence_languages(texts, language, config.language_id, scan)
    except LanguageModelError as exc:
        # This document's failure, not the build's: the build goes on with the others (most
        # never need the model) and names this one, as for any input it cannot prepare.
        raise InputError(
            "a sentence may leave the document's language, and the model that names it "
            f"cannot be used: {exc}"
        ) from None
    return [
        {
            "id": f"p{p}.s{s}",
            "paragraph": p,
            "sentence": s,
            "source": sentence,
            "source_sha256": sha256_text(sentence),
            "language": other,
            "flags": [f"language:{other.language}"] if other else [],
        }
        for (p, s, sentence), other in zip(sentences, others, strict=True)
    ]


def _file_name(input_path: str) -> str:
    """The base name (the key of ``DecodeConfig.encodings``): ``original/a.txt`` -> ``a.txt``."""
    return input_path.replace("\\", "/").rsplit("/", 1)[-1]


def language_conflict(record: DocumentRecord) -> str | None:
    """The warning for a document whose given language contradicts language id, else None."""
    for seg in record.segments:
        for flag in seg.qa:
            if flag.check == SOURCE_LANGUAGE:
                return flag.message.removeprefix(f"{SOURCE_LANGUAGE}: ")
    return None


def letter_count(texts: Iterable[str]) -> int:
    """How many letters ``texts`` hold: the length :func:`unsure` compares with
    ``document_short_chars``. Letters, not characters: a table of figures (``DAX 15.234,12
    +0,4%`` x 11, 226 characters, 61 letters) gives language id as little to go on as a
    sentence, and was read as ``vo`` at 0.30."""
    return sum(ch.isalpha() for text in texts for ch in text)


def judged_confidence(record: DocumentRecord, floor: float) -> float:
    """The confidence :func:`unsure` compares with ``floor``: the document's, or, for a text
    under ``floor`` that repeats itself (fewer distinct words than half its words), the
    higher confidence its words give *each counted once* (in order of first occurrence) for
    the same language.

    py3langid weighs a feature by log(1 + count) but divides the scores by sqrt(bytes): on
    a long text of few distinct words the evidence stops growing while the divisor does,
    so one German sentence repeated 5,000 times reads as de at 0.17, 80,000 times at 0.02
    (``tests/test_hostile.py``'s 5 MB line), though the language is plain; its words once
    read as de at 0.9998. A list of names or a table of figures does not repeat its words
    and is judged as read (its words once raise a table read as vo from 0.30 to 0.5).
    Only ever raises the confidence, so it never stops a text the plain one lets through.
    """
    found = record.language
    if found.confidence >= floor:
        return found.confidence
    words = [word for seg in record.segments for word in seg.source.split()]
    distinct = dict.fromkeys(words)
    if 2 * len(distinct) > len(words):
        return found.confidence
    once = detect_language(" ".join(distinct))
    return max(found.confidence, once.confidence if once.language == found.language else 0.0)


_WORD = re.compile(r"[^\W\d_]{3,}")
"""A word of three letters or more (``Euro``, ``Adidas``; not ``E``, ``ON``, ``100``)."""


def word_share(texts: Iterable[str]) -> float:
    """The share of ``texts``' characters, spaces aside, that are letters of words of three
    letters or more (:data:`_WORD`): what :func:`unsure` compares with
    ``document_min_words``. Prose scores 0.8-0.95 (10kGNAD articles 0.78 and more); a table
    of figures half or less (``Adidas 100,00 Euro -0,0%``: 0.48), whose bytes py3langid
    reads as ``vo`` the more surely the longer the table (0.6-0.99)."""
    chars = words = 0
    for text in texts:
        chars += sum(len(token) for token in text.split())
        words += sum(len(word) for word in _WORD.findall(text))
    return words / chars if chars else 0.0


Served = Callable[[str], bool]
"""Whether a model installed here translates a language (its code) into the target."""


class Unsure(NamedTuple):
    """Why :func:`unsure` finds a document's language too unsure to pick a model by."""

    confidence: float
    """The :func:`judged_confidence`, or the :func:`word_share` when ``words``."""
    floor: float
    """The floor it is under."""
    short: bool
    """A short text, judged against ``document_min_confidence``."""
    words: bool = False
    """Read as a language outside the toolkit's, but mostly figures (``document_min_words``)."""


def _no_model(code: str) -> bool:
    """No model serves any language: the default of :func:`unsure`'s ``served``."""
    return False


def unsure(
    record: DocumentRecord, language_id: LanguageIdConfig, served: Served = _no_model
) -> Unsure | None:
    """Why ``record``'s detected language is too unsure to pick a model by, or None if it is
    not. A short text (fewer than ``document_short_chars`` letters, :func:`letter_count`) is
    judged against ``document_min_confidence``, any text against ``document_floor`` (lower:
    UD documents of 200 letters or more score 0.56 and more, half of them English; lists of
    names read as bcl or nn score 0.1-0.4; BENCHMARKS.md). A text read as a language
    outside the toolkit's (:data:`LANGUAGE_NAMES`) whose :func:`word_share` is under
    ``document_min_words`` is mostly figures, whatever its confidence (a DAX closing-price
    list read as ``vo`` at 0.60 asked for a vo→en model that does not exist), unless
    ``served(language)``: a model installed here translates it, so the user works in that
    language (Polish economic news, 56% words, was stopped with the pl→en model installed)."""
    letters = letter_count(seg.source for seg in record.segments)
    short = letters < language_id.document_short_chars
    floor = language_id.document_floor
    if short:
        floor = max(floor, language_id.document_min_confidence)
    judged = judged_confidence(record, floor)
    if judged < floor:
        return Unsure(judged, floor, short)
    if record.language.language in LANGUAGE_NAMES or served(record.language.language):
        return None  # a table read as de or nl goes to that pair: its names pass through
    share = word_share(seg.source for seg in record.segments)
    least = language_id.document_min_words
    return Unsure(share, least, short, words=True) if share < least else None


def too_unsure(
    record: DocumentRecord, language_id: LanguageIdConfig, served: Served = _no_model
) -> bool:
    """Whether :func:`unsure` finds ``record``'s detected language too unsure."""
    return unsure(record, language_id, served) is not None


def stated_example(found: str) -> tuple[str, str]:
    """What the advice of :func:`settle_language` suggests stating for a text read as
    ``found``, and what it says of it: ``found`` itself when the toolkit's languages have it
    (``Kein Kommentar.`` read as de at 0.24: ``de``, "if it is German"), else a placeholder
    with examples (``Ok.`` read as lg), and zxx for a text with no language (a table of
    figures read as vo: kept as its own English). Never a fixed ``en``: following that advice
    copied a German text untranslated as its English."""
    if found in LANGUAGE_NAMES:
        return found, f" if it is {LANGUAGE_NAMES[found]}"
    return "<code>", ", <code> its ISO 639 code such as en or de, or zxx if it has no language"


def settle_language(
    record: DocumentRecord,
    language_id: LanguageIdConfig,
    how_to_state: Callable[[str, str], str],
    served: Served = _no_model,
) -> None:
    """Decide, once the target language is known, what the build does with ``record``'s
    language when nobody stated it (``--from``, ``languages:``):

    * no language content (:data:`NO_LANGUAGE`, found or stated in ``languages:``): nothing
      to translate, so its text is its English, as for a document in the target language
      (it asked for a ``zxx→en`` model that cannot exist, exit 3 forever): the record keeps
      ``zxx`` as its language (what id read, or what was stated, with what id read in
      ``language_detected``), and :func:`~toolkit.languages.needs_no_model` tells the build
      and QA it is its own English;
    * another language than the target, :func:`unsure` (a text too short to tell:
      ``No comment.`` read as Italian at 0.03; a list of names read as nn at 0.23):
      :class:`InputError` whose fix is ``how_to_state(code, note)`` (``--from``, or
      ``languages:`` in settings.yaml) of :func:`stated_example`, never a model chosen
      blindly.
    """
    found, target = record.language, record.target_language
    if record.language_detected is not None or needs_no_model(found.language, target):
        return
    if (why := unsure(record, language_id, served)) is not None:
        short = ", too little text to tell" if why.short else ""
        said = f"at confidence {why.confidence:.2f} (under {why.floor}){short}"
        fix = how_to_state(*stated_example(found.language))
        if why.words:  # both ways out: no language, or the language it reads as
            code = found.language
            said = (
                f"at confidence {found.confidence:.2f}, but only {why.confidence:.0%} of it is "
                f"words (under {why.floor:.0%}: figures, a table?)"
            )
            # Stating the language, not installing its model: a table read as vo was told to
            # install a Volapük model (none exists); a stated pl waits for its model, whose
            # install line the build then gives.
            fix = how_to_state(
                NO_LANGUAGE,
                f" if it is figures or a table, {code} if it is {language_name(code)} text",
            )
        raise InputError(
            f"language unclear: reads as {language_name(found.language)} {said}; not translated "
            f"blindly: {fix}"
        )


def settle_original_language(
    record: DocumentRecord,
    rel: str,
    language_id: LanguageIdConfig,
    target: str,
    served: Served = _no_model,
) -> DocumentRecord | InputError:
    """:func:`settle_language` for a corpus's original ``rel`` (``original/ok.txt``) built
    into ``target`` (set on the record: the build owns it): the record, or the error (the
    caller names the file) whose fix is ``languages:`` in settings.yaml. The build,
    ``toolkit status`` and ``toolkit add`` all ask here, so they cannot disagree."""
    record.target_language = target
    name = rel.rsplit("/", 1)[-1]

    def how(code: str, note: str) -> str:
        from toolkit.corpus.settings import languages_entry

        entry = languages_entry(name, code)
        return f"state it in the corpus's settings.yaml ({entry}{note}) and rerun"

    try:
        settle_language(record, language_id, how, served)
    except InputError as exc:
        return exc
    return record
