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

from toolkit.plural import plural

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord

NAMED = 5
"""How many document ids the line names before it says how many more."""


def unbuilt_originals(
    corpus_root: Path,
    built: Iterable[str],
    changed: Iterable[str] = (),
    ids: dict[str, str] | None = None,
) -> set[str]:
    """The names of the entries of ``original/`` with no English (``built``: the built
    records' ``input.path``, ``original/NAME``; ``changed``: ids of documents a build is
    changing, named elsewhere with why; ``ids``: :func:`~toolkit.pipeline.status.original_ids`
    when the caller has it).

    Counted by file, not by id: two originals with one id (``Story.txt``, ``story.md``) are
    one record and one refusal; a name that gives no document id, a hidden file, a link or a
    folder has no record at all. None when the corpus has no ``original/`` (an ``english/``
    copy)."""
    from toolkit.corpus.paths import (
        CorpusPaths,
        hidden_originals,
        list_originals,
        skipped_originals,
    )
    from toolkit.pipeline.status import original_ids

    paths = CorpusPaths(Path(corpus_root))
    if not paths.original.is_dir():
        return set()
    if ids is None:
        ids = original_ids(paths.root)
    done, busy = set(built), set(changed)
    missing = set(hidden_originals(paths)) | {e.name for e in skipped_originals(paths)}
    for original in list_originals(paths):
        if f"original/{original.name}" in done or ids.get(original.name) in busy:
            continue  # built, or being rebuilt (a name with no safe id is in neither)
        missing.add(original.name)
    return missing


def with_originals(
    corpus_root: Path, records: Sequence[DocumentRecord], changed: Iterable[str] = ()
) -> tuple[list[DocumentRecord], list[DocumentRecord], set[str]]:
    """What a reader of the built corpus (export, qa) may use: the records whose original is
    still in ``original/``; those whose original was deleted (the next build removes their
    English: a reader that used them published or counted what the corpus no longer has);
    and the names of the originals with no record (:func:`unbuilt_originals`).

    A corpus with no ``original/`` (an ``english/`` copy) keeps every record."""
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.pipeline.status import original_ids

    if not CorpusPaths(corpus_root).is_corpus():
        return list(records), [], set()
    ids = original_ids(Path(corpus_root))
    present = set(ids.values())
    kept = [r for r in records if r.document in present]
    gone = [r for r in records if r.document not in present]
    built = [r.input.path for r in records]
    return kept, gone, unbuilt_originals(corpus_root, built, changed, ids)


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


__all__ = ["NAMED", "unbuilt_line", "unbuilt_originals", "with_originals"]
