"""Export the aligned corpus for other tools: TMX, Moses, JSONL, TSV.

Every format holds the same *units*: one per aligned sentence pair of a built document,
in document then segment order. What is left out, and why (each counted in
:class:`ExportStats` and reported by ``toolkit export`` on stderr):

* segments without English (documents waiting for a model) -- nothing to export;
* flagged segments, unless ``include_flagged`` -- a QA flag means a reviewer has not
  accepted the pair; translation memories and training data want only clean pairs;
* pairs whose source is already in the target language (English documents, an English
  quote inside a German article), unless ``include_same_language`` -- they are copies, not
  translations, and would teach a model to copy.

Formats (``PATH`` is the ``-o`` argument):

* ``tmx`` -- TMX 1.4b in ``PATH``: header ``srclang="*all*"`` (documents differ in source
  language), one ``<tu>`` per unit with ``srclang`` and a ``<tuv xml:lang>`` per side, and
  ``<prop type="x-...">`` for provenance (document, segment, origin, flags, package,
  input sha256). Human corrections carry ``changeid``/``changedate`` on the English tuv.
* ``moses`` -- line-aligned plain text, one pair of files per language pair, named the
  OPUS way: ``PATH.de-en.de`` + ``PATH.de-en.en``, ``PATH.nl-en.nl`` + ``PATH.nl-en.en``.
  Line breaks inside a sentence become spaces, so line *n* of one file is the
  translation of line *n* of the other. A pair of one language (``en-en``, with
  ``include_same_language``) is named by role: ``PATH.en-en.source.en`` +
  ``PATH.en-en.target.en``.
* ``jsonl`` -- ``PATH``, one JSON object per unit: document, segment, languages, source,
  target, origin, flags, and a provenance reference (input path and sha256, meta.json path,
  package).
* ``tsv`` -- ``PATH``, a header row then one row per unit; values escaped like the aligned
  TSV (``\\t``, ``\\n``, ``\\r``, ``\\\\``).

``PATH`` ``-`` writes a one-file format to standard output. All files are written
atomically. Output is deterministic: no timestamps beyond those of human corrections.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from toolkit import __version__
from toolkit.corpus.formats import render_tsv_table
from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.snapshot import Snapshot, read_snapshot
from toolkit.corpus.writes import write_output
from toolkit.errors import CorpusError, ToolkitError
from toolkit.plural import plural
from toolkit.schema import DocumentRecord

Format = Literal["tmx", "moses", "jsonl", "tsv"]
FORMATS: tuple[Format, ...] = ("tmx", "moses", "jsonl", "tsv")
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
CREATION_TOOL = "newskit-toolkit"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, surrogates, U+FFFE/F).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What str.splitlines() breaks on, besides \n: a Moses line must contain none of them.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


class ExportError(ToolkitError):
    """The corpus cannot be exported (nothing built, bad output path)."""


@dataclass(frozen=True)
class ExportOptions:
    """What to leave out; recorded nowhere, so the CLI reports it."""

    include_flagged: bool = False
    include_same_language: bool = False


@dataclass(frozen=True)
class Unit:
    """One exported sentence pair with a reference to where it came from."""

    document: str
    segment: str
    source_language: str
    target_language: str
    source: str
    target: str
    origin: str
    flags: tuple[str, ...]
    input_path: str
    input_sha256: str
    package: str | None
    corrected_by: str | None = None
    corrected_at: str | None = None
    dismissed: tuple[tuple[str, str], ...] = ()
    """(check, reason) of each QA flag a reviewer dismissed (the row counts as unflagged)."""
    confidence: float | None = None
    """The model's confidence (machine units only; see ``Segment.confidence``)."""

    @property
    def pair(self) -> str:
        return f"{self.source_language}-{self.target_language}"


@dataclass
class ExportStats:
    """How many units were exported and how many were left out, by reason."""

    documents: int = 0
    exported: int = 0
    flagged: int = 0
    untranslated: int = 0
    same_language: int = 0
    documents_not_built: list[str] = field(default_factory=list)
    documents_changed: list[str] = field(default_factory=list)
    """``doc: changed since build (...)`` for each document left out as not what was built."""
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    not_built_reasons: dict[str, str] = field(default_factory=dict)
    """Document -> why it is not built (``needs model de→en: install it with ...``)."""

    def lines(self) -> list[str]:
        where = ", ".join(
            "standard output" if str(f) == STDOUT else str(f) for f in self.files
        ) or "no file (nothing to export)"
        out = [
            f"exported {plural(self.exported, 'segment')} from "
            f"{plural(self.documents, 'document')} to {where}"
        ]
        if self.flagged:
            out.append(
                f"excluded {plural(self.flagged, 'flagged segment')} (use --include-flagged)"
            )
        if self.same_language:
            out.append(
                f"excluded {plural(self.same_language, 'segment')} already in the target "
                "language (use --include-english)"
            )
        if self.untranslated:
            out.append(f"excluded {plural(self.untranslated, 'segment')} without English")
        for doc in self.documents_not_built:
            reason = self.not_built_reasons.get(doc) or "not built (run `toolkit build`)"
            out.append(f"excluded document {doc}: {reason}")
        out += [f"excluded document {line}" for line in self.documents_changed]
        out += [f"warning: {line}" for line in self.warnings]
        return out


# -- selecting ---------------------------------------------------------------------------------


def read_corpus(
    corpus_root: Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None
) -> Snapshot:
    """The last complete build of a corpus (:func:`toolkit.corpus.snapshot.read_snapshot`): the
    records whose files match the manifest, sorted by id, and the documents left out."""
    root = Path(corpus_root)
    if not CorpusPaths(root).english.is_dir():
        raise ExportError(
            f"{root}: no english/ folder; build the corpus first (`toolkit build {root}`)"
        )
    try:
        return read_snapshot(root, wait=wait, on_wait=on_wait)
    except CorpusError as exc:
        raise ExportError(str(exc)) from None


def select_units(
    records: Iterable[DocumentRecord], options: ExportOptions = ExportOptions()
) -> tuple[list[Unit], ExportStats]:
    """The units to export and the counts of what was left out."""
    stats = ExportStats()
    units: list[Unit] = []
    for record in records:
        if record.status != "built":
            stats.documents_not_built.append(record.document)
            if record.message:  # e.g. the missing model and its install command
                stats.not_built_reasons[record.document] = record.message
            continue
        before = len(units)
        for seg in record.segments:
            src = seg.language.language if seg.language else record.language.language
            if not seg.english:
                stats.untranslated += 1
                continue
            if src == record.target_language and not options.include_same_language:
                stats.same_language += 1
                continue
            if seg.flags and not options.include_flagged:
                stats.flagged += 1
                continue
            units.append(
                Unit(
                    document=record.document,
                    segment=seg.id,
                    source_language=src,
                    target_language=record.target_language,
                    source=seg.source,
                    target=seg.english,
                    origin=seg.origin,
                    flags=tuple(seg.flags),
                    input_path=record.input.path,
                    input_sha256=record.input.sha256,
                    package=record.translation.package if record.translation else None,
                    corrected_by=(seg.correction or {}).get("author"),
                    corrected_at=(seg.correction or {}).get("time"),
                    dismissed=tuple(
                        (q.check, q.dismissed.get("reason", "")) for q in seg.qa if q.dismissed
                    ),
                    confidence=seg.confidence if seg.origin == "machine" else None,
                )
            )
        stats.documents += len(units) > before
    stats.exported = len(units)
    return units, stats


# -- rendering ---------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _tmx_date(iso: str | None) -> str | None:
    """ISO-8601 (``2025-01-31T09:15:00Z``) -> TMX's ``20250131T091500Z``; None if unparseable."""
    if not iso:
        return None
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def render_tmx(units: Sequence[Unit]) -> str:
    """A TMX 1.4b document with one ``<tu>`` per unit."""
    tmx = ET.Element("tmx", version="1.4")
    ET.SubElement(
        tmx,
        "header",
        {
            "creationtool": CREATION_TOOL,
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "newskit-aligned-corpus",
            "adminlang": "en",
            "srclang": "*all*",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(tmx, "body")
    for u in units:
        tu = ET.SubElement(body, "tu", tuid=f"{u.document}#{u.segment}", srclang=u.source_language)
        props = [
            ("x-document", u.document),
            ("x-segment", u.segment),
            ("x-origin", u.origin),
            ("x-flags", ",".join(u.flags)),
            ("x-dismissed", "; ".join(f"{check}: {why}" for check, why in u.dismissed)),
            ("x-package", u.package or ""),
            ("x-input-sha256", u.input_sha256),
            ("x-confidence", "" if u.confidence is None else f"{u.confidence:.4f}"),
        ]
        for kind, value in props:
            if value:
                ET.SubElement(tu, "prop", type=kind).text = _xml_text(value)
        source = ET.SubElement(tu, "tuv", {_XML_LANG: u.source_language})
        ET.SubElement(source, "seg").text = _xml_text(u.source)
        target = ET.SubElement(tu, "tuv", {_XML_LANG: u.target_language})
        changed = _tmx_date(u.corrected_at)
        if u.corrected_by:
            target.set("changeid", _xml_text(u.corrected_by))
        if changed:
            target.set("changedate", changed)
        ET.SubElement(target, "seg").text = _xml_text(u.target)
    ET.indent(tmx, space="  ")
    # XML parsers turn a literal CR (and CR LF) into LF; a character reference keeps it.
    body_text = ET.tostring(tmx, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body_text + "\n"


def one_line(text: str) -> str:
    """``text`` with every kind of line break replaced by a space (for line-aligned files)."""
    return _LINE_BREAKS.sub(" ", text)


def render_moses(units: Sequence[Unit]) -> dict[str, tuple[str, str]]:
    """``{"de-en": (source lines, target lines)}``: one pair of line-aligned texts per pair."""
    by_pair: dict[str, tuple[list[str], list[str]]] = {}
    for u in units:
        src, tgt = by_pair.setdefault(u.pair, ([], []))
        src.append(one_line(u.source))
        tgt.append(one_line(u.target))
    return {
        pair: ("".join(s + "\n" for s in src), "".join(t + "\n" for t in tgt))
        for pair, (src, tgt) in sorted(by_pair.items())
    }


def unit_json(u: Unit) -> dict[str, object]:
    """One JSONL object."""
    return {
        "document": u.document,
        "segment": u.segment,
        "source_language": u.source_language,
        "target_language": u.target_language,
        "source": u.source,
        "target": u.target,
        "origin": u.origin,
        "flags": list(u.flags),
        "confidence": u.confidence,
        "correction": (
            {"author": u.corrected_by, "time": u.corrected_at}
            if u.origin in ("human", "accepted")
            else None
        ),
        "dismissed": [{"check": check, "reason": why} for check, why in u.dismissed],
        "provenance": {
            "input": u.input_path,
            "input_sha256": u.input_sha256,
            "meta": f"english/{u.document}.meta.json",
            "package": u.package,
        },
    }


_JSON_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def render_jsonl(units: Sequence[Unit]) -> str:
    """One JSON object per line. Besides what ``json`` escapes, U+0085/U+2028/U+2029 are
    escaped too, so splitting the file with ``str.splitlines`` still gives one object a line."""
    return "".join(
        json.dumps(unit_json(u), ensure_ascii=False).translate(_JSON_LINE_BREAKS) + "\n"
        for u in units
    )


def render_tsv(units: Sequence[Unit]) -> str:
    """A header row (:data:`TSV_COLUMNS`), then one row per unit, escaped like the aligned TSV."""
    rows = (
        (
            u.document,
            u.segment,
            u.source_language,
            u.target_language,
            u.source,
            u.target,
            u.origin,
            ",".join(u.flags),
        )
        for u in units
    )
    return render_tsv_table(TSV_COLUMNS, rows)


# -- writing -----------------------------------------------------------------------------------


def moses_paths(output: Path, pair: str) -> tuple[Path, Path]:
    """``PATH.de-en.de`` and ``PATH.de-en.en`` for pair ``de-en``.

    A pair of one language (``en-en``, exported with ``--include-english``) would name
    both sides alike, so its sides are told apart by role instead:

    >>> [p.name for p in moses_paths(Path("all"), "en-en")]
    ['all.en-en.source.en', 'all.en-en.target.en']
    """
    src, tgt = pair.split("-", 1)
    stem = f"{output.name}.{pair}"
    if src == tgt:
        return output.with_name(f"{stem}.source.{src}"), output.with_name(f"{stem}.target.{tgt}")
    return output.with_name(f"{stem}.{src}"), output.with_name(f"{stem}.{tgt}")


_RENDERERS: dict[str, Callable[[Sequence[Unit]], str]] = {
    "tmx": render_tmx,
    "jsonl": render_jsonl,
    "tsv": render_tsv,
}
"""The one-file formats (Moses writes two files per language pair)."""

STDOUT = "-"
"""``-o -``: standard output (one-file formats only)."""


def write_units(
    units: Sequence[Unit], fmt: Format, output: Path, corpus_root: Path | None = None
) -> list[Path]:
    """Write ``units`` in ``fmt`` to ``output`` (a prefix for moses); return the files written.

    Each file goes through :func:`toolkit.corpus.writes.write_output`: never into the corpus
    (``corpus_root``, or any corpus above the target), never over a symlink or a device;
    ``-`` is standard output (not for moses, which writes two files per language pair).
    """
    output = Path(output)
    roots = [corpus_root] if corpus_root is not None else []
    if fmt == "moses" and str(output) == "-":
        raise ExportError("-: moses writes two files per language pair; give a path prefix")
    if output.is_dir():
        raise ExportError(f"{output}: is a directory; give a file name (for moses: a prefix)")
    renderers = _RENDERERS
    if fmt == "moses":
        written = []
        for pair, (src, tgt) in render_moses(units).items():
            src_path, tgt_path = moses_paths(output, pair)
            write_output(src_path, src.encode("utf-8"), roots)
            write_output(tgt_path, tgt.encode("utf-8"), roots)
            written += [src_path, tgt_path]
        return written
    if fmt not in renderers:
        raise ExportError(f"{fmt}: unknown export format; use one of {', '.join(FORMATS)}")
    write_output(output, renderers[fmt](units).encode("utf-8"), roots)
    return [output]


def export_corpus(
    corpus_root: Path,
    fmt: Format,
    output: Path,
    options: ExportOptions = ExportOptions(),
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> ExportStats:
    """Read the built corpus, select units, write them; return what was done.

    Example::

        stats = export_corpus(Path("corpus"), "tmx", Path("corpus.tmx"))
        print("\\n".join(stats.lines()))
    """
    snapshot = read_corpus(corpus_root, wait=wait, on_wait=on_wait)
    units, stats = select_units(snapshot.records, options)
    stats.documents_changed = [f"{d}: {why}" for d, why in sorted(snapshot.changed.items())]
    stats.warnings = list(snapshot.dropped)
    stats.files = write_units(units, fmt, output, Path(corpus_root))
    return stats


__all__ = [
    "FORMATS",
    "TSV_COLUMNS",
    "ExportError",
    "ExportOptions",
    "ExportStats",
    "Unit",
    "export_corpus",
    "moses_paths",
    "one_line",
    "read_corpus",
    "render_jsonl",
    "render_moses",
    "render_tmx",
    "render_tsv",
    "select_units",
    "unit_json",
    "write_units",
]
