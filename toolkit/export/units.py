"""What an export holds: one unit per aligned sentence pair of a built document, and the
counts of what was left out and why (see :mod:`toolkit.export`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from toolkit.corpus.paths import CorpusPaths, nothing_built
from toolkit.corpus.snapshot import Snapshot, read_snapshot
from toolkit.errors import CorpusError, ToolkitError
from toolkit.languages import needs_no_model
from toolkit.plural import plural
from toolkit.schema import DocumentRecord

Format = Literal["tmx", "moses", "jsonl", "tsv"]
FORMATS: tuple[Format, ...] = ("tmx", "moses", "jsonl", "tsv")
STDOUT = "-"
"""``-o -``: standard output (one-file formats only)."""


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
    line_breaks: int = 0
    """Units a Moses export left out: their text holds a line separator (NEL, U+2028 or
    U+2029), which line-aligned text can hold neither raw nor as a space
    (:func:`toolkit.export.formats.moses_units`)."""
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
                f"excluded {plural(self.flagged, 'flagged segment')} (a reviewer accepts a "
                "row or dismisses its flags in toolkit review --serve to export it; or use "
                "--include-flagged)"
            )
        if self.same_language:
            out.append(
                f"excluded {plural(self.same_language, 'segment')} already in the target "
                "language (use --include-english)"
            )
        if self.untranslated:
            out.append(f"excluded {plural(self.untranslated, 'segment')} without English")
        if self.line_breaks:
            out.append(
                f"excluded {plural(self.line_breaks, 'segment')} holding a line separator "
                "(NEL U+0085, U+2028 or U+2029: a line break to many readers, it would "
                "misalign the Moses files; NEL is often Windows-1252's '…' read as Latin-1, "
                "flagged mojibake): tmx, jsonl and tsv keep it"
            )
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
        raise ExportError(nothing_built(root))
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
            src = record.language_of(seg)
            if not seg.english:
                stats.untranslated += 1
                continue
            if needs_no_model(src, record.target_language) and not options.include_same_language:
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


__all__ = [
    "FORMATS",
    "STDOUT",
    "ExportError",
    "ExportOptions",
    "ExportStats",
    "Format",
    "Unit",
    "read_corpus",
    "select_units",
]
