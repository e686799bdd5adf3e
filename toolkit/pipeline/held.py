"""Hand edits during a build: each document it writes or removes is looked at when it does.

Planning says what a build will hold (:mod:`toolkit.corpus.edits`), but a long build
translates for hours while the user may type into another document's English. So the build
asks again right before it stages a document's files or its removal
(:func:`held_for_edits`, :func:`held_gone`), notes what the English outputs hold then
(``run.seen``), and :func:`check_unedited` refuses the commit if one changed after that.

``--discard-edits`` discards the edits there when the build started (:func:`note_discarded`:
their sha256, named in ``summary.discarded`` when discarded); an edit that appears during
the build is held like any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from toolkit._faults import checkpoint
from toolkit.corpus.edits import (
    DocumentEdits,
    document_edits,
    held_line,
    orphaned_line,
    rewritten_line,
)
from toolkit.corpus.edits_match import EDITABLE_SUFFIXES
from toolkit.corpus.gone import gone_held_line
from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.staged import read_output
from toolkit.errors import CorpusError
from toolkit.pipeline.provenance import sha256_bytes
from toolkit.plural import plural

if TYPE_CHECKING:
    from toolkit.pipeline.build import BuildRun
    from toolkit.pipeline.plan import BuildPlan
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.schema import ManifestEntry


def note_discarded(
    paths: CorpusPaths, plan: BuildPlan, run: BuildRun, gone: list[str], summary: BuildSummary
) -> None:
    """For ``--discard-edits``: the hand-edited English outputs (their sha256) of each
    document this build may write or remove (``plan.pending``, ``plan.restore``, ``gone``),
    as they are when it starts: what it may discard; nothing without the flag. Each document
    whose edits it discards (:func:`_discards`, the rule :func:`_not_discarded` applies at
    write time, of what :func:`_lost_at_start` says the build loses) is said at once
    (``run.on_discard``); one whose edits are all recorded as corrections and whose original
    is as built is written with them: nothing discarded, nothing said. Each document said
    is in ``summary.announced``: one not discarded after all gets a ``kept:`` line."""
    if not run.discard_edits:
        return
    docs = {plan.document(rel) for rel, _data in plan.pending} | set(plan.restore) | set(gone)
    for doc in sorted(docs):
        entry = plan.manifest.get(doc)
        if entry is None:
            continue
        edits = plan.looked.get(doc) or document_edits(paths, doc, entry, plan.beside)
        if not edits.edited:
            continue
        run.discarded[doc] = {name: sha256_bytes(data) for name, data in edits.edited.items()}
        lost = _lost_at_start(plan, entry, edits, doc in gone)
        if _discards(entry, lost, run):
            summary.announced.add(doc)
            run.on_discard(discarding_line(doc, lost, doc in gone))


def _lost_at_start(
    plan: BuildPlan, entry: ManifestEntry, edits: DocumentEdits, gone: bool
) -> dict[str, bytes]:
    """Of the hand edits of ``entry``'s document, those the build loses, as told when it
    starts (:func:`held_for_edits` asks again of the outputs it writes): all of them where
    it removes the document or writes its build's record again (``plan.restore``: the
    English as built); where it rebuilds it, those no recorded correction gives (it applies
    the corrections), or all where its original changed since the build (a corrected
    sentence may have left it, and the build then loses that edit: the new sentences are
    not known before it prepares them)."""
    doc = entry.document
    if gone or doc in plan.restore:
        return edits.edited
    data = next(data for rel, data in plan.pending if plan.document(rel) == doc)
    return edits.edited if sha256_bytes(data) != entry.input_sha256 else edits.unrecorded


def discarding_line(doc: str, edited: dict[str, bytes], gone: bool) -> str:
    """What a ``--discard-edits`` build says of ``doc`` before it writes anything (its
    ``edited`` English outputs; its original ``gone``): the ``discarded:`` lines came only
    after the build, so one stopped (Ctrl-C) had not said what it was about to discard.
    Said of what is planned, so true whatever follows: a document that then fails (its
    original emptied) is not written and keeps the edit, one that needs a model loses its
    English; the lines after the build say which (``discarded:`` where it was discarded)."""
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    does = (
        "may remove it (its original is gone)"
        if gone
        else "may replace or remove it (corrections recorded in corrections/ stay)"
    )
    return (
        f"discarding: {doc}: {files} {'was' if len(edited) == 1 else 'were'} edited by hand "
        f"before this build: this build {does} (--discard-edits; the lines after it say what "
        "it did); stop it now (Ctrl-C) to keep the edit"
    )


def held_for_edits(
    paths: CorpusPaths,
    plan: BuildPlan,
    entry: ManifestEntry | None,
    outputs: dict[str, bytes],
    run: BuildRun,
    summary: BuildSummary,
) -> str | None:
    """The line that holds ``entry``'s document (its hand-edited English would be lost by
    ``outputs``: :meth:`~toolkit.corpus.edits.DocumentEdits.lost`, less what ``--discard-edits``
    discards), or None: write it. Asked at write time, so an edit made while this build
    translated is held too; what the English outputs hold now goes into ``run.seen`` for
    :func:`check_unedited`. Lost edits all recorded as corrections are not held (the build
    applied them: whatever else of an edited paragraph changed, the corrected sentences are
    as typed), unless a correction's source sentence left the original
    (:func:`~toolkit.corpus.edits.orphaned_line`). Outputs changed by hand in no English are
    rewritten, said in ``summary.warnings``."""
    if entry is None:
        return None
    doc = entry.document
    seen = _digests(paths, doc)  # before looking: an edit typed while it looks stops the commit
    edits = document_edits(paths, doc, entry, plan.beside)  # looked at once
    looked(doc)
    if kept := _not_discarded(entry, edits.lost(outputs), run, summary):
        if set(kept) & set(edits.unrecorded):
            return held_line(paths, entry, kept, plan.beside)
        # all recorded: the build applied them; held only where a correction's sentence left
        if orphaned := orphaned_line(paths, entry, kept, outputs, plan.beside):
            return orphaned
    if rewritten := rewritten_line(paths, doc, entry, plan.beside):
        summary.warnings.append(f"{doc}: {rewritten}")
    run.seen.update(seen)
    return None


def held_gone(
    paths: CorpusPaths, plan: BuildPlan, entry: ManifestEntry, run: BuildRun, summary: BuildSummary
) -> bool:
    """Whether the document of ``entry``, whose original is gone, is held now, right before
    its removal is staged (``summary.held``, the line planning gives, asked of
    :func:`~toolkit.corpus.gone.gone_held_line`, which owns it): its English holds an edit
    typed while this build ran, or one there at its start without ``--discard-edits``. Else
    what its English holds goes into ``run.seen``: an edit typed after this stops the
    commit."""
    doc = entry.document
    seen = _digests(paths, doc)  # before looking, as held_for_edits
    line = gone_held_line(
        paths, entry, plan.beside, keep=lambda edited: _not_discarded(entry, edited, run, summary)
    )
    looked(doc)
    if line is not None:
        summary.held[doc] = line
        return True
    run.seen.update(seen)
    return False


def looked(doc: str) -> None:
    """The moment the build has looked at ``doc``'s English for hand edits, right before it
    stages its files or its removal: an edit typed from here on is not in what it saw, so it
    must stop the commit (:func:`check_unedited`). A named checkpoint,
    ``edits.looked:<doc>`` (:mod:`toolkit._faults`), where a test types its edit: the races
    patched the functions that look, so a refactor of those broke them with no change in
    behaviour."""
    checkpoint(f"{LOOKED}:{doc}")


LOOKED = "edits.looked"
"""The checkpoint of :func:`looked`, followed by ``:`` and the document id."""


def _not_discarded(
    entry: ManifestEntry,
    lost: dict[str, bytes],
    run: BuildRun,
    summary: BuildSummary,
) -> dict[str, bytes]:
    """Of ``lost`` (edited outputs the build would lose), those it must keep: all of them,
    unless ``--discard-edits`` and the whole of ``lost`` is what the document held when the
    build started (``run.discarded``); then none, named in ``summary.discarded``."""
    if not _discards(entry, lost, run):
        return lost
    files = " and ".join(f"english/{name}" for name in sorted(lost))
    summary.discarded[entry.document] = (
        f"{files} {'was' if len(lost) == 1 else 'were'} edited by hand before this build: "
        "discarded on purpose (--discard-edits)"
    )
    return {}


def _discards(entry: ManifestEntry, lost: dict[str, bytes], run: BuildRun) -> bool:
    """Whether ``--discard-edits`` discards ``lost`` (edited outputs the build would lose):
    the whole of it is what the document held when the build started (``run.discarded``);
    one rule for what :func:`note_discarded` says first and :func:`_not_discarded` does."""
    at_start = run.discarded.get(entry.document, {})
    return bool(lost) and all(sha256_bytes(data) == at_start.get(n) for n, data in lost.items())


def _digests(paths: CorpusPaths, doc: str) -> dict[Path, str | None]:
    """What ``doc``'s English outputs hold now (their sha256), for :func:`check_unedited`:
    taken before the build looks at them, so an edit typed while it looks is caught too."""
    files = [paths.english / f"{doc}{suffix}" for suffix in EDITABLE_SUFFIXES]
    return {path: _digest(path) for path in files}


def check_unedited(
    seen: dict[Path, str | None], before: dict[Path, Path | None] | None = None
) -> None:
    """Refuse to commit (:class:`CorpusError`: nothing is written) when an English output
    this build replaces or removes changed since it looked (:func:`held_for_edits`,
    :func:`held_gone`): edited while the build ran; the next build holds that document.
    Every document found changed then is named (at most :data:`NAMED`, then how many
    more): the line named the first file only, so a user who typed into several documents
    learned of one.

    Asked before the commit, and by the commit after its renames (``before``: each file
    renamed over or removed -> its backup, what it held right before; None: no file, see
    :meth:`~toolkit.corpus.writes.StagedWrites.commit`), which then undoes them all: an edit
    typed between the first check and the renames was overwritten, the build said 'built'."""
    now = (
        {path: _digest(path) for path in seen}
        if before is None
        else {path: _digest(old) if old else None for path, old in before.items() if path in seen}
    )
    changed = [path for path, digest in sorted(now.items()) if digest != seen[path]]
    if not changed:
        return
    docs = list(dict.fromkeys(_document(path) for path in changed))
    more = f" and {len(docs) - NAMED} more" if len(docs) > NAMED else ""
    named = "" if len(docs) == 1 else f": {', '.join(docs[:NAMED])}{more}"
    many = plural(len(docs), "document")
    what = f"{changed[0]}" if len(changed) == 1 else f"{changed[0].parent}: the English of {many}"
    raise CorpusError(
        f"{what}: changed while the build ran (edited by hand?){named}; nothing was written: "
        f"run toolkit build again (it keeps the {'edit' if len(changed) == 1 else 'edits'})"
    )


NAMED = 5
"""How many documents :func:`check_unedited` names before "and N more"."""


def _document(path: Path) -> str:
    """The document id of an English output's ``path`` (its name less the suffix)."""
    name = path.name
    return next((name[: -len(s)] for s in EDITABLE_SUFFIXES if name.endswith(s)), name)


def _digest(path: Path) -> str | None:
    data = read_output(path)
    return None if data is None else sha256_bytes(data)
