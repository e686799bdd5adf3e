"""Corpus-wide QA: flag counts per document and check, plus the ``inconsistent`` check.

``toolkit qa`` (without a pairs file) and the review workbench show this summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.qa.checks import check_consistency
from toolkit.schema import DocumentRecord


@dataclass(frozen=True)
class QaSummary:
    """Flag counts of a built corpus: per document and check, and in total.

    The ``inconsistent`` check needs the whole corpus, so it is computed here (and by
    ``toolkit qa``) rather than in the build, which keeps each document's files a function
    of that document alone.
    """

    per_document: dict[str, Counter[str]]
    segments: dict[str, int]
    errors: int
    dismissed: Counter[str] = field(default_factory=Counter)
    """Flags a reviewer dismissed as false alarms, per check: listed, not counted above."""
    error_documents: int = 0
    """How many documents have at least one error-severity flag."""

    @property
    def per_check(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.per_document.values():
            total.update(counts)
        return total

    def to_json(self) -> dict[str, object]:
        return {
            "documents": {d: dict(c) for d, c in self.per_document.items()},
            "checks": dict(self.per_check),
            "errors": self.errors,
            "dismissed": dict(self.dismissed),
        }

    def table(self) -> list[list[str]]:
        """Rows of a ``document, <check>..., segments`` table, with a ``total`` row last."""
        checks = sorted(self.per_check)
        rows = [["document", *checks, "segments"]]
        for doc, counts in self.per_document.items():
            rows.append([doc, *(str(counts[k]) for k in checks), str(self.segments[doc])])
        total = self.per_check
        rows.append(["total", *(str(total[k]) for k in checks), str(sum(self.segments.values()))])
        return rows


def summarize_corpus(records: Sequence[DocumentRecord]) -> QaSummary:
    """Count every segment's QA flags, plus corpus-wide ``inconsistent`` warnings."""
    consistency = check_consistency(
        (f"{r.document}:{s.id}", s.source, s.english or "")
        for r in records
        for s in r.segments
        if s.origin in ("machine", "human", "accepted")
    )
    per_document: dict[str, Counter[str]] = {}
    dismissed: Counter[str] = Counter()
    errors = error_documents = 0
    for r in records:
        counts: Counter[str] = Counter()
        before = errors
        for s in r.segments:
            for flag in [*s.qa, *consistency.get(f"{r.document}:{s.id}", [])]:
                if flag.dismissed is not None:  # a reviewer's "false alarm", with a reason
                    dismissed[flag.check] += 1
                    continue
                counts[flag.check] += 1
                errors += flag.severity == "error"
        per_document[r.document] = counts
        error_documents += errors > before
    segments = {r.document: len(r.segments) for r in records}
    return QaSummary(per_document, segments, errors, dismissed, error_documents)
