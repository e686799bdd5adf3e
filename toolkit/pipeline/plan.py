"""Which documents a build must (re)build, decided before any is prepared.

A document whose input bytes and *fingerprint* (settings, library versions, glossary,
model, corrections) match the manifest, and whose outputs are still the files the manifest
hashed, is current: it is skipped without being read past its hash. This module decides
that with hashing, JSON and the corpus's own files only, so a no-op rebuild never loads
the preparation, translation or QA code (ftfy, language id, CTranslate2, the glossary
matcher): :func:`toolkit.pipeline.build.build_corpus` imports those only when
:attr:`BuildPlan.pending` is not empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit._faults import checkpoint
from toolkit.corpus.actions import orphans_of
from toolkit.corpus.corrections import (
    MAX_CORRECTIONS_BYTES,
    CorrectionsError,
    ReviewState,
    corrections_path,
    documents_with_corrections,
    load_review_state,
)
from toolkit.corpus.edits import DocumentEdits, document_edits, held_line
from toolkit.corpus.formats import read_manifest
from toolkit.corpus.originals import (
    OriginalName,
    articles,
    articles_and_held,
    built_names,
    case_note,
    scan_originals,
)
from toolkit.corpus.paths import (
    CorpusPaths,
    FileTooLarge,
    NotRegularFile,
    UnsafeDocumentId,
    document_id,
    read_regular_file,
)
from toolkit.corpus.snapshot import ValidRecords, entry_is_current, verify_entry
from toolkit.corpus.staged import RecordsBeside
from toolkit.errors import InputError
from toolkit.pipeline.fingerprint import Fingerprints
from toolkit.pipeline.kept import kept_without_model
from toolkit.pipeline.provenance import (
    sha256_bytes,
)
from toolkit.pipeline.stray import misnamed_corrections
from toolkit.pipeline.summary import BuildSummary
from toolkit.schema import DocumentRecord, ManifestEntry

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.translation.provider import TranslatorProvider


def use_settings(provider: TranslatorProvider, config: BuildConfig) -> None:
    """Hand the build's decoding settings to ``provider`` (if it decodes with any).

    ``BuildConfig.translation`` is the one owner of the decoding settings; a provider
    created with different ones raises rather than decode with one set and record another.
    Called before the provider's ``identity``, so fingerprints see the settings that decode.
    """
    bind = getattr(provider, "use_settings", None)
    if bind is not None:
        bind(config.translation)


@dataclass
class BuildPlan:
    """What :func:`plan_build` found: the documents to prepare and what building them needs."""

    manifest: dict[str, ManifestEntry]
    fingerprints: Fingerprints
    valid: ValidRecords
    """meta.json files already found valid (``.cache/valid-records.txt``)."""
    ids: dict[str, str] = field(default_factory=dict)
    """Original's name -> its document id (only names that give a safe one)."""
    owner_of: dict[str, str] = field(default_factory=dict)
    """Document id, case-folded -> the first original (by name) that has it."""
    present: set[str] = field(default_factory=set)
    """Document ids of the originals this build looked at."""
    pending: list[tuple[str, bytes]] = field(default_factory=list)
    """``(original/<name>, bytes)`` of each document to rebuild."""
    corrections: dict[str, ReviewState] = field(default_factory=dict)
    loses_english: dict[str, str] = field(default_factory=dict)
    """Document id -> what a build does with its English when its original changed and its
    model is not installed here: removes it, or keeps it as it is when it holds hand edits
    recorded as corrections (:mod:`toolkit.pipeline.kept`); status says it before a build."""
    entries: list[OriginalName] = field(default_factory=list)
    """What each name in ``original/`` is: the one listing this plan (and status) reads."""
    held: dict[str, OriginalName] = field(default_factory=dict)
    """Built document id -> its original's name, now one the build does not read (a symlink,
    a folder, the name in NFD form): its English is kept, never removed as if deleted
    (:func:`~toolkit.corpus.originals.held_documents`)."""
    edited: dict[str, str] = field(default_factory=dict)
    """Document id -> the line holding it: its English outputs hold hand edits
    (:attr:`~toolkit.corpus.edits.DocumentEdits.unrecorded`); rebuilt only where the new
    English keeps them (a correction recorded), or with ``--discard-edits``: status's
    ``edited``."""
    looked: dict[str, DocumentEdits] = field(default_factory=dict)
    """Document id -> its hand edits as the plan looked at them
    (:func:`~toolkit.corpus.edits.document_edits`), for each built document it would write:
    what :mod:`toolkit.pipeline.kept` and ``--discard-edits`` (:mod:`toolkit.pipeline.held`)
    ask at the build's start; the write step looks again right before it stages."""
    restore: dict[str, DocumentRecord] = field(default_factory=dict)
    """Document id -> its build's record, for documents kept without their model whose English
    outputs were edited or deleted: written again from it (:mod:`toolkit.pipeline.kept`)."""
    kept_stale: dict[str, str] = field(default_factory=dict)
    """Document id -> why it is stale, for built documents kept without their model
    (:mod:`toolkit.pipeline.kept`)."""
    beside: RecordsBeside | None = None
    """The build records beside the English outputs, as this build reads them (each meta.json
    parsed once): passed to every question about hand edits (:mod:`toolkit.corpus.edits`);
    set by :func:`plan_build` (None: each question reads for itself)."""

    def document(self, rel: str) -> str:
        """The document id of ``original/<name>``."""
        return self.ids[rel.removeprefix("original/")]

    def unread(self) -> list[OriginalName]:
        """The names the build does not read, each said with its line: no regular file, or a
        built original renamed to its NFD form or other letter case (held: an article the
        build does not read); a held one as :func:`held_documents` gives it (its line names
        the name its document was built from)."""
        held = {e.name: e for e in self.held.values()}
        return [held.get(e.name, e) for e in self.entries if e.kind != "article" or e.name in held]


def plan_build(
    paths: CorpusPaths,
    config: BuildConfig,
    provider: TranslatorProvider,
    glossary: Glossary,
    summary: BuildSummary,
    only: set[str] | None = None,
    force: bool = False,
) -> BuildPlan:
    """Read the manifest and every original; decide which documents must be rebuilt.

    Unreadable originals and clashing ids go to ``summary.errors``; current documents to
    ``summary.up_to_date`` (or ``needs_model``), with their orphan corrections reported.
    """
    manifest = read_manifest(paths.manifest, summary.warnings)
    built = built_names((doc, entry.input) for doc, entry in manifest.items())
    entries = scan_originals(paths)  # one listing, for the whole plan
    fingerprints = Fingerprints(config, glossary, provider)
    plan = BuildPlan(
        manifest=manifest, fingerprints=fingerprints, valid=ValidRecords(paths.root),
        beside=RecordsBeside(paths),
    )  # fmt: skip
    plan.valid.load()
    plan.entries = entries
    ids, plan.held = articles_and_held(entries, built)  # what the readers ask too
    originals = _safe_originals(articles(entries), ids, plan, summary, built)
    if held := {e.path for e in plan.held.values()}:  # X.txt holding x (built from x.txt)
        originals = [p for p in originals if p not in held]
    # one refused below for a held id's letter case is there, an error (not gone: its English
    # is the held one's files on macOS and Windows), as the readers say: present_documents
    plan.present = {plan.ids[p.name] for p in originals}
    if held:
        originals = _not_over_held(originals, plan, summary)
    _note_unread(plan, summary, only)
    if only is not None:  # --only: the other originals' error lines are not this build's
        originals = [p for p in originals if p.name in only]
        for rel in [k for k in summary.errors if k.startswith("original/")]:
            if rel.removeprefix("original/") not in only:
                del summary.errors[rel]
    plan.fingerprints.corrections = corrections_digests(paths, summary.warnings)
    summary.warnings += misnamed_corrections(paths, plan.present).values()
    for path in originals:
        checkpoint("prepare")
        if _clashes(path, plan, summary):
            continue
        data = _read_for_plan(path, paths, config, plan, summary)
        if data is None or (not force and _current(path, data, paths, plan, summary)):
            continue
        _note_edits(plan.ids[path.name], paths, plan)
        if not kept_without_model(path, data, paths, plan, summary):
            plan.pending.append((f"original/{path.name}", data))
    return plan


def _note_edits(doc: str, paths: CorpusPaths, plan: BuildPlan) -> None:
    """A document the build would write whose English was edited by hand: noted with the line
    that holds it (the write step decides, as the new English may keep the edit)."""
    entry = plan.manifest.get(doc)
    if entry is None:
        return
    edits = plan.looked[doc] = document_edits(paths, doc, entry, plan.beside)
    if edits.unrecorded:
        plan.edited[doc] = held_line(paths, entry, edits.unrecorded, plan.beside)


def _note_unread(plan: BuildPlan, summary: BuildSummary, only: set[str] | None) -> None:
    """The names the build does not read go to ``summary``, each with its line (a held one
    with that line only, not also as an unsafe name); with ``only`` (--only's names), those
    named only: ``--only bridge`` said the lines of every other held name too."""
    kept = {entry.name for entry in plan.held.values()}
    for entry in plan.unread():
        if only is not None and entry.name not in only:
            continue
        (summary.hidden if entry.kind == "hidden" else summary.skipped).append(entry.shown)
        summary.unread.append(entry.line(kept=entry.name in kept))
        summary.errors.pop(f"original/{entry.name}", None)


def _safe_originals(
    paths: list[Path],
    ids: dict[str, str],
    plan: BuildPlan,
    summary: BuildSummary,
    built: dict[str, str],
) -> list[Path]:
    """The originals that give a safe document id of their own (``ids``: name -> id,
    :func:`~toolkit.corpus.originals.original_ids`); the others are errors.

    Case-folded ids clash: ``Case`` and ``case`` name one output file on a case-insensitive
    file system (macOS, Windows), so one original keeps the id: the one a document was built
    from (``built``: id -> its original's name), else the first by name (``Bridge.txt`` put
    beside a built ``bridge.txt`` took its id over by sorting first).
    """
    kept: list[Path] = []
    for path in paths:
        if (doc := ids.get(path.name)) is None:  # never used as a path: reported, skipped
            summary.errors[f"original/{path.name}"] = _why_unsafe(path)
            continue
        plan.ids[path.name] = doc
        kept.append(path)
        plan.owner_of.setdefault(doc.casefold(), path.name)
    for doc, name in built.items():  # the original its document was built from keeps the id
        if plan.ids.get(name) == doc:
            plan.owner_of[doc.casefold()] = name
    return kept


def _why_unsafe(path: Path) -> str:
    """:func:`~toolkit.corpus.paths.document_id`'s refusal of ``path``'s name."""
    try:
        document_id(path)
    except UnsafeDocumentId as exc:
        return str(exc)
    raise AssertionError(f"{path.name} gives a document id that original_ids left out")


def _not_over_held(originals: list[Path], plan: BuildPlan, summary: BuildSummary) -> list[Path]:
    """``originals`` less those whose id differs only in letter case from a held document's
    (``Bridge.txt`` while ``.bridge.txt`` holds ``bridge``), each an error: on a
    case-insensitive disk its outputs are the held document's files."""
    held = {doc.casefold(): (doc, entry) for doc, entry in plan.held.items()}
    kept = []
    for path in originals:
        doc, rel = plan.ids[path.name], f"original/{path.name}"
        if (found := held.get(doc.casefold())) is None:
            kept.append(path)
            continue
        other, entry = found
        summary.errors[rel] = (
            f"{rel}: its document id {doc!r} differs only in letter case from {other!r}, whose "
            f"English original/{entry.shown} holds ({entry.why}): one set of files on macOS "
            "and Windows; rename the new file"
        )
    return kept


def _clashes(path: Path, plan: BuildPlan, summary: BuildSummary) -> bool:
    """Whether another original owns this one's document id (reported as an error)."""
    doc, rel = plan.ids[path.name], f"original/{path.name}"
    owner = plan.owner_of[doc.casefold()]
    if owner == path.name:
        return False
    # a.md and a.txt (or Case.txt, case.txt): one document id
    summary.errors[rel] = (
        f"{rel}: same document id {doc!r} as original/{owner}{case_note(doc, plan.ids[owner])}, "
        "whose outputs it would overwrite; rename one of them"
    )
    return True


def _read_for_plan(
    path: Path, paths: CorpusPaths, config: BuildConfig, plan: BuildPlan, summary: BuildSummary
) -> bytes | None:
    """The original's bytes and its corrections (into ``plan``); None after an error."""
    doc, rel = plan.ids[path.name], f"original/{path.name}"
    try:
        data = read_original(path, config.prepare.decode.max_bytes)
    except InputError as exc:
        summary.errors[doc] = str(exc.for_file(rel))
        return None
    except NotRegularFile as exc:  # replaced since it was listed: never followed, kept
        summary.errors[doc] = (
            f"{rel}: became {exc.kind} while the build read it, never followed; its English "
            "is kept: put the article file back in its place and build again"
        )
        return None
    except FileNotFoundError:  # listed, then gone: renamed or deleted in another terminal
        summary.errors[doc] = (
            f"{rel}: renamed or removed while the build read it; its English (if any) is "
            "kept: build again"
        )
        return None
    except OSError as exc:
        summary.errors[doc] = f"{rel}: cannot be read ({exc.strerror}); check its permissions"
        return None
    try:
        has_file = doc in plan.fingerprints.corrections
        plan.corrections[doc] = load_review_state(paths.root, doc) if has_file else ReviewState()
    except CorrectionsError as exc:
        summary.errors[doc] = str(exc)
        return None
    return data


def _current(
    path: Path, data: bytes, paths: CorpusPaths, plan: BuildPlan, summary: BuildSummary
) -> bool:
    """Whether the document is current; if so it is counted and its orphans reported."""
    doc = plan.ids[path.name]
    entry = plan.manifest.get(doc)
    if entry is None or entry.input_sha256 != sha256_bytes(data):
        return False
    if entry.fingerprint != plan.fingerprints.of(doc, path.name, entry.language):
        return False
    # The same check the readers make (status, export, review): a build never calls current
    # what they would report as changed since build. Orphans are reported on every build,
    # so a document with corrections needs its record; the others need only know it is
    # valid (a meta.json already found valid, by its sha256, is not parsed again).
    old = None
    if plan.corrections[doc].rows:
        old = verify_entry(paths, doc, entry)[0]
        if old is None:
            return False
    elif not entry_is_current(paths, doc, entry, plan.valid):
        return False
    # A document still waiting for a model is not "up to date": it is counted once,
    # under "need a model", with why the model is missing now (the line recorded is its
    # build's: a tie since removed still said "move the one not meant to be used out").
    if entry.status == "needs-model":
        summary.needs_model[doc] = (
            plan.fingerprints.missing(entry.language, path.name)
            if entry.language
            else entry.message or "needs a model"
        )
    else:
        summary.up_to_date.append(doc)
    if old is not None:
        summary.note_orphans(doc, orphans_of(old, plan.corrections[doc]))
    return True


def corrections_digests(paths: CorpusPaths, warnings: list[str]) -> dict[str, str]:
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

    Read by :func:`~toolkit.corpus.paths.read_regular_file`: never through a symlink (one
    swapped in for the article after the listing raises :class:`NotRegularFile`, it is not
    followed out of the corpus), a FIFO cannot hang it, and the size comes from ``fstat``
    with the read bounded, so a 2 GB (even sparse) file costs no memory and a file that grows
    while it is read is still caught. Raises :class:`InputError` (no file name) or OSError.
    """
    try:
        return read_regular_file(path, max_bytes)
    except FileTooLarge as exc:
        raise InputError.too_large(exc.size, exc.limit) from None


def _file_digest(path: Path) -> str:
    """sha256 of a regular file's bytes; "" when it cannot be read or is no regular file
    (its loader reports why; a FIFO or a symlink to a device must not hang the plan)."""
    try:
        return sha256_bytes(read_regular_file(path, MAX_CORRECTIONS_BYTES))
    except OSError:
        return ""
