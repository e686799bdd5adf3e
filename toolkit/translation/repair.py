"""Automatic repair: re-decode machine translations that QA would flag as broken.

Neural models fail in a few recurring ways that QA detects: a phrase loops
(``repetition``), the output stops mid-sentence (``truncated``), the source comes back as it
was (``untranslated``), a glossary term or protected span cannot be put back
(``glossary-lost``). For a segment flagged with one of :attr:`RepairPolicy.kinds`, the
build tries a fixed sequence of strategies and keeps the first candidate that *passes*:

1. ``no-repeat`` -- decode again with CTranslate2's loop guards,
   ``no_repeat_ngram_size`` and ``repetition_penalty``;
2. ``split`` -- cut the source at clause boundaries (``;``, ``:``, a dash between spaces, a
   comma before a conjunction such as *und*, *aber*, *en*, *maar*), translate the clauses
   one by one (glossary terms and protected spans pinned as always) and join them with the
   source's separators;
3. ``n-best`` -- decode with a beam of :attr:`RepairPolicy.n_best` and take each of its
   hypotheses in turn; of those that pass, the one with the highest model confidence wins.

A candidate passes when QA raises none of the repair kinds for it and no flag the first
output did not already have. If nothing passes, the first output is kept (and keeps its
flag). Every attempt is recorded in the segment's provenance (:class:`RepairRecord`).

Why not seeded sampling: CTranslate2 draws samples from a thread-local generator seeded
once per worker thread; ``ctranslate2.set_random_seed`` does not reseed threads that already
run (measured: three calls after the same seed gave three different outputs), so sampled
candidates would differ from run to run. The n-best list of a wider beam is deterministic
and still gives the model's own ranked alternatives.

Deterministic: each strategy is a pure function of the source, the settings and the model
(batches of one token length, as in :mod:`toolkit.translation.translator`), so local and Ray
builds give
the same repairs. Repair attempts are cached under a namespace that includes their decoding
options, so a rebuild replays them from the cache; the policy is part of
:class:`~toolkit.config.translation.TranslationSettings`, so it is in provenance and the
fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import regex

from toolkit.config.glossary import LOST_FLAG, GlossaryConfig
from toolkit.config.qa import QaConfig
from toolkit.config.translation import DecodeOptions, RepairPolicy
from toolkit.glossary.match import find_matches
from toolkit.glossary.model import Glossary
from toolkit.glossary.pin import Pinned, pin_translate
from toolkit.glossary.spans import find_spans
from toolkit.qa.checks import pair_flags
from toolkit.schema import GlossaryHit, RepairAttempt, RepairRecord, SpanHit, flag_names


class Recorder(Protocol):
    """A translate function for :func:`~toolkit.glossary.pin.pin_translate` that also knows
    the confidence of what it translated (``toolkit.pipeline.recorder.OriginRecorder``)."""

    def translate(self, batch: list[str]) -> list[str]: ...

    def confidence(self, inputs: Iterable[str]) -> float | None: ...


Decoder = Callable[[DecodeOptions | None], "Recorder | None"]
"""A recorder decoding with the given options (None: the normal settings); None when the
translator cannot take options (then the strategies that need them are skipped)."""


@dataclass
class Job:
    """One machine segment that may need repair: its source, what pinning gave, its flags."""

    source: str
    first: Pinned
    confidence: float | None
    flags: list[str] = field(default_factory=list)


@dataclass
class Candidate:
    """A repaired translation, shaped for the build to put on the segment."""

    english: str
    hits: list[GlossaryHit]
    spans: list[SpanHit]
    lost: bool
    problem: str | None
    confidence: float | None


def flags_of(
    source: str,
    english: str,
    lost: bool,
    lang: str,
    tgt: str,
    glossary: Glossary,
    glossary_config: GlossaryConfig,
    qa: QaConfig,
) -> list[str]:
    """The QA checks that fire for one machine translation (``glossary-lost`` if ``lost``)."""
    flags = pair_flags(source, english, lang, tgt, glossary, qa, spans=glossary_config.spans)
    names = flag_names(flags)  # one entry per check, in QA order
    if lost and LOST_FLAG not in names:
        names.append(LOST_FLAG)
    return names


def repair_kinds(flags: Sequence[str], policy: RepairPolicy) -> list[str]:
    """The flags among ``flags`` that the policy repairs (empty: leave the segment alone)."""
    return [f for f in flags if f in policy.kinds] if policy.enabled else []


def wanted(source: str, policy: RepairPolicy) -> bool:
    """Whether a segment with this source may be repaired at all (enabled, not too long)."""
    return policy.enabled and len(source) <= policy.max_source_chars


# Clause boundaries: "; " ": " " – " " — " " - ", and ", " before a coordinating or
# subordinating conjunction (German, Dutch, English). The separator is kept verbatim and put
# back between the translated clauses; a conjunction stays with the clause it opens.
_CONJUNCTIONS = (
    "und|oder|aber|doch|sondern|denn|weil|dass|da|während|obwohl|wenn|als|"
    "en|maar|of|want|omdat|dat|terwijl|hoewel|toen|"
    "and|but|or|because|while|although|when"
)
_CLAUSE = regex.compile(
    rf"[;:]\s+|\s+[–—-]\s+|,\s+(?=(?:{_CONJUNCTIONS})\b)", regex.VERSION1 | regex.IGNORECASE
)
_LETTER = regex.compile(r"\p{L}")
_END = ".!?…"


def split_clauses(
    sentence: str, lang: str, glossary: Glossary, glossary_config: GlossaryConfig
) -> tuple[list[str], list[str]]:
    """``(clauses, separators)`` with ``clauses[0] + separators[0] + clauses[1] + ... ==
    sentence``; one clause when there is no boundary. A boundary inside a glossary match or
    a protected span (``https://``) is not one; clauses without letters are not cut off."""
    protected = [(m.start, m.end) for m in find_matches(sentence, lang, glossary)]
    protected += [(s.start, s.end) for s in find_spans(sentence, glossary_config.spans)]
    clauses: list[str] = []
    separators: list[str] = []
    position = 0
    for found in _CLAUSE.finditer(sentence):
        if any(start < found.end() and found.start() < end for start, end in protected):
            continue
        clause = sentence[position : found.start()]
        rest = sentence[found.end() :]
        if not _LETTER.search(clause) or not _LETTER.search(rest):
            continue
        clauses.append(clause)
        separators.append(found.group())
        position = found.end()
    clauses.append(sentence[position:])
    return clauses, separators


def _join_clauses(clauses: list[str], english: list[str], separators: list[str]) -> str:
    """Translated clauses joined with the source's separators; a sentence end the model
    added to an inner clause ("... Kim." + "; " + ...) is dropped."""
    parts: list[str] = []
    for index, text in enumerate(english):
        text = text.strip()
        if index < len(separators):
            if text and text[-1] in _END and clauses[index].rstrip()[-1:] not in _END:
                text = text[:-1].rstrip()
            parts += [text, separators[index]]
        else:
            parts.append(text)
    return "".join(parts)


def _candidate(pinned: Sequence[Pinned], recorder: Recorder, english: str) -> Candidate:
    confidences = [recorder.confidence(p.english_inputs) for p in pinned]
    known = [c for c in confidences if c is not None]
    return Candidate(
        english=english,
        hits=[h for p in pinned for h in p.hits],
        spans=[s for p in pinned for s in p.spans],
        lost=any(p.lost for p in pinned),
        problem=next((p.problem for p in pinned if p.problem), None),
        confidence=min(known) if known and len(known) == len(confidences) else None,
    )


def _rank_key(candidate: Candidate) -> float:
    """Higher is better: the model's confidence; unscored candidates rank last."""
    return candidate.confidence if candidate.confidence is not None else float("-inf")


def repair(
    jobs: Sequence[Job],
    lang: str,
    tgt: str,
    glossary: Glossary,
    glossary_config: GlossaryConfig,
    qa: QaConfig,
    policy: RepairPolicy,
    decoder: Decoder,
) -> list[tuple[RepairRecord, Candidate | None]]:
    """Try the policy's strategies on every job; per job its record and the winning
    candidate (None when nothing passed: keep the first output). Jobs are batched per
    strategy, so the model sees one call per strategy (per n-best rank), not one per job."""
    run = _Repair(jobs, lang, tgt, glossary, glossary_config, qa, policy, decoder)
    for strategy in policy.strategies:
        todo = [i for i in range(len(jobs)) if run.winners[i] is None]
        if not todo:
            break
        if strategy == "no-repeat":
            run.no_repeat(todo)
        elif strategy == "split":
            run.split(todo)
        elif strategy == "n-best":
            run.n_best(todo)
    for record, candidate in zip(run.records, run.winners, strict=True):
        if candidate is not None and record.winner is None:
            record.winner = next(t.strategy for t in reversed(record.tried) if t.passed)
    return list(zip(run.records, run.winners, strict=True))


class _Repair:
    """One :func:`repair` call: the jobs, what was tried for each, and the winners so far."""

    def __init__(  # the arguments of repair(), which documents them
        self, jobs: Sequence[Job], lang: str, tgt: str, glossary: Glossary,
        glossary_config: GlossaryConfig, qa: QaConfig, policy: RepairPolicy, decoder: Decoder,
    ) -> None:  # fmt: skip
        self.jobs = jobs
        self.lang = lang
        self.tgt = tgt
        self.glossary = glossary
        self.glossary_config = glossary_config
        self.qa = qa
        self.policy = policy
        self.decoder = decoder
        self.records = [
            RepairRecord(
                kinds=repair_kinds(job.flags, policy),
                first=job.first.english,
                first_confidence=job.confidence,
            )
            for job in jobs
        ]
        self.winners: list[Candidate | None] = [None] * len(jobs)

    def _pin(self, sources: list[str], recorder: Recorder) -> list[Pinned]:
        return pin_translate(
            sources, self.lang, self.glossary, recorder.translate, self.glossary_config
        )

    def attempt(self, index: int, strategy: str, candidate: Candidate) -> bool:
        """Check ``candidate`` for job ``index`` and record the attempt; whether it passed:
        none of the repair kinds, and no flag the first output did not already have."""
        job = self.jobs[index]
        flags = flags_of(
            job.source, candidate.english, candidate.lost, self.lang, self.tgt, self.glossary,
            self.glossary_config, self.qa,
        )  # fmt: skip
        ok = not set(flags) & set(self.policy.kinds) and set(flags) <= set(job.flags)
        self.records[index].tried.append(
            RepairAttempt(
                strategy=strategy,
                english=candidate.english,
                flags=flags,
                passed=ok,
                confidence=candidate.confidence,
            )
        )
        return ok

    def no_repeat(self, todo: list[int]) -> None:
        """Decode again with CTranslate2's loop guards."""
        options = DecodeOptions(
            no_repeat_ngram_size=self.policy.no_repeat_ngram_size,
            repetition_penalty=self.policy.repetition_penalty,
        )
        recorder = self.decoder(options)
        if recorder is None:
            return
        pinned = self._pin([self.jobs[i].source for i in todo], recorder)
        for i, result in zip(todo, pinned, strict=True):
            candidate = _candidate([result], recorder, result.english)
            if self.attempt(i, "no-repeat", candidate):
                self.winners[i] = candidate

    def split(self, todo: list[int]) -> None:
        """Translate the clauses one by one and join them with the source's separators."""
        recorder = self.decoder(None)
        if recorder is None:
            return
        cuts = {
            i: split_clauses(self.jobs[i].source, self.lang, self.glossary, self.glossary_config)
            for i in todo
        }
        cuts = {i: cut for i, cut in cuts.items() if len(cut[0]) > 1}
        pinned = iter(self._pin([clause for i in cuts for clause in cuts[i][0]], recorder))
        for i, (clauses, separators) in cuts.items():
            results = [next(pinned) for _ in clauses]
            english = _join_clauses(clauses, [r.english for r in results], separators)
            candidate = _candidate(results, recorder, english)
            if self.attempt(i, "split", candidate):
                self.winners[i] = candidate

    def n_best(self, todo: list[int]) -> None:
        """Each hypothesis of a wider beam in turn; of those that pass, the most confident."""
        best: dict[int, Candidate] = {}
        sources = [self.jobs[i].source for i in todo]
        for rank in range(self.policy.n_best):
            recorder = self.decoder(DecodeOptions(beam_size=self.policy.n_best, hypothesis=rank))
            if recorder is None:
                break
            for i, result in zip(todo, self._pin(sources, recorder), strict=True):
                candidate = _candidate([result], recorder, result.english)
                if not result.english.strip():
                    continue  # the beam had fewer hypotheses than asked for
                if self.attempt(i, f"n-best:{rank + 1}", candidate):
                    held = best.get(i)
                    if held is None or _rank_key(candidate) > _rank_key(held):
                        best[i] = candidate
        for i, candidate in best.items():
            self.winners[i] = candidate
            # The winning rank is the attempt that produced this English and score.
            for tried in self.records[i].tried:
                if tried.passed and tried.english == candidate.english:
                    self.records[i].winner = tried.strategy
                    break
