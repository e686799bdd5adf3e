"""The translation step of a build: English for every segment, one language pair at a time.

:func:`translate_records` sends the sentences of *all* documents of one language pair
through the glossary (:func:`~toolkit.glossary.pin.pin_translate`) and the (cached)
translator in one go, so the model sees large, length-sorted batches; machine segments
that QA would flag as broken are then re-decoded (:mod:`toolkit.pipeline.repair_step`).
Where each translation came from (this build's model, or the cache) is counted once, by
:class:`~toolkit.pipeline.recorder.OriginRecorder`, for both the segments' provenance and
the summary.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePath
from typing import TYPE_CHECKING

from toolkit.config.glossary import LOST_FLAG
from toolkit.glossary.match import canonicalize_english
from toolkit.glossary.model import Glossary
from toolkit.glossary.pin import Pinned, pin_translate
from toolkit.languages import needs_no_model
from toolkit.pipeline.plan import use_settings
from toolkit.pipeline.recorder import OriginRecorder, StageProgress
from toolkit.pipeline.repair_step import repair_group
from toolkit.pipeline.summary import BuildSummary, Progress, no_progress
from toolkit.schema import DocumentRecord, QaFlag, Segment, TranslationInfo
from toolkit.translation.packages import ModelMissingError, PackageError
from toolkit.translation.provider import TranslatorProvider

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig


def _fill_english_sources(record: DocumentRecord, glossary: Glossary, config: BuildConfig) -> None:
    """English documents: the English is the source, with glossary aliases made canonical."""
    for seg in record.segments:
        text, hits = canonicalize_english(seg.source, glossary, config.glossary)
        seg.english = text
        seg.origin = "source"
        seg.glossary = hits


def translate_records(
    records: list[DocumentRecord],
    provider: TranslatorProvider,
    glossary: Glossary,
    config: BuildConfig,
    summary: BuildSummary,
    progress: Progress = no_progress,
) -> None:
    """Fill ``english`` for every segment of every record, one language pair at a time.

    Sentences already in the target language (an English quote inside a German
    article) are kept as they are. A record whose pair has no model gets status
    ``needs-model`` and a message with the install command; the records of a pair whose
    package failed to load (or changed while it loaded) fail, in ``summary.errors``, and
    the build writes none of them.
    """
    use_settings(provider, config)
    by_language: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in records:
        if needs_no_model(record.language.language, record.target_language):
            _fill_english_sources(record, glossary, config)
        else:
            by_language[record.language.language].append(record)
    for lang, group in sorted(by_language.items()):
        _translate_pair(lang, group, provider, glossary, config, summary, progress)


def _translate_pair(
    lang: str,
    group: list[DocumentRecord],
    provider: TranslatorProvider,
    glossary: Glossary,
    config: BuildConfig,
    summary: BuildSummary,
    progress: Progress,
) -> None:
    """Translate the records of one language pair (all in ``lang``) in one go."""
    target = group[0].target_language
    try:
        translator, info = provider.translator(lang, target)
    except ModelMissingError as exc:
        for record in group:
            record.status = "needs-model"
            record.message = exc.for_file(PurePath(record.input.path).name)
        return
    except PackageError as exc:  # replaced or removed mid-build: fail, write nothing of them
        summary.errors.update((record.document, str(exc)) for record in group)
        return
    todo = _to_translate(group, info, target)
    stage = f"translate {lang}→{target}"
    if (info.from_code, info.to_code) != (lang, target):  # no by nb's package: named
        stage += f" ({info.package}, {info.from_code}→{info.to_code})"
    progress(stage, 0, len(todo))  # the stage starts now (cache lookups), not at its end
    recorder = OriginRecorder(translator, StageProgress(progress, stage))
    pinned = pin_translate(
        [seg.source for _, seg in todo], lang, glossary, recorder, config.glossary
    )
    for (record, seg), result in zip(todo, pinned, strict=True):
        _fill_machine(record, seg, result, recorder)
    _count(summary, recorder, pinned)
    repair_group(todo, pinned, translator, lang, target, glossary, config, summary, progress)


def _count(summary: BuildSummary, recorder: OriginRecorder, pinned: list[Pinned]) -> None:
    """The recorder's counts into the summary, splice pieces apart from sentences: a
    sentence's model input is its first (its protected text), a piece only ever a piece."""
    sentences = {r.model_inputs[0] for r in pinned if len(r.model_inputs) > r.pieces}
    pieces = {p for r in pinned if r.pieces for p in r.english_inputs} - sentences
    pieces_decoded, pieces_cached = recorder.of(pieces)
    summary.sentences_translated += recorder.decoded - pieces_decoded
    summary.sentences_cached += recorder.cached - pieces_cached
    summary.sentences_reused += recorder.reused
    summary.pieces_translated += pieces_decoded
    summary.pieces_cached += pieces_cached


def _to_translate(
    group: list[DocumentRecord], info: TranslationInfo, target: str
) -> list[tuple[DocumentRecord, Segment]]:
    """The segments the model must translate; those already in ``target`` keep their source
    (:func:`~toolkit.languages.needs_no_model`, the document's rule: a sentence read as ``no``
    is in target ``nb``; compared by ``==`` it was translated into its own language)."""
    todo: list[tuple[DocumentRecord, Segment]] = []
    for record in group:
        record.translation = info
        for seg in record.segments:
            if seg.language and needs_no_model(seg.language.language, target):
                seg.english, seg.origin = seg.source, "source"
            else:
                todo.append((record, seg))
    return todo


def _fill_machine(
    record: DocumentRecord, seg: Segment, result: Pinned, recorder: OriginRecorder
) -> None:
    """One segment's machine English, glossary hits, confidence and run bookkeeping."""
    seg.english = result.english
    seg.glossary = result.hits
    seg.protected = result.spans
    seg.origin = "machine"
    seg.confidence = recorder.confidence(result.english_inputs)
    fresh = recorder.fresh(result.model_inputs)
    (record.run.fresh if fresh else record.run.cached).append(seg.id)
    if result.lost and LOST_FLAG not in seg.flags:
        seg.add_flag(
            QaFlag(check=LOST_FLAG, severity="error", message=result.problem or "term lost")
        )
