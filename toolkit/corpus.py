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
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import CorpusError
from toolkit.schema import DocumentRecord, ManifestEntry, Segment

ALIGNED_COLUMNS = ("segment_id", "paragraph", "sentence", "source", "english", "flags")
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


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write ``data`` unless ``path`` already holds these bytes. True if written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


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


def parse_aligned_tsv(text: str, name: str = "aligned.tsv") -> list[AlignedRow]:
    """Read what :func:`render_aligned_tsv` wrote (round-trips exactly)."""
    lines = text.split("\n")
    if not lines or tuple(lines[0].split("\t")) != ALIGNED_COLUMNS:
        raise CorpusError(f"{name}: header must be {' / '.join(ALIGNED_COLUMNS)} (tab-separated)")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(ALIGNED_COLUMNS):
            raise CorpusError(
                f"{name}:{number}: expected {len(ALIGNED_COLUMNS)} columns, got {len(cells)}"
            )
        sid, para, sent, source, english, flags = (tsv_unescape(c) for c in cells)
        rows.append(
            AlignedRow(
                sid, int(para), int(sent), source, english, tuple(f for f in flags.split(",") if f)
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
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
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
