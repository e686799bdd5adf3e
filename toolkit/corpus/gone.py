"""Built documents whose original is gone (deleted, moved away): which they are, and what the
next build does with each -- the one answer the build, ``toolkit status`` and every reader of
the built corpus (export, review, qa, the workbench) give.

The next build

* holds one whose English was edited by hand since its build (:func:`gone_held_line`: the
  English is the only copy of what was typed; :func:`toolkit.corpus.edits.gone_line` says
  how to put the original back or drop the document on purpose);
* removes the English of one built with English (never more than half of the corpus at once:
  :func:`toolkit.pipeline.removal.check_removal`);
* only forgets one waiting for a model, or failed (it has no English).

Before, status and the readers said "the next build removes its English" of an edited one,
which the build holds.

Example::

    state, line = gone_fate(CorpusPaths(Path("corpus")), entry)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.edits import gone_line, hand_edits

if TYPE_CHECKING:
    from toolkit.corpus.originals import OriginalName
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.corpus.staged import RecordsBeside
    from toolkit.schema import ManifestEntry

NO_ORIGINAL = (
    "no original (deleted?); the next build removes its English, unless more than half of "
    "the built documents lost theirs (then it refuses, without --allow-removal)"
)
NO_ORIGINAL_STATE = "no original"
"""What status and every reader (review, export, qa) say of a built document whose original
is gone and which the next build removes or forgets (:func:`no_original_line`)."""
HELD_STATE = "edited"
"""Status's state of a document whose original is gone and which the next build holds: as
of any document held for its hand edits (:func:`gone_held_line`)."""


def no_original_line(status: str) -> str:
    """What is true of a document whose original is gone and whose English holds no hand
    edit, by its last build's ``status`` (the manifest's, or its record's): one built has
    English, which the next build removes (:data:`NO_ORIGINAL`, with the cap on removals);
    one waiting for a model (or failed) has none, so the next build only forgets it, and it
    counts for no cap (:func:`toolkit.pipeline.removal.gone_documents`)."""
    if status == "built":
        return NO_ORIGINAL
    why = "it waits for a model and has" if status == "needs-model" else "it has"
    return f"no original (deleted?); {why} no English; the next build forgets it"


def gone_held_line(
    paths: CorpusPaths,
    entry: ManifestEntry,
    beside: RecordsBeside | None = None,
    keep: Callable[[dict[str, bytes]], dict[str, bytes]] | None = None,
) -> str | None:
    """The line the next build holds ``entry``'s document with, its original gone: its
    English outputs hold hand edits (:func:`~toolkit.corpus.edits.hand_edits`, recorded as
    corrections or not: removing them loses them either way), so the English is kept until
    the original is back or the document is dropped on purpose. None when the next build
    removes or forgets it (:func:`no_original_line`). The build asks it
    (:func:`toolkit.pipeline.removal.gone_documents`, unless ``--discard-edits``; and right
    before staging a removal, :func:`toolkit.pipeline.held.held_gone`, whose ``keep`` drops
    the edits ``--discard-edits`` discards), and so do status and the readers
    (:func:`gone_fate`)."""
    edited = hand_edits(paths, entry.document, entry, beside)
    if edited and keep is not None:
        edited = keep(edited)
    return gone_line(entry, edited) if edited else None


def gone_fate(paths: CorpusPaths, entry: ManifestEntry) -> tuple[str, str]:
    """``(state, line)`` of a built document whose original is gone, as a plain build treats
    it: :data:`HELD_STATE` and :func:`gone_held_line` when it holds it, else
    :data:`NO_ORIGINAL_STATE` and :func:`no_original_line` (removed, or forgotten)."""
    held = gone_held_line(paths, entry)
    if held is not None:
        return HELD_STATE, held
    return NO_ORIGINAL_STATE, no_original_line(entry.status)


def present_documents(entries: list[OriginalName], built: Iterable[tuple[str, str]]) -> set[str]:
    """The ids of the documents whose original is in ``original/`` (``entries``:
    :func:`~toolkit.corpus.originals.scan_originals`): each article's, and each built
    document's (``built``: ``(id, input path)`` pairs) held there under a name the build does
    not read (a symlink, a folder, a hidden or NFD rename:
    :func:`~toolkit.corpus.originals.held_documents`). A built document not in it is gone."""
    from toolkit.corpus.originals import articles_and_held, built_names

    ids, held = articles_and_held(entries, built_names(built))
    return present_ids(ids.values(), held)


def present_ids(article_ids: Iterable[str], held: Iterable[str]) -> set[str]:
    """The documents whose original is there: each article's id (one the build refuses, for
    a held id's letter case say, included: an error, not gone) and each held document
    (:func:`~toolkit.corpus.originals.held_documents`). The one rule of
    :func:`present_documents`, of the build's :func:`toolkit.pipeline.removal.gone_documents`
    and of status's :func:`toolkit.pipeline.status.reader_states`: a built document not in
    it is gone."""
    return set(article_ids) | set(held)


def only_named(
    root: Path, docs: Iterable[str], option: str = "only"
) -> tuple[set[str], set[str]]:
    """What ``toolkit build --only`` (``build_corpus(only=...)``) names: the original file
    names to build (:func:`~toolkit.corpus.originals.originals_named`), and the ids of the
    built documents whose original is gone named by their id or the file name they were
    built from. Such a document is the one the held line's way out names (``--only DOC
    --discard-edits``: :func:`~toolkit.corpus.edits.discard_advice`); "no original of that
    name" refused it, so the only way to drop its edited English was a whole-corpus
    ``--discard-edits``, which discarded every other document's edits too. ``option``: how
    a refusal names the argument (``--only`` on the command line)."""
    from toolkit.arguments import text_list
    from toolkit.corpus.formats import read_manifest
    from toolkit.corpus.originals import built_names, originals_named, scan_originals
    from toolkit.corpus.paths import CorpusPaths

    wanted = text_list(docs, "only=", "names")
    if not wanted:  # refused as no name at all, the way the caller gave none (read again)
        originals_named(root, docs, option)
    paths = CorpusPaths(Path(root))
    manifest = read_manifest(paths.manifest)
    pairs = [(doc, entry.input) for doc, entry in manifest.items()]
    entries = scan_originals(paths)  # one listing for both
    present = present_documents(entries, pairs)
    names = {doc: {doc, name} for doc, name in built_names(pairs).items() if doc not in present}
    gone = {doc for doc, named in names.items() if named & set(wanted)}
    rest = [name for name in wanted if not any(name in names[doc] for doc in gone)]
    named = originals_named(root, rest, option, entries) if rest or not gone else []
    return set(named), gone


__all__ = [
    "HELD_STATE",
    "NO_ORIGINAL",
    "NO_ORIGINAL_STATE",
    "gone_fate",
    "gone_held_line",
    "no_original_line",
    "only_named",
    "present_documents",
    "present_ids",
]
