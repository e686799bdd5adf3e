"""Human corrections that survive rebuilds.

A reviewer's fix for one sentence is stored in ``corpus/corrections/<doc>.corrections.tsv``,
keyed by the sha256 of the *source* sentence (``Segment.source_sha256``), not by segment id.
Ids move when a paragraph is split differently; the model, the glossary and the settings
change; a source sentence's hash changes only when the sentence itself does. So a
correction applies to the same sentence after re-segmentation, a model upgrade or
``rm -rf corpus/english`` and a rebuild, and a correction whose sentence is gone is an
*orphan* the build reports (it is never dropped or applied elsewhere).

The file is meant to be read and edited by hand::

    source_sha256<TAB>source<TAB>english<TAB>author<TAB>time
    810a6f25…<TAB>Kim (45) hat …<TAB>Kim (45) said …<TAB>anna<TAB>2025-01-31T09:15:00Z

* the header row is required, columns in this order; lines starting with ``#`` and blank
  lines are ignored;
* values use the aligned TSV's escapes: ``\\t``, ``\\n``, ``\\r``, ``\\\\``;
* ``source_sha256`` may be left empty when ``source`` is given: it is then computed from
  ``source`` (so a reviewer can add a row by copying a sentence); when both are given they
  must agree;
* ``english`` must not be empty; ``author`` and ``time`` (ISO-8601 UTC) are free text for the
  record and may be empty;
* two rows for the same source sentence are an error (which one would win is not obvious).

``toolkit correct DOC SEGMENT_ID "English"`` adds or replaces a row and rebuilds the
document. A changed file changes the document's build fingerprint, so the next build
redoes that document (see ``toolkit.build._corrections_digests``).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from toolkit.corpus import CorpusPaths, atomic_write, tsv_escape, tsv_unescape
from toolkit.errors import ToolkitError
from toolkit.provenance import sha256_text
from toolkit.schema import DocumentRecord, GlossaryHit

CORRECTION_COLUMNS = ("source_sha256", "source", "english", "author", "time")
CORRECTIONS_SUFFIX = ".corrections.tsv"
HUMAN_ORIGIN = "human"
MACHINE_ONLY_FLAGS = frozenset({"glossary-lost"})
"""Flags about machine output that a human correction replaces (QA re-checks the rest)."""

_SHA256 = re.compile(r"[0-9a-f]{64}")


class CorrectionsError(ToolkitError):
    """A corrections file cannot be read or a correction cannot be recorded."""


@dataclass(frozen=True)
class Correction:
    """One reviewer's English for one source sentence."""

    source_sha256: str
    source: str
    english: str
    author: str = ""
    time: str = ""

    def describe(self, width: int = 60) -> str:
        """``<hash prefix> "<source, shortened>"``: how reports name a correction."""
        text = self.source if len(self.source) <= width else self.source[: width - 1] + "…"
        return f'{self.source_sha256[:12]} "{text}"' if text else self.source_sha256[:12]


def corrections_path(corpus_root: Path, doc: str) -> Path:
    """Where the corrections of document ``doc`` live."""
    return CorpusPaths(Path(corpus_root)).corrections / f"{doc}{CORRECTIONS_SUFFIX}"


def utc_now() -> str:
    """The current time as ISO-8601 UTC to the second, e.g. ``2025-01-31T09:15:00Z``."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_author() -> str:
    """Who is correcting: ``$TOOLKIT_AUTHOR``, else the login name, else ``unknown``."""
    name = os.environ.get("TOOLKIT_AUTHOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no $USER and no passwd entry (some containers)
        return "unknown"


# -- the file ----------------------------------------------------------------------------------


def parse_corrections(text: str, name: str = "corrections.tsv") -> dict[str, Correction]:
    """Corrections by source sha256, in file order; errors name ``file:line``."""
    lines = text.split("\n")
    rows = [(n, line.rstrip("\r")) for n, line in enumerate(lines, start=1)]
    rows = [(n, line) for n, line in rows if line.strip() and not line.startswith("#")]
    if not rows or tuple(rows[0][1].split("\t")) != CORRECTION_COLUMNS:
        raise CorrectionsError(
            f"{name}: first row must be the header {' / '.join(CORRECTION_COLUMNS)} (tab-separated)"
        )
    found: dict[str, Correction] = {}
    first_line: dict[str, int] = {}
    for number, line in rows[1:]:
        cells = line.split("\t")
        if len(cells) != len(CORRECTION_COLUMNS):
            raise CorrectionsError(
                f"{name}:{number}: expected {len(CORRECTION_COLUMNS)} tab-separated columns, "
                f"got {len(cells)}; escape tabs inside a value as \\t"
            )
        sha, source, english, author, time = (tsv_unescape(c) for c in cells)
        sha = sha.strip().lower()
        if not sha and not source:
            raise CorrectionsError(f"{name}:{number}: give source_sha256 or source (or both)")
        if sha and not _SHA256.fullmatch(sha):
            raise CorrectionsError(f"{name}:{number}: source_sha256 must be 64 hex digits")
        if source and sha and sha256_text(source) != sha:
            raise CorrectionsError(
                f"{name}:{number}: source_sha256 does not match the source text; "
                "fix one of them or leave source_sha256 empty to compute it"
            )
        sha = sha or sha256_text(source)
        if not english.strip():
            raise CorrectionsError(f"{name}:{number}: english is empty; delete the row instead")
        if sha in found:
            raise CorrectionsError(
                f"{name}:{number}: a second correction for the sentence of line {first_line[sha]}; "
                "keep one row"
            )
        first_line[sha] = number
        found[sha] = Correction(sha, source, english, author, time)
    return found


def render_corrections(corrections: Iterable[Correction]) -> str:
    """The file :func:`parse_corrections` reads: header, then one row per correction."""
    lines = ["\t".join(CORRECTION_COLUMNS)]
    for c in corrections:
        row = (c.source_sha256, c.source, c.english, c.author, c.time)
        lines.append("\t".join(tsv_escape(v) for v in row))
    return "\n".join(lines) + "\n"


def load_corrections(corpus_root: Path, doc: str) -> dict[str, Correction]:
    """The corrections of ``doc`` by source sha256; empty when it has no file."""
    path = corrections_path(corpus_root, doc)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise CorrectionsError(f"{path}: not UTF-8; save it as UTF-8") from None
    except OSError as exc:
        raise CorrectionsError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_corrections(text, str(path))


def documents_with_corrections(corpus_root: Path) -> list[str]:
    """Ids of the documents that have a corrections file, sorted."""
    folder = CorpusPaths(Path(corpus_root)).corrections
    if not folder.is_dir():
        return []
    files = folder.glob(f"*{CORRECTIONS_SUFFIX}")
    return sorted(p.name.removesuffix(CORRECTIONS_SUFFIX) for p in files)


# -- applying ----------------------------------------------------------------------------------


def apply_corrections(
    record: DocumentRecord, corrections: Mapping[str, Correction]
) -> list[Correction]:
    """Put the human English into every segment whose source sentence has a correction.

    Sets ``english``, ``origin="human"`` and ``correction={"author", "time"}``; drops what
    described the discarded machine output (the ``glossary-lost`` flag, pinning outcomes;
    glossary hits keep their term and source match so QA can check the human text).
    Call it after translation and before QA. Returns the corrections whose source sentence
    is not in the document (orphans), in file order, for the build to report.
    """
    used: set[str] = set()
    for seg in record.segments:
        fix = corrections.get(seg.source_sha256)
        if fix is None:
            continue
        used.add(fix.source_sha256)
        seg.english = fix.english
        seg.origin = HUMAN_ORIGIN
        seg.correction = {"author": fix.author, "time": fix.time}
        seg.flags = [f for f in seg.flags if f not in MACHINE_ONLY_FLAGS]
        seg.qa = [q for q in seg.qa if q.check not in MACHINE_ONLY_FLAGS]
        seg.glossary = [GlossaryHit(term=h.term, matched=h.matched) for h in seg.glossary]
    return [c for sha, c in corrections.items() if sha not in used]


def orphans_of(record: DocumentRecord, corrections: Mapping[str, Correction]) -> list[Correction]:
    """The corrections that :func:`apply_corrections` would report for ``record``, unchanged."""
    present = {seg.source_sha256 for seg in record.segments}
    return [c for sha, c in corrections.items() if sha not in present]


# -- recording ---------------------------------------------------------------------------------


def record_correction(
    corpus_root: Path,
    record: DocumentRecord,
    segment_id: str,
    english: str,
    *,
    author: str | None = None,
    time: str | None = None,
) -> Correction:
    """Add (or replace) the correction of one segment in the document's corrections file.

    Example::

        record = read_meta(Path("corpus/english/000_x.meta.json"))
        record_correction(Path("corpus"), record, "p1.s2", "Kim answered soberly.")
    """
    english = english.strip()
    if not english:
        raise CorrectionsError("the corrected English is empty; give the sentence's English")
    segment = next((s for s in record.segments if s.id == segment_id), None)
    if segment is None:
        known = ", ".join(s.id for s in record.segments[:3])
        raise CorrectionsError(
            f"{record.document}: no segment {segment_id!r}; ids look like {known or 'p1.s1'} "
            f"(see `toolkit review {record.document}`)"
        )
    fix = Correction(
        source_sha256=segment.source_sha256,
        source=segment.source,
        english=english,
        author=default_author() if author is None else author,
        time=utc_now() if time is None else time,
    )
    existing = load_corrections(corpus_root, record.document)
    existing[fix.source_sha256] = fix  # a dict keeps the first position of a replaced key
    data = render_corrections(existing.values()).encode()
    atomic_write(corrections_path(corpus_root, record.document), data)
    return fix


__all__ = [
    "CORRECTION_COLUMNS",
    "Correction",
    "CorrectionsError",
    "apply_corrections",
    "corrections_path",
    "default_author",
    "documents_with_corrections",
    "load_corrections",
    "orphans_of",
    "parse_corrections",
    "record_correction",
    "render_corrections",
    "utc_now",
]
