"""The originals that have no English at all (never built, or their build failed), and the
one line every reader of the built corpus (export, review) says of them: a reader that
listed only what it shows read as if the corpus were complete.

Example::

    missing = unbuilt_originals(Path("corpus"), [r.input.path for r in records])
    if missing:
        print(unbuilt_line(missing, "exported"))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.gone import NO_ORIGINAL, NO_ORIGINAL_STATE, no_original_line
from toolkit.plural import plural

if TYPE_CHECKING:
    from toolkit.corpus.originals import OriginalName
    from toolkit.schema import DocumentRecord

NAMED = 5
"""How many document ids the line names before it says how many more."""


def unbuilt_originals(
    corpus_root: Path,
    built: Iterable[str],
    changed: Iterable[str] = (),
    entries: list[OriginalName] | None = None,
) -> set[str]:
    """The names of the entries of ``original/`` with no English (``built``: the built
    records' ``input.path``, ``original/NAME``; ``changed``: ids of documents a build is
    changing, named elsewhere with why; ``entries``: the listing,
    :func:`~toolkit.corpus.originals.scan_originals`, when the caller has it).

    Counted by file, not by id: two originals with one id (``Story.txt``, ``story.md``) are
    one record and one refusal; a name that gives no document id, a hidden file, a link or a
    folder has no record at all -- unless it holds a built document's English (its
    ``x.txt`` replaced by a link: :func:`~toolkit.corpus.originals.held_documents`); each
    is said with its own line by :func:`unbuilt_lines`. None when the corpus has no
    ``original/`` (an ``english/`` copy)."""
    from toolkit.corpus.originals import original_ids, scan_originals
    from toolkit.corpus.paths import CorpusPaths

    paths = CorpusPaths(Path(corpus_root))
    if not paths.is_corpus():
        return set()
    built = list(built)
    if entries is None:
        entries = scan_originals(paths)
    ids = original_ids(entries)
    done, busy = set(built), set(changed)
    kept = {entry.name for entry in _held(entries, ids, done).values()}
    missing = set()
    for entry in entries:
        # built, or being rebuilt (a name with no safe id is in neither), or held
        if f"original/{entry.name}" in done or ids.get(entry.name) in busy or entry.name in kept:
            continue
        missing.add(entry.name)
    return missing


def _held(
    entries: list[OriginalName], ids: dict[str, str], built: Iterable[str]
) -> dict[str, OriginalName]:
    """:func:`~toolkit.corpus.originals.held_documents` of the records whose ``input.path``
    is in ``built``."""
    from toolkit.corpus.originals import built_names, held_documents
    from toolkit.corpus.paths import document_stem

    names = built_names((document_stem(path), path) for path in built)
    return held_documents(entries, set(ids.values()), names)


def with_originals(
    corpus_root: Path, records: Sequence[DocumentRecord], changed: Iterable[str] = ()
) -> tuple[list[DocumentRecord], list[DocumentRecord], set[str]]:
    """What a reader of the built corpus (export, qa) may use: the records whose original is
    still in ``original/`` (or held there in a form the build does not read, a symlink: the
    build keeps their English, and :func:`~toolkit.pipeline.status.stale_documents` names the
    fix); those whose original was deleted (the next build removes their English: a reader
    that used them published or counted what the corpus no longer has); and the names of the
    originals with no record (:func:`unbuilt_originals`).

    A corpus with no ``original/`` (an ``english/`` copy) keeps every record. (A record
    read here is its build's, its outputs unedited: of a gone one the next build removes or
    forgets, :func:`~toolkit.corpus.gone.no_original_line`; an edited one is the snapshot's
    ``changed``, with the build's line.)"""
    from toolkit.corpus.gone import present_documents
    from toolkit.corpus.originals import scan_originals
    from toolkit.corpus.paths import CorpusPaths, document_stem

    paths = CorpusPaths(Path(corpus_root))
    if not paths.is_corpus():
        return list(records), [], set()
    built = [r.input.path for r in records]
    entries = scan_originals(paths)
    present = present_documents(entries, ((document_stem(path), path) for path in built))
    kept = [r for r in records if r.document in present]
    gone = [r for r in records if r.document not in present]
    return kept, gone, unbuilt_originals(corpus_root, built, changed, entries)


def unbuilt_line(ids: Collection[str], left_out_of: str) -> str:
    """``2 originals in original/ not exported, never built or failed to build (a.txt,
    b.pdf); `toolkit status` says why`` (``left_out_of``: ``exported``, ``shown``), naming
    at most :data:`NAMED` of the file names ``ids``."""
    from toolkit.corpus.paths import shown_name

    shown = [shown_name(name) for name in sorted(ids)]
    more = f" and {len(shown) - NAMED} more" if len(shown) > NAMED else ""
    return (
        f"{plural(len(shown), 'original')} in original/ not {left_out_of}, never built or "
        f"failed to build ({', '.join(shown[:NAMED])}{more}); `toolkit status` says why"
    )


def unbuilt_lines(corpus_root: Path, names: Collection[str], left_out_of: str) -> list[str]:
    """What a reader says of ``names`` (:func:`unbuilt_originals`): the articles in one
    :func:`unbuilt_line`, and each name the build does not read (a symlink, a folder, a
    hidden file) with the build's own line for it
    (:meth:`~toolkit.corpus.originals.OriginalName.line`): it was never "never built or
    failed to build" while build and status said "skipped (a symlink ...)"."""
    from toolkit.corpus.originals import original_named
    from toolkit.corpus.paths import CorpusPaths

    paths = CorpusPaths(Path(corpus_root))
    articles, lines = [], []
    for name in sorted(names):
        entry = original_named(paths, name)
        if entry is None or entry.kind == "article":
            articles.append(name)
        else:
            lines.append(entry.line())
    return ([unbuilt_line(articles, left_out_of)] if articles else []) + lines


__all__ = [
    "NAMED",
    "NO_ORIGINAL",
    "NO_ORIGINAL_STATE",
    "no_original_line",
    "unbuilt_line",
    "unbuilt_lines",
    "unbuilt_originals",
    "with_originals",
]
