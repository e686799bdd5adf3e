"""The repair step of a build: re-decode machine segments that QA would flag as broken.

Runs right after a language pair is translated (:mod:`toolkit.pipeline.translate_step`);
the strategies and what counts as a pass are :mod:`toolkit.translation.repair`'s. A winning
candidate replaces the segment's English; every attempt is kept in its provenance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.config.glossary import LOST_FLAG
from toolkit.config.translation import DecodeOptions
from toolkit.glossary.model import Glossary
from toolkit.glossary.pin import Pinned
from toolkit.pipeline.recorder import OriginRecorder, StageProgress
from toolkit.pipeline.summary import BuildSummary, Progress
from toolkit.schema import DocumentRecord, RepairRecord, Segment
from toolkit.translation.cache import WithOptions
from toolkit.translation.repair import Candidate, Job, flags_of, repair, repair_kinds, wanted
from toolkit.translation.translator import SentenceTranslator, accepts_options

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig


def repair_group(
    todo: list[tuple[DocumentRecord, Segment]],
    pinned: list[Pinned],
    translator: SentenceTranslator,
    lang: str,
    target: str,
    glossary: Glossary,
    config: BuildConfig,
    summary: BuildSummary,
    progress: Progress,
) -> None:
    """Re-decode the machine segments of one language pair that QA would flag as broken;
    a winning candidate replaces the segment's English.

    Attempts report to ``progress`` (stage ``repair de→en``, in model inputs), so an
    interrupt is acted on between their batches as it is during translation."""
    policy = config.translation.repair
    if not policy.enabled:
        return
    jobs: list[Job] = []
    segments: list[Segment] = []
    for (_record, seg), result in zip(todo, pinned, strict=True):
        if not wanted(seg.source, policy):
            continue
        flags = flags_of(
            seg.source, result.english, result.lost, lang, target, glossary, config.glossary,
            config.qa,
        )  # fmt: skip
        if repair_kinds(flags, policy):
            jobs.append(Job(seg.source, result, seg.confidence, flags))
            segments.append(seg)
    if not jobs:
        return
    decoder = _Decoders(translator, progress, f"repair {lang}→{target}")
    outcomes = repair(jobs, lang, target, glossary, config.glossary, config.qa, policy, decoder)
    for seg, (record, candidate) in zip(segments, outcomes, strict=True):
        _apply(seg, record, candidate, summary)


class _Decoders:
    """The ``decoder(options)`` :func:`~toolkit.translation.repair.repair` asks for: the
    translator as it is (``None``) or bound to decoding options (None if it cannot take
    any), each wrapped to record origins and report progress under one stage."""

    def __init__(self, translator: SentenceTranslator, progress: Progress, stage: str) -> None:
        self.translator = translator
        self.report = StageProgress(progress, stage)

    def __call__(self, options: DecodeOptions | None) -> OriginRecorder | None:
        if options is None:
            return OriginRecorder(self.translator, self.report)
        bound: SentenceTranslator | None
        if hasattr(self.translator, "with_options"):
            bound = self.translator.with_options(options)
        elif accepts_options(self.translator):
            bound = WithOptions(self.translator, options)
        else:
            bound = None
        return None if bound is None else OriginRecorder(bound, self.report)


def _apply(
    seg: Segment, record: RepairRecord, candidate: Candidate | None, summary: BuildSummary
) -> None:
    """Record one segment's repair, count it, and take the winning candidate if any."""
    seg.repair = record
    for kind in record.kinds:
        counts = summary.repairs.setdefault(kind, [0, 0])
        counts[0] += 1
        counts[1] += candidate is not None
    if candidate is None:
        return
    seg.english = candidate.english
    seg.glossary = candidate.hits
    seg.protected = candidate.spans
    seg.confidence = candidate.confidence
    # A repaired segment passed QA, the glossary check included: the flag goes.
    seg.drop_flags({LOST_FLAG})
