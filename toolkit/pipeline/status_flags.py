"""The flag counts of ``toolkit status``'s rows: counted as ``toolkit qa`` counts them
(:mod:`toolkit.qa.summary` owns the rule), from the last build's records."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.pipeline.status import DocumentStatus
    from toolkit.pipeline.status_corpus import StatusCorpus


def count_flags(corpus: StatusCorpus, row: DocumentStatus) -> None:
    """The flags of the document's last build, when the snapshot holds its record, counted
    as ``toolkit qa`` counts them (:func:`toolkit.qa.summary.segment_flags`)."""
    from toolkit.qa.summary import flagged_segments, segment_flags

    record = corpus.snapshot.record(row.document) if corpus.snapshot is not None else None
    if record is not None:
        row.flagged = flagged_segments(record.segments)
        row.flags = sum(map(segment_flags, record.segments))


def count_corpus_flags(corpus: StatusCorpus, rows: list[DocumentStatus]) -> None:
    """Add the corpus-wide checks' flags (``inconsistent``) to the counts read from the
    build records, as ``toolkit qa`` counts them (:func:`toolkit.qa.summary.corpus_flags`)."""
    from toolkit.qa.summary import corpus_flag_counts

    counted = [row for row in rows if row.flags is not None]  # read from the snapshot
    records = [corpus.snapshot.record(row.document) for row in counted]  # type: ignore[union-attr]
    more = corpus_flag_counts([r for r in records if r is not None])
    for row in counted:
        flagged, flags = more.get(row.document, (0, 0))
        row.flagged, row.flags = (row.flagged or 0) + flagged, (row.flags or 0) + flags
