"""What reviewer actions do: apply a document's corrections file to its record (the build),
and record one more action in it (``toolkit correct``, the review workbench).

The file itself -- its rows, format and loading -- is :mod:`toolkit.corpus.corrections`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from toolkit.corpus.corrections import (
    ACCEPTED_ORIGIN,
    ACTIONS,
    CHECK_NAME,
    FLAG_ACTIONS,
    HUMAN_ORIGIN,
    MACHINE_ONLY_FLAGS,
    ConflictError,
    Correction,
    CorrectionsError,
    ReviewState,
    clean_value,
    corrections_path,
    default_author,
    load_review_file,
    one_line,
    render_corrections,
    utc_now,
)
from toolkit.corpus.writes import atomic_write
from toolkit.schema import DocumentRecord, GlossaryHit, Segment

# -- applying ----------------------------------------------------------------------------------


def apply_corrections(
    record: DocumentRecord, corrections: Mapping[str, Correction] | ReviewState
) -> list[Correction]:
    """Put the human English into every segment whose source sentence has a correction.

    Sets ``english``, ``origin="human"`` and ``correction={"author", "time", "machine"}``
    (``machine``: the English the correction replaced, for the reviewer's diff); drops
    what described the discarded machine output (the ``glossary-lost`` flag, pinning
    outcomes; glossary hits keep their term and source match so QA can check the human
    text). Given a :class:`ReviewState`, acceptances in force set ``origin="accepted"``
    where the machine English is still the accepted text. Call it after translation and
    before QA (dismissals: :func:`apply_dismissals`, after QA). Returns the rows whose
    source sentence is not in the document (orphans), in file order, for the build to report.
    """
    state = corrections if isinstance(corrections, ReviewState) else None
    fixes = state.corrections() if state is not None else dict(corrections)
    accepted = state.accepted() if state is not None else {}
    for seg in record.segments:
        fix = fixes.get(seg.source_sha256)
        ok = accepted.get(seg.source_sha256)
        if fix is not None:
            machine = seg.english or ""
            seg.english = fix.english
            seg.origin = HUMAN_ORIGIN
            seg.correction = {"author": fix.author, "time": fix.time, "machine": machine}
            seg.drop_flags(MACHINE_ONLY_FLAGS)
            seg.glossary = [GlossaryHit(term=h.term, matched=h.matched) for h in seg.glossary]
        elif ok is not None and seg.origin in ACCEPTABLE and seg.english == ok.english:
            seg.origin = ACCEPTED_ORIGIN
            seg.correction = {"author": ok.author, "time": ok.time}
    return orphans_of(record, state if state is not None else fixes)


ACCEPTED_REASON = "accepted as reviewed"
"""The reason of a flag an acceptance dismissed (:func:`apply_dismissals`)."""


def apply_dismissals(record: DocumentRecord, state: ReviewState) -> None:
    """Mark the QA flags a reviewer dismissed; a check whose flags are all dismissed leaves
    ``flags``, so the row counts as unflagged (export takes it without ``--include-flagged``).

    An accepted row (``origin="accepted"``: :func:`apply_corrections`, only while its machine
    English is the text accepted) has every flag dismissed: accepting is the reviewer's word
    that the English is good as it stands, flags seen, so review, QA, status and export all
    count it unflagged (export left it out as flagged, and nothing said why).

    Call it after QA. Each dismissed :class:`~toolkit.schema.QaFlag` gets
    ``dismissed={"reason", "author", "time"}``, so review, QA and export can say why.
    """
    dismissed = state.dismissed()
    if not dismissed and all(seg.origin != ACCEPTED_ORIGIN for seg in record.segments):
        return
    for seg in record.segments:
        accepted = seg.origin == ACCEPTED_ORIGIN
        for flag in seg.qa:
            row = dismissed.get((seg.source_sha256, flag.check))
            if row is not None:
                flag.dismissed = {"reason": row.reason, "author": row.author, "time": row.time}
            elif accepted and seg.correction is not None and flag.dismissed is None:
                by = {k: seg.correction.get(k, "") for k in ("author", "time")}
                flag.dismissed = {"reason": ACCEPTED_REASON, **by}
        live = {q.check for q in seg.qa if q.dismissed is None}
        seg.flags = [
            f
            for f in seg.flags
            if f in live or (not accepted and (seg.source_sha256, f) not in dismissed)
        ]


def orphans_of(
    record: DocumentRecord, corrections: Mapping[str, Correction] | ReviewState
) -> list[Correction]:
    """The rows in force whose source sentence is not in ``record`` (reported, kept)."""
    present = {seg.source_sha256 for seg in record.segments}
    if isinstance(corrections, ReviewState):
        rows: Iterable[Correction] = (
            r
            for r in corrections.current().values()
            if r.action in ("correct", "accept", "dismiss")
        )
    else:
        rows = corrections.values()
    return [c for c in rows if c.source_sha256 not in present]


# -- recording ---------------------------------------------------------------------------------


def _segment(record: DocumentRecord, segment_id: str) -> Segment:
    segment = next((s for s in record.segments if s.id == segment_id), None)
    if segment is None:
        known = ", ".join(s.id for s in record.segments[:3])
        raise CorrectionsError(
            f"{record.document}: no segment {segment_id!r}; ids look like {known or 'p1.s1'} "
            f"(see `toolkit review {record.document}`)"
        )
    return segment


def record_action(
    corpus_root: Path,
    record: DocumentRecord,
    segment_id: str,
    action: str,
    *,
    english: str = "",
    check: str = "",
    reason: str = "",
    author: str | None = None,
    time: str | None = None,
    expect_version: int | None = None,
    file: Path | None = None,
) -> Correction:
    """Append one reviewer action on one segment to the document's corrections file.

    ``action`` is one of :data:`ACTIONS`; ``english`` is the human text for ``correct``,
    ``check`` and ``reason`` name the flag for ``dismiss`` (``check`` for ``restore``).
    ``expect_version`` is the row's :meth:`ReviewState.version` the reviewer saw: if the file
    says otherwise, :class:`ConflictError`, nothing written. ``file``: the corrections file
    (default: the document's in ``corpus_root``). Call it under the corpus lock
    (:class:`toolkit.corpus.lock.CorpusLock`); the file is replaced atomically. The record
    must be the corpus's built one (:mod:`toolkit.corpus.own_record`).
    """
    if action not in ACTIONS:
        known = ", ".join(sorted(ACTIONS))
        raise CorrectionsError(f"unknown action {action!r}; use one of {known}")
    _require_own_record(Path(corpus_root), record, file)
    segment = _segment(record, segment_id)
    file = file or corrections_path(corpus_root, record.document)
    state = load_review_file(file)
    sha = segment.source_sha256
    where = f"{record.document} {segment_id}"
    _check_version(state, sha, expect_version, where)
    author = one_line(default_author() if author is None else author, "author") or "unknown"
    english = one_line(english, "corrected English")
    reason = one_line(reason, "reason")
    check = check.strip()
    previous = _replaced_english(state, segment)
    if action == "correct" and not english:
        raise CorrectionsError("the corrected English is empty; give the sentence's English")
    if action == "accept":
        english = _accepted_english(segment, where)
    if action in FLAG_ACTIONS:
        _check_flag_action(state, segment, action, check, reason, where)
        previous = ""
    row = Correction(
        source_sha256=sha,
        source=segment.source,
        english="" if action == "revert" else english,
        author=author,
        time=utc_now() if time is None else clean_value(time),
        action=action,
        check=check if action in FLAG_ACTIONS else "",
        reason=reason if action == "dismiss" else "",
        previous=previous,
    )
    state.rows.append(row)
    atomic_write(file, render_corrections(state.rows).encode())
    return row


def _require_own_record(corpus_root: Path, record: DocumentRecord, file: Path | None) -> None:
    """:func:`toolkit.corpus.own_record.require_own_record`, imported here: a no-op build
    imports this module (for :func:`orphans_of`) but records no action."""
    from toolkit.corpus.own_record import require_own_record

    require_own_record(corpus_root, record, file)


def _check_version(state: ReviewState, sha: str, expected: int | None, where: str) -> None:
    """:class:`ConflictError` if the sentence has other rows than the reviewer saw."""
    if expected is not None and state.version(sha) != expected:
        raise ConflictError(
            f"{where}: changed since you loaded it (by "
            f"{_last_author(state, sha)}); reload the row and apply your change again"
        )


def _replaced_english(state: ReviewState, segment: Segment) -> str:
    """The English a new row about ``segment`` replaces: what the file has in force (the
    record may not have been rebuilt since, e.g. ``toolkit correct --no-build``), else the
    machine English."""
    current_english = segment.english or ""
    in_force = state.current().get((segment.source_sha256, ""))
    if in_force is not None and in_force.action in ("correct", "accept"):
        return in_force.english
    if segment.origin == HUMAN_ORIGIN:
        return (segment.correction or {}).get("machine", current_english)
    return current_english


ACCEPTABLE = frozenset({"machine", "source"})
"""Origins whose English an acceptance takes as reviewed: a model's, and a sentence copied as
its own English that QA flags (a German restaurant name in an English article, read as German:
right as it is, and a correction equal to its source is still "a copy of the source")."""


def acceptable(segment: Segment) -> bool:
    """Whether an acceptance of ``segment`` can be recorded: the one rule the server keeps
    and the workbench's Accept button shows (each row carries it). Machine English, an
    accepted row, a corrected row (accepting goes back to its machine English), and a
    sentence copied as its own English only while QA flags it (:data:`ACCEPTABLE`)."""
    from toolkit.qa.summary import is_flagged

    if segment.origin == HUMAN_ORIGIN:
        # Back to the English the correction replaced, unless that was the source copied
        # (its flags are gone with it: accepting it took a copy QA never flagged; undo first).
        machine = (segment.correction or {}).get("machine")
        return bool(machine) and machine != segment.source
    if segment.origin == "source" and not is_flagged(segment):
        return False
    return segment.origin in {*ACCEPTABLE, ACCEPTED_ORIGIN} and bool(segment.english)


def _accepted_english(segment: Segment, where: str) -> str:
    """The English an acceptance of ``segment`` records; on a corrected row, accepting means:
    back to the machine English, as reviewed."""
    if not acceptable(segment):
        unflagged = {"source": ", and QA flags nothing in it",
                     HUMAN_ORIGIN: ", a correction of its source copied: undo the correction "
                                   "first"}.get(segment.origin, "")
        raise CorrectionsError(
            f"{where}: only machine English, a correction, or a copied sentence QA flags can "
            f"be accepted (this row's English is {segment.origin}{unflagged})"
        )
    if segment.origin == HUMAN_ORIGIN:
        return (segment.correction or {})["machine"]
    return segment.english or ""


def _check_flag_action(
    state: ReviewState, segment: Segment, action: str, check: str, reason: str, where: str
) -> None:
    """Refuse a dismissal or restoration that would not change what is in force.

    Only a flag the row raises can be dismissed, and only a dismissed one restored: a
    dismissal of a check not raised would silently hide it the day a rebuild raises it,
    and a no-op row would be what `undo` undoes, forever.
    """
    if not CHECK_NAME.fullmatch(check):
        raise CorrectionsError(f"{check[:30]!r} is not a QA check name")
    if action == "dismiss" and not reason:
        raise CorrectionsError("a dismissal needs a reason (why the flag is a false alarm)")
    in_force_flag = state.current().get((segment.source_sha256, check))
    dismissed_now = in_force_flag is not None and in_force_flag.action == "dismiss"
    raised = [q.check for q in segment.qa if q.dismissed is None]
    if action == "dismiss" and dismissed_now:
        raise CorrectionsError(f"{where}: {check!r} is already dismissed; reload the row")
    if action == "dismiss" and check not in raised:
        have = ", ".join(raised) or "none"
        raise CorrectionsError(
            f"{where}: no {check!r} flag to dismiss (its flags: {have}); reload the row"
        )
    if action == "restore" and not dismissed_now:
        raise CorrectionsError(f"{where}: {check!r} is not dismissed; nothing to restore")


def undo_row(state: ReviewState, sha: str) -> tuple[str, dict[str, str]]:
    """The action (and its arguments) that undoes the last row about sentence ``sha``.

    Undoing is itself recorded (a new row), so the history keeps both.
    """
    history = state.history(sha)
    if not history:
        raise CorrectionsError("nothing to undo for this row")
    last = history[-1]
    before = next((r for r in reversed(history[:-1]) if r.key == last.key), None)
    if last.action in FLAG_ACTIONS:
        if before is not None and before.action == "dismiss":
            return "dismiss", {"check": last.check, "reason": before.reason}
        return "restore", {"check": last.check}
    if before is None or before.action == "revert":
        return "revert", {}
    if before.action == "accept":
        return "accept", {}
    return "correct", {"english": before.english}


def _last_author(state: ReviewState, sha: str) -> str:
    history = state.history(sha)
    return (history[-1].author or "someone") if history else "someone"


def record_correction(
    corpus_root: Path,
    record: DocumentRecord,
    segment_id: str,
    english: str,
    *,
    author: str | None = None,
    time: str | None = None,
) -> Correction:
    """Record ``english`` as the human translation of one segment (an earlier correction
    stays in the file as history).

    Example::

        record = read_meta(Path("corpus/english/000_x.meta.json"))
        record_correction(Path("corpus"), record, "p1.s2", "Kim answered soberly.")

    A record that is not ``corpus_root``'s built record (read from another corpus, an older
    build's, or changed since read) is refused in one line (:func:`record_action`).
    """
    return record_action(
        corpus_root, record, segment_id, "correct", english=english, author=author, time=time
    )


def segments_sharing_source(record: DocumentRecord, segment_id: str) -> list[str]:
    """The ids of ``record``'s segments whose source is ``segment_id``'s (itself included):
    a correction is keyed by the source sentence's hash, so it applies to each of them.

    >>> from toolkit.schema import DocumentRecord
    >>> segments_sharing_source(DocumentRecord.model_construct(segments=[]), "p1.s1")
    []
    """
    wanted = next((s.source_sha256 for s in record.segments if s.id == segment_id), None)
    return [s.id for s in record.segments if wanted is not None and s.source_sha256 == wanted]


__all__ = [
    "apply_corrections",
    "apply_dismissals",
    "orphans_of",
    "record_action",
    "record_correction",
    "segments_sharing_source",
    "undo_row",
]
