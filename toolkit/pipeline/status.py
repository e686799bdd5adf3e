"""Where every document of a corpus stands (``toolkit status``): built, needs model, error,
not built, out of date, stale or changed since the build; plus corrections that lost their
place.

Read only (but for the model-hash memo, a cache: :func:`_plan`): built documents come from
the manifest and the last complete build; unbuilt originals are prepared (no model needed)
to tell the ones that would fail from the new ones.
Whether a built document is current is decided by the build's own plan
(:func:`toolkit.pipeline.plan.plan_build`, with the same settings, glossary and models), so
status never says ``built`` of a document a build would rebuild: it says ``stale`` and why
(:func:`toolkit.pipeline.stale.stale_reason`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError, ToolkitError
from toolkit.pipeline.refusal import prepare_original, served_in
from toolkit.pipeline.unbuilt import NO_ORIGINAL_STATE, no_original_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from toolkit.config.build import BuildConfig
    from toolkit.corpus.originals import OriginalName
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.snapshot import Snapshot
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.plan import BuildPlan
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.schema import ManifestEntry


@dataclass
class DocumentStatus:
    """One line of ``toolkit status``."""

    document: str
    original: str
    state: str
    """built, needs model, error, not built (never built), out of date (original changed),
    stale (a build would rebuild it: ``message`` says why), changed since build (its
    english/ files are not what the build wrote), edited (English typed into its outputs by
    hand, which a build holds: the plan's line), no original (built, its original deleted
    since: :func:`~toolkit.pipeline.unbuilt.no_original_line` says what the next build does),
    skipped (a name the build does not read: a
    symlink, a folder, a hidden file; ``message`` is the build's line, saying whether the
    English built from it before is kept)."""
    language: str = ""
    segments: int = 0
    flagged: int | None = None
    """Flagged segments of the last build's record; None when none was read (0 reads as clean)."""
    flags: int | None = None
    message: str = ""
    orphan_corrections: list[str] = field(default_factory=list)


@dataclass
class _Corpus:
    """What every original's status is read against."""

    root: Path
    config: BuildConfig
    manifest: dict[str, ManifestEntry]
    snapshot: Snapshot | None
    with_corrections: set[str]
    plan: BuildPlan
    summary: BuildSummary
    """What planning a build found (``summary.needs_model``: English kept without a model)."""
    stale: set[str]
    """Documents the plan would rebuild (or keeps, stale, without their model)."""
    served: Callable[[str], bool]  # the models here, as the build judges figures with them


def corpus_status(
    corpus_dir: Path,
    packages_dir: Path | None = None,
    glossary: Glossary | None = None,
    config: BuildConfig | None = None,
) -> tuple[list[DocumentStatus], dict[str, str]]:
    """Every original's state, from the manifest, meta.json and the build's plan (with the
    models in ``packages_dir``, ``glossary`` and ``config``, by default the corpus's and the
    defaults, as a plain ``toolkit build`` finds them); plus the corrections files that
    belong to no original (:func:`~toolkit.pipeline.stray.unread_corrections`; one whose
    name gives no document id keyed by its path, ``corrections/<name>``), each with the
    build's line."""
    from toolkit.pipeline.stray import unread_corrections

    corpus, originals = _read_corpus(corpus_dir, packages_dir, glossary, config)
    rows = [_status(corpus, original) for original in originals]
    for row in rows:
        _corrections(corpus, row)
    listed = {r.document for r in rows} | set(corpus.plan.held)
    gone = [(d, e) for d, e in sorted(corpus.manifest.items()) if d not in listed]
    for doc, entry in gone:  # built, its original deleted since: listed until a build removes it
        row = DocumentStatus(doc, entry.input, NO_ORIGINAL_STATE, entry.language or "")
        row.segments, row.message = entry.segments, no_original_line(entry.status)
        _count_flags(corpus, row)  # its English is there, as review shows it, until a build
        rows.append(row)
    listed = {r.document for r in rows}  # as the build says
    rows += [_unread(corpus, e) for e in corpus.plan.unread()]
    _count_corpus_flags(corpus, rows)
    return rows, unread_corrections(corpus_dir, listed, corpus.plan.present)


def _read_corpus(
    corpus_dir: Path,
    packages_dir: Path | None,
    glossary: Glossary | None,
    config: BuildConfig | None = None,
    only: set[str] | None = None,
) -> tuple[_Corpus, list[Path]]:
    """What every original's status is read against, and the originals (the plan and the
    snapshot look only at the originals named in ``only``, when given, and their documents:
    the others' rows mean nothing)."""
    from toolkit.config.build import BuildConfig
    from toolkit.corpus.corrections import documents_with_corrections
    from toolkit.corpus.formats import read_manifest
    from toolkit.corpus.originals import articles
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.settings import load_corpus_settings
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.pipeline.fingerprint import with_corpus_settings

    paths = CorpusPaths(corpus_dir)
    manifest = read_manifest(paths.manifest)
    # Unbuilt originals are decoded as the build would: with settings.yaml's encodings.
    config = with_corpus_settings(config or BuildConfig(), load_corpus_settings(paths.root))
    plan, summary = _plan(paths, config, packages_dir, glossary, only)
    corpus = _Corpus(
        root=corpus_dir,
        config=config,
        manifest=manifest,
        # Built documents are read as every reader reads them: only files whose sha256 the
        # manifest lists count, so a corrupt or hand-edited meta.json is never "built".
        snapshot=read_snapshot(paths.root, documents=_ids(only)) if manifest else None,
        with_corrections=set(documents_with_corrections(corpus_dir)),
        plan=plan,
        summary=summary,
        stale={plan.document(rel) for rel, _data in plan.pending} | set(plan.kept_stale),
        served=served_in(packages_dir, config.target_language),
    )
    held = {e.path for e in plan.held.values()}  # a built original renamed to NFD: unread
    return corpus, [path for path in articles(plan.entries) if path not in held]


def _ids(originals: set[str] | None) -> set[str] | None:
    """The document ids of these originals' names (all safe ones), or None for all."""
    from toolkit.corpus.paths import document_id

    return None if originals is None else {document_id(Path(name)) for name in originals}


def status_json(rows: list[DocumentStatus], stray: dict[str, str]) -> str:
    """``toolkit status --format json``: every row's fields, the corrections files that no
    build applies (their paths relative to the corpus, ``corrections/<name>``), and the line
    that says what is wrong with each, keyed as before: by the document id the file's name
    gives, or by its path when it gives none."""
    from toolkit.corpus.corrections import CORRECTIONS_SUFFIX
    from toolkit.corpus.paths import shown_json

    report = {
        "documents": [asdict(row) for row in rows],
        "orphan_correction_files": sorted(
            key if key.startswith("corrections/") else f"corrections/{key}{CORRECTIONS_SUFFIX}"
            for key in stray
        ),
        "orphan_correction_file_problems": stray,
    }
    return shown_json(report, indent=1)


def _plan(
    paths: CorpusPaths,
    config: BuildConfig,
    packages_dir: Path | None,
    glossary: Glossary | None,
    only: set[str] | None = None,
) -> tuple[BuildPlan, BuildSummary]:
    """What ``toolkit build`` would decide, decided by its own plan, writing nothing of the
    corpus. The model digests come from the corpus's hash memo (``.cache/file-hashes.json``,
    :mod:`toolkit.translation.hashes`); a model file hashed anew (installed or replaced since
    the last build) is remembered there, as a build remembers it: otherwise every status,
    export and review until the next build read ~100 MB of weights per model again.

    The memo is a cache, not the corpus (no reader trusts it for an output; deleting it
    costs one hash), so this is the one write of a command that reads the corpus: atomic,
    only when a digest is new, only into an ``.cache/`` a build already made (never a new
    folder in a corpus), and best-effort: a read-only corpus is read as before.
    """
    from toolkit.glossary.discover import discover_glossary
    from toolkit.pipeline.plan import plan_build, use_settings
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.translation.hashes import HashMemo
    from toolkit.translation.provider import ArgosProvider

    if glossary is None:  # the corpus's, by the one rule the build uses
        glossary = discover_glossary(paths.root).load()
    memo = HashMemo(paths.cache_dir)
    memo.load()
    provider = ArgosProvider(packages_dir=packages_dir)  # no cache_dir: no translation cache
    use_settings(provider, config)  # before identity(), as the build does
    summary = BuildSummary()
    plan = plan_build(paths, config, provider, glossary, summary, only)
    if memo.path.parent.is_dir():
        memo.save()  # ignores an OSError (a read-only corpus)
    return plan, summary


def _status(corpus: _Corpus, original: Path) -> DocumentStatus:
    """One original's status."""
    from toolkit.corpus.paths import document_id
    from toolkit.pipeline.provenance import streamed_sha256

    try:
        doc = document_id(original)
    except InputError as exc:  # the build skips such a name; status lists it by its name,
        # as it is: the table spells it out (shown), JSON escapes it (shown_json), once
        name = original.name
        return DocumentStatus(name, f"original/{name}", "error", message=str(exc))
    row = DocumentStatus(doc, f"original/{original.name}", "not built")
    if row.original in corpus.summary.errors:  # the build's line: another original has its id
        row.state, row.message = "error", corpus.summary.errors[row.original]
        return row
    entry = corpus.manifest.get(doc)
    try:
        if entry is not None:  # hashed in chunks: never a 2 GB original in memory
            _built_status(corpus, row, entry, streamed_sha256(original))
            return row
        # Only an unbuilt or stale original is prepared: a current corpus loads no stage.
        record = prepare_original(original, row.original, corpus.config, corpus.served)
        row.language, row.segments = record.language.language, len(record.segments)
    except InputError as exc:
        row.state, row.message = "error", str(exc)
    except OSError as exc:
        row.state, row.message = "error", f"cannot be read ({exc.strerror or exc})"
    return row


def _unread(corpus: _Corpus, original: OriginalName) -> DocumentStatus:
    """The row of a name the build does not read (a symlink, a folder, a hidden file), with
    the build's line; a built document it holds (its English kept) shows its last build."""
    held = {entry: doc for doc, entry in corpus.plan.held.items()}
    doc, kept = held.get(original) or original.document(), original in held
    row = DocumentStatus(doc or original.shown, f"original/{original.shown}", "skipped")
    row.message = original.line(kept=kept)
    entry = corpus.manifest.get(doc or "")
    if kept and entry is not None:
        row.language, row.segments = entry.language or "", entry.segments
        _count_flags(corpus, row)
    return row


def _count_flags(corpus: _Corpus, row: DocumentStatus) -> None:
    """The flags of the document's last build, when the snapshot holds its record, counted
    as ``toolkit qa`` counts them (:func:`toolkit.qa.summary.segment_flags`)."""
    from toolkit.qa.summary import segment_flags

    record = corpus.snapshot.record(row.document) if corpus.snapshot is not None else None
    if record is not None:
        row.flagged = sum(1 for s in record.segments if segment_flags(s))
        row.flags = sum(map(segment_flags, record.segments))


def _count_corpus_flags(corpus: _Corpus, rows: list[DocumentStatus]) -> None:
    """Add the corpus-wide checks' flags (``inconsistent``) to the counts read from the
    build records, as ``toolkit qa`` counts them (:func:`toolkit.qa.summary.corpus_flags`)."""
    from toolkit.qa.summary import corpus_flag_counts

    counted = [row for row in rows if row.flags is not None]  # read from the snapshot
    records = [corpus.snapshot.record(row.document) for row in counted]  # type: ignore[union-attr]
    more = corpus_flag_counts([r for r in records if r is not None])
    for row in counted:
        flagged, flags = more.get(row.document, (0, 0))
        row.flagged, row.flags = (row.flagged or 0) + flagged, (row.flags or 0) + flags


def _built_status(corpus: _Corpus, row: DocumentStatus, entry: ManifestEntry, digest: str) -> None:
    """``row`` of a document the manifest lists: current, out of date or changed since."""
    from toolkit.corpus.snapshot import CHANGED_SINCE_BUILD
    from toolkit.pipeline.stale import UNEXPLAINED, stale_reason

    doc, snapshot = row.document, corpus.snapshot
    row.language, row.segments = entry.language or "", entry.segments
    if doc in corpus.summary.errors:  # the build's line: e.g. over a lowered --max-bytes
        row.state, row.message = "error", corpus.summary.errors[doc]
        return
    if entry.input_sha256 != digest:
        row.state = "out of date"
        row.message = corpus.plan.loses_english.get(doc, "")
    else:
        # As the build counts it: English kept without its model here "needs a model" too.
        waits = entry.status == "needs-model" or doc in corpus.summary.needs_model
        row.state = "needs model" if waits else "built"
        row.message = corpus.summary.needs_model.get(doc, entry.message or "")
        if snapshot is not None and doc in snapshot.changed:
            row.state, row.message = CHANGED_SINCE_BUILD, snapshot.changed[doc]
    if doc in corpus.plan.edited:  # the build's line: held, its edit kept
        row.state, row.message = "edited", corpus.plan.edited[doc]
    record = snapshot.record(doc) if snapshot is not None else None
    row.language = record.language.language if record is not None else row.language  # zxx too
    if row.state in ("built", "needs model") and doc in corpus.plan.kept_stale:
        row.state = "stale"  # the message is the build's: kept until the model is installed
    elif row.state in ("built", "needs model") and doc in corpus.stale:
        try:  # a rule added since its last build may refuse it: the build's line, as unbuilt
            prepare_original(corpus.root / row.original, row.original, corpus.config, corpus.served)
        except InputError as exc:
            row.state, row.message = "error", str(exc)
            return
        original_name = row.original.removeprefix("original/")
        fingerprints = corpus.plan.fingerprints
        why = stale_reason(fingerprints, original_name, record, entry.fingerprint) if record else ""
        row.state, row.message = "stale", f"stale: {why or UNEXPLAINED}; toolkit build rebuilds it"
    _count_flags(corpus, row)


def _corrections(corpus: _Corpus, row: DocumentStatus) -> None:
    """The document's corrections file, read as the build reads it: a file that is none (a
    FIFO, a symlink, not UTF-8, malformed) makes the row an error with the build's one-line
    reason, naming the file; otherwise the corrections whose sentence is gone are listed."""
    from toolkit.corpus.actions import orphans_of
    from toolkit.corpus.corrections import load_review_state

    if row.document not in corpus.with_corrections:
        return
    try:
        state = load_review_state(corpus.root, row.document)
    except ToolkitError as exc:
        row.state, row.message = "error", str(exc)
        return
    record = corpus.snapshot.record(row.document) if corpus.snapshot is not None else None
    if record is not None:
        row.orphan_corrections = [c.describe() for c in orphans_of(record, state)]


def stale_documents(
    corpus_root: Path,
    documents: set[str],
    packages_dir: Path | None = None,
    glossary: Glossary | None = None,
    *,
    config: BuildConfig | None = None,
) -> dict[str, str]:
    """Those of ``documents`` (built ones, about to be exported or reviewed) that a build
    would now write differently or refuses (an original grown over the article limit), with
    status's words for why (``stale: glossary changed; ...``, ``out of date: its original
    changed since the build``, the build's error line): readers show the last build, and
    must say when it is not what a build writes now. A document whose original is gone gets
    :func:`~toolkit.pipeline.unbuilt.no_original_line` (what the next build does); one whose
    original became a name the build does not read (a symlink, a folder) the build's line
    for it (its English is kept: :func:`~toolkit.corpus.originals.held_documents`).

    Asked of the build's own plan (as :func:`corpus_status` does: read-only, with the models
    in ``packages_dir``, ``glossary`` and ``config``, by default those a plain ``toolkit
    build`` would use), for these documents' originals only: the plan reads no other
    original, and one never built is not prepared here. A problem there (a broken glossary
    file) is reported under the key ``""``, never raised: the reader reads the build, not
    the plan.
    """
    from toolkit.corpus.originals import read_originals

    try:
        ids, held = read_originals(corpus_root)
        only = {name for name, doc in ids.items() if doc in documents}
        corpus, originals = _read_corpus(corpus_root, packages_dir, glossary, config, only)
        rows = [_status(corpus, original) for original in originals if original.name in only]
        for row in rows:
            _corrections(corpus, row)  # a corrections file that is none: "error", as in status
    except ToolkitError as exc:
        return undecided(exc)
    gone = {
        doc: no_original_line(entry.status if (entry := corpus.manifest.get(doc)) else "built")
        for doc in sorted(documents - set(ids.values()) - set(held))
    }
    gone |= {doc: held[doc].line(kept=True) for doc in sorted(documents & set(held))}
    return gone | {
        row.document: row.message or f"{row.state}: {_WHY[row.state]}"
        for row in rows
        if row.state in _WHY
    }


_WHY = {
    "out of date": "its original changed since the build",
    "stale": "toolkit build rebuilds it",
    "error": "toolkit build refuses it now",
    "edited": "toolkit build holds it",
}
"""The states :func:`stale_documents` reports, and what follows the state in a row without a
message (a stale or error row always has one: why; an error is one a build now refuses, e.g.
an original grown over the article limit)."""


def undecided(problem: ToolkitError) -> dict[str, str]:
    """:func:`stale_documents`'s answer when ``problem`` (a broken glossary file) keeps it
    from telling which documents are current: one line under the key ``""``."""
    return {"": f"cannot tell whether the documents are current ({problem})"}
