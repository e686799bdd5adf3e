"""Reading whole builds: the one reader of built documents (export, review, qa)."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.corpus.edits import document_edits, held_line
from toolkit.corpus.formats import manifest_text, parse_manifest
from toolkit.corpus.gone import gone_fate, present_documents
from toolkit.corpus.lock import shared_lock, writer_active
from toolkit.corpus.originals import scan_originals
from toolkit.corpus.paths import CorpusPaths, nothing_built, read_regular_file
from toolkit.corpus.staged import RecordsBeside
from toolkit.corpus.writes import atomic_write
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
    documents: set[str] | None = None,
) -> Snapshot:
    """The last complete build of the corpus at ``root``, as every reader must see it
    (only of ``documents``, when given: the others' files are not read).

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
            snapshot, read = _read_snapshot_once(paths, documents)
            if not snapshot.changed:
                return snapshot
            again = manifest_text(paths.manifest) or ""
            if again == read or attempt == attempts:
                break
    if not wait and writer_active(paths.root):
        why = f"{CHANGED_SINCE_BUILD} (a build is writing the corpus; rerun with --wait)"
    else:
        why = f"{CHANGED_SINCE_BUILD} (edited or removed by hand?); run `toolkit build {root}`"
    return Snapshot(
        snapshot.records,
        {
            doc: detail if detail.startswith(_EDITED) else f"{why}: {detail}"
            for doc, detail in snapshot.changed.items()
        },
        snapshot.dropped,
    )


_EDITED = f"{CHANGED_SINCE_BUILD}: "
"""How a document whose English was edited by hand, or whose original is gone, is reported:
the build's line follows (a build holds it, or removes its English: "run toolkit build"
would be the wrong advice)."""


def _edited_line(beside: RecordsBeside, doc: str, entry: ManifestEntry, gone: bool) -> str | None:
    """The build's line for ``doc`` if a build holds it for hand edits of its English:
    :func:`~toolkit.corpus.edits.held_line`; :func:`_recorded_line` for edits recorded as
    corrections. Its original ``gone``, always what status says and the next build does
    (:func:`~toolkit.corpus.gone.gone_fate`: held, or its English removed), never "run toolkit
    build": there is nothing to rebuild from. ``beside``: this read's."""
    paths = beside.paths
    line: str | None = None
    if gone:
        line = gone_fate(paths, entry)[1]
    elif (edits := document_edits(paths, doc, entry, beside)).recorded:  # looked at once
        line = _recorded_line(edits.recorded)
    elif edits.unrecorded:
        line = held_line(paths, entry, edits.unrecorded, beside)
    return f"{_EDITED}{line}" if line else None


def _recorded_line(edited: dict[str, bytes]) -> str:
    """What is true of English outputs edited by hand whose edits are all recorded as
    corrections (``edited``: :func:`~toolkit.corpus.edits.recorded_edits`): a build with the
    document's model writes them; one without it may keep the English as it is, so "run
    toolkit build" alone was no advice (status says what a build does here)."""
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    return (
        f"{files} {'was' if len(edited) == 1 else 'were'} edited by hand since the build, and "
        "the edit is recorded as a correction: a build with the document's model writes it "
        "(it holds it, saying why, if a corrected sentence left the original; `toolkit "
        "status` says what a build does here)"
    )


def _gone(paths: CorpusPaths, entries: dict[str, ManifestEntry]) -> set[str]:
    """The documents of the manifest's ``entries`` whose original is gone
    (:func:`~toolkit.corpus.gone.present_documents`); none in a corpus without
    ``original/`` (an ``english/`` copy)."""
    if not paths.is_corpus():
        return set()
    built = [(doc, entry.input) for doc, entry in entries.items()]
    listing = scan_originals(paths)
    return set(entries) - present_documents(listing, built)


def _read_snapshot_once(
    paths: CorpusPaths, documents: set[str] | None = None
) -> tuple[Snapshot, str]:
    text = manifest_text(paths.manifest)
    if text is None:
        raise CorpusError(nothing_built(paths.root))
    dropped: list[str] = []
    entries = parse_manifest(text, paths.manifest, dropped)
    records: list[DocumentRecord] = []
    problems: dict[str, str] = {}
    for doc, entry in sorted(entries.items()):
        if documents is not None and doc not in documents:
            continue
        record, problem = verify_entry(paths, doc, entry)
        if record is None:
            problems[doc] = problem
        else:
            records.append(record)
    gone = _gone(paths, entries) if problems else set()  # listed only when needed
    beside = RecordsBeside(paths)  # the staged note read once, each meta.json parsed once
    changed = {
        doc: _edited_line(beside, doc, entries[doc], doc in gone) or problem
        for doc, problem in problems.items()
    }
    return Snapshot(tuple(records), changed, tuple(dropped)), text


def verify_entry(
    paths: CorpusPaths, doc: str, entry: ManifestEntry
) -> tuple[DocumentRecord | None, str]:
    """The record of ``doc`` if what its manifest entry lists is still what the build wrote,
    else ``(None, problem)``: the one check shared by the readers (``changed since build``)
    and the build's "is this document current?" step, so they cannot disagree.

    Every listed output must be a regular file with the recorded sha256, meta.json among
    them, valid, and naming ``doc``."""
    meta_bytes, problem = _verified_meta_bytes(paths, doc, entry)
    if meta_bytes is None:
        return None, problem
    return _parsed_record(meta_bytes, doc)


def entry_is_current(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, valid: ValidRecords
) -> bool:
    """:func:`verify_entry`'s answer, without parsing a meta.json ``valid`` already vouches
    for: the build's no-op check (parsing every record was most of a no-op rebuild)."""
    meta_bytes, _ = _verified_meta_bytes(paths, doc, entry)
    if meta_bytes is None:
        return False
    key = f"{doc}\t{entry.outputs[f'{doc}.meta.json']}"
    if key in valid.known:
        return True
    if _parsed_record(meta_bytes, doc)[0] is None:
        return False
    valid.known.add(key)
    return True


def _verified_meta_bytes(
    paths: CorpusPaths, doc: str, entry: ManifestEntry
) -> tuple[bytes | None, str]:
    """meta.json's bytes if every listed output is a regular file with its recorded sha256."""
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
    return meta_bytes, ""


def _parsed_record(meta_bytes: bytes, doc: str) -> tuple[DocumentRecord | None, str]:
    meta_name = f"{doc}.meta.json"
    try:
        record = DocumentRecord.model_validate_json(meta_bytes)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return None, f"english/{meta_name} is not a document record"
    if record.document != doc:
        return None, f"english/{meta_name} is the record of {record.document!r}"
    return record, ""


class ValidRecords:
    """The meta.json files already found valid, by content: ``<doc> TAB <sha256>`` lines in
    ``.cache/valid-records.txt``.

    A meta.json whose bytes hash to a listed sha256 was parsed as a valid record naming that
    document once; bytes do not change while their hash stays, so the build's no-op check
    need not parse it again (1.7 ms per record with repair history). A cache: deleting it
    costs one parse per document; a malformed or oversized file is ignored. Only the build
    uses it; the readers parse every record they return anyway.
    """

    FILE = "valid-records.txt"
    MAX_BYTES = 64_000_000

    def __init__(self, root: Path) -> None:
        self.path = CorpusPaths(root).cache_dir / self.FILE
        self.known: set[str] = set()
        self.keep: set[str] | None = None
        """The documents whose entries :meth:`save` keeps (None: all known)."""
        self._loaded: set[str] = set()

    def load(self) -> None:
        try:
            text = read_regular_file(self.path, self.MAX_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return
        self._loaded = {line for line in text.split("\n") if _VALID_LINE.fullmatch(line)}
        self.known |= self._loaded

    def save(self) -> None:
        """Write the known entries of the documents in :attr:`keep` (the others are
        dropped), atomically; nothing when unchanged, when the corpus has no ``.cache/``
        (a ``--no-cache`` corpus gets none from this), or when it cannot be written."""
        keep = self.keep
        lines = {line for line in self.known if keep is None or line.split("\t", 1)[0] in keep}
        if lines == self._loaded or not self.path.parent.is_dir():
            return
        try:
            atomic_write(self.path, "".join(f"{line}\n" for line in sorted(lines)).encode())
        except OSError:  # a cache: a read-only corpus still builds
            return
        self._loaded = lines


_VALID_LINE = re.compile(r"[^\t\n]+\t[0-9a-f]{64}")


def _read_regular_file(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of at most :data:`MAX_OUTPUT_BYTES`,
    else None (missing, a symlink, a directory, a FIFO or a device, or a file far larger than
    any output: a FIFO cannot hang a reader, a 3 GB sparse file cannot exhaust memory)."""
    try:
        return read_regular_file(path, MAX_OUTPUT_BYTES)
    except OSError:
        return None
