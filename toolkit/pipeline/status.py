"""Where every document of a corpus stands (``toolkit status``): built, needs model, error,
not built, out of date, stale or changed since the build; plus corrections that lost their
place.

Read only (but for the model-hash memo, a cache: :mod:`toolkit.pipeline.status_corpus`):
built documents come from the manifest and the last complete build; unbuilt originals are
prepared (no model needed) to tell the ones that would fail from the new ones.
Whether a built document is current is decided by the build's own plan
(:func:`toolkit.pipeline.plan.plan_build`, with the same settings, glossary and models), so
status never says ``built`` of a document a build would rebuild: it says ``stale`` and why
(:func:`toolkit.pipeline.stale.stale_reason`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.gone import NO_ORIGINAL, NO_ORIGINAL_STATE, gone_fate, present_ids
from toolkit.corpus.paths import CorpusPaths
from toolkit.errors import InputError, ToolkitError
from toolkit.pipeline.refusal import prepare_original, served_or_built
from toolkit.pipeline.states import BUILT, NEEDS_MODEL, STALE, state_word
from toolkit.pipeline.status_corpus import StatusCorpus, read_corpus
from toolkit.pipeline.status_flags import count_corpus_flags, count_flags

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.corpus.originals import OriginalName
    from toolkit.glossary.model import Glossary
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
    hand, which a build holds: the plan's line, or the build's for one whose original is
    gone: :func:`~toolkit.corpus.gone.gone_fate`), no original (built, its original deleted
    since: :func:`~toolkit.corpus.gone.no_original_line` says what the next build does),
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

    corpus, originals = read_corpus(corpus_dir, packages_dir, glossary, config)
    rows = [_status(corpus, original) for original in originals]
    for row in rows:
        _corrections(corpus, row)
    listed = {r.document for r in rows} | set(corpus.plan.held)
    gone = [(d, e) for d, e in sorted(corpus.manifest.items()) if d not in listed]
    for doc, entry in gone:  # built, its original deleted since: listed until a build removes it
        state, line = gone_fate(CorpusPaths(corpus_dir), entry)  # or holds it: edited by hand
        row = DocumentStatus(doc, entry.input, state, entry.language or "")
        row.segments, row.message = entry.segments, line
        count_flags(corpus, row)  # its English is there, as review shows it, until a build
        rows.append(row)
    listed = {r.document for r in rows}  # as the build says
    rows += [_unread(corpus, e) for e in corpus.plan.unread()]
    count_corpus_flags(corpus, rows)
    return rows, unread_corrections(corpus_dir, listed, corpus.plan.present)


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


def _status(corpus: StatusCorpus, original: Path) -> DocumentStatus:
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


def _unread(corpus: StatusCorpus, original: OriginalName) -> DocumentStatus:
    """The row of a name the build does not read (a symlink, a folder, a hidden file), with
    the build's line; a built document it holds (its English kept) shows its last build."""
    held = {entry: doc for doc, entry in corpus.plan.held.items()}
    doc, kept = held.get(original) or original.document(), original in held
    row = DocumentStatus(doc or original.shown, f"original/{original.shown}", "skipped")
    row.message = _skipped_line(corpus, doc if kept else None, original)
    entry = corpus.manifest.get(doc or "")
    if kept and entry is not None:
        row.language, row.segments = entry.language or "", entry.segments
        count_flags(corpus, row)
    return row


def _skipped_line(corpus: StatusCorpus, doc: str | None, original: OriginalName) -> str:
    """The build's line of a name it does not read; for one holding the built document
    ``doc`` (its English kept), what that English holds typed by hand is said too: the row
    said only "skipped", so an edit there was not named until the name was put back."""
    line = original.line(kept=doc is not None)
    entry = corpus.manifest.get(doc) if doc is not None else None
    if entry is None:
        return line
    from toolkit.corpus.edits import hand_edits

    edited = hand_edits(CorpusPaths(corpus.root), entry.document, entry, corpus.plan.beside)
    if not edited:
        return line
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    return (
        f"{line}; {files} {'was' if len(edited) == 1 else 'were'} edited by hand since the "
        "build: kept with it (a build with the name put back holds or writes it, as status "
        f"then says); {FLAGS_NOT_COUNTED}"
    )


FLAGS_NOT_COUNTED = (
    "its flags are not counted (? in status): no QA has read the English typed by hand, and "
    "its build's flags are of the English the edit replaced"
)
"""Why status shows ``?`` for the flags of a document whose English holds hand edits (its
build's record is not what the corpus holds; ``toolkit qa`` leaves it out too): said of a
held renamed document, whose state (``skipped``) does not say it."""


def _built_status(
    corpus: StatusCorpus, row: DocumentStatus, entry: ManifestEntry, digest: str
) -> None:
    """``row`` of a document the manifest lists: current, out of date or changed since."""
    from toolkit.corpus.snapshot import CHANGED_SINCE_BUILD
    from toolkit.pipeline.stale import UNEXPLAINED, stale_reason

    doc, snapshot = row.document, corpus.snapshot
    row.language, row.segments = entry.language or "", entry.segments
    if doc in corpus.summary.errors:  # the build's line: e.g. over a lowered --max-bytes
        row.state, row.message = "error", corpus.summary.errors[doc]
        return
    if entry.input_sha256 != digest:
        # Out of date even when kept as it is without its model (its edits recorded:
        # pipeline.kept; the line says so): its English describes the old original, so the
        # readers must still say it is not current (a kept stale document is "stale" alike).
        row.state = "out of date"
        row.message = corpus.plan.loses_english.get(doc, "")
    else:
        # As the build counts it: English kept without its model here "needs a model" too.
        row.state = state_word(entry.status, doc in corpus.summary.needs_model)
        row.message = corpus.summary.needs_model.get(doc, entry.message or "")
        if snapshot is not None and doc in snapshot.changed:
            row.state, row.message = CHANGED_SINCE_BUILD, snapshot.changed[doc]
    if doc in corpus.plan.edited:  # the build's line: held, its edit kept
        row.state, row.message = "edited", corpus.plan.edited[doc]
    record = snapshot.record(doc) if snapshot is not None else None
    row.language = record.language.language if record is not None else row.language  # zxx too
    if row.state in (BUILT, NEEDS_MODEL) and doc in corpus.plan.kept_stale:
        row.state = STALE  # the message is the build's: kept until the model is installed
    elif row.state in (BUILT, NEEDS_MODEL) and doc in corpus.stale:
        try:  # a rule added since its last build may refuse it: the build's line, as unbuilt
            served = served_or_built(corpus.served, corpus.plan.beside, entry)  # as the build
            prepare_original(corpus.root / row.original, row.original, corpus.config, served)
        except InputError as exc:
            row.state, row.message = "error", str(exc)
            return
        original_name = row.original.removeprefix("original/")
        fingerprints = corpus.plan.fingerprints
        why = stale_reason(fingerprints, original_name, record, entry.fingerprint) if record else ""
        row.state, row.message = STALE, f"stale: {why or UNEXPLAINED}; toolkit build rebuilds it"
    count_flags(corpus, row)


def _corrections(corpus: StatusCorpus, row: DocumentStatus) -> None:
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


def reader_states(
    corpus_root: Path,
    documents: set[str],
    packages_dir: Path | None = None,
    glossary: Glossary | None = None,
    *,
    config: BuildConfig | None = None,
) -> dict[str, tuple[str, str]]:
    """Each of ``documents``' (built ones, about to be exported or reviewed) state and line
    as ``toolkit status`` says them: the one owner of a document's state word, which the
    workbench shows (a document kept without its model is ``needs model`` there too, not
    its record's ``built``) and of which :func:`stale_documents` keeps those not current.
    A document whose original is gone gets :func:`~toolkit.corpus.gone.gone_fate` (what the
    next build does); one whose original became a name the build does not read (a symlink, a
    folder) ``skipped`` with the build's line for it (its English is kept:
    :func:`~toolkit.corpus.originals.held_documents`).

    Asked of the build's own plan (as :func:`corpus_status` does: read-only, with the models
    in ``packages_dir``, ``glossary`` and ``config``, by default those a plain ``toolkit
    build`` would use), for these documents' originals only: the plan reads no other
    original, and one never built is not prepared here. A problem there (a broken glossary
    file) is reported under the key ``""`` (:func:`undecided`), never raised: the reader
    reads the build, not the plan.
    """
    from toolkit.corpus.originals import read_originals

    try:
        ids, held = read_originals(corpus_root)
        only = {name for name, doc in ids.items() if doc in documents}
        corpus, originals = read_corpus(corpus_root, packages_dir, glossary, config, only)
        rows = [_status(corpus, original) for original in originals if original.name in only]
        for row in rows:
            _corrections(corpus, row)  # a corrections file that is none: "error", as in status
    except ToolkitError as exc:
        return undecided_state(exc)
    paths = CorpusPaths(corpus_root)
    states = {
        doc: gone_fate(paths, entry) if (entry := corpus.manifest.get(doc)) else _NO_ENTRY
        for doc in sorted(documents - present_ids(ids.values(), held))
    }
    for doc in sorted(documents & set(held)):  # its English kept: an edit in it said too
        states[doc] = ("skipped", _skipped_line(corpus, doc, held[doc]))
    return states | {row.document: (row.state, row.message) for row in rows}


def stale_documents(
    corpus_root: Path,
    documents: set[str],
    packages_dir: Path | None = None,
    glossary: Glossary | None = None,
    *,
    config: BuildConfig | None = None,
) -> dict[str, str]:
    """Those of ``documents`` (built ones, about to be exported or reviewed) that a build
    would now write differently, holds or refuses (an original grown over the article
    limit), with status's words for why (``stale: glossary changed; ...``, ``out of date:
    its original changed since the build``, the build's error or held line): readers show
    the last build, and must say when it is not what a build writes now
    (:func:`not_current` of :func:`reader_states`, asked the same way)."""
    states = reader_states(corpus_root, documents, packages_dir, glossary, config=config)
    return not_current(states)


def not_current(states: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Of :func:`reader_states`' answer, the documents that are not what a build writes now,
    each with its line (or, where a row has none, its state and :data:`_WHY`'s words), and
    the key ``""`` when that could not be told."""
    return {
        doc: line or f"{state}: {_WHY[state]}"
        for doc, (state, line) in states.items()
        if doc == UNDECIDED or state in _NOT_CURRENT
    }


_WHY = {
    "out of date": "its original changed since the build",
    "stale": "toolkit build rebuilds it",
    "error": "toolkit build refuses it now",
    "edited": "toolkit build holds it",
}
"""The states of rows :func:`stale_documents` reports, and what follows the state in a row
without a message (a stale or error row always has one: why; an error is one a build now
refuses, e.g. an original grown over the article limit)."""
_NOT_CURRENT = {*_WHY, NO_ORIGINAL_STATE, "skipped"}
"""Every state :func:`not_current` keeps: those of :data:`_WHY`, a gone document's (held:
``edited``, or removed), and a held name's (``skipped``: its English kept, the fix named)."""
_NO_ENTRY = (NO_ORIGINAL_STATE, NO_ORIGINAL)  # asked of a document the manifest lacks
UNDECIDED = ""
"""The key of the one line saying the question could not be answered (:func:`undecided`)."""


def undecided(problem: ToolkitError) -> dict[str, str]:
    """:func:`stale_documents`'s answer when ``problem`` (a broken glossary file) keeps it
    from telling which documents are current: one line under the key ``""``."""
    return {"": f"cannot tell whether the documents are current ({problem})"}


def undecided_state(problem: ToolkitError) -> dict[str, tuple[str, str]]:
    """:func:`reader_states`' answer when ``problem`` keeps it from telling: :func:`undecided`'s
    line under the key ``""``."""
    return {UNDECIDED: (UNDECIDED, undecided(problem)[UNDECIDED])}
