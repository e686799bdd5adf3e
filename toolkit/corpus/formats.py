"""The corpus's file formats: TSV cells and rows, the aligned TSV, English text, meta.json
and the manifest.

The one owner of the TSV escaping (backslash, tab, newline, carriage return, C1, the line
separators U+2028/U+2029) that the aligned TSV, corrections files and exports share.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from toolkit.corpus.paths import (
    OUTPUT_SUFFIXES,
    FileTooLarge,
    NotRegularFile,
    id_problem,
    read_regular_file,
)
from toolkit.errors import CorpusError
from toolkit.plural import byte_size
from toolkit.schema import DocumentRecord, ManifestEntry, Origin, Segment

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

TSV_COLUMNS = (
    "document",
    "segment_id",
    "source_language",
    "target_language",
    "source",
    "target",
    "origin",
    "flags",
)
"""The header of ``toolkit export --format tsv`` (:mod:`toolkit.export.formats`)."""
TRANSLATE_COLUMNS = ("file", "segment_id", "source", "english", "flags", "source_language")
"""The header of ``toolkit translate --format tsv`` (:mod:`toolkit.pipeline.translate_files`)."""

C1 = "".join(map(chr, range(0x80, 0xA0)))
"""The C1 control characters (U+0080-U+009F), the one definition: the toolkit's TSVs write
them ``\\x80``-``\\x9f`` (:data:`_TSV_ESCAPES`), JSONL ``\\u009b``, TMX ``&#x9b;``
(:mod:`toolkit.export.formats`); a pairs file keeps them as written (:mod:`toolkit.qa.bilingual`:
mojibake far more often than a control). NEL (U+0085) is one of them and a line separator
too (:data:`LINE_SEPARATORS`)."""

LINE_SEPARATORS = "\x85\u2028\u2029"
"""The characters that are text to the toolkit but a line break to some readers: NEL (in a
pairs file most often Windows-1252's ``…`` read as Latin-1, kept and flagged ``mojibake``),
U+2028 and U+2029 (line and paragraph separators pasted from the web; every pairs reader
keeps them as written). Python's ``splitlines`` and many editors break a line at each, XML
1.1 reads NEL and U+2028 as a line end. The one rule for them: the toolkit's TSVs escape
them (``\\x85``, ``\\u2028``, ``\\u2029``, :func:`tsv_escape`), JSONL too (``\\u2028``),
TMX writes them as character references (``&#x2028;``), and a Moses export, plain text with
no escape, leaves a unit holding one out and counts it
(:func:`toolkit.export.formats.moses_units`): raw one misaligns the files, as a space the
text is changed with no word. (A build's source text holds none: cleaning ends a line
there; a pairs file may.)"""

# The one escape table: character -> how the toolkit's TSVs write it. Raw, C1 controls
# (U+0080-U+009F) and the line separators break a line for splitlines() and spreadsheets
# (NEL, U+2028, U+2029), and U+009B starts a terminal's escape; a pairs file keeps them
# (C1 where it is mojibake, ``â€\x9d`` is UTF-8's ", :mod:`toolkit.qa.bilingual`). Only the
# spellings in this table are read back (:data:`_UNESCAPE`): every backslash the toolkit
# writes is escaped, so an ``\x41`` or a typed ``\u2028`` in a file it wrote is no escape
# and stays as it is typed (``\\u2028`` in the file).
_TSV_ESCAPES = {
    "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r",
    **{c: f"\\x{ord(c):02x}" for c in C1},  # NEL among them
    **{c: f"\\u{ord(c):04x}" for c in LINE_SEPARATORS if ord(c) > 0x9F},
}
_TSV_TABLE = str.maketrans(_TSV_ESCAPES)
_NEEDS_ESCAPE = re.compile(f"[{re.escape(''.join(_TSV_ESCAPES))}]")
_TSV_UNESCAPES = {escape[1:]: char for char, escape in _TSV_ESCAPES.items()}
# An escape of the table, else a backslash and the character after it (kept as it is).
_UNESCAPE = re.compile(
    "\\\\(" + "|".join(map(re.escape, sorted(_TSV_UNESCAPES, key=len, reverse=True)))
    + "|.?)", re.DOTALL)


def tsv_escape(value: str) -> str:
    """Escape backslash, tab, newline and carriage return (``\\t`` ...), C1 controls
    (``\\x9b``) and the line separators U+2028/U+2029 (``\\u2028``) so a value fits in one
    TSV cell, and no tool reading it splits or interprets it (:data:`_TSV_ESCAPES`)."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    return value.translate(_TSV_TABLE)


def _unescaped(match: re.Match[str]) -> str:
    code = match.group(1)
    return _TSV_UNESCAPES.get(code, "\\" + code)


_BASIC_UNESCAPE = re.compile(  # the one-letter escapes only: hand-made TSVs (toolkit_header)
    "\\\\([" + re.escape("".join(k for k in _TSV_UNESCAPES if len(k) == 1)) + "]|.?)", re.DOTALL
)


def toolkit_header(header: Sequence[str]) -> bool:
    """Whether a TSV's header is exactly one the toolkit writes (aligned, either version;
    export; translate): only such a file holds :func:`tsv_escape`'s ``\\x85`` and ``\\u2028``
    (every backslash escaped, so they are the writer's); in a hand-made one with
    ``segment_id`` they are typed text (a ``\\u2028`` about JSON was read as U+2028)."""
    return tuple(header) in (ALIGNED_COLUMNS, OLD_ALIGNED_COLUMNS, TSV_COLUMNS, TRANSLATE_COLUMNS)


def tsv_unescape(value: str, separators: bool = True) -> str:
    """Undo :func:`tsv_escape`; an unknown escape (``\\q``, ``\\x41``, ``\\u2027``) is kept as
    it is. ``separators=False`` (a file with no header the toolkit writes,
    :func:`toolkit_header`): only backslash, tab, newline and CR, C1 and line separator
    escapes kept as typed. A toolkit file's ``\\u2028`` is read as U+2028 whoever typed it,
    as its ``\\n`` is a newline: a hand edit there types a backslash ``\\\\``."""
    if "\\" not in value:
        return value
    if not separators:
        return _BASIC_UNESCAPE.sub(_unescaped, value)
    return _UNESCAPE.sub(_unescaped, value)


def render_tsv_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The one TSV writer: a header row, then one line per row, every value escaped
    (:func:`tsv_escape`), so a cell never spills into the next one or the next line."""
    lines = ["\t".join(header)]
    lines += ["\t".join(tsv_escape(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def tsv_text(text: str) -> str:
    """A TSV file's text as every reader of aligned files takes it (``parse_aligned_tsv``,
    ``toolkit qa``): a leading byte order mark dropped and Windows line ends read as ``\n``
    (a lone ``\r`` stays: the toolkit writes one inside a cell as ``\\r``). An aligned file
    saved by an editor on Windows was "header must be ..." to the library, and read by qa."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def read_tsv_table(text: str, *, hand_edited: bool = False) -> list[tuple[int, list[str]]]:
    """The one TSV reader: (line number, cells still escaped) of each row, the header first.

    Split at ``\n`` only, not with ``str.splitlines()``, which also breaks at U+2028,
    U+0085 and U+001C-U+001E that a cell may hold. Empty lines are skipped. A file people
    edit (``hand_edited``, e.g. in a spreadsheet) may also start with a byte order mark
    and end its lines with ``\r``, both dropped, and hold blank lines and ``#`` comments,
    both skipped. Cells stay escaped so a caller can count columns before unescaping them
    (:func:`tsv_unescape`).
    """
    if hand_edited:
        text = text.removeprefix("\ufeff")
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if hand_edited:
            line = line.rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
        if line:
            rows.append((number, line.split("\t")))
    return rows


def render_aligned_tsv(segments: Iterable[Segment]) -> str:
    """The aligned file: a header row, then one row per source sentence."""
    rows = (
        (
            s.id,
            str(s.paragraph),
            str(s.sentence),
            s.source,
            s.english or "",
            ",".join(s.flags),
            s.origin,
            "" if s.confidence is None or s.origin != "machine" else f"{s.confidence:.4f}",
        )
        for s in segments
    )
    return render_tsv_table(ALIGNED_COLUMNS, rows)


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


ORIGINS: tuple[str, ...] = get_args(Origin)


_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _confidence(cell: str, where: str) -> float | None:
    """An aligned row's confidence: empty (None) or a mean log-probability, written as the
    toolkit writes it (ASCII decimal, at most 0). ``nan``, ``inf``, ``1_0``, Arabic-Indic
    digits (which ``float`` accepts) and positive values are refused: calibration and
    sorting by confidence would silently misplace them."""
    if not cell:
        return None
    if not _DECIMAL.fullmatch(cell) or float(cell) > 0:
        raise CorpusError(
            f"{where}: confidence {cell!r} is not a number of at most 0 (a mean "
            "log-probability); leave it empty"
        )
    return float(cell)


def parse_aligned_tsv(text: str, name: str = "aligned.tsv") -> list[AlignedRow]:
    """Read what :func:`render_aligned_tsv` wrote (round-trips exactly), as :func:`tsv_text`
    reads a file (a BOM, CRLF line ends)."""
    table = read_tsv_table(tsv_text(text))
    header = tuple(table[0][1]) if table else ()
    if header not in (ALIGNED_COLUMNS, OLD_ALIGNED_COLUMNS):
        raise CorpusError(f"{name}: header must be {' / '.join(ALIGNED_COLUMNS)} (tab-separated)")
    width = len(header)
    rows = []
    for number, cells in table[1:]:
        if len(cells) != width:
            raise CorpusError(f"{name}:{number}: expected {width} columns, got {len(cells)}")
        sid, para, sent, source, english, flags, origin, *rest = (tsv_unescape(c) for c in cells)
        if origin not in ORIGINS:
            raise CorpusError(
                f"{name}:{number}: origin {origin!r} is not one of {', '.join(ORIGINS)}; "
                "fix the row or rebuild the document"
            )
        confidence = _confidence(rest[0] if rest else "", f"{name}:{number}")
        try:
            paragraph, sentence = int(para), int(sent)
        except ValueError:
            raise CorpusError(
                f"{name}:{number}: paragraph and sentence must be numbers, got {para!r} and "
                f"{sent!r}; fix the row or rebuild the document"
            ) from None
        rows.append(
            AlignedRow(
                sid,
                paragraph,
                sentence,
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
    paragraphs = english_paragraphs(segments)
    return "\n\n".join(" ".join(s.english for s in p) for p in paragraphs) + "\n"


def english_paragraphs(segments: Iterable[Segment]) -> list[list[Segment]]:
    """The paragraphs of the English text, each its segments with English, in order (a run
    of segments of one ``paragraph``; one with no English is not written): the one grouping
    :func:`render_english_text` writes and a hand edit of the text is matched by."""
    paragraphs: list[list[Segment]] = []
    last = None
    for s in segments:
        if s.paragraph != last:
            paragraphs.append([])
            last = s.paragraph
        if s.english:
            paragraphs[-1].append(s)
    return [p for p in paragraphs if p]


def render_meta_json(record: DocumentRecord) -> str:
    return record.model_dump_json(indent=2) + "\n"


class MetaError(CorpusError, ValueError):
    """A ``meta.json`` that cannot be read as a document record; one line naming the file and
    the fix. Also a ValueError, as pydantic's error was, for callers that caught that."""


def read_meta(path: str | os.PathLike[str]) -> DocumentRecord:
    """One document's ``meta.json`` as a record (pydantic validates it). Raises
    :class:`MetaError` for a missing file, a folder, an unreadable or non-record file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MetaError(f"{path}: no such file; give a built document's .meta.json") from None
    except IsADirectoryError:
        raise MetaError(f"{path}: is a directory; give a document's .meta.json file") from None
    except OSError as exc:
        raise MetaError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    try:
        return DocumentRecord.model_validate_json(data)
    except ValueError as exc:  # pydantic's ValidationError (bad JSON, bad fields) is one
        raise MetaError(
            f"{path}: not a document record ({exc.__class__.__name__}); "
            "rebuild it with `toolkit build`"
        ) from None


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
    text = manifest_text(Path(path))
    return {} if text is None else parse_manifest(text, Path(path), dropped)


MAX_MANIFEST_BYTES = 512_000_000
"""A manifest line is ~500 bytes: this is about a million documents."""


def manifest_text(path: Path) -> str | None:
    """The manifest's text; None when there is none. Read only as a regular file: a FIFO
    in its place hung every build, status and export (attack finding), a symlink could
    point anywhere. Raises :class:`CorpusError` naming the file and the fix (also for a
    manifest that is not UTF-8)."""
    try:
        return read_regular_file(path, MAX_MANIFEST_BYTES).decode("utf-8")
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8; delete it and run toolkit build") from None
    except FileNotFoundError:
        return None
    except NotRegularFile as exc:
        raise CorpusError(
            f"{path}: is {exc.kind}, not the manifest; move it away and run toolkit build"
        ) from None
    except FileTooLarge as exc:
        raise CorpusError(
            f"{path}: is {byte_size(exc.size)}, over the {byte_size(exc.limit)} a manifest "
            "can be (~1 million documents); move it away and run toolkit build"
        ) from None
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None


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
