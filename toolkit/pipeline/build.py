"""Build a corpus: every original in, aligned English with provenance out.

The steps, each in its own module, run over :class:`~toolkit.schema.DocumentRecord`:

1. :mod:`toolkit.pipeline.plan` decides which documents are current: a document whose
   input bytes and *fingerprint* (settings, library versions, glossary, model,
   corrections) match the manifest is skipped without being read past its hash, so
   rebuilding an unchanged corpus is nearly free, rewrites nothing and never imports
   the steps below;
2. :mod:`toolkit.prepare.document` decodes, cleans, strips boilerplate, identifies and
   segments (on the :mod:`~toolkit.pipeline.executor` given);
3. :mod:`toolkit.pipeline.translate_step` sends the sentences of *all* documents of one
   language pair through the glossary and the (cached) translator in one go, and
   :mod:`toolkit.pipeline.repair_step` re-decodes what QA would flag as broken; then human
   corrections (:mod:`toolkit.corpus.corrections`) replace the English of the sentences
   they are for, and corrections whose sentence is gone are reported as orphans;
4. :mod:`toolkit.pipeline.qa_step` flags what a reviewer must see (human English included);
5. :mod:`toolkit.pipeline.write_step` writes the files atomically, only where bytes
   change, and the manifest last.

What the build did is a :class:`~toolkit.pipeline.summary.BuildSummary` (its exit codes:
0 everything built; 3 some documents wait for a translation model; 1 some documents could
not be read; the others are built either way).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit._faults import checkpoint
from toolkit.config.build import BuildConfig
from toolkit.corpus.gone import only_named
from toolkit.corpus.lock import CorpusLock, holds_lock
from toolkit.corpus.paths import SETTINGS_FILE, CorpusPaths
from toolkit.corpus.settings import load_corpus_settings
from toolkit.corpus.snapshot import verify_entry
from toolkit.corpus.staged import commit_noting_staged
from toolkit.corpus.writes import StagedWrites, remove_temp_files
from toolkit.errors import InputError
from toolkit.interrupts import deferred_interrupts
from toolkit.pipeline.fingerprint import config_for_file, with_corpus_settings
from toolkit.pipeline.held import check_unedited, held_for_edits, note_discarded
from toolkit.pipeline.plan import BuildPlan, plan_build, use_settings
from toolkit.pipeline.removal import forget_gone, gone_documents
from toolkit.pipeline.summary import BuildSummary, Progress, guarded_progress, no_progress
from toolkit.pipeline.write_step import (
    outputs_of,
    restore_records,
    write_manifest,
    write_record,
)

if TYPE_CHECKING:
    from toolkit.corpus.snapshot import ValidRecords
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.executor import Executor
    from toolkit.schema import DocumentRecord
    from toolkit.translation.provider import TranslatorProvider


def build_corpus(
    root: str | os.PathLike[str] = "corpus",
    *,
    provider: TranslatorProvider,
    glossary: Glossary | None = None,
    config: BuildConfig | None = None,
    only: Iterable[str] | None = None,
    progress: Progress = no_progress,
    executor: Executor | None = None,
    force: bool = False,
    locked: bool = False,
    allow_removal: bool = False,
    discard_edits: bool = False,
    on_discard: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Build ``root/english`` from ``root/original``; return what was done.

    ``glossary`` None means the corpus's own (:func:`~toolkit.glossary.discover.discover_glossary`:
    ``root/glossary.yaml``, else the one beside ``root``); pass ``Glossary.empty()`` for none.

    ``only`` limits the build to the originals it names (file names or ids, a gone
    document's too: :func:`~toolkit.corpus.gone.only_named`); other entries are kept.
    ``force`` rebuilds unchanged documents (files whose bytes come out the same are still
    not rewritten). ``allow_removal``: lift :func:`check_removal`'s cap on removals.
    ``discard_edits``: rebuild a document whose English was edited by hand (else held),
    telling ``on_discard`` of each before anything is written (the CLI prints these lines).
    ``executor``: where documents are prepared (default ``LocalExecutor``; ``RayExecutor``).

    Holds the corpus lock (:mod:`toolkit.corpus.lock`, unless ``locked``: the caller holds it;
    :class:`~toolkit.corpus.lock.CorpusLocked` if another does), first removes temporary files
    a killed build left, and makes the outputs visible all at once (a build that fails to
    write, or whose progress fails, raises and changes nothing: :mod:`toolkit.corpus.writes`).

    Example (English articles need no model; ``toolkit build`` prints ``summary.lines()``):

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
    paths, config, glossary = _checked(root, glossary, config)
    with _corpus_lock(paths.root, locked), StagedWrites() as writes:
        remove_temp_files(paths)
        run = BuildRun(provider, glossary, config, guarded_progress(progress), writes, executor)
        run.discard_edits, run.on_discard = discard_edits, on_discard or run.on_discard
        summary = _build_locked(paths, run, only, force, allow_removal)
        checkpoint("build.before-commit")
        # A build killed while renaming leaves its meta.json digests: its outputs are no edit.
        with deferred_interrupts():  # all renames or none: Ctrl-C waits for the last one
            commit_noting_staged(paths, run.staged, _checked_commit(run), whole=only is None)
        if run.valid is not None:  # a cache: written only after the corpus is
            run.valid.save()
    return summary


def _checked_commit(run: BuildRun) -> Callable[[], None]:
    """``run.writes.commit``, which undoes its renames if an English output it renamed over
    or removed held, right before, other bytes than the build saw (:func:`check_unedited`)."""
    return partial(run.writes.commit, verify=partial(check_unedited, run.seen))


def _corpus_glossary(paths: CorpusPaths, glossary: Glossary | None) -> Glossary:
    """``glossary``, or when None the corpus's, by the one rule (never the working directory)."""
    if glossary is not None:
        return glossary
    from toolkit.glossary.discover import discover_glossary

    return discover_glossary(paths.root).load()


def _checked(
    root: object, glossary: Glossary | None, config: object
) -> tuple[CorpusPaths, BuildConfig, Glossary]:
    """The corpus at ``root``, ``config`` (None: the defaults) and the glossary
    (:func:`_corpus_glossary`), after one line for a ``root``, ``glossary`` or ``config`` of
    the wrong type: bytes for the root, a path for the glossary or a dict for the
    configuration failed deep inside the build with another library's traceback."""
    from toolkit.arguments import GLOSSARY_FIX, require_path, require_type

    paths = CorpusPaths(require_path(root, "build_corpus(): root"))
    if glossary is not None:
        from toolkit.glossary.model import Glossary

        require_type(glossary, Glossary, "build_corpus(): glossary", GLOSSARY_FIX)
    fix = "make one with BuildConfig(...) or BuildConfig.model_validate(a_dict)"
    checked = (
        BuildConfig()
        if config is None
        else require_type(config, BuildConfig, "build_corpus(): config", fix)
    )
    return paths, checked, _corpus_glossary(paths, glossary)


def _corpus_lock(root: Path, locked: bool) -> AbstractContextManager[object]:
    """The corpus lock, taken here unless the caller already holds it for a whole command
    (``toolkit build``, ``add`` and ``correct`` take it once, with ``--wait``)."""
    if not locked:
        return CorpusLock(root, "build_corpus")
    if not holds_lock(root):
        raise RuntimeError(f"build_corpus({root}, locked=True) without the corpus lock held")
    return nullcontext()


@dataclass
class BuildRun:
    """What one build works with, besides the corpus and the plan."""

    provider: TranslatorProvider
    glossary: Glossary
    config: BuildConfig
    progress: Progress
    writes: StagedWrites
    executor: Executor | None = None
    valid: ValidRecords | None = None
    """meta.json files known valid, saved after the commit."""
    discard_edits: bool = False
    """Rebuild documents whose English was edited by hand (``--discard-edits``)."""
    seen: dict[Path, str | None] = field(default_factory=dict)
    """English outputs this build replaces or removes -> their sha256 when it decided to
    (:mod:`toolkit.pipeline.held`)."""
    discarded: dict[str, dict[str, str]] = field(default_factory=dict)
    """``--discard-edits``: document -> its hand-edited English outputs' sha256 when this build
    started (:func:`~toolkit.pipeline.held.note_discarded`): the edits it discards."""
    on_discard: Callable[[str], None] = lambda _line: None
    """Told each line of :func:`~toolkit.pipeline.held.note_discarded` (``--discard-edits``)."""
    staged: set[str] = field(default_factory=set)
    """The sha256 of each meta.json this build writes (noted before its commit:
    :func:`~toolkit.corpus.staged.commit_noting_staged`)."""


def _build_locked(
    paths: CorpusPaths,
    run: BuildRun,
    only: Iterable[str] | None,
    force: bool = False,
    allow_removal: bool = False,
) -> BuildSummary:
    """The build itself, run by :func:`build_corpus` under the lock; writes go to
    ``run.writes``."""
    # The names are checked before anything is read or written.
    wanted, named_gone = (None, None) if only is None else only_named(paths.root, only)
    run.config = with_corpus_settings(run.config, load_corpus_settings(paths.root))
    use_settings(run.provider, run.config)  # before identity(): fingerprints see the same
    summary = BuildSummary()
    plan = plan_build(paths, run.config, run.provider, run.glossary, summary, wanted, force)
    # Removals are decided before anything is translated: a refusal after hours of
    # translation ("nothing was removed") would throw that work away.
    gone = gone_documents(paths, plan, run, summary, allow_removal, named_gone)
    note_discarded(paths, plan, run, gone, summary)  # the edits there now: what it discards
    if plan.pending:
        _rebuild(paths, plan, run, summary)
    restore_records(paths, plan, run, summary)
    forget_gone(paths, plan, run, summary, gone, whole=only is None)
    checkpoint("build.before-manifest")
    summary.files_written += write_manifest(paths, plan.manifest.values(), run.writes)
    plan.valid.keep = set(plan.manifest)
    run.valid = plan.valid  # saved once the outputs are committed (build_corpus)
    check_unedited(run.seen)  # an English output edited while the build ran: no commit
    return summary


def _rebuild(paths: CorpusPaths, plan: BuildPlan, run: BuildRun, summary: BuildSummary) -> None:
    """Prepare, translate, correct, check and write the documents of ``plan.pending``.

    The steps are imported here, not at the top: a build with nothing to do never loads
    them (ftfy, language id, the glossary matcher, CTranslate2)."""
    from toolkit.corpus.actions import apply_corrections, apply_dismissals
    from toolkit.pipeline.qa_step import run_qa
    from toolkit.pipeline.translate_step import translate_records

    records = _prepare(paths, plan, run, summary)
    translate_records(records, run.provider, run.glossary, run.config, summary, run.progress)
    records = [record for record in records if record.document not in summary.errors]
    for record in records:
        orphans = apply_corrections(record, plan.corrections[record.document])
        summary.note_orphans(record.document, orphans)
    for checked, record in enumerate(records, start=1):
        if record.status == "built":
            run_qa(record, run.glossary, run.config)
            apply_dismissals(record, plan.corrections[record.document])
        run.progress("qa", checked, len(records))
        _write(paths, plan, record, run, summary)


def _prepare(
    paths: CorpusPaths, plan: BuildPlan, run: BuildRun, summary: BuildSummary
) -> list[DocumentRecord]:
    """The pending documents prepared (on ``run.executor``); failures go to ``summary``, a
    markup refusal's way out naming the corpus's settings file."""
    if run.executor is None:
        from toolkit.pipeline.executor import LocalExecutor

        run.executor = LocalExecutor()
    prepared = run.executor.prepare_many(
        plan.pending,
        run.config.prepare,
        lambda done, total: run.progress("prepare", done, total),
        on_result=lambda result: _preload_model(run, result),
    )
    from toolkit.pipeline.refusal import served_by, served_or_built
    from toolkit.prepare.decode import plain_text_way_in
    from toolkit.prepare.document import settle_original_language

    records: list[DocumentRecord] = []
    target = run.config.target_language
    served = served_by(run.provider, target)
    for (rel, _data), result in zip(plan.pending, prepared, strict=True):
        if not isinstance(result, InputError):
            entry = plan.manifest.get(plan.document(rel))
            here = served_or_built(served, plan.beside, entry)
            result = settle_original_language(
                result, rel, run.config.prepare.language_id, target, here
            )
        if isinstance(result, InputError):
            settings = paths.root / SETTINGS_FILE
            summary.errors[plan.document(rel)] = plain_text_way_in(
                str(result.for_file(rel)), settings
            )
        else:
            records.append(result)
    return records


def _preload_model(run: BuildRun, result: DocumentRecord | InputError) -> None:
    """A prepared document that needs a model starts loading it (if the provider can load
    in the background), so loading overlaps the preparation of the other documents; not one
    whose language is too unclear to translate (:func:`settle_language` refuses it)."""
    from toolkit.languages import needs_no_model
    from toolkit.pipeline.refusal import served_by
    from toolkit.prepare.document import too_unsure

    preload = getattr(run.provider, "preload", None)
    if preload is None or isinstance(result, InputError):
        return
    language = result.language.language
    if needs_no_model(language, run.config.target_language):
        return  # nothing to translate (settle_language: its text is its English)
    served = served_by(run.provider, run.config.target_language)
    if result.language_detected is not None or not too_unsure(
        result, run.config.prepare.language_id, served
    ):
        preload(language, run.config.target_language)


def _write(
    paths: CorpusPaths,
    plan: BuildPlan,
    record: DocumentRecord,
    run: BuildRun,
    summary: BuildSummary,
) -> None:
    """Record the build's settings in ``record``, stage its files, update the manifest."""
    doc = record.document
    file_name = Path(record.input.path).name
    if record.input.encoding_candidates:
        summary.ambiguous_encodings[record.input.path] = record.input.encoding_candidates
    _note_new_decoding(paths, plan, record, summary)
    record.config = config_for_file(run.config, file_name).model_dump(mode="json")
    record.glossary = run.glossary.provenance()  # its settings are in record.config
    outputs = outputs_of(record)
    if held := held_for_edits(paths, plan, plan.manifest.get(doc), outputs, run, summary):
        summary.held[doc] = held  # its files and manifest entry stay as they are
        return
    fingerprint = plan.fingerprints.of(doc, file_name, record.language.language)
    plan.manifest[doc], written = write_record(paths, record, fingerprint, run.writes, outputs)
    summary.files_written += written
    meta_sha = plan.manifest[doc].outputs.get(f"{doc}.meta.json")
    if meta_sha:  # written from a validated record: valid
        plan.valid.known.add(f"{doc}\t{meta_sha}")
        run.staged.add(meta_sha)
    if record.status == "needs-model":
        summary.needs_model[doc] = record.message or "needs a model"
    else:
        summary.built.append(doc)
    if record.cleaning.boilerplate:
        summary.boilerplate[doc] = len(record.cleaning.boilerplate)


def _note_new_decoding(
    paths: CorpusPaths, plan: BuildPlan, record: DocumentRecord, summary: BuildSummary
) -> None:
    """Warn when an unchanged original is now decoded with another codec than at its last
    build (new decoding rules or settings): its source text changed, and a rebuild that
    rewrites a document's text must say so, not only count it as built."""
    old_entry = plan.manifest.get(record.document)
    if old_entry is None or old_entry.input_sha256 != record.input.sha256:
        return  # a new or edited original: its text was expected to change
    if plan.fingerprints.config.prepare.decode.forced_for(Path(record.input.path).name):
        return  # the user named this codec (--encoding, settings.yaml): no surprise
    old = verify_entry(paths, record.document, old_entry)[0]
    if old is None or old.input.encoding == record.input.encoding:
        return
    if [s.source for s in old.segments] == [s.source for s in record.segments]:
        return  # cleaning repaired the other reading: the text is the same
    summary.warnings.append(
        f"{record.input.path}: decoded as {record.input.encoding} now, as "
        f"{old.input.encoding} at its last build: its source text changed; pass --encoding "
        f"{old.input.encoding} (or name it under encodings: in corpus/settings.yaml) to keep "
        "the old reading"
    )
