"""Corrections files that belong to no original: what the build and ``toolkit status`` say of
each, in one wording (a corrections file holds human work: never "delete it").

A file whose name gives no document id at all (``corrections/..corrections.tsv``) is never
used as one: :func:`toolkit.corpus.corrections.documents_with_corrections` describes it, and
both commands print that line too.
"""

from __future__ import annotations

from toolkit.corpus.paths import CorpusPaths, UnsafeDocumentId, document_id, skipped_originals
from toolkit.pipeline.summary import WHOLE_FILE


def stray_orphans(paths: CorpusPaths, stray: list[str], present: set[str]) -> dict[str, str]:
    """Document id -> why ``corrections/<id>.corrections.tsv`` belongs to no original, for
    each of ``stray`` (``present``: the ids of the originals there are), and what to do."""
    if not stray:  # the skipped originals and the ids' case are looked up once, not per file
        return {}
    skipped = _skipped_ids(paths)
    by_case = {d.casefold(): d for d in present}
    return {doc: _whole_file_orphan(doc, skipped, by_case) for doc in stray}


def _skipped_ids(paths: CorpusPaths) -> dict[str, str]:
    """Document id -> name of each skipped original (a symlink, a FIFO) that has a safe id."""
    ids: dict[str, str] = {}
    for original in skipped_originals(paths):
        try:
            ids.setdefault(document_id(original), original.name)
        except UnsafeDocumentId:
            continue
    return ids


def _whole_file_orphan(doc: str, skipped: dict[str, str], by_case: dict[str, str]) -> str:
    """Why ``corrections/<doc>.corrections.tsv`` belongs to no built document, and what to do."""
    if doc in skipped:
        return (f"{WHOLE_FILE}: its original original/{skipped[doc]} is skipped (not a "
                "regular file); the corrections wait for it")  # fmt: skip
    similar = by_case.get(doc.casefold())
    hint = f" (did you mean {similar}? document ids are case-sensitive)" if similar else ""
    return (f"{WHOLE_FILE}: no original of that name{hint}; rename it to its document's id, "
            "or move it out of corrections/")  # fmt: skip
