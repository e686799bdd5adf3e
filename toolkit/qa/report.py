"""What ``toolkit qa`` reports: a pairs file's flags, a corpus's flag summary, a threshold table.

The library side of the command, so that the command only parses options, calls one of
these and prints: :func:`check_pairs` (``toolkit qa PAIRS``), :func:`corpus_report`
(``toolkit qa --corpus``) and :func:`calibration_lines` (``--calibrate-confidence``). Each
report renders itself as the lines for stdout and stderr, in ``text`` or ``json``/``jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.corpus.paths import shown_json, shown_name
from toolkit.plural import plural
from toolkit.qa.checks import pair_flags
from toolkit.qa.consistency import check_consistency
from toolkit.qa.corpus_settings import CheckSettings
from toolkit.qa.flags import SEVERITY
from toolkit.qa.mojibake import check_mojibake
from toolkit.qa.pairs import Pair
from toolkit.qa.summary import QaSummary, summarize_corpus
from toolkit.schema import DocumentRecord, QaFlag

if TYPE_CHECKING:
    from toolkit.glossary.model import Glossary
    from toolkit.qa.calibrate import CalibrationRow


@dataclass(frozen=True)
class Rendered:
    """A report as lines: ``out`` for stdout (the data), ``err`` for stderr (the counts)."""

    out: list[str]
    err: list[str]


def needs_source_language(pairs: Sequence[Pair], src: str | None) -> bool:
    """Whether ``--src`` is required: some row does not record its own source language."""
    return src is None and any(p.source_language is None for p in pairs)


@dataclass(frozen=True)
class PairsReport:
    """Every pair of a pairs file with its flags, in file order."""

    results: list[tuple[Pair, list[QaFlag]]]

    def __iter__(self) -> Iterator[tuple[Pair, list[QaFlag]]]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    @property
    def has_errors(self) -> bool:
        """Whether any flag has error severity (``--strict`` fails then)."""
        return any(SEVERITY.get(f.check) == "error" for _, flags in self.results for f in flags)

    def render(self, fmt: str) -> Rendered:
        """``json``/``jsonl``: one object per pair; otherwise one ``id, severity, message``
        line per flag, and a count line for stderr."""
        if fmt in ("jsonl", "json"):
            # The id and the messages come from the file: a bidi control is a JSON escape
            # (shown_json), never a raw RLO reordering the terminal's line.
            # flags[i] names the check of messages[i] (a consumer zips them): a check
            # raised on both sides is listed twice here, once in the text lines' count.
            return Rendered([shown_json({"id": pair.id, "flags": [f.check for f in flags],
                                         "messages": [f.message for f in flags]})
                             for pair, flags in self.results], [])
        # A row id and a message quoting the row's text come from the file: escaped for the
        # terminal (an id holding ESC ]0; retitled it), tabs included, so columns stay three.
        out = [f"{shown_name(pair.id)}\t{f.severity}\t{shown_name(f.message)}"
               for pair, flags in self.results for f in flags]
        flagged = sum(1 for _, flags in self.results if flags)
        return Rendered(out, [f"{plural(len(self.results), 'pair')}, {flagged} flagged"])


def check_pairs(
    pairs: Sequence[Pair],
    src: str | None,
    tgt: str,
    glossary: Glossary,
    settings: CheckSettings = CheckSettings(),  # noqa: B008 -- frozen, so a shared default is safe
) -> PairsReport:
    """Run every pair check with the glossary and protected spans (a build's per-pair rule,
    :func:`~toolkit.qa.checks.pair_flags`), the checks of a pairs file's text
    (:data:`~toolkit.qa.flags.PAIRS_FILE_CHECKS`: ``mojibake``) and the consistency check
    over ``pairs`` (as read by :func:`toolkit.qa.pairs.read_bilingual`): the one QA of a
    pairs file, which ``toolkit qa PAIRS``, the review workbench and ``export --pairs`` ask.

    A row's own source language (export files record it) wins over ``src``: an
    English-source row of an ``--include-english`` export is a copy by design, not
    "untranslated". ``settings``: the QA and protected-span settings (the defaults unless
    given); beside a corpus, those its builds record
    (:func:`toolkit.qa.corpus_settings.corpus_settings`).
    """
    consistency = check_consistency((p.id, p.source, p.target or "") for p in pairs)
    results = []
    for pair in pairs:
        lang = pair.source_language or src or tgt
        flags = pair_flags(pair.source, pair.target, lang, tgt, glossary, settings.qa,
                           spans=settings.spans)
        flags += check_mojibake(pair.source, pair.target)
        results.append((pair, flags + consistency.get(pair.id, [])))
    return PairsReport(results)


@dataclass(frozen=True)
class CorpusReport:
    """The flag summary of a corpus's built documents, and the documents not built."""

    summary: QaSummary
    not_built: dict[str, str]
    """Document -> why it is not built (waiting for a model, failed): no English to check."""

    @property
    def failed(self) -> bool:
        """Whether ``--strict`` fails: an error-severity flag, or a document not built."""
        return bool(self.summary.errors or self.not_built)

    def render(self, fmt: str) -> Rendered:
        """``json``/``jsonl``: one JSON object; otherwise the table, counts on stderr."""
        if fmt in ("json", "jsonl"):
            report = self.summary.to_json()
            report["not_built"] = self.not_built
            return Rendered([json.dumps(report, indent=1)], [])
        summary = self.summary
        err = [f"{plural(summary.errors, 'error-severity flag')} in "
               f"{plural(summary.error_documents, 'document')}"]
        if summary.dismissed:
            listed = ", ".join(f"{n} {check}" for check, n in sorted(summary.dismissed.items()))
            err.append(f"dismissed by reviewers (not counted): {listed}")
        err += [f"{doc}: not built: {why}" for doc, why in self.not_built.items()]
        return Rendered(["\t".join(row) for row in summary.table()], err)


def corpus_report(records: Sequence[DocumentRecord]) -> CorpusReport:
    """Summarize the built documents of ``records``; the others are reported, not passed."""
    return CorpusReport(
        summarize_corpus([r for r in records if r.status == "built"]),
        {r.document: r.message or r.status for r in records if r.status != "built"},
    )


def calibration_lines(rows: Sequence[CalibrationRow], proposed: float, scored: int,
                      corrected: int) -> list[str]:
    """The ``--calibrate-confidence`` table of :func:`toolkit.qa.calibrate.calibrate_confidence`
    and its proposed threshold."""
    lines = ["threshold\tcorrected below\tall below"]
    lines += [f"{row.threshold:.4f}\t{row.corrected_below:.1%}\t{row.all_below:.1%}"
              for row in rows]
    lines.append(f"proposed low_confidence_threshold: {proposed:.4f} "
                 f"({corrected} corrected of {scored} scored segments)")
    return lines
