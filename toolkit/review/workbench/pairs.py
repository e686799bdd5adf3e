"""Reviewing any bilingual file (``toolkit review --serve pairs.tsv --src de --tgt en``).

Any bilingual file the toolkit reads (:func:`toolkit.qa.pairs.read_bilingual`: TSV, TMX, JSONL)
is shown as one document; the reviewer's actions go to a sidecar corrections file next to it,
``pairs.tsv.corrections.tsv`` (the same format as a corpus's, keyed by the source sentence's
hash), and the pairs file itself is never written. ``toolkit export --pairs pairs.tsv --src
de --tgt en --format tsv -o corrected.tsv`` writes the corrected pairs.

Each read rebuilds the document in memory: corrections replace targets, QA runs on every
row and dismissals mark flags, as in a corpus build. The QA is ``toolkit qa PAIRS``'s own
(:func:`toolkit.qa.report.check_pairs`: the per-pair checks, glossary, protected spans and
consistency), so the workbench and ``qa`` flag a file alike (the workbench ran the per-pair
checks alone, without the protected-span and consistency checks).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.corpus.actions import apply_corrections, apply_dismissals, orphans_of
from toolkit.corpus.corrections import ReviewState, load_review_file
from toolkit.export.units import ExportOptions, ExportStats, Unit, select_units
from toolkit.export.writer import write_export
from toolkit.glossary.model import Glossary
from toolkit.pipeline.provenance import sha256_bytes, sha256_text
from toolkit.plural import plural
from toolkit.qa.bilingual import left_out_lines, split_row_id
from toolkit.qa.corpus_settings import CheckSettings
from toolkit.qa.flags import CORPUS_CHECKS
from toolkit.qa.pairs import Pair, QaInputError, read_bilingual
from toolkit.qa.report import PairsReport, check_pairs
from toolkit.review.workbench.store import MAX_ID, ReviewStore, StoreError
from toolkit.schema import (
    CleaningReport,
    DocumentRecord,
    InputInfo,
    LanguageGuess,
    Segment,
    flag_names,
)

SIDECAR_SUFFIX = ".corrections.tsv"


def sidecar_path(pairs_file: Path) -> Path:
    """The corrections file of a bilingual file: ``pairs.tsv`` -> ``pairs.tsv.corrections.tsv``."""
    return pairs_file.with_name(pairs_file.name + SIDECAR_SUFFIX)


def _document_language(path: Path, pairs: list[Pair], src: str | None) -> str:
    """``src``; without it, the language most rows name as their own (a TMX's ``srclang``,
    an export's ``source_language``): every row keeps its own either way. A file where some
    row names none needs ``--src``: one line saying so."""
    if src is not None:
        return src
    named = Counter(p.source_language for p in pairs)
    if None in named or not named:
        raise QaInputError(f"{path}: not every row names its source language; give --src")
    return named.most_common(1)[0][0]  # type: ignore[return-value]


def _correction(pair: Pair) -> dict[str, str] | None:
    """Who corrected or accepted a row and when, as the file records it (None: not recorded,
    or the row is neither ``human`` nor ``accepted``)."""
    if pair.origin not in ("human", "accepted"):
        return None
    found = {k: v for k, v in (("author", pair.corrected_by), ("time", pair.corrected_at)) if v}
    return found or None


def pairs_record(
    path: Path, src: str | None, tgt: str, glossary: Glossary, state: ReviewState,
    pairs: list[Pair] | None = None, settings: CheckSettings | None = None,
) -> DocumentRecord:
    """The bilingual file as one document record, corrected and checked like a build's.

    A row that names its own ``source_language`` (the toolkit's exports and translate
    output do) keeps it: checked, reviewed and exported in that language, not ``src``
    (a Dutch row of a German file was exported as German); so does a row's recorded
    ``origin`` (a human correction read back from an export stays ``human``). ``src`` None:
    the file names the language of every row (:func:`_document_language`). ``pairs``: the
    file's pairs, when the caller read them already; ``settings``: the QA and protected-span
    settings (:func:`toolkit.qa.corpus_settings.corpus_settings`; None: the defaults)."""
    path = Path(path)
    pairs = read_bilingual(path, src, tgt) if pairs is None else pairs
    record = _file_record(path, pairs, src, tgt)
    apply_corrections(record, state)
    checked = check_pairs(_corrected(pairs, record), src, tgt, glossary,
                          settings or CheckSettings())
    for seg, (_, flags) in zip(record.segments, checked, strict=True):
        seg.qa, seg.flags = flags, flag_names(flags)
    apply_dismissals(record, state)
    return record


def _corrected(pairs: list[Pair], record: DocumentRecord) -> list[Pair]:
    """``pairs`` with the targets ``record`` (corrections applied) gives its corrected and
    accepted rows, as QA checks them and ``qa PAIRS`` reports them."""
    return [pair if seg.origin not in ("human", "accepted")
            else pair.model_copy(update={"target": seg.english, "origin": seg.origin})
            for pair, seg in zip(pairs, record.segments, strict=True)]


def _file_record(path: Path, pairs: list[Pair], src: str | None, tgt: str) -> DocumentRecord:
    """The rows of the bilingual file ``path`` as one document record, as read: no
    corrections applied, no QA run (:func:`pairs_record`, :func:`checked_with_sidecar`)."""
    src = _document_language(path, pairs, src)
    data = path.read_bytes()
    segments = [
        Segment(
            id=p.id,
            paragraph=n,
            sentence=1,
            source=p.source,
            english=p.target or None,
            source_sha256=sha256_text(p.source),
            origin=(p.origin or "machine") if p.target else "none",
            correction=_correction(p),
            language=(
                LanguageGuess(language=p.source_language, confidence=1.0)
                if p.source_language and p.source_language != src
                else None
            ),
        )
        for n, p in enumerate(pairs, start=1)
    ]
    return DocumentRecord(
        document=path.name,
        status="built",
        input=InputInfo(
            path=path.name, sha256=sha256_bytes(data), size=len(data), encoding="utf-8"
        ),
        language=LanguageGuess(language=src, confidence=1.0),
        target_language=tgt,
        cleaning=CleaningReport(ftfy_config={}),
        segmenter={},
        versions={},
        segments=segments,
    )


def checked_with_sidecar(
    path: Path, pairs: list[Pair], src: str | None, tgt: str, glossary: Glossary,
    settings: CheckSettings | None = None,
) -> tuple[PairsReport, list[str]]:
    """``toolkit qa PAIRS``'s report of ``pairs`` (read from ``path``) with the sidecar's
    corrections and dismissals applied, as the workbench shows the file and ``export
    --pairs`` writes it (it checked the file as it stood: a corrected row still flagged);
    and the lines saying what the sidecar changed and which of its rows match no row."""
    sidecar = sidecar_path(path)
    state = load_review_file(sidecar)
    if not state.rows:
        return check_pairs(pairs, src, tgt, glossary, settings or CheckSettings()), []
    record = pairs_record(path, src, tgt, glossary, state, pairs, settings)
    fixed = _corrected(pairs, record)
    report = PairsReport([(pair, [q for q in seg.qa if q.dismissed is None])
                          for pair, seg in zip(fixed, record.segments, strict=True)])
    changed = sum(1 for old, new in zip(pairs, fixed, strict=True) if old.target != new.target)
    dismissed = sum(1 for seg in record.segments for q in seg.qa if q.dismissed is not None)
    line = (f"{sidecar}: applied {plural(changed, 'correction')} and "
            f"{plural(dismissed, 'dismissed flag')} (review --serve and export --pairs do too)")
    return report, [line, *orphan_lines(path, record, state)]


def served_record(
    path: Path, src: str | None, tgt: str, glossary: Glossary, state: ReviewState,
    pairs: list[Pair] | None = None, settings: CheckSettings | None = None,
) -> DocumentRecord:
    """:func:`pairs_record` for the workbench: one line where a row's id is longer than an
    action may name (:data:`~toolkit.review.workbench.store.MAX_ID`): such a row was shown,
    and every action on it refused."""
    record = pairs_record(path, src, tgt, glossary, state, pairs, settings)
    for n, seg in enumerate(record.segments, start=1):
        if len(seg.id) > MAX_ID:
            raise QaInputError(
                f"{path}: row {n}'s id ({seg.id[:40]!r}...) is {len(seg.id):,} characters; "
                f"the workbench acts on ids up to {MAX_ID:,}: shorten it"
            )
    return record


@dataclass
class PairsStore(ReviewStore):
    """A :class:`ReviewStore` over one bilingual file and its sidecar corrections file."""

    pairs_file: Path = Path("pairs.tsv")
    src: str | None = "de"
    """None: each row names its own (a TMX, the toolkit's exports)."""
    tgt: str = "en"
    glossary: Glossary = field(default_factory=Glossary.empty)
    settings: CheckSettings | None = None
    """The QA and protected-span settings (:func:`toolkit.qa.corpus_settings.corpus_settings`)."""

    def _document_ids(self) -> list[str]:
        return [self.pairs_file.name]

    def _record(self, doc: str) -> DocumentRecord:
        if doc != self.pairs_file.name:
            raise StoreError(f"{doc[:80]!r}: not the file under review", 404)
        state = self._state(doc)
        return served_record(self.pairs_file, self.src, self.tgt, self.glossary, state,
                             settings=self.settings)

    def corrections_file(self, doc: str) -> Path:
        return sidecar_path(self.pairs_file)

    def orphans(self, doc: str, record: DocumentRecord, state: ReviewState) -> list[str]:
        return [f"warning: {line}" for line in orphan_lines(self.pairs_file, record, state)]

    def unread_corrections(self, listed: set[str]) -> list[str]:
        return []  # no corpus: the one sidecar is the file's, its orphan rows said above

    def writer_lock(self) -> contextlib.AbstractContextManager[object]:
        return _no_lock()  # no corpus: the store's own lock and the version check suffice

    def overview(self) -> dict:
        out = super().overview()
        for d in out["documents"]:
            d["input"] = str(self.pairs_file)
        return out


@contextlib.contextmanager
def _no_lock() -> Iterator[None]:
    yield


def export_pairs(
    path: Path,
    src: str | None,
    tgt: str,
    fmt: str,
    output: Path,
    options: ExportOptions,
    glossary: Glossary | None = None,
    inputs: Sequence[Path] = (),
    settings: CheckSettings | None = None,
) -> ExportStats:
    """Write the pairs of ``path`` with its sidecar's corrections applied, as ``fmt``;
    ``output`` may be neither of them (nor ``inputs``, the other files the command read).
    Each correction whose source sentence is in no row is one warning (it was dropped
    silently); documents are counted as the rows name them (a file may hold several). A row
    is left out as flagged by the checks a corpus export leaves rows out by: not by the
    corpus-wide ones (:data:`~toolkit.qa.flags.CORPUS_CHECKS`, ``inconsistent``), which a
    build never stores."""
    sidecar = sidecar_path(Path(path))
    read = [Path(path), sidecar, *inputs]
    state = load_review_file(sidecar)
    pairs = read_bilingual(Path(path), src, tgt)
    record = pairs_record(Path(path), src, tgt, glossary or Glossary.empty(), state, pairs,
                          settings)
    for seg in record.segments:  # as a corpus export, which no corpus-wide flag reaches
        seg.flags = [check for check in seg.flags if check not in CORPUS_CHECKS]
    units, stats = select_units([record], options)
    named = {pair.id: pair.document for pair in pairs}  # None: a row of the file itself
    units = [_as_read(unit, named[unit.segment]) for unit in units]
    stats.warnings += orphan_lines(Path(path), record, state)
    write_export(units, fmt, output, stats, inputs=read)  # type: ignore[arg-type]
    stats.warnings += left_out_lines(Path(path), pairs, "written")
    return stats


def orphan_lines(path: Path, record: DocumentRecord, state: ReviewState) -> list[str]:
    """One line for each row of ``path``'s sidecar whose source sentence is in no row of
    ``path`` (``record``, read with ``state``): never applied, and it was never said."""
    orphans = orphans_of(record, state)
    return [
        f"orphan correction {n} of {len(orphans)}: {sidecar_path(path)}: {row.describe()} (no "
        f"row of {path.name} has this source sentence; not applied: edit or delete the row)"
        for n, row in enumerate(orphans, start=1)
    ]


def _as_read(unit: Unit, document: str | None) -> Unit:
    """A unit of a pairs file written back under the document and segment its row id names
    (``document``: the one its row named, None: a row of the file itself, written with an
    empty document and its id whole). Written as (file name, row id), each ``export --pairs``
    round trip prepended the file's name (``e2.tsv:e.out.tsv:e.tsv:000_x:p1.s1``) until the
    workbench refused the id; split by the id alone, another tool's ``11:00`` came back
    as document ``11``, one document per row."""
    parts = split_row_id(unit.segment) if document is not None else None
    return replace(unit, document=parts[0] if parts else "",
                   segment=parts[1] if parts else unit.segment)


__all__ = [
    "PairsStore", "checked_with_sidecar", "export_pairs", "orphan_lines", "pairs_record",
    "served_record", "sidecar_path",
]
