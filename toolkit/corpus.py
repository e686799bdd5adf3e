"""The corpus on disk: where files live, how they are read, written and rendered.

Layout of a corpus directory::

    corpus/
      original/            articles as received (never modified)
      english/             <stem>.en.txt, <stem>.aligned.tsv, <stem>.meta.json
      manifest.jsonl       one line per document, written last
      .cache/              translation cache (SQLite)

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
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit._faults import checkpoint
from toolkit.errors import CorpusError
from toolkit.schema import DocumentRecord, ManifestEntry, Segment

ALIGNED_COLUMNS = (
    "segment_id",
    "paragraph",
    "sentence",
    "source",
    "english",
    "flags",
    "origin",
    "confidence",
)
"""``origin``: ``source`` (English document), ``machine``, ``human`` (a correction) or ``none``;
``confidence``: the model's mean log-probability per token (4 decimals), empty unless machine."""
OLD_ALIGNED_COLUMNS = ALIGNED_COLUMNS[:-1]
"""Files written before the confidence column; still read."""
OUTPUT_SUFFIXES = (".en.txt", ".aligned.tsv", ".meta.json")
TEXT_SUFFIXES = (".txt", ".text", ".md", "")


@dataclass(frozen=True)
class CorpusPaths:
    root: Path

    @property
    def original(self) -> Path:
        return self.root / "original"

    @property
    def english(self) -> Path:
        return self.root / "english"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.jsonl"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def corrections(self) -> Path:
        return self.root / "corrections"


def list_originals(paths: CorpusPaths) -> list[Path]:
    """The articles in ``original/``, sorted by name.

    Hidden files are skipped. Symlinks are refused rather than followed: a link
    could point anywhere on the machine, and a corpus must be self-contained.
    """
    if not paths.original.is_dir():
        raise CorpusError(
            f"{paths.original}: no such directory; "
            "a corpus needs an original/ folder with the articles"
        )
    found = []
    for entry in sorted(paths.original.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() or not entry.is_file():
            continue
        found.append(entry)
    return found


def skipped_originals(paths: CorpusPaths) -> list[Path]:
    """Entries of ``original/`` that are not built: symlinks and directories (reported)."""
    return [
        e
        for e in sorted(paths.original.iterdir())
        if not e.name.startswith(".") and (e.is_symlink() or not e.is_file())
    ]


def document_id(path: Path) -> str:
    """The document id: the file name without its last suffix (``000_x.txt`` -> ``000_x``)."""
    return path.stem if path.suffix else path.name


# -- atomic writes -----------------------------------------------------------------------------


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


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()
"""What ``open()`` would create: mkstemp's 0600 would hide outputs from the rest of a team."""


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file next to ``path`` (flushed to disk); return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _FILE_MODE)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename.

    Raises :class:`CorpusWriteError` (an OSError) naming ``path``; no temp file is left.
    """
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
        self.committed = False

    def write_if_changed(self, path: Path, data: bytes) -> bool:
        """Stage ``data`` for ``path`` unless it already holds these bytes. True if staged."""
        if path not in self._pending and holds(path, data):
            return False
        try:
            self._ops.append((path, _stage(path, data)))
        except OSError as exc:
            raise _write_error(path, exc) from exc
        self._pending.add(path)
        return True

    def remove(self, path: Path) -> None:
        """Stage the removal of ``path`` (nothing if it does not exist and is not staged)."""
        if path in self._pending or os.path.lexists(path):
            self._ops.append((path, None))
            self._pending.add(path)

    def commit(self) -> None:
        """Apply every staged change in order; on failure undo them all and raise."""
        done: list[tuple[Path, Path | None]] = []  # (target, backup of its old bytes)
        try:
            for target, tmp in self._ops:
                backup = _backup(target) if os.path.lexists(target) else None
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
                done.append((target, backup))
                checkpoint("write.renamed")
        except OSError as exc:
            failed = target
            self._rollback(done)
            self.discard()
            raise _write_error(failed, exc) from exc
        self.committed = True
        for _target, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)
        for directory in sorted({target.parent for target, _ in done}):
            _fsync_directory(directory)

    def _rollback(self, done: list[tuple[Path, Path | None]]) -> None:
        # Best effort: if the disk refuses even this, the manifest (renamed last) still
        # describes older outputs, and the next build notices the mismatch by hash.
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    os.unlink(target)

    def discard(self) -> None:
        """Delete the temporary files of everything not committed."""
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


def _backup(target: Path) -> Path:
    """A hard link (a copy where links are not supported) of ``target``, named like a temp
    file so that a crash leaves nothing :func:`remove_temp_files` would not clear."""
    backup = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        shutil.copy2(target, backup, follow_symlinks=False)
    return backup


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
    (:mod:`toolkit.lock`): another writer's temp files are not stale.
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


# -- rendering ---------------------------------------------------------------------------------

_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def tsv_escape(value: str) -> str:
    """Escape backslash, tab, newline and carriage return so a value fits in one TSV cell."""
    if not any(c in value for c in _TSV_ESCAPES):
        return value
    return "".join(_TSV_ESCAPES.get(c, c) for c in value)


def tsv_unescape(value: str) -> str:
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for c in chars:
        if c == "\\":
            nxt = next(chars, "")
            out.append(_TSV_UNESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(c)
    return "".join(out)


def render_aligned_tsv(segments: Iterable[Segment]) -> str:
    """The aligned file: a header row, then one row per source sentence."""
    lines = ["\t".join(ALIGNED_COLUMNS)]
    for s in segments:
        row = (
            s.id,
            str(s.paragraph),
            str(s.sentence),
            s.source,
            s.english or "",
            ",".join(s.flags),
            s.origin,
            "" if s.confidence is None or s.origin != "machine" else f"{s.confidence:.4f}",
        )
        lines.append("\t".join(tsv_escape(v) for v in row))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class AlignedRow:
    segment_id: str
    paragraph: int
    sentence: int
    source: str
    english: str
    flags: tuple[str, ...]
    origin: str
    confidence: float | None = None


def parse_aligned_tsv(text: str, name: str = "aligned.tsv") -> list[AlignedRow]:
    """Read what :func:`render_aligned_tsv` wrote (round-trips exactly)."""
    lines = text.split("\n")
    header = tuple(lines[0].split("\t")) if lines else ()
    if header not in (ALIGNED_COLUMNS, OLD_ALIGNED_COLUMNS):
        raise CorpusError(f"{name}: header must be {' / '.join(ALIGNED_COLUMNS)} (tab-separated)")
    width = len(header)
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise CorpusError(f"{name}:{number}: expected {width} columns, got {len(cells)}")
        sid, para, sent, source, english, flags, origin, *rest = (tsv_unescape(c) for c in cells)
        try:
            confidence = float(rest[0]) if rest and rest[0] else None
        except ValueError:
            raise CorpusError(
                f"{name}:{number}: confidence {rest[0]!r} is not a number; leave it empty"
            ) from None
        rows.append(
            AlignedRow(
                sid,
                int(para),
                int(sent),
                source,
                english,
                tuple(f for f in flags.split(",") if f),
                origin,
                confidence,
            )
        )
    return rows


def render_english_text(segments: Iterable[Segment]) -> str:
    """English text in the source's paragraphs: sentences joined by spaces, blank lines between."""
    paragraphs: list[list[str]] = []
    last = None
    for s in segments:
        if s.paragraph != last:
            paragraphs.append([])
            last = s.paragraph
        if s.english:
            paragraphs[-1].append(s.english)
    return "\n\n".join(" ".join(p) for p in paragraphs if p) + "\n"


def render_meta_json(record: DocumentRecord) -> str:
    return record.model_dump_json(indent=2) + "\n"


def read_meta(path: Path) -> DocumentRecord:
    return DocumentRecord.model_validate_json(path.read_bytes())


# -- manifest ----------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Manifest entries by document id; a missing manifest is an empty one."""
    if not path.exists():
        return {}
    entries: dict[str, ManifestEntry] = {}
    # split("\n"), not splitlines(): JSON leaves U+2028 and U+0085 unescaped inside strings
    # (a file name may hold them), and splitlines() would cut an entry in two there.
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = ManifestEntry.model_validate_json(line)
        except ValueError as exc:
            raise CorpusError(
                f"{path}:{number}: not a manifest entry ({exc.__class__.__name__}); "
                "delete the manifest to rebuild it"
            ) from None
        entries[entry.document] = entry
    return entries


def render_manifest(entries: Iterable[ManifestEntry]) -> str:
    ordered = sorted(entries, key=lambda e: e.document)
    return "".join(e.model_dump_json() + "\n" for e in ordered)
