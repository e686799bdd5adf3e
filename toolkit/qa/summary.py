"""Corpus-wide QA: flag counts per document and check, plus the ``inconsistent`` check.

``toolkit qa`` (without a pairs file) and the review workbench show this summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from toolkit.qa.consistency import check_consistency
from toolkit.schema import DocumentRecord, QaFlag, Segment


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


def is_counted(flag: QaFlag) -> bool:
    """Whether ``flag`` counts as a flag: the rule ``toolkit qa``, ``status``, ``review``
    (terminal and HTML) and the workbench count by. Every message counts (a segment with
    two ``number`` messages has two flags, not one check name), except one a reviewer
    dismissed as a false alarm."""
    return flag.dismissed is None


def segment_flags(segment: Segment, more: Sequence[QaFlag] = ()) -> int:
    """How many flags ``segment`` has (:func:`is_counted`), with ``more`` (corpus-wide ones)."""
    return sum(map(is_counted, [*segment.qa, *more]))


def is_flagged(segment: Segment) -> bool:
    """Whether ``segment`` counts as flagged (:func:`segment_flags`): what status's
    ``flagged`` column, review's "N flagged" and its "only flagged" rows, and the
    workbench's counts ask, never the check names in ``segment.flags`` (which a record
    may list for a flag dismissed since)."""
    return segment_flags(segment) > 0


def flagged_segments(segments: Iterable[Segment]) -> int:
    """How many of ``segments`` are flagged (:func:`is_flagged`)."""
    return sum(map(is_flagged, segments))


def corpus_flags(records: Sequence[DocumentRecord]) -> dict[str, list[QaFlag]]:
    """The flags of the corpus-wide checks (:data:`toolkit.qa.flags.CORPUS_CHECKS`:
    ``inconsistent``) over ``records``, by ``"<document>:<segment id>"``: the one computation
    ``toolkit qa``, ``status``, ``review`` and the workbench show. A build never stores them:
    each document's files stay a function of that document alone."""
    return check_consistency(
        (f"{r.document}:{s.id}", s.source, s.english or "")
        for r in records
        for s in r.segments
        if s.origin in ("machine", "human", "accepted")
    )


def corpus_flag_counts(records: Sequence[DocumentRecord]) -> dict[str, tuple[int, int]]:
    """Per document: (segments the corpus-wide checks flag that no other check flagged, flags
    they add), to add to the counts a build record gives (``toolkit status``)."""
    added: dict[str, tuple[int, int]] = {}
    flags = corpus_flags(records)
    for r in records:
        flagged = more = 0
        for s in r.segments:
            before = segment_flags(s)
            after = segment_flags(s, flags.get(f"{r.document}:{s.id}", []))
            flagged += before == 0 and after > 0  # flagged only by a corpus-wide check
            more += after - before
        added[r.document] = (flagged, more)
    return added


def with_corpus_flags(records: Sequence[DocumentRecord]) -> list[DocumentRecord]:
    """Copies of ``records`` whose segments also carry the corpus-wide checks' flags, for a
    review that shows every check (:func:`corpus_flags`); ``records`` are left as they are."""
    flags = corpus_flags(records)
    out = []
    for r in records:
        if not any(f"{r.document}:{s.id}" in flags for s in r.segments):
            out.append(r)
            continue
        copy = r.model_copy(deep=True)
        for s in copy.segments:
            for flag in flags.get(f"{r.document}:{s.id}", []):
                s.add_flag(flag)
        out.append(copy)
    return out


def summarize_corpus(records: Sequence[DocumentRecord]) -> QaSummary:
    """Count every segment's QA flags, plus corpus-wide ``inconsistent`` warnings."""
    consistency = corpus_flags(records)
    per_document: dict[str, Counter[str]] = {}
    dismissed: Counter[str] = Counter()
    errors = error_documents = 0
    for r in records:
        counts: Counter[str] = Counter()
        before = errors
        for s in r.segments:
            for flag in [*s.qa, *consistency.get(f"{r.document}:{s.id}", [])]:
                if not is_counted(flag):  # a reviewer's "false alarm", with a reason
                    dismissed[flag.check] += 1
                    continue
                counts[flag.check] += 1
                errors += flag.severity == "error"
        per_document[r.document] = counts
        error_documents += errors > before
    segments = {r.document: len(r.segments) for r in records}
    return QaSummary(per_document, segments, errors, dismissed, error_documents)
