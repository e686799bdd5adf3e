"""Reading whole builds: the one reader of built documents (export, review, qa)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.corpus.formats import manifest_bytes, parse_manifest
from toolkit.corpus.lock import shared_lock, writer_active
from toolkit.corpus.paths import CorpusPaths, read_regular_file
from toolkit.errors import CorpusError
from toolkit.schema import DocumentRecord, ManifestEntry

CHANGED_SINCE_BUILD = "changed since build"
MAX_OUTPUT_BYTES = 512_000_000
"""An output of one article (8 MB at most by default; its meta.json a few times that) is far
below this; a larger file in english/ is not what the build wrote."""


@dataclass(frozen=True)
class Snapshot:
    """What one build left: the records of the documents whose files match the manifest.

    ``records`` are sorted by id; ``changed`` maps each document whose files do *not*
    hold the bytes the manifest lists (a hand edit, or a build committing right now) to
    a one-line reason. Readers show ``records`` and report ``changed``, never mix them.
    """

    records: tuple[DocumentRecord, ...]
    changed: dict[str, str]
    dropped: tuple[str, ...] = ()
    """Manifest lines ignored because their id is unsafe (see :func:`read_manifest`)."""

    def record(self, doc: str) -> DocumentRecord | None:
        return next((r for r in self.records if r.document == doc), None)

    def lines(self) -> list[str]:
        """One line per document left out, and per manifest line ignored."""
        return [f"{doc}: {why}" for doc, why in sorted(self.changed.items())] + [
            f"warning: {d}" for d in self.dropped
        ]


def read_snapshot(
    root: Path,
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    attempts: int = 3,
) -> Snapshot:
    """The last complete build of the corpus at ``root``, as every reader must see it.

    The one reader of built documents (``toolkit export``, ``review``, ``qa``): it reads
    the manifest, then each file the manifest lists, and keeps a document only if every
    one of its files has the sha256 the manifest records (its record is parsed from
    those very bytes). A document with a file edited by hand, missing, or renamed into
    place by a build that is committing right now is left out as
    ``changed since build``. If the manifest itself changed while it was read (a build
    finished), the read starts again, up to ``attempts`` times.

    ``wait=True`` first waits for a running writer to finish and holds a shared lock on
    ``.lock`` while reading, so no build can commit in between: the snapshot is then
    exactly one build. Raises :class:`CorpusError` if nothing was ever built.
    """
    paths = CorpusPaths(Path(root))
    held = shared_lock(paths.root, on_wait) if wait else contextlib.nullcontext()
    with held:
        for attempt in range(1, attempts + 1):
            snapshot, read = _read_snapshot_once(paths)
            if not snapshot.changed:
                return snapshot
            again = manifest_bytes(paths.manifest) or b""
            if again == read or attempt == attempts:
                break
    if not wait and writer_active(paths.root):
        why = f"{CHANGED_SINCE_BUILD} (a build is writing the corpus; rerun with --wait)"
    else:
        why = f"{CHANGED_SINCE_BUILD} (edited or removed by hand?); run `toolkit build {root}`"
    return Snapshot(
        snapshot.records,
        {doc: f"{why}: {detail}" for doc, detail in snapshot.changed.items()},
        snapshot.dropped,
    )


def _read_snapshot_once(paths: CorpusPaths) -> tuple[Snapshot, bytes]:
    data = manifest_bytes(paths.manifest)
    if data is None:
        raise CorpusError(
            f"{paths.root}: no built documents (no manifest.jsonl); build the corpus first: "
            f"run toolkit build {paths.root}"
        )
    dropped: list[str] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError(
            f"{paths.manifest}: not UTF-8; delete it and run `toolkit build {paths.root}`"
        ) from None
    entries = parse_manifest(text, paths.manifest, dropped)
    records: list[DocumentRecord] = []
    changed: dict[str, str] = {}
    for doc, entry in sorted(entries.items()):
        record, problem = verify_entry(paths, doc, entry)
        if record is None:
            changed[doc] = problem
        else:
            records.append(record)
    return Snapshot(tuple(records), changed, tuple(dropped)), data


def verify_entry(
    paths: CorpusPaths, doc: str, entry: ManifestEntry
) -> tuple[DocumentRecord | None, str]:
    """The record of ``doc`` if what its manifest entry lists is still what the build wrote,
    else ``(None, problem)``: the one check shared by the readers (``changed since build``)
    and the build's "is this document current?" step, so they cannot disagree.

    Every listed output must be a regular file with the recorded sha256, meta.json among
    them, valid, and naming ``doc``."""
    meta_name = f"{doc}.meta.json"
    if meta_name not in entry.outputs:
        return None, "the manifest lists no meta.json"
    meta_bytes = b""
    for name, sha in sorted(entry.outputs.items()):
        data = _read_regular_file(paths.english / name)
        if data is None:
            return None, f"english/{name} is missing"
        if hashlib.sha256(data).hexdigest() != sha:
            return None, f"english/{name} differs from what the build wrote"
        if name == meta_name:
            meta_bytes = data
    try:
        record = DocumentRecord.model_validate_json(meta_bytes)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None, f"english/{meta_name} is not a document record"
    if record.document != doc:
        return None, f"english/{meta_name} is the record of {record.document!r}"
    return record, ""


def _read_regular_file(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most :data:`MAX_OUTPUT_BYTES`,
    else None (missing, a symlink, a directory, a FIFO or a device, or a file far larger than
    any output: a FIFO cannot hang a reader, a 3 GB sparse file cannot exhaust memory)."""
    try:
        return read_regular_file(path, MAX_OUTPUT_BYTES)
    except OSError:
        return None
