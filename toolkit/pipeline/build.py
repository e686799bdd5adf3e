"""Build a corpus: every original in, aligned English with provenance out.

The stages, each in its own module, run over :class:`~toolkit.schema.DocumentRecord`:

1. :mod:`toolkit.prepare.document` decodes, cleans, strips boilerplate, identifies and segments;
2. :func:`translate_records` sends the sentences of *all* documents of one
   language pair through the glossary and the (cached) translator in one go,
   so the model sees large, length-sorted batches; then human corrections
   (:mod:`toolkit.corpus.corrections`) replace the English of the sentences they are for,
   and corrections whose sentence is gone are reported as orphans;
3. :mod:`toolkit.qa.checks` flags what a reviewer must see (human English included);
4. :mod:`toolkit.corpus.writes` writes the files atomically, only where bytes change,
   and the manifest last.

A document whose input bytes and *fingerprint* (settings, library versions,
glossary, model, corrections) match the manifest is skipped without being
read past its hash, so rebuilding an unchanged corpus is nearly free and
rewrites nothing.

Exit codes of ``toolkit build`` (see :class:`BuildSummary`): 0 everything
built; 3 some documents wait for a translation model (the others are built);
1 some documents could not be read (the others are built).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from toolkit._faults import checkpoint
from toolkit.config.build import BuildConfig
from toolkit.config.corpus import CorpusSettings
from toolkit.config.glossary import LOST_FLAG
from toolkit.config.translation import DecodeOptions
from toolkit.corpus.actions import apply_corrections, apply_dismissals, orphans_of
from toolkit.corpus.corrections import (
    Correction,
    CorrectionsError,
    ReviewState,
    corrections_path,
    documents_with_corrections,
    load_review_state,
)
from toolkit.corpus.formats import (
    read_manifest,
    read_meta,
    render_aligned_tsv,
    render_english_text,
    render_manifest,
    render_meta_json,
)
from toolkit.corpus.lock import CorpusLock
from toolkit.corpus.paths import (
    OUTPUT_SUFFIXES,
    CorpusPaths,
    UnsafeDocumentId,
    document_id,
    list_originals,
    shown_name,
    skipped_originals,
)
from toolkit.corpus.settings import load_corpus_settings
from toolkit.corpus.writes import StagedWrites, remove_temp_files
from toolkit.errors import InputError
from toolkit.glossary.discover import discover_glossary
from toolkit.glossary.match import canonicalize_english, verify_terms
from toolkit.glossary.model import Glossary
from toolkit.glossary.pin import Pinned, pin_translate
from toolkit.glossary.spans import missing_spans
from toolkit.interrupts import deferred_interrupts
from toolkit.pipeline.executor import Executor, LocalExecutor
from toolkit.pipeline.provenance import fingerprint, sha256_bytes, versions
from toolkit.plural import plural
from toolkit.prepare.document import SOURCE_LANGUAGE
from toolkit.qa.checks import check_pair
from toolkit.schema import (
    DocumentRecord,
    ManifestEntry,
    QaFlag,
    Segment,
)
from toolkit.translation.cache import WithOptions
from toolkit.translation.packages import ModelMissingError
from toolkit.translation.provider import TranslatorProvider
from toolkit.translation.repair import Job, flags_of, repair, repair_kinds, wanted
from toolkit.translation.translator import SentenceTranslator, accepts_options


@dataclass
class BuildSummary:
    """What a build did; ``toolkit build`` prints it and exits with :attr:`exit_code`."""

    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    needs_model: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    orphan_corrections: dict[str, list[str]] = field(default_factory=dict)
    """Document -> corrections whose source sentence is no longer in it (reported, kept)."""
    ambiguous_encodings: dict[str, list[str]] = field(default_factory=dict)
    """Original (``original/x.txt``) -> plausible codecs, best (the one used) first, when the
    encoding guess of a document built by this run was not clear."""
    warnings: list[str] = field(default_factory=list)
    """Bookkeeping the build ignored (an unsafe id in the manifest or a corrections file name)."""
    files_written: int = 0
    sentences_translated: int = 0
    """Distinct model inputs the model decoded in this build (each decoded once)."""
    sentences_cached: int = 0
    """Distinct model inputs taken from the translation cache (decoded by an earlier build)."""
    sentences_reused: int = 0
    """Further occurrences of a model input already translated or cached in this build
    (repeated sentences, datelines, bylines): reused, not decoded again."""
    repairs: dict[str, list[int]] = field(default_factory=dict)
    """Flag kind -> [segments flagged and re-decoded, segments repaired]
    (toolkit.translation.repair)."""

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 1
        if self.needs_model:
            return 3
        return 0

    def lines(self) -> list[str]:
        out = [
            f"{len(self.built)} built, {len(self.up_to_date)} up to date, "
            f"{len(self.needs_model)} need a model, {len(self.errors)} failed; "
            f"{plural(self.files_written, 'file')} written; "
            f"sentences: {self.sentences_translated} translated, {self.sentences_cached} cached, "
            f"{self.sentences_reused} repeats reused"
        ]
        if self.files_written == 0 and not self.built and not self.errors:
            out.append("nothing changed")
        if self.repairs:
            out.append(
                "repairs: "
                + ", ".join(
                    f"{kind} {fixed}/{tried} repaired"
                    for kind, (tried, fixed) in sorted(self.repairs.items())
                )
            )
        out += [f"{doc}: {msg}" for doc, msg in sorted(self.needs_model.items())]
        out += [f"error: {msg}" for _doc, msg in sorted(self.errors.items())]
        out += [f"warning: {msg}" for msg in self.warnings]
        out += [f"skipped (symlink or directory, not followed): {name}" for name in self.skipped]
        out += [
            f"orphan correction: {doc}: {what} (its source sentence is no longer in the document; "
            f"edit or delete the row in corrections/{doc}.corrections.tsv)"
            for doc, found in sorted(self.orphan_corrections.items())
            for what in found
        ]
        out += [
            encoding_warning(path, candidates)
            for path, candidates in sorted(self.ambiguous_encodings.items())
        ]
        return out


def encoding_warning(path: str, candidates: list[str], corpus: bool = True) -> str:
    """``original/x.txt: encoding guessed as cp1252 (cp1250 also possible); pass ...``.

    ``corpus``: the file is an original of a corpus, so it can also be pinned in settings.yaml.
    """
    line = (
        f"{path}: encoding guessed as {candidates[0]} ({', '.join(candidates[1:])} also "
        "possible); pass --encoding to override"
    )
    if corpus:
        line += ", or name it for this file under encodings: in corpus/settings.yaml"
    return line


def use_settings(provider: TranslatorProvider, config: BuildConfig) -> None:
    """Hand the build's decoding settings to ``provider`` (if it decodes with any).

    ``BuildConfig.translation`` is the one owner of the decoding settings; a provider
    created with different ones raises rather than decode with one set and record another.
    """
    bind = getattr(provider, "use_settings", None)
    if bind is not None:
        bind(config.translation)


Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, ``done`` out of ``total`` so far: called as documents are
prepared (stage ``prepare``), sentences translated (stage ``translate de→en``, from 0, after
each batch) and documents checked (stage ``qa``). Every call is a point where the build may
stop: the command line raises KeyboardInterrupt there after Ctrl-C (:mod:`toolkit.interrupts`)."""


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# -- translation stage ------------------------------------------------------------------------


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
    progress: Progress = _no_progress,
) -> None:
    """Fill ``english`` for every segment of every record, one language pair at a time.

    Sentences already in the target language (an English quote inside a German
    article) are kept as they are. A record whose pair has no model gets status
    ``needs-model`` and a message with the install command.
    """
    use_settings(provider, config)
    by_language: dict[str, list[DocumentRecord]] = defaultdict(list)
    for record in records:
        if record.language.language == record.target_language:
            _fill_english_sources(record, glossary, config)
        else:
            by_language[record.language.language].append(record)

    for lang, group in sorted(by_language.items()):
        target = group[0].target_language
        try:
            translator, info = provider.translator(lang, target)
        except ModelMissingError as exc:
            for record in group:
                record.status = "needs-model"
                record.message = str(exc)
            continue
        todo: list[tuple[DocumentRecord, Segment]] = []
        for record in group:
            record.translation = info
            for seg in record.segments:
                if seg.language and seg.language.language == target:
                    seg.english, seg.origin = seg.source, "source"
                else:
                    todo.append((record, seg))
        stage = f"translate {lang}→{target}"
        progress(stage, 0, len(todo))  # the stage starts now (cache lookups), not at its end
        recorder = _OriginRecorder(translator, partial(_report, progress, stage, [0, 0]))
        pinned = pin_translate(
            [seg.source for _, seg in todo], lang, glossary, recorder.translate, config.glossary
        )
        for (record, seg), result in zip(todo, pinned, strict=True):
            seg.english = result.english
            seg.glossary = result.hits
            seg.protected = result.spans
            seg.origin = "machine"
            seg.confidence = recorder.confidence(result.english_inputs)
            # Fresh if this build ran the model for any of the sentence's inputs.
            fresh = any(recorder.origins.get(text) == "machine" for text in result.model_inputs)
            (record.run.fresh if fresh else record.run.cached).append(seg.id)
            if result.lost and LOST_FLAG not in seg.flags:
                seg.flags.append(LOST_FLAG)
                seg.qa.append(
                    QaFlag(
                        check=LOST_FLAG,
                        severity="error",
                        message=result.problem or "term lost",
                    )
                )
        summary.sentences_translated += recorder.decoded
        summary.sentences_cached += recorder.cached
        summary.sentences_reused += recorder.reused
        _repair_group(todo, pinned, translator, lang, target, glossary, config, summary, progress)


def _repair_group(
    todo: list[tuple[DocumentRecord, Segment]],
    pinned: list[Pinned],
    translator: SentenceTranslator,
    lang: str,
    target: str,
    glossary: Glossary,
    config: BuildConfig,
    summary: BuildSummary,
    progress: Progress = _no_progress,
) -> None:
    """Re-decode the machine segments of one language pair that QA would flag as broken
    (:mod:`toolkit.translation.repair`); a winning candidate replaces the segment's English.

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

    report = partial(_report, progress, f"repair {lang}→{target}", [0, 0])

    def decoder(options: DecodeOptions | None) -> _OriginRecorder | None:
        if options is None:
            return _OriginRecorder(translator, report)
        bound: SentenceTranslator | None
        if hasattr(translator, "with_options"):
            bound = translator.with_options(options)
        else:
            bound = WithOptions(translator, options) if accepts_options(translator) else None
        return None if bound is None else _OriginRecorder(bound, report)

    outcomes = repair(jobs, lang, target, glossary, config.glossary, config.qa, policy, decoder)
    for seg, (record, candidate) in zip(segments, outcomes, strict=True):
        seg.repair = record
        for kind in record.kinds:
            counts = summary.repairs.setdefault(kind, [0, 0])
            counts[0] += 1
            counts[1] += candidate is not None
        if candidate is None:
            continue
        seg.english = candidate.english
        seg.glossary = candidate.hits
        seg.protected = candidate.spans
        seg.confidence = candidate.confidence
        # A repaired segment passed QA, the glossary check included: the flag goes.
        seg.flags = [f for f in seg.flags if f != LOST_FLAG]
        seg.qa = [q for q in seg.qa if q.check != LOST_FLAG]


def _report(progress: Progress, stage: str, counts: list[int], done: int, expected: int) -> None:
    """Progress of one translation stage, in model inputs: ``counts`` is [done, expected]
    so far; a call adds ``done`` finished and ``expected`` announced inputs (the glossary's
    splice pass announces its pieces when it starts, so the total can grow once)."""
    counts[0] += done
    counts[1] += expected
    progress(stage, counts[0], max(counts))


class _OriginRecorder:
    """Wraps a translator for :func:`pin_translate`: forwards progress, remembers where each
    model input's translation first came from (``cache`` or ``machine``) and counts the
    distinct inputs decoded, the distinct inputs cached and the repeats reused."""

    def __init__(self, translator: SentenceTranslator, report: Callable[[int, int], None]) -> None:
        self.translator = translator
        self.report = report
        self.origins: dict[str, str] = {}
        self.scores: dict[str, float | None] = {}
        self.decoded = 0
        self.cached = 0
        self.reused = 0

    def translate(self, batch: list[str]) -> list[str]:
        self.report(0, len(batch))
        detailed = getattr(self.translator, "translate_detailed", None)
        with_origins = getattr(self.translator, "translate_with_origins", None)
        scored = getattr(self.translator, "translate_scored", None)
        scores: list[float | None] = [None] * len(batch)
        if detailed is not None:
            out, origins, scores = detailed(batch, progress=self.progress)
        elif scored is not None:  # an uncached translator that scores
            out, scores = scored(batch, progress=self.progress)
            origins = ["machine"] * len(batch)
        elif with_origins is None:
            out = self.translator.translate(batch, progress=self.progress)
            origins = ["machine"] * len(batch)
        else:
            out, origins = with_origins(batch, progress=self.progress)
        checkpoint("translate.batch")  # test hook: this batch is in the cache now
        for text, origin, score in zip(batch, origins, scores, strict=True):
            if origin == "none":  # blank: nothing was translated
                continue
            self.scores[text] = score
            if text in self.origins:
                # A repeat (also when a second call finds it in the cache this build filled).
                self.reused += 1
                continue
            self.origins[text] = origin
            self.decoded += origin == "machine"
            self.cached += origin == "cache"
        return out

    def progress(self, done: int) -> None:
        """The translator's ``progress``: ``done`` more inputs finished."""
        self.report(done, 0)

    def confidence(self, inputs: Iterable[str]) -> float | None:
        """The lowest confidence among ``inputs`` (a sentence, or its splice pieces); None if
        any has none."""
        found = [self.scores.get(text) for text in inputs]
        if not found or any(score is None for score in found):
            return None
        return min(score for score in found if score is not None)


# -- QA stage ---------------------------------------------------------------------------------


def run_qa(record: DocumentRecord, glossary: Glossary, config: BuildConfig) -> None:
    """Check every translated pair; flags go to the segment's ``flags`` and ``qa`` fields."""
    src, tgt = record.language.language, record.target_language
    for seg in record.segments:
        if seg.english is None:
            continue
        pair_src = seg.language.language if seg.language else src
        missing = (
            verify_terms(seg.source, seg.english, pair_src, glossary) if pair_src != tgt else []
        )
        spans = (
            missing_spans(seg.source, seg.english, config.glossary.spans) if pair_src != tgt else []
        )
        # Flags from earlier stages (a given language that contradicts language id, a term
        # the glossary could not pin) stay.
        earlier = [f for f in seg.qa if f.check in (SOURCE_LANGUAGE, LOST_FLAG)]
        seg.qa = earlier + check_pair(
            seg.source,
            seg.english,
            pair_src,
            tgt,
            config.qa,
            glossary_missing=missing,
            protected_missing=spans,
            confidence=seg.confidence if seg.origin == "machine" else None,
        )
        for flag in seg.qa:
            if flag.check not in seg.flags:
                seg.flags.append(flag.check)
        if seg.origin == "machine" and seg.repair is not None and seg.repair.winner:
            strategy = seg.repair.winner.split(":")[0]
            seg.qa.append(
                QaFlag(
                    check=f"repaired:{strategy}",
                    severity="info",
                    message=f"repaired:{strategy}: the first output was flagged "
                    f"{', '.join(seg.repair.kinds)}; {seg.repair.winner} passed QA",
                )
            )


# -- the build --------------------------------------------------------------------------------


def config_for_file(config: BuildConfig, file_name: str) -> BuildConfig:
    """The configuration as it concerns one original: its own ``encodings`` entry only.

    This is what a document's provenance records and its fingerprint hashes, so adding or
    changing one file's entry in ``corpus/settings.yaml`` rebuilds exactly that document.
    """
    decode = config.prepare.decode.for_file(file_name)
    if decode is config.prepare.decode:
        return config
    prepare = config.prepare.model_copy(update={"decode": decode})
    return config.model_copy(update={"prepare": prepare})


def with_corpus_settings(config: BuildConfig, settings: CorpusSettings) -> BuildConfig:
    """``config`` with the per-file encodings of ``corpus/settings.yaml`` added (they win)."""
    if not settings.encodings:
        return config
    decode = config.prepare.decode.model_copy(
        update={"encodings": {**config.prepare.decode.encodings, **settings.encodings}}
    )
    prepare = config.prepare.model_copy(update={"decode": decode})
    return config.model_copy(update={"prepare": prepare})


def document_fingerprint(
    config: BuildConfig, glossary: Glossary, model: dict[str, Any] | None, corrections: str = ""
) -> str:
    return fingerprint(
        config.model_dump(mode="json"), versions(), glossary.sha256, model, corrections
    )


def _outputs(record: DocumentRecord) -> dict[str, bytes]:
    outputs = {f"{record.document}.meta.json": render_meta_json(record).encode()}
    if record.status == "built":
        outputs[f"{record.document}.en.txt"] = render_english_text(record.segments).encode()
        outputs[f"{record.document}.aligned.tsv"] = render_aligned_tsv(record.segments).encode()
    return outputs


def _is_current(paths: CorpusPaths, entry: ManifestEntry | None, data_sha: str, fp: str) -> bool:
    if entry is None or entry.input_sha256 != data_sha or entry.fingerprint != fp:
        return False
    for name, sha in entry.outputs.items():
        try:
            if sha256_bytes((paths.english / name).read_bytes()) != sha:
                return False
        except FileNotFoundError:
            return False
    return True


def build_corpus(
    root: str | os.PathLike[str] = "corpus",
    *,
    provider: TranslatorProvider,
    glossary: Glossary | None = None,
    config: BuildConfig | None = None,
    only: Iterable[str] | None = None,
    progress: Progress = _no_progress,
    executor: Executor | None = None,
    force: bool = False,
) -> BuildSummary:
    """Build ``root/english`` from ``root/original``; return what was done.

    ``glossary`` None means the corpus's own, found by
    :func:`~toolkit.glossary.discover.discover_glossary` (``root/glossary.yaml``, else the
    ``glossary.yaml`` beside ``root``); pass ``Glossary.empty()`` for none.

    ``only`` limits the build to the given file names in ``original/`` (used by
    ``toolkit add`` and ``toolkit build --only``); every other manifest entry is kept as
    it is. ``force`` rebuilds documents whose inputs and settings are unchanged (files whose
    bytes come out the same are still not rewritten). ``executor`` decides
    where documents are prepared (default: :class:`LocalExecutor`, a process pool for
    large builds; :class:`toolkit.pipeline.ray_executor.RayExecutor` on Ray).

    Holds the corpus lock (:mod:`toolkit.corpus.lock`; raises
    :class:`~toolkit.corpus.lock.CorpusLocked`
    if another process holds it), first removes temporary files a killed build left, and
    makes the outputs visible all at once (:class:`~toolkit.corpus.writes.StagedWrites`): a build
    that fails to write raises :class:`~toolkit.corpus.writes.CorpusWriteError` and changes nothing.

    Example (English articles need no model; ``toolkit build`` prints ``summary.lines()``
    and exits with ``summary.exit_code``):

    >>> import tempfile
    >>> from toolkit.translation.provider import ArgosProvider
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "original").mkdir()
    >>> text = "The council met on Monday. It agreed to build a new bridge over the river."
    >>> _ = (root / "original" / "bridge.txt").write_text(text, encoding="utf-8")
    >>> summary = build_corpus(root, provider=ArgosProvider(cache_dir=root / ".cache"))
    >>> summary.built, summary.exit_code
    (['bridge'], 0)
    >>> build_corpus(root, provider=ArgosProvider(cache_dir=root / ".cache")).up_to_date
    ['bridge']
    """
    paths = CorpusPaths(Path(root))
    if glossary is None:  # the corpus's glossary, by the one rule; never the working directory
        glossary = discover_glossary(paths.root).load()
    with CorpusLock(paths.root, "build_corpus"), StagedWrites() as writes:
        remove_temp_files(paths)
        summary = _build_locked(
            paths.root,
            provider=provider,
            glossary=glossary,
            config=config,
            only=only,
            progress=progress,
            writes=writes,
            executor=executor or LocalExecutor(),
            force=force,
        )
        checkpoint("build.before-commit")
        with deferred_interrupts():  # all renames or none: Ctrl-C waits for the last one
            writes.commit()
    return summary


def _build_locked(
    root: Path,
    *,
    provider: TranslatorProvider,
    glossary: Glossary | None,
    config: BuildConfig | None,
    only: Iterable[str] | None,
    progress: Progress,
    writes: StagedWrites,
    executor: Executor,
    force: bool = False,
) -> BuildSummary:
    """The build itself, run by :func:`build_corpus` under the lock; writes go to ``writes``."""
    paths = CorpusPaths(Path(root))
    config = with_corpus_settings(config or BuildConfig(), load_corpus_settings(paths.root))
    use_settings(provider, config)  # before identity(): the fingerprint sees the same settings
    glossary = glossary or Glossary.empty()
    summary = BuildSummary()
    manifest = read_manifest(paths.manifest, summary.warnings)
    originals = list_originals(paths)
    summary.skipped = [shown_name(p.name) for p in skipped_originals(paths)]
    # Document id, case-folded -> the first original (by name) that has it: ``Case`` and
    # ``case`` name one output file on a case-insensitive file system (macOS, Windows).
    owner_of: dict[str, str] = {}
    ids: dict[str, str] = {}  # original's name -> its document id (names that give a safe one)
    for path in list(originals):
        try:
            ids[path.name] = document_id(path)
        except UnsafeDocumentId as exc:  # never used as a path: reported, skipped
            summary.errors[f"original/{path.name}"] = str(exc)
            originals.remove(path)
            continue
        owner_of.setdefault(ids[path.name].casefold(), path.name)
    if only is not None:
        wanted = set(only)
        originals = [p for p in originals if p.name in wanted]
    corrections_of = _corrections_digests(paths, summary.warnings)
    corrections: dict[str, ReviewState] = {}

    pending: list[tuple[str, bytes]] = []  # (input path, bytes) of the documents to rebuild
    data_shas: dict[str, str] = {}
    for path in originals:
        checkpoint("prepare")
        doc = ids[path.name]
        rel = f"original/{path.name}"
        owner = owner_of[doc.casefold()]
        if owner != path.name:  # a.md and a.txt (or Case.txt, case.txt): one document id
            summary.errors[rel] = (
                f"{rel}: same document id {doc!r} as original/{owner}, whose outputs "
                "it would overwrite; rename one of them"
            )
            continue
        try:
            data = read_original(path, config.prepare.decode.max_bytes)
        except InputError as exc:
            summary.errors[doc] = str(exc.for_file(rel))
            continue
        except OSError as exc:
            summary.errors[doc] = f"{rel}: cannot be read ({exc.strerror}); check its permissions"
            continue
        data_shas[doc] = sha256_bytes(data)
        try:
            corrections[doc] = (
                load_review_state(paths.root, doc) if doc in corrections_of else ReviewState()
            )
        except CorrectionsError as exc:
            summary.errors[doc] = str(exc)
            continue
        entry = manifest.get(doc)
        lang = entry.language if entry else None
        model = provider.identity(lang, config.target_language) if lang else None
        fp = document_fingerprint(
            config_for_file(config, path.name), glossary, model, corrections_of.get(doc, "")
        )
        if not force and _is_current(paths, entry, data_shas[doc], fp):
            # A document still waiting for a model is not "up to date": it is counted once,
            # under "need a model".
            if entry and entry.status == "needs-model":
                summary.needs_model[doc] = entry.message or "needs a model"
            else:
                summary.up_to_date.append(doc)
            if corrections[doc].rows:  # orphans are reported on every build, not only the first
                old = read_meta(paths.english / f"{doc}.meta.json")
                _note_orphans(summary, doc, orphans_of(old, corrections[doc]))
            continue
        pending.append((rel, data))

    records: list[DocumentRecord] = []
    prepared = executor.prepare_many(
        pending, config.prepare, lambda done, total: progress("prepare", done, total)
    )
    for (rel, _data), result in zip(pending, prepared, strict=True):
        if isinstance(result, InputError):
            summary.errors[ids[rel.removeprefix("original/")]] = str(result.for_file(rel))
        else:
            result.target_language = config.target_language  # the build owns it, not prepare
            records.append(result)

    translate_records(records, provider, glossary, config, summary, progress)
    for record in records:
        orphans = apply_corrections(record, corrections[record.document])
        _note_orphans(summary, record.document, orphans)

    for checked, record in enumerate(records, start=1):
        doc = record.document
        doc_config = config_for_file(config, Path(record.input.path).name)
        if record.status == "built":
            run_qa(record, glossary, config)
            apply_dismissals(record, corrections[doc])
        progress("qa", checked, len(records))
        if record.input.encoding_candidates:
            summary.ambiguous_encodings[record.input.path] = record.input.encoding_candidates
        record.config = doc_config.model_dump(mode="json")
        record.glossary = glossary.provenance(config.glossary)
        record.qa = config.qa.model_dump(mode="json")
        model = provider.identity(record.language.language, record.target_language)
        fp = document_fingerprint(doc_config, glossary, model, corrections_of.get(doc, ""))
        outputs = _outputs(record)
        for name, data in outputs.items():
            summary.files_written += _stage(writes, paths.english / name, data)
        _remove_stale(paths, doc, outputs, writes)
        manifest[doc] = ManifestEntry(
            document=doc,
            input=record.input.path,
            input_sha256=record.input.sha256,
            fingerprint=fp,
            status=record.status,
            message=record.message,
            language=record.language.language,
            segments=len(record.segments),
            outputs={name: sha256_bytes(data) for name, data in outputs.items()},
        )
        if record.status == "needs-model":
            summary.needs_model[doc] = record.message or "needs a model"
        else:
            summary.built.append(doc)

    # Documents whose original is gone leave the manifest (their outputs are removed too).
    if only is None:
        present = {ids[p.name] for p in originals}
        for doc in [d for d in manifest if d not in present]:
            _remove_stale(paths, doc, {}, writes)
            del manifest[doc]
        for doc in sorted(set(corrections_of) - present):
            summary.orphan_corrections[doc] = ["the whole file: no original of that name"]
    checkpoint("build.before-manifest")
    summary.files_written += _stage(  # staged last: renamed last
        writes, paths.manifest, render_manifest(manifest.values()).encode()
    )
    return summary


def _stage(writes: StagedWrites, path: Path, data: bytes) -> bool:
    """``writes.write_if_changed``, not cut short by Ctrl-C: a temp file created but not yet
    recorded would be left behind (what is recorded is discarded when the build stops)."""
    with deferred_interrupts():
        return writes.write_if_changed(path, data)


def _note_orphans(summary: BuildSummary, doc: str, orphans: list[Correction]) -> None:
    if orphans:
        summary.orphan_corrections[doc] = [c.describe() for c in orphans]


def _remove_stale(
    paths: CorpusPaths, doc: str, keep: dict[str, bytes], writes: StagedWrites
) -> None:
    for suffix in OUTPUT_SUFFIXES:
        name = f"{doc}{suffix}"
        if name not in keep:
            writes.remove(paths.english / name)


def _corrections_digests(paths: CorpusPaths, warnings: list[str]) -> dict[str, str]:
    """sha256 of each document's corrections file (empty dict until corrections exist).

    A file whose name does not give a safe document id is ignored with a warning."""
    # Bytes, not text: a file that is not UTF-8 (or not a file) must not stop the whole
    # build here; loading it fails its own document with one line (load_review_state).
    return {
        doc: _file_digest(corrections_path(paths.root, doc))
        for doc in documents_with_corrections(paths.root, warnings)
    }


def read_original(path: Path, max_bytes: int) -> bytes:
    """The bytes of an original, refusing an oversized one *before* reading it.

    The size comes from ``fstat`` on the open file and the read is bounded at
    ``max_bytes + 1``, so a 2 GB (even sparse) file costs no memory, and a file that grows
    while it is read is still caught. Raises :class:`InputError` (no file name) or OSError.
    """
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size <= max_bytes:
            data = fh.read(max_bytes + 1)
            size = max(size, len(data))
    if size > max_bytes:
        raise InputError(
            f"is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB article limit; "
            "split it into articles or raise the limit with --max-bytes"
        )
    return data


def _file_digest(path: Path) -> str:
    """sha256 of a file's bytes; "" when it cannot be read (its loader reports why)."""
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return ""


__all__ = [
    "BuildConfig",
    "BuildSummary",
    "build_corpus",
    "run_qa",
    "translate_records",
]
