"""What the workbench reads and writes: built documents as JSON rows, and reviewer actions.

Every action goes through :func:`toolkit.corpus.actions.record_action` (one appended row in
``corrections/<doc>.corrections.tsv``, written atomically, with the version check that turns
two tabs editing one row into a conflict), under the corpus lock (:class:`CorpusLock`, so a
running ``toolkit build`` finishes first and the save waits for it), followed by an
incremental rebuild of that one document through :func:`toolkit.pipeline.build.build_corpus` — the
same path ``toolkit correct`` takes, so QA re-runs on the human text.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.corpus.actions import acceptable, orphans_of, record_action, undo_row
from toolkit.corpus.corrections import (
    ACTIONS,
    ConflictError,
    CorrectionsError,
    ReviewState,
    corrections_path,
    load_review_file,
)
from toolkit.corpus.formats import read_manifest
from toolkit.corpus.lock import LOCK_NAME, CorpusLock, CorpusLocked, read_owner
from toolkit.corpus.paths import CorpusPaths
from toolkit.errors import ToolkitError
from toolkit.qa.summary import flagged_segments, is_flagged
from toolkit.review.documents import read_document, recorded_english, unbuilt_notice
from toolkit.review.rows import hit_title, removed_before, removed_label, term_spans
from toolkit.review.stale import UNKNOWN, WORKBENCH, may_hold_edits, not_current, state_fields
from toolkit.review.workbench.diff import word_diff
from toolkit.schema import DocumentRecord, Segment

META_SUFFIX = ".meta.json"
REVIEWED_ORIGINS = frozenset({"human", "accepted"})
"""Rows a reviewer has looked at: a human's English, or accepted machine English."""
OWN_ENGLISH = "source"
"""The origin of a row whose English is its source text (an English document, an English
quote): nothing was translated, so there is nothing to review; never counted as reviewed
(the overview showed an English document 16/16 reviewed that nobody had looked at)."""


MAX_ID = 4096
"""The longest document or row id an action may name: a bound on the request, not a rule on
ids (a pairs file's rows keep the ids it gives), so a file with a longer one is refused when
the workbench reads it (:func:`toolkit.review.workbench.pairs.served_record`), not shown."""


class StoreError(ToolkitError):
    """A request the store refuses; ``status`` is the HTTP status the app answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


Rebuild = Callable[[Path, str], list[str]]
"""``rebuild(corpus_root, original_name)`` builds one document; returns its error lines."""

Staleness = Callable[[Path, set[str]], dict[str, tuple[str, str]]]
"""``staleness(corpus_root, documents)``: each of ``documents``' state and line as ``toolkit
status`` says them (:func:`toolkit.review.stale.review_states`, asked with the glossary and
models the rebuild uses): the overview's state word, and (not current:
:func:`~toolkit.pipeline.status.not_current`) why a build would now write one differently;
key ``""``: why that cannot be told."""


@dataclass
class ReviewStore:
    """The corpus behind one workbench: documents out, reviewer actions in.

    ``rebuild`` builds one document after an action (the CLI passes one built from the
    Argos provider and glossary it would use for ``toolkit build``); ``kinds`` maps glossary
    terms to their kind for hover text; ``author`` is recorded with every action;
    ``staleness`` tells the overview and the document view each document's state as status
    says it (``needs model`` for one kept without its model here) and which documents a build
    would now write differently (asked once per request that shows documents: planning reads
    the originals and hashes the outputs, ~0.4 s for 154 documents; never when None: then
    the state is its record's, :func:`~toolkit.pipeline.states.state_word`).
    """

    root: Path
    rebuild: Rebuild
    author: str
    kinds: dict[str, str]
    staleness: Staleness | None = None

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self._write = threading.Lock()  # the corpus lock is per process; this is per thread
        # Set when the server is asked to stop (Ctrl-C, SIGTERM): a save still waiting for
        # a build's corpus lock gives up, writing nothing, so the server can stop at once.
        self.stopping = threading.Event()

    # -- reading -----------------------------------------------------------------------------

    def _document_ids(self) -> list[str]:
        english = CorpusPaths(self.root).english
        if not english.is_dir():
            return []
        return sorted(p.name.removesuffix(META_SUFFIX) for p in english.glob(f"*{META_SUFFIX}"))

    def _record(self, doc: str) -> DocumentRecord:
        # Only names listed in english/ are looked up: nothing outside the corpus is read.
        if doc not in self._document_ids():
            raise StoreError(f"{doc[:80]!r}: no built document of that name", 404)
        return read_document(CorpusPaths(self.root).english / f"{doc}{META_SUFFIX}")

    def _shown(self, doc: str) -> DocumentRecord:
        """What the pages show of ``doc``: its record, or what its English holds when its hand
        edits are all recorded as corrections, as ``toolkit review`` shows it
        (:func:`~toolkit.review.documents.recorded_english`: the typed English)."""
        record = self._record(doc)
        return recorded_english(self.root, doc) or record

    def lock_holder(self) -> str | None:
        """Who writes the corpus now (``PID 123 (toolkit build, since ...)``), or None.

        Tests the lock with a shared, non-blocking ``flock`` on a file descriptor of its own,
        so it never takes the lock from a writer nor waits for one.
        """
        path = self.root / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return None  # no lock file: nobody has written this corpus yet
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = read_owner(path)
            if owner is not None and owner.pid == os.getpid():
                return "this workbench (saving)"
            return owner.describe() if owner else "another toolkit command"
        finally:
            os.close(fd)  # closing drops the shared lock, if it was taken
        return None

    def _states(self, documents: set[str]) -> dict[str, tuple[str, str]]:
        """:attr:`staleness` of ``documents`` (none without one)."""
        return self.staleness(self.root, documents) if self.staleness is not None else {}

    def _stale(self, documents: set[str]) -> dict[str, str]:
        """Why each of ``documents`` a build would now write differently is not current
        (nothing is stale without :attr:`staleness`)."""
        return not_current(self._states(documents))

    def overview(self) -> dict[str, Any]:
        """Every built document with its counts and whether it is current (``stale``: why
        not), for the corpus view (a document whose record cannot be read: ``unreadable``, its
        one-line reason, and no counts); ``stale_unknown``: why that could not be told;
        ``stale_note``: what acting on a stale document does; ``left_out``: the line naming
        the originals with no English at all, as ``review --html`` says it
        (:func:`~toolkit.review.documents.unbuilt_notice`); ``orphans``: every document's
        correction rows that match no row (:meth:`orphans`), then the corrections files
        that no document reads (:meth:`unread_corrections`)."""
        manifest = read_manifest(CorpusPaths(self.root).manifest)
        ids = self._document_ids()
        states = self._states(set(ids))
        stale = not_current(states)
        docs = []
        orphans: list[str] = []
        shown = [entry.input for doc, entry in manifest.items() if doc in ids]
        for doc in ids:
            try:
                built = self._record(doc)
                typed = (  # looked for as review does: only where the English changed
                    recorded_english(self.root, doc, manifest.get(doc))
                    if may_hold_edits(states, doc) else None
                )  # fmt: skip
            except ToolkitError as exc:  # its one-line reason, in place of counts never read
                docs.append({"id": doc, "unreadable": str(exc)})
                continue
            record = typed or built
            with contextlib.suppress(StoreError):  # a corrections file that cannot be read:
                orphans += self.orphans(doc, record, self._state(doc))  # its view says why
            segs = record.segments
            entry = manifest.get(doc)
            shown.append(record.input.path)
            docs.append(
                {
                    "id": doc,
                    "language": record.language.language,
                    **state_fields(record, states),
                    "input": entry.input if entry else record.input.path,
                    "rows": len(segs),
                    # as qa and status count them; typed English: unread by QA (status's ?)
                    "flagged": None if typed else flagged_segments(segs),
                    "reviewed": sum(1 for s in segs if s.origin in REVIEWED_ORIGINS),
                    "to_review": sum(1 for s in segs if s.origin != OWN_ENGLISH),
                    "dismissed": sum(1 for s in segs for q in s.qa if q.dismissed),
                    "stale": stale.get(doc, ""),
                }
            )
        return {
            "corpus": self.root.resolve().name,
            "documents": docs,
            "author": self.author,
            "stale_unknown": stale.get(UNKNOWN, ""),
            "stale_note": WORKBENCH,
            "left_out": unbuilt_notice(self.root, shown),
            "orphans": orphans + self.unread_corrections(manifest.keys() | set(ids)),
        }

    def document(self, doc: str) -> dict[str, Any]:
        """One document with every row, for the document view, and the paragraphs its build
        removed (``removed``: text, label, the id of the row each stands before or null);
        ``stale``, ``stale_unknown``, ``stale_note`` and (its own) ``orphans`` as in
        :meth:`overview`."""
        record = self._shown(doc)
        state = self._state(doc)
        checks = sorted({q.check for s in record.segments for q in s.qa})
        states = self._states({doc})
        stale = not_current(states)
        return {
            "id": record.document,
            "language": record.language.language,
            **state_fields(record, states),
            "stale": stale.get(doc, ""),
            "stale_unknown": stale.get(UNKNOWN, ""),
            "stale_note": WORKBENCH,
            "checks": checks,
            "orphans": self.orphans(doc, record, state),
            "rows": [self._row(record, seg, state) for seg in record.segments],
            # The paragraphs the build removed (boilerplate): shown where they were, marked
            # as terminal and HTML review mark them, never hidden.
            "removed": [
                {"text": hit.text, "label": removed_label(hit), "before": before}
                for hit, before in removed_before(record)
            ],
        }

    def orphans(self, doc: str, record: DocumentRecord, state: ReviewState) -> list[str]:
        """One line for each row of ``doc``'s corrections file whose source sentence is in no
        row of ``record``, worded as ``toolkit build`` and ``status`` word it
        (:func:`toolkit.pipeline.summary.orphan_line`): never applied, and the workbench,
        where such rows are made, did not say so."""
        from toolkit.pipeline.summary import orphan_line

        return [orphan_line(doc, row.describe()) for row in orphans_of(record, state)]

    def unread_corrections(self, listed: set[str]) -> list[str]:
        """The corrections files no document reads (``listed``: the built ones), in the lines
        ``toolkit status`` prints (:func:`toolkit.pipeline.stray.unread_corrections`)."""
        from toolkit.pipeline.stray import unread_corrections

        return list(unread_corrections(self.root, listed).values())

    def still_stale(self, doc: str) -> str:
        """Why ``doc`` is not current after an action rebuilt it (``""`` when it is): a build
        that keeps a document's English (its model is missing here) does not show the action
        yet, and the page must say so rather than "saved" over unchanged English."""
        return self._stale({doc}).get(doc, "")

    def corrections_file(self, doc: str) -> Path:
        """Where the actions on ``doc`` are recorded."""
        return corrections_path(self.root, doc)

    def writer_lock(self) -> AbstractContextManager[object]:
        """Held while an action is recorded and the document rebuilt: the corpus lock,
        waited for until it is free or :attr:`stopping` is set (then 503, nothing written)."""
        return self._corpus_lock()

    @contextlib.contextmanager
    def _corpus_lock(self) -> Iterator[None]:
        lock = CorpusLock(self.root, "toolkit review --serve")
        while True:
            try:
                lock.acquire()
                break
            except CorpusLocked:
                if self.stopping.wait(0.2):
                    raise StoreError(
                        "the workbench is stopping; nothing was saved (the corpus was locked)",
                        503,
                    ) from None
        try:
            yield
        finally:
            lock.release()

    def _state(self, doc: str) -> ReviewState:
        try:
            return load_review_file(self.corrections_file(doc))
        except CorrectionsError as exc:
            raise StoreError(str(exc), 500) from None

    def _row(self, record: DocumentRecord, seg: Segment, state: ReviewState) -> dict[str, Any]:
        machine = (seg.correction or {}).get("machine") if seg.origin == "human" else None
        history = state.history(seg.source_sha256)
        return {
            "id": seg.id,
            "paragraph": seg.paragraph,
            "sha": seg.source_sha256,
            "source": self._pieces(seg.source, seg, "source"),
            "english": self._pieces(seg.english or "", seg, "english"),
            "text": seg.english or "",
            "origin": seg.origin,
            "reviewed": seg.origin in REVIEWED_ORIGINS,
            "own_english": seg.origin == OWN_ENGLISH,
            "flags": list(seg.flags),
            "flagged": is_flagged(seg),  # counted and filtered by qa's rule, as review does
            "acceptable": acceptable(seg),  # the server's own rule, shown by the Accept button
            "qa": [
                {
                    "check": q.check,
                    "severity": q.severity,
                    "message": q.message,
                    "dismissed": q.dismissed,
                }
                for q in seg.qa
            ],
            "by": seg.correction,
            "diff": word_diff(machine, seg.english or "") if machine is not None else None,
            "version": len(history),
            "history": [
                {"action": h.action, "author": h.author, "time": h.time, "check": h.check}
                for h in history[-5:]
            ],
        }

    def _pieces(self, text: str, seg: Segment, side: str) -> list[dict[str, str]]:
        """``text`` cut into plain pieces and glossary terms (with hover text); the page
        puts each piece in as text, never as markup."""
        out: list[dict[str, str]] = []
        at = 0
        for span in term_spans(text, seg.glossary, side):
            if span.start > at:
                out.append({"t": text[at : span.start]})
            out.append({"t": text[span.start : span.end], "term": hit_title(span.hit, self.kinds)})
            at = span.end
        if at < len(text) or not out:
            out.append({"t": text[at:]})
        return out

    # -- writing -----------------------------------------------------------------------------

    def act(self, doc: str, segment_id: str, action: str, version: int, **args: str) -> dict:
        """Record one action on one row, rebuild the document, return the row as it is now.

        ``action`` is one of :data:`toolkit.corpus.corrections.ACTIONS` or ``undo`` (the last row
        about the sentence is undone by a new row). Raises :class:`StoreError` with status
        409 when ``version`` is not the row's version (another tab saved first).
        """
        if action not in ACTIONS and action != "undo":
            raise StoreError(f"unknown action {action[:20]!r}")
        with self._write, self.writer_lock():
            record = self._record(doc)
            seg = next((s for s in record.segments if s.id == segment_id), None)
            if seg is None:
                raise StoreError(f"{doc}: no row {segment_id[:20]!r}; reload the page", 404)
            if action == "undo":
                state = self._state(doc)
                if state.version(seg.source_sha256) != version:
                    raise StoreError(_conflict(doc, segment_id), 409)
                try:
                    action, undo_args = undo_row(state, seg.source_sha256)
                except CorrectionsError as exc:
                    raise StoreError(str(exc)) from None
                args = {**undo_args}
            try:
                record_action(
                    self.root,
                    record,
                    segment_id,
                    action,
                    english=args.get("english", ""),
                    check=args.get("check", ""),
                    reason=args.get("reason", ""),
                    author=self.author,
                    expect_version=version,
                    file=self.corrections_file(doc),
                )
            except ConflictError as exc:
                raise StoreError(str(exc), 409) from None
            except CorrectionsError as exc:
                raise StoreError(str(exc)) from None
            errors = self.rebuild(self.root, Path(record.input.path).name)
            if errors:
                raise StoreError("; ".join(errors), 500)
            record = self._shown(doc)
            state = self._state(doc)
            seg = next(s for s in record.segments if s.source_sha256 == seg.source_sha256)
            return self._row(record, seg, state)


def _conflict(doc: str, segment_id: str) -> str:
    return f"{doc} {segment_id}: changed since you loaded it; reload the row and try again"


__all__ = ["REVIEWED_ORIGINS", "Rebuild", "ReviewStore", "Staleness", "StoreError", "word_diff"]
