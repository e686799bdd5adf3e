"""The build records beside the English outputs: which meta.json explains them.

A document's meta.json is the build's record if its sha256 is the manifest's, or one a build
staged and was killed while renaming (:func:`commit_noting_staged`: a document's meta.json is
renamed before its other outputs and the manifest last, so each output that build renamed is
what that meta.json renders, each it did not is the manifest's). :class:`RecordsBeside` reads
them for one pass (a build, a status, a reader): the note once, each meta.json parsed once per
content, so an edit made meanwhile is still seen (its bytes are read each time).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.paths import STAGED_META, CorpusPaths, read_regular_file
from toolkit.corpus.writes import CorpusWriteError, atomic_write
from toolkit.errors import CorpusError

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord, ManifestEntry

_MAX_BYTES = 512_000_000  # as the readers' limit (snapshot.MAX_OUTPUT_BYTES): none is larger
STAGED = STAGED_META
"""In the corpus root while a build renames its outputs: the sha256 of each meta.json it
wrote (:func:`commit_noting_staged`). Cleared only by a whole build; left behind by one killed
before its manifest and by every ``--only`` build (it rebuilds some documents, so cannot clear
what a killed build noted of the others): its digests then also name meta.json files the
manifest lists, which explain the same outputs."""


def read_output(path: Path) -> bytes | None:
    """The bytes of a regular file, or None (missing, or no regular file: not an edit)."""
    try:
        return read_regular_file(path, _MAX_BYTES)
    except OSError:
        return None


class RecordsBeside:
    """The build records in ``english/`` as one pass reads them: :data:`STAGED` read once
    (only a build's commit writes it, under the lock), each meta.json parsed once per sha256.
    Create one per build (``BuildPlan.beside``) or per reader's pass and pass it along."""

    def __init__(self, paths: CorpusPaths) -> None:
        self.paths = paths
        self._staged: set[str] | None = None
        self._parsed: dict[tuple[str, str], DocumentRecord | None] = {}

    def staged(self) -> set[str]:
        """:func:`staged_digests`, read the first time it is asked."""
        if self._staged is None:
            self._staged = staged_digests(self.paths)
        return self._staged

    def record(self, doc: str, entry: ManifestEntry) -> DocumentRecord | None:
        """The record in ``english/<doc>.meta.json`` if a build wrote it (its sha256 is the
        manifest's, or :meth:`staged` holds it), or None (missing, edited, invalid, another
        document's: then nothing on disk explains a changed output). Shared: not to be
        changed (copy it)."""
        from toolkit.schema import DocumentRecord

        name = f"{doc}.meta.json"
        data = read_output(self.paths.english / name)
        if data is None:
            return None
        digest = hashlib.sha256(data).hexdigest()
        if digest != entry.outputs.get(name) and digest not in self.staged():
            return None
        if (doc, digest) not in self._parsed:
            try:
                record: DocumentRecord | None = DocumentRecord.model_validate_json(data)
            except ValueError:
                record = None
            self._parsed[doc, digest] = (
                record if record is not None and record.document == doc else None
            )
        return self._parsed[doc, digest]


def staged_digests(paths: CorpusPaths) -> set[str]:
    """The sha256 of each meta.json a build killed while renaming had staged (:data:`STAGED`)."""
    data = read_output(paths.root / STAGED) or b""
    return set(data.decode("ascii", errors="replace").split())


def commit_noting_staged(
    paths: CorpusPaths, digests: set[str], commit: Callable[[], None], whole: bool
) -> None:
    """Run a build's ``commit`` (its renames), its meta.json ``digests`` noted in
    :data:`STAGED` first (with a killed build's, still unexplained: its manifest was never
    written). A commit that failed and was undone removes the note it created; a note that
    was there before keeps the digests added to it (records this build made, none of them
    left on disk by the undone commit). One of a ``whole`` build (every document a killed
    build renamed is rebuilt by it) clears the note; an ``--only`` build's stays."""
    journal = paths.root / STAGED
    existed = os.path.lexists(journal)
    if digests:
        lines = sorted(digests | staged_digests(paths))
        try:
            atomic_write(journal, "".join(f"{line}\n" for line in lines).encode())
        except CorpusWriteError as exc:
            reason = getattr(exc.__cause__, "strerror", None) or exc.__cause__
            why = f"{journal}: cannot write ({reason}); nothing was changed"
            raise CorpusWriteError(why) from exc
    try:
        commit()
    except CorpusError:  # undone (a write failed, an edit typed meanwhile): none of it on disk
        if not existed:
            clear_staged(paths)
        raise
    if whole:
        clear_staged(paths)


def clear_staged(paths: CorpusPaths) -> None:
    """After the manifest is renamed: every meta.json is the manifest's again."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(paths.root / STAGED)
