"""Documents whose original is gone: their English removed, never more than half at once,
never English edited by hand (held until removed on purpose)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.corpus.gone import gone_held_line, present_ids
from toolkit.corpus.paths import CorpusPaths
from toolkit.errors import CorpusError
from toolkit.pipeline.held import held_gone
from toolkit.pipeline.stray import stray_orphans
from toolkit.pipeline.summary import BuildSummary
from toolkit.pipeline.write_step import remove_stale
from toolkit.plural import plural

if TYPE_CHECKING:
    from toolkit.pipeline.build import BuildRun
    from toolkit.pipeline.plan import BuildPlan


def gone_documents(
    paths: CorpusPaths,
    plan: BuildPlan,
    run: BuildRun,
    summary: BuildSummary,
    allow_removal: bool,
    named: set[str] | None = None,
) -> list[str]:
    """The documents whose original is gone, unless :func:`check_removal` refuses.

    A document whose original became a name the build does not read (``plan.held``: a
    symlink, a folder, its name in another Unicode form) is not gone: its English is kept,
    and the build names the fix. Only documents with English count for the cap (a document
    waiting for a model has none to lose). A document whose English was edited by hand is
    held (``summary.held``), its English kept, unless ``run.discard_edits``.

    ``named``: a ``--only`` build's gone documents (:func:`~toolkit.corpus.gone.only_named`),
    the others left as they are; named one by one, they are removed on purpose (no cap)."""
    present = present_ids(plan.present, plan.held)
    gone = [d for d in plan.manifest if d not in present]
    if named is not None:
        gone = [doc for doc in gone if doc in named]
    if not run.discard_edits:
        for doc in gone:
            if (line := gone_held_line(paths, plan.manifest[doc], plan.beside)) is not None:
                summary.held[doc] = line  # as status and the readers say it beforehand
        gone = [doc for doc in gone if doc not in summary.held]
    if not allow_removal and named is None:
        with_english = {d for d, entry in plan.manifest.items() if entry.status == "built"}
        check_removal(paths, len(with_english.intersection(gone)), len(with_english))
    return gone


def forget_gone(
    paths: CorpusPaths,
    plan: BuildPlan,
    run: BuildRun,
    summary: BuildSummary,
    gone: list[str],
    whole: bool = True,
) -> None:
    """Documents whose original is gone (``gone``: :func:`gone_documents`) leave the manifest (their
    outputs are removed too); a corrections file without an original is reported. Only one
    built has English to remove; one waiting for a model (or failed) is only forgotten, and
    the summary says which is which. Each is looked at again first: one whose English was
    edited while this build ran (planning looked hours ago) is held as at planning
    (:func:`~toolkit.pipeline.held.held_gone`). Corrections files without an original are
    looked for only by a ``whole`` build (not one of ``--only``)."""
    for doc in gone:
        if held_gone(paths, plan, plan.manifest[doc], run, summary):
            continue  # its English and manifest entry stay as they are
        remove_stale(paths, doc, {}, run.writes)
        status = plan.manifest.pop(doc).status
        if status == "built":
            summary.gone.append(doc)
        else:
            summary.forgotten[doc] = status
    if not whole:
        return
    stray = sorted(set(plan.fingerprints.corrections) - plan.present)
    for doc, why in stray_orphans(paths, stray, plan.present).items():
        summary.orphan_corrections[doc] = [why]


def check_removal(paths: CorpusPaths, gone: int, built: int) -> None:
    """Refuse (:class:`CorpusError`, nothing removed) a build that would remove the English of
    more than half of the ``built`` documents at once (``gone`` of them lost their original).

    A fraction, as sync tools cap deletions (rsync ``--max-delete``): removing most of a
    corpus in one build is far likelier a mistake than intent -- an ``original/`` emptied by
    mistake (then refilled with one ``toolkit add``), a sync that has not finished, a wrong
    mount, every article renamed (the fresh build of the new names is cheap from the
    translation cache) -- and intent costs one flag, ``--allow-removal``. Removing a few
    documents by deleting their originals needs none; the only document of a corpus (all of
    it) does. Stray files (a ``Thumbs.db``, a new article waiting for a model) count for
    nothing: only documents with English from an earlier build are counted (``built``, as
    ``toolkit status`` counts them built)."""
    if 2 * gone <= built:
        return
    held = "none" if gone == built else f"only {built - gone}"
    raise CorpusError(
        f"{paths.original}: holds the original of {held} of the corpus's "
        f"{plural(built, 'built document')}; nothing was removed: a build removes the English "
        f"of at most half of them at once (restore the originals, or run toolkit build "
        f"--allow-removal to remove the English of {gone} on purpose)"
    )
