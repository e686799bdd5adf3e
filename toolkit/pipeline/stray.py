"""Corrections files that belong to no original: what the build and ``toolkit status`` say of
each, in one wording (a corrections file holds human work: never "delete it").

A file whose name gives no document id at all (``corrections/..corrections.tsv``) is never
used as one: :func:`toolkit.corpus.corrections.documents_with_corrections` describes it, and
both commands print that line too. A file that is not named ``<id>.corrections.tsv`` but
reads like one (``rep.Corrections.TSV``, an editor's ``rep.corrections.tsv.bak``) is never
read either: :func:`misnamed_corrections` says so, so nobody takes it for applied.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from pathlib import Path

from toolkit.corpus.corrections import (
    CORRECTIONS_SUFFIX,
    documents_with_corrections,
    load_review_state,
)
from toolkit.corpus.originals import scan_originals, skipped_ids
from toolkit.corpus.paths import CorpusPaths, shown_name
from toolkit.errors import ToolkitError
from toolkit.pipeline.summary import WHOLE_FILE, orphan_line


def stray_orphans(paths: CorpusPaths, stray: list[str], present: set[str]) -> dict[str, str]:
    """Document id -> why ``corrections/<id>.corrections.tsv`` belongs to no original, for
    each of ``stray`` (``present``: the ids of the originals there are), and what to do."""
    if not stray:  # the skipped originals and the ids' case are looked up once, not per file
        return {}
    skipped = _skipped_ids(paths)
    by_case = {d.casefold(): d for d in present}
    return {doc: _whole_file_orphan(doc, skipped, by_case) for doc in stray}


def stray_corrections(root: Path, docs: list[str], present: set[str]) -> dict[str, str]:
    """Document id -> one line for each corrections file of ``docs`` (they have no original;
    ``present``: the ids of the originals there are): the build's orphan line, or first
    what makes it no corrections file at all."""
    why = stray_orphans(CorpusPaths(root), docs, present)
    lines = {}
    for doc in docs:
        try:
            load_review_state(root, doc)
            lines[doc] = orphan_line(doc, why[doc])
        except ToolkitError as exc:  # the build's one line, naming the file
            lines[doc] = f"{exc}; no original has that name either"
    return lines


def unread_corrections(root: Path, listed: Collection[str], present: set[str] | None = None
                       ) -> dict[str, str]:
    """Key -> one line for each corrections file no document of ``listed`` reads (``present``:
    the ids of the originals there are; by default those ``original/`` names): the ones
    that belong to no original (:func:`stray_corrections`, keyed by the document id), those
    whose name gives no document id and the misnamed ones (keyed ``corrections/<name>``).
    What ``toolkit status`` prints under its table and the workbench's overview lists."""
    paths = CorpusPaths(root)
    if present is None:
        with contextlib.suppress(ToolkitError):  # no original/: no original's name to offer
            present = {d for e in scan_originals(paths) if e.kind == "article"
                       and (d := e.document()) is not None}
    present = present or set()
    unnamed: list[str] = []
    stray = sorted(set(documents_with_corrections(root, unnamed)) - set(listed) - present)
    lines = stray_corrections(root, stray, present)
    for line in unnamed:  # "corrections/<name>: document id ...; ignored"
        lines[line.split(": document id ", 1)[0]] = line
    return lines | misnamed_corrections(paths, present)


def _skipped_ids(paths: CorpusPaths) -> dict[str, str]:
    """Document id -> name of each skipped original (a symlink, a FIFO) that has a safe id."""
    return skipped_ids(scan_originals(paths))


def _whole_file_orphan(doc: str, skipped: dict[str, str], by_case: dict[str, str]) -> str:
    """Why ``corrections/<doc>.corrections.tsv`` belongs to no built document, and what to do."""
    if doc in skipped:
        return (f"{WHOLE_FILE}: its original original/{skipped[doc]} is skipped (not a "
                "regular file); the corrections wait for it")  # fmt: skip
    return (f"{WHOLE_FILE}: no original of that name{_did_you_mean(doc, by_case)}; rename it "
            "to its document's id, or move it out of corrections/")  # fmt: skip


def _meant(name: str, by_case: dict[str, str]) -> str | None:
    """The document id ``name`` (a corrections file's name before its suffix) was likely
    meant for: the same in another case, or with an original's suffix (``rep.txt``) left on."""
    for candidate in (name, name.rsplit(".", 1)[0]):
        if candidate.casefold() in by_case:
            return by_case[candidate.casefold()]
    return None


def _did_you_mean(doc: str, by_case: dict[str, str]) -> str:
    similar = _meant(doc, by_case)
    if similar is None:
        return ""
    if similar.casefold() == doc.casefold():
        return f" (did you mean {similar}? document ids are case-sensitive)"
    return (f" (did you mean {similar}? a corrections file is named by the document id, "
            "without the original's suffix)")  # fmt: skip


def misnamed_corrections(paths: CorpusPaths, present: set[str]) -> dict[str, str]:
    """``corrections/<name>`` -> one line, for each file there that reads like a corrections
    file but is not named ``<id>.corrections.tsv`` exactly (``rep.Corrections.TSV``,
    ``rep.corrections.tsv.bak``): build and status never read it, and a user who saved
    corrections under that name would think they applied (``present``: the ids of the
    originals there are, for the name to rename it to)."""
    folder = paths.corrections
    try:
        names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return {}
    by_case = {d.casefold(): d for d in present}
    lines = {}
    for name in names:
        at = name.casefold().find(CORRECTIONS_SUFFIX)
        if at < 0 or name.endswith(CORRECTIONS_SUFFIX):
            continue  # not one, or one the build reads (or names as unusable)
        stem = name[:at]
        target = shown_name(f"{_meant(stem, by_case) or stem}{CORRECTIONS_SUFFIX}")
        where = f"corrections/{shown_name(name)}"
        if at + len(CORRECTIONS_SUFFIX) < len(name):  # rep.corrections.tsv.bak, ...tsv~
            lines[where] = (
                f"{where}: never read (a backup or copy?): only <document id>"
                f"{CORRECTIONS_SUFFIX} is; move it out of corrections/, or rename it to "
                f"{target} to apply it"
            )
        else:  # rep.Corrections.TSV
            lines[where] = (
                f"{where}: never read: only <document id>{CORRECTIONS_SUFFIX} is, and names "
                f"are case-sensitive; rename it to {target} to apply it, or move it out of "
                "corrections/"
            )
    return lines
