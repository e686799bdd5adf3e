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
import fcntl
import hashlib
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit._faults import checkpoint
from toolkit.errors import CorpusError, InputError
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

    def __post_init__(self) -> None:
        # Accept a str (or any os.PathLike) root, like every other path parameter.
        object.__setattr__(self, "root", Path(self.root))

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


MAX_ID_LENGTH = 200
"""Longest document id: ``<id>.aligned.tsv`` and a temp name around it stay under 255 bytes."""


class UnsafeDocumentId(InputError):
    """A document id (from a file name, the manifest, a meta.json, a corrections file or the
    command line) that cannot be used as one file name inside the corpus."""


def document_stem(name: str) -> str:
    """The document id a file name gives: the name without its last suffix
    (``000_x.txt`` -> ``000_x``, ``README`` -> ``README``). Not validated: see
    :func:`check_document_id`. The one rule for every caller (build, preparation, review)."""
    name = name.rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    # "report." keeps its dot (and is then refused): dropping it would give "report",
    # the id of report.txt, and Windows cannot even store the name.
    return stem if dot and stem and suffix else name


def id_problem(doc: str) -> str | None:
    """Why ``doc`` is not a safe document id, or None if it is one.

    A safe id is exactly one path component that means the same on every system and
    looks like what it is: not empty, at most :data:`MAX_ID_LENGTH` characters, NFC,
    no ``/`` or ``\\``, not ``.``/``..`` and not starting or ending with a dot (hidden
    files, Windows' dropped trailing dots), and no control or format characters
    (Unicode categories Cc, Cf: NUL, line breaks, escapes, bidi overrides that would
    show a reviewer another name than the one on disk -- "Trojan source").
    """
    if not doc:
        return "is empty"
    if len(doc) > MAX_ID_LENGTH:
        return f"is longer than {MAX_ID_LENGTH} characters"
    if "/" in doc or "\\" in doc:
        return "contains a path separator (/ or \\)"
    if doc.startswith(".") or doc.endswith("."):
        return "starts or ends with a dot"
    bad = next((c for c in doc if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")), None)
    if bad is not None:
        return f"contains the invisible or control character U+{ord(bad):04X}"
    if unicodedata.normalize("NFC", doc) != doc:
        return "is not in Unicode normal form NFC"
    return None


def check_document_id(doc: str, where: str = "document id", fix: str = "") -> str:
    """``doc`` if it is a safe document id (:func:`id_problem`); else :class:`UnsafeDocumentId`.

    Every id read from a file name, the manifest, a meta.json, a corrections file name or
    the command line passes here before any path is built from it, so no id can name a
    file outside the corpus (``../../victim/x``) or two ids the same file.
    """
    problem = id_problem(doc)
    if problem is not None:
        raise UnsafeDocumentId(
            f"{where} {doc!r} {problem}; {fix or 'it cannot name a file in the corpus'}"
        )
    return doc


def shown_name(name: str) -> str:
    """``name`` as it may be printed: unprintable characters (escapes, bidi controls, line
    breaks) spelled out the way Python's ``repr`` does, so a name cannot drive a terminal."""
    return name if name.isprintable() else repr(name)[1:-1]


def document_id(path: Path) -> str:
    """The document id of an original: :func:`document_stem` of its name, validated
    (:class:`UnsafeDocumentId` if the name cannot give a safe id: rename the file)."""
    fix = "rename the file (letters, digits, - _ and one dot before the suffix are safe)"
    problem = id_problem(path.name)  # the suffix too: it is printed and recorded
    if problem is not None and problem.startswith("contains"):
        raise UnsafeDocumentId(f"original/{shown_name(path.name)}: its name {problem}; {fix}")
    return check_document_id(
        document_stem(path.name), f"original/{shown_name(path.name)}: its document id", fix
    )


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


class OutputRefused(CorpusError):
    """An ``-o`` target the toolkit will not write: inside a corpus, a symlink, a directory."""


CORPUS_FOLDERS = ("original", "english", "corrections", ".cache")
"""Folders of a corpus that only the toolkit writes (or, for original/, nobody)."""
CORPUS_BOOKKEEPING = ("manifest.jsonl", ".lock", "settings.yaml", "glossary.yaml")
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
    candidates |= {a for a in resolved.parents if (a / "original").is_dir()}
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


def write_output(target: Path | str, data: bytes, corpus_roots: Iterable[Path] = ()) -> None:
    """Write a command's output file (``export -o``, ``translate -o``, ``review --html``).

    * ``-`` writes to standard output;
    * a character device or FIFO (``/dev/null``, ``/dev/stdout``, a named pipe; also
      through a symlink, which is what ``/dev/stdout`` is) is written *through*, never
      replaced by a regular file -- as root that would destroy the device node;
    * a target inside a corpus's ``original/``, ``english/``, ``corrections/``,
      ``.cache/`` (or one of those folders' own names, where it is missing) or one of its
      bookkeeping files (``manifest.jsonl``, ``.lock``, ``settings.yaml``, its own
      ``glossary.yaml``) is refused: an export over an article would be translated by
      the next build; ``corpus_roots`` names the corpus in use, and any folder above the
      target that has an ``original/`` folder counts as a corpus too;
    * a symlink to anything else, a directory or another special file is refused with
      one line (:class:`OutputRefused`): replacing a link silently surprises whoever made
      it, and writing through it could land anywhere;
    * anything else (a new or regular file) is written atomically (:func:`atomic_write`).
    """
    if str(target) == "-":
        out = sys.stdout.buffer
        out.write(data)
        out.flush()
        return
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


def read_meta(path: str | os.PathLike[str]) -> DocumentRecord:
    """One document's ``meta.json`` as a record (pydantic validates it)."""
    return DocumentRecord.model_validate_json(Path(path).read_bytes())


# -- manifest ----------------------------------------------------------------------------------


def read_manifest(
    path: str | os.PathLike[str], dropped: list[str] | None = None
) -> dict[str, ManifestEntry]:
    """Manifest entries by document id; a missing manifest is an empty one.

    The manifest is a file anyone can edit: an entry whose ``document`` is not a safe id
    (``../../victim/x``), or whose output names are not that document's outputs, is
    dropped -- never followed -- and described in ``dropped`` (the build then treats the
    document as never built, and rebuilds it if its original exists).
    """
    path = Path(path)
    if not path.exists():
        return {}
    return parse_manifest(path.read_text(encoding="utf-8"), path, dropped)


def parse_manifest(
    text: str, path: Path, dropped: list[str] | None = None
) -> dict[str, ManifestEntry]:
    """The entries of manifest text ``text`` (read from ``path``); see :func:`read_manifest`."""
    entries: dict[str, ManifestEntry] = {}
    # split("\n"), not splitlines(): JSON leaves U+2028 and U+0085 unescaped inside strings
    # (a file name may hold them), and splitlines() would cut an entry in two there.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = ManifestEntry.model_validate_json(line)
        except ValueError as exc:
            raise CorpusError(
                f"{path}:{number}: not a manifest entry ({exc.__class__.__name__}); "
                "delete the manifest to rebuild it"
            ) from None
        problem = id_problem(entry.document)
        if problem is None and not set(entry.outputs) <= {
            entry.document + suffix for suffix in OUTPUT_SUFFIXES
        }:
            problem = "lists outputs that are not its own"
        if problem is not None:
            if dropped is not None:
                dropped.append(
                    f"{path}:{number}: document {entry.document!r} {problem}; "
                    "entry ignored (never used as a path); the build rewrites the manifest"
                )
            continue
        entries[entry.document] = entry
    return entries


def render_manifest(entries: Iterable[ManifestEntry]) -> str:
    ordered = sorted(entries, key=lambda e: e.document)
    return "".join(e.model_dump_json() + "\n" for e in ordered)


# -- readers: whole builds only ------------------------------------------------------------------

CHANGED_SINCE_BUILD = "changed since build"


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


def _writer_active(lock_path: Path) -> bool:
    """True if a writer holds the corpus lock now (a shared-lock probe, released at once)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the probe's shared lock
    return False


@contextlib.contextmanager
def _shared_lock(lock_path: Path, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold a shared lock on the corpus lock file: no writer can start, readers can."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:  # no writer ever ran here
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"waiting for the writer holding {lock_path} to finish")
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


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
    lock_path = paths.root / ".lock"
    held = _shared_lock(lock_path, on_wait) if wait else contextlib.nullcontext()
    with held:
        for attempt in range(1, attempts + 1):
            snapshot, manifest_bytes = _read_snapshot_once(paths)
            if not snapshot.changed:
                return snapshot
            try:
                again = paths.manifest.read_bytes()
            except FileNotFoundError:
                again = b""
            if again == manifest_bytes or attempt == attempts:
                break
    if _writer_active(lock_path) and not wait:
        why = f"{CHANGED_SINCE_BUILD} (a build is writing the corpus; rerun with --wait)"
    else:
        why = f"{CHANGED_SINCE_BUILD} (edited or removed by hand?); run `toolkit build {root}`"
    return Snapshot(
        snapshot.records,
        {doc: f"{why}: {detail}" for doc, detail in snapshot.changed.items()},
        snapshot.dropped,
    )


def _read_snapshot_once(paths: CorpusPaths) -> tuple[Snapshot, bytes]:
    try:
        manifest_bytes = paths.manifest.read_bytes()
    except FileNotFoundError:
        raise CorpusError(
            f"{paths.root}: no built documents (no manifest.jsonl); build the corpus first: "
            f"run toolkit build {paths.root}"
        ) from None
    except OSError as exc:
        raise CorpusError(f"{paths.manifest}: cannot be read ({exc.strerror})") from None
    dropped: list[str] = []
    try:
        text = manifest_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError(
            f"{paths.manifest}: not UTF-8; delete it and run `toolkit build {paths.root}`"
        ) from None
    entries = parse_manifest(text, paths.manifest, dropped)
    records: list[DocumentRecord] = []
    changed: dict[str, str] = {}
    for doc, entry in sorted(entries.items()):
        meta_name = f"{doc}.meta.json"
        problem = None if meta_name in entry.outputs else "the manifest lists no meta.json"
        meta_bytes = b""
        for name, sha in sorted(entry.outputs.items()):
            try:
                data = (paths.english / name).read_bytes()
            except OSError:
                problem = f"english/{name} is missing"
                break
            if hashlib.sha256(data).hexdigest() != sha:
                problem = f"english/{name} differs from what the build wrote"
                break
            if name == meta_name:
                meta_bytes = data
        if problem is None:
            try:
                record = DocumentRecord.model_validate_json(meta_bytes)
            except ValueError:
                problem = f"english/{meta_name} is not a document record"
            else:
                if record.document != doc:
                    problem = f"english/{meta_name} is the record of {record.document!r}"
                else:
                    records.append(record)
        if problem is not None:
            changed[doc] = problem
    return Snapshot(tuple(records), changed, tuple(dropped)), manifest_bytes
