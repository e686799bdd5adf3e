"""Writing the corpus: atomic single files, all-or-nothing builds, command outputs.

Every write goes to a temporary file in the destination directory, is
flushed to disk, then renamed over the target, so a reader (or a crash)
sees either the old file or the new one, never half of one. Files whose
bytes would not change are not touched at all, so their mtimes tell what a
build really changed.

A build goes one step further with :class:`StagedWrites`: every output of the
build is first written to a temporary file, and only when all of them are on
disk are they renamed into place, the manifest last. If a write or a rename
fails, the renames already done are undone, so a failed build leaves the corpus
exactly as it was. A build that is *killed* leaves at most temporary files
(removed by the next build, under the corpus lock, see :func:`remove_temp_files`)
and outputs newer than the manifest, which the next build detects by their hashes
and rewrites.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from toolkit._faults import checkpoint
from toolkit.corpus import undo
from toolkit.corpus.flush import Flusher
from toolkit.corpus.lock import LOCK_NAME
from toolkit.corpus.outputs import OutputRefused, refuse_overwriting_inputs
from toolkit.corpus.paths import (
    CORPUS_FOLDERS,
    GLOSSARY_NAME,
    MANIFEST,
    SETTINGS_FILE,
    STAGED_META,
    CorpusPaths,
    shown_name,
)
from toolkit.errors import CorpusError
from toolkit.stdout import write_result


class CorpusWriteError(CorpusError, OSError):
    """A file could not be written or renamed (disk full, read-only file system, ...).

    Also an :class:`OSError`, so callers that handle I/O errors keep working; ``str()``
    is the one-line message naming the file and the operating system's reason.
    """


def _write_error(path: Path, exc: OSError, what: str = "nothing was changed") -> CorpusWriteError:
    reason = exc.strerror or str(exc)
    err = CorpusWriteError(f"{path}: cannot write ({reason}); {what}")
    err.__cause__ = exc
    return err


_TEMP_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
"""Names of our temporary files: ``.<target name>.<8 random characters>.tmp``."""


@functools.cache
def _file_mode() -> int:
    """What ``open()`` would create: mkstemp's 0600 would hide outputs from the rest of a team.

    Computed at the first write, not at import: the umask can only be read by setting it,
    and importing a module must not touch the process's state.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _stage(path: Path, data: bytes, flusher: Flusher | None = None) -> Path:
    """Write ``data`` to a new temporary file next to ``path``; return it. Flushed to disk
    here, or by ``flusher`` in the background (its ``wait`` comes before any rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:  # out of descriptors: free those held for pending fsyncs, once
        if flusher is None or exc.errno not in (errno.EMFILE, errno.ENFILE):
            raise
        flusher.drain()
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            os.fchmod(fd, _file_mode())
            with os.fdopen(fd, "wb", closefd=False) as fh:
                fh.write(data)
            if flusher is None:
                os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        if flusher is None:
            os.close(fd)
        else:
            flusher.submit(path, fd)  # owns fd now: closes it, also when this fails
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename.

    Raises :class:`CorpusWriteError` (an OSError) naming ``path``; no temp file is left.
    """
    path = Path(path)
    try:
        tmp = _stage(path, data)
    except OSError as exc:
        raise _write_error(path, exc, "it was left as it was") from exc
    try:
        checkpoint("atomic.staged")
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _write_error(path, exc, "it was left as it was") from exc
        raise


CORPUS_BOOKKEEPING = (MANIFEST, LOCK_NAME, SETTINGS_FILE, GLOSSARY_NAME, STAGED_META)
"""Files in a corpus's root that belong to the toolkit (and its own glossary, which every
build reads: an export over it would break or silently change the next build)."""


def _protected_part(target: Path, roots: Iterable[Path]) -> str | None:
    """What of a corpus ``target`` would land in (``original/``, ``manifest.jsonl``), or None.

    ``target`` is checked against the given corpus roots and against every folder above
    it that has an ``original/`` folder (what makes a directory a corpus), all resolved,
    so ``-o ../corpus/./original/x`` or a symlinked parent folder cannot slip past.
    """
    resolved = Path(os.path.realpath(target.parent)) / target.name
    candidates = {Path(os.path.realpath(r)) for r in roots}
    candidates |= {a for a in resolved.parents if CorpusPaths(a).is_corpus()}
    for root in candidates:
        try:
            inside = resolved.relative_to(root).parts
        except ValueError:
            continue
        if len(inside) > 1 and inside[0] in CORPUS_FOLDERS:
            return f"{inside[0]}/"
        if len(inside) == 1 and inside[0] in CORPUS_FOLDERS:
            # Not there yet (a fresh corpus has no corrections/ or .cache/): a file in the
            # folder's place would break every later build.
            return f"{inside[0]}/"
        if len(inside) == 1 and (inside[0] in CORPUS_BOOKKEEPING or _TEMP_NAME.match(inside[0])):
            return inside[0]
    return None


def write_output(
    target: Path | str, data: bytes, corpus_roots: Iterable[Path] = (),
    inputs: Iterable[Path | str] = (),
) -> None:  # fmt: skip
    """Write a command's output file (``export -o``, ``translate -o``, ``review --html``).

    * ``-`` writes to standard output;
    * a character device or FIFO (``/dev/null``, ``/dev/stdout``, a named pipe; also through
      a symlink) is written *through*, never replaced: as root that destroys the device node;
    * a target inside a corpus's ``original/``, ``english/``, ``corrections/``,
      ``.cache/`` (or one of those folders' own names, where it is missing) or one of its
      bookkeeping files (``manifest.jsonl``, ``.lock``, ``settings.yaml``, its own
      ``glossary.yaml``) is refused: an export over an article would be translated by
      the next build; ``corpus_roots`` names the corpus in use, and any folder above the
      target that has an ``original/`` folder counts as a corpus too;
    * a symlink to anything else, a directory or another special file is refused with
      one line (:class:`OutputRefused`): replacing a link silently surprises whoever made
      it, and writing through it could land anywhere;
    * one of ``inputs``, the files the command read, is refused (:func:`refuse_overwriting_inputs`);
    * anything else (a new or regular file) is written atomically (:func:`atomic_write`).
    """
    if str(target) == "-":
        write_result(data)
        return
    refuse_overwriting_inputs([target], inputs)
    target = Path(target)
    part = _protected_part(target, corpus_roots)
    if part is not None:
        raise OutputRefused(
            f"{target}: inside the corpus ({part}), which only toolkit build writes; "
            "write the output outside the corpus"
        )
    try:
        link = target.lstat()
    except FileNotFoundError:
        atomic_write(target, data)
        return
    except OSError as exc:
        raise _write_error(target, exc, "it was left as it was") from exc
    try:
        mode = target.stat().st_mode if stat.S_ISLNK(link.st_mode) else link.st_mode
    except OSError:  # a dangling link
        mode = link.st_mode
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        try:
            with open(target, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _write_error(target, exc, "the output is incomplete") from exc
        return
    if stat.S_ISLNK(link.st_mode):
        raise OutputRefused(
            f"{target}: is a symbolic link; give the file it points to "
            f"({shown_name(os.readlink(target))}) or remove the link"
        )
    if stat.S_ISDIR(mode):
        raise OutputRefused(f"{target}: is a directory; give a file name")
    if not stat.S_ISREG(mode):
        raise OutputRefused(f"{target}: is not a regular file; give a file name")
    atomic_write(target, data)


def holds(path: Path, data: bytes) -> bool:
    """True if ``path`` already holds exactly ``data`` (cheap size check first)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except FileNotFoundError:
        return False


class StagedWrites:
    """All-or-nothing writes: stage every file first, rename them into place in one go.

    ``write_if_changed`` and ``remove`` only record the change (the new bytes go to a
    temporary file at once, so memory stays flat); :meth:`commit` then applies them in
    the order they were made. Each file replaced or removed is first hard-linked to a
    backup, so if any rename fails the ones already done are undone and the error
    (:class:`CorpusWriteError`) leaves every file as it was. Used as a context manager,
    whatever was not committed is discarded. A build stages the manifest last, so even
    a process killed mid-commit leaves a manifest that describes older outputs, never
    newer ones.

    Example::

        with StagedWrites() as writes:
            writes.write_if_changed(english / "a.en.txt", b"Hello\n")
            writes.write_if_changed(manifest, b"...")
            writes.commit()
    """

    def __init__(self) -> None:
        self._ops: list[tuple[Path, Path | None]] = []
        """(target, staged temp file), or (target, None) to remove the target."""
        self._pending: set[Path] = set()
        """Targets with a staged change: what is on disk says nothing about them any more."""
        self._flusher = Flusher()
        """fsyncs the staged files in the background; :meth:`commit` waits for it."""
        self.committed = False

    def write_if_changed(self, path: Path, data: bytes) -> bool:
        """Stage ``data`` for ``path`` unless it already holds these bytes. True if staged."""
        if path not in self._pending and holds(path, data):
            return False
        try:
            self._ops.append((path, _stage(path, data, self._flusher)))
        except OSError as exc:
            raise _write_error(path, exc) from exc
        self._pending.add(path)
        return True

    def remove(self, path: Path) -> None:
        """Stage the removal of ``path`` (nothing if it does not exist and is not staged)."""
        if path in self._pending or os.path.lexists(path):
            self._ops.append((path, None))
            self._pending.add(path)

    def commit(self, verify: Callable[[dict[Path, Path | None]], None] | None = None) -> None:
        """Apply every staged change in order; on failure undo them all and raise. ``verify``
        is told, after the last rename, each target -> its backup (what it held right before
        its rename; None: no file); any exception from it undoes them all too
        (:func:`toolkit.corpus.undo.undo`: a target typed into since its rename is kept).
        Not caught: a file an editor saves by rename between its backup and its rename."""
        failed = self._flusher.wait()  # every staged file on disk before the first rename
        if failed is not None:
            self.discard()
            raise _write_error(*failed) from failed[1]
        done: list[tuple[Path, Path | None, undo.Stamp]] = []  # target, backup, as left
        target = None
        try:
            for target, tmp in self._ops:
                backup = undo.backup(target) if os.path.lexists(target) else None
                try:
                    if tmp is None:
                        if backup is not None:
                            os.unlink(target)
                    else:
                        checkpoint("write.staged")
                        os.replace(tmp, target)
                except OSError:
                    if backup is not None:
                        with contextlib.suppress(OSError):
                            os.unlink(backup)
                    raise
                done.append((target, backup, undo.stamp(target)))
                checkpoint("write.renamed")
            if verify is not None:  # each target's first backup: what it held before us
                verify({target: backup for target, backup, _ in reversed(done)})
        except BaseException as exc:  # an interrupt or a bug too: nothing half-renamed
            stuck = undo.undo(done)
            self.discard()
            if stuck:
                raise CorpusWriteError(
                    f"{'; '.join(stuck)}: the build could not undo its renames there "
                    f"({exc or type(exc).__name__}); check these files before building again"
                ) from exc
            if isinstance(exc, CorpusError) or not isinstance(exc, OSError):
                raise
            raise _write_error(target or Path("."), exc) from exc
        self.committed = True
        for _target, backup, _ in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)
        for directory in sorted({target.parent for target, _, _ in done}):
            _fsync_directory(directory)

    def discard(self) -> None:
        """Delete the temporary files of everything not committed."""
        self._flusher.close()
        for _target, tmp in self._ops:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self._ops = []
        self._pending = set()

    def __enter__(self) -> StagedWrites:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            self.discard()


def _fsync_directory(directory: Path) -> None:
    """Make renames in ``directory`` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_temp_files(paths: CorpusPaths) -> list[Path]:
    """Delete temporary files a killed command left in the corpus; return what was removed.

    Only names of the form ``.<name>.<8 characters>.tmp`` (what :func:`atomic_write` and
    :class:`StagedWrites` create) in the corpus root, ``english/``, ``original/`` and
    ``corrections/`` are touched. Call it only while holding the corpus lock
    (:mod:`toolkit.corpus.lock`): another writer's temp files are not stale.
    """
    removed = []
    for directory in (paths.root, paths.english, paths.original, paths.corrections):
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if _TEMP_NAME.match(entry.name) and not entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                removed.append(Path(entry.path))
    return sorted(removed)
