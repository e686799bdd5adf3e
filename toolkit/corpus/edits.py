"""Hand edits of a document's English outputs: told from what a build wrote, never lost.

A user who opens ``english/<doc>.en.txt`` (or the English cell of ``<doc>.aligned.tsv``) and
fixes a sentence has typed text no build can make again. A build must not overwrite it
without being asked: :func:`hand_edits` names such files (the one owner of "this output was
edited", asked by the build's plan, so ``toolkit status`` says what the build does), and
:meth:`DocumentEdits.lost` is the build's last question before it writes a document: would
the new outputs keep that text? If not, the document is held (:func:`held_line`) until the edit is
recorded as a correction or discarded on purpose (``toolkit build --discard-edits``).

What is *not* an edit:

* a file that is missing (deleted by hand): rebuilding it loses nothing;
* a file whose sha256 is the manifest's: what the build wrote;
* a file whose text is what the build's meta.json beside it renders, up to what editors
  change without the user typing (line ends, a byte order mark, spaces at line ends, NFC,
  cp1252 instead of UTF-8) or the English of no row or paragraph (a line break inside a
  paragraph, spaces around a cell, the flags or origin column, rows in another order: those
  are the build's, and the build says it rewrote them: :func:`rewritten_line`);
* the meta.json itself: the build's record, not a place for English (a hand-edited one is
  ``changed since build`` for every reader and rebuilt; English is corrected with
  ``toolkit correct`` or the workbench).

The meta.json beside is the build's only if its sha256 is the manifest's, or one a build
staged and was killed while renaming (:mod:`toolkit.corpus.staged`). A meta.json edited with
its English (one find-and-replace over ``english/<doc>.*``) is neither: held. How the parts a
hand changed are matched is :mod:`toolkit.corpus.edits_match`'s.

Each function takes the pass's :class:`~toolkit.corpus.staged.RecordsBeside` (``beside``: a
build's, so each meta.json is parsed once per build); without one it makes its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.corpus.edits_match import (
    EDITABLE_SUFFIXES,
    edited_parts,
    kept,
    normalized,
    parts,
    rendered,
)
from toolkit.corpus.formats import english_paragraphs
from toolkit.corpus.paths import CorpusPaths
from toolkit.corpus.staged import RecordsBeside, read_output

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord, ManifestEntry


def hand_edits(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, beside: RecordsBeside | None = None
) -> dict[str, bytes]:
    """``doc``'s English outputs (file name -> their bytes now) that hold text its build did
    not write (see the module docstring for what is not an edit)."""
    changed = _changed(_pass(paths, beside), doc, entry)
    return {name: data for name, data, parts in changed if parts != {}}


def rewritten_line(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, beside: RecordsBeside | None = None
) -> str | None:
    """What a build that writes ``doc`` says of its English outputs changed by hand in no
    English (:func:`hand_edits` calls them no edit; readers say ``changed since build``)."""
    changed = _changed(_pass(paths, beside), doc, entry)
    names = [name for name, _data, parts in changed if parts == {}]
    if not names:
        return None
    return (
        f"{' and '.join(f'english/{name}' for name in names)}: changed by hand in no English "
        "(spacing, line breaks, row order, the flags or origin column): rewritten from the "
        "build's record (flags are dismissed, and English corrected, with toolkit review or "
        "toolkit correct)"
    )


def _pass(paths: CorpusPaths, beside: RecordsBeside | None) -> RecordsBeside:
    """The pass's records, or this call's own."""
    return RecordsBeside(paths) if beside is None else beside


def _changed(
    beside: RecordsBeside, doc: str, entry: ManifestEntry
) -> list[tuple[str, bytes, dict[object, str] | None]]:
    """``doc``'s English outputs that are not what its build wrote, each with its bytes and
    the parts the hand changed (:func:`~toolkit.corpus.edits_match.edited_parts`; None:
    unmatched, the whole file)."""
    changed: list[tuple[str, bytes, dict[object, str] | None]] = []
    for suffix in EDITABLE_SUFFIXES:
        name = f"{doc}{suffix}"
        data = read_output(beside.paths.english / name)
        if data is None or hashlib.sha256(data).hexdigest() == entry.outputs.get(name):
            continue
        record = beside.record(doc, entry)
        if record is None:
            changed.append((name, data, None))
        elif normalized(data) != normalized(rendered(record, suffix)):
            changed.append((name, data, edited_parts(name, data, record)))
    return changed


def _lost(
    edited: dict[str, bytes], record: DocumentRecord | None, outputs: dict[str, bytes]
) -> dict[str, bytes]:
    """Of ``edited`` (:func:`hand_edits`; ``record``: the build's beside them), those the
    English ``outputs`` (what the build is about to write) would not keep: each edited part
    (a row of the aligned file, a paragraph of the text) must come out as typed (a correction
    recorded it), whatever else of its row changes (origin ``human``, flags) and whatever the
    other parts become (other corrections); an edit that moved the parts (a paragraph added)
    must come out whole."""
    return {
        name: data
        for name, data in edited.items()
        if name not in outputs or not kept(name, data, outputs[name], record)
    }


@dataclass(frozen=True)
class DocumentEdits:
    """A document's hand edits, looked at once (:func:`document_edits`): what a reader, the
    plan and the build ask of one document, from one :func:`hand_edits` (``recorded_edits``
    and the readers looked at the English outputs two or three times per document)."""

    edited: dict[str, bytes]
    """:func:`hand_edits`."""
    unrecorded: dict[str, bytes]
    """Of :attr:`edited`, those the corrections recorded now do not give: what a build holds
    (:meth:`lost` of the build's record with those corrections applied), said before it runs
    by the plan (status) and the readers (export, review, qa); an edit already recorded as a
    correction is written by the next build with the model, not held."""
    record: DocumentRecord | None
    """The build's record beside them (None when nothing is edited, or none is the build's)."""
    corrected: DocumentRecord | None
    """:attr:`record` with the corrections recorded now applied (:func:`corrected_record`),
    read in the same look as :attr:`unrecorded` (None with no record, or when the corrections
    cannot be read): what the English holds when its edits are all recorded. A reader that
    read the corrections file again could get another answer (a file changed in between)."""
    holds_corrected: bool = False
    """Whether each edited file holds the English :attr:`corrected` renders (the render a
    build writes, compared by :func:`~toolkit.corpus.edits_match.parts`): only then is
    :attr:`corrected` what the English holds. Each edited part coming out as typed
    (:meth:`lost`) is not enough: a correction of another row recorded since
    (``toolkit correct --no-build``) is in :attr:`corrected` and in no file."""

    @property
    def recorded(self) -> dict[str, bytes]:
        """:func:`recorded_edits`: all of :attr:`edited` when none is unrecorded, else {}."""
        return self.edited if self.edited and not self.unrecorded else {}

    def lost(self, outputs: dict[str, bytes]) -> dict[str, bytes]:
        """Of :attr:`edited`, those ``outputs`` (what the build is about to write) would not
        keep (:func:`_lost`): what a build holds, unless recorded or discarded."""
        return _lost(self.edited, self.record, outputs)


def document_edits(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, beside: RecordsBeside | None = None
) -> DocumentEdits:
    """``doc``'s :class:`DocumentEdits`: its English outputs looked at once."""
    beside = _pass(paths, beside)
    edited = hand_edits(paths, doc, entry, beside)
    if not edited:
        return DocumentEdits({}, {}, None, None)
    record = beside.record(doc, entry)
    corrected = corrected_record(paths, record) if record is not None else None
    outputs = {}
    if corrected is not None:
        outputs = {
            f"{doc}.en.txt": rendered(corrected, ".en.txt"),
            f"{doc}.aligned.tsv": rendered(corrected, ".aligned.tsv"),
        }
    holds = bool(outputs) and all(  # the English, not the origin and flags columns
        (typed := parts(name, data)) is not None and typed == parts(name, outputs[name])
        for name, data in edited.items()
    )
    return DocumentEdits(edited, _lost(edited, record, outputs), record, corrected, holds)


def recorded_edits(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, beside: RecordsBeside | None = None
) -> dict[str, bytes]:
    """:func:`hand_edits` when every one of them is recorded as a correction (no
    :attr:`DocumentEdits.unrecorded`), else nothing (none edited, or one held): the one rule of "its
    hand edits are all recorded", asked by the build that keeps such English without the
    model (:mod:`toolkit.pipeline.kept`, :func:`~toolkit.pipeline.write_step.restore_records`)
    and by the readers (``a build with the document's model writes it``)."""
    return document_edits(paths, doc, entry, beside).recorded


def corrected_record(paths: CorpusPaths, record: DocumentRecord) -> DocumentRecord | None:
    """A copy of ``record`` with its document's corrections as recorded now applied (as a
    build applies them), or None when they cannot be read (the build says why)."""
    from toolkit.corpus.actions import apply_corrections
    from toolkit.corpus.corrections import load_review_state
    from toolkit.errors import ToolkitError

    try:
        state = load_review_state(paths.root, record.document)
    except (ToolkitError, OSError):
        return None
    corrected = record.model_copy(deep=True)
    apply_corrections(corrected, state)
    return corrected


def held_line(
    paths: CorpusPaths,
    entry: ManifestEntry,
    edited: dict[str, bytes],
    beside: RecordsBeside | None = None,
) -> str:
    """What build, status and the readers say of a document whose edited English a build
    would lose; the rows whose English differs are named (an edited paragraph of the text by
    the ids of its sentences), the first of them in the ``toolkit correct`` example. Rows
    whose edit is recorded already (a correction giving the typed English) are not named:
    after ``toolkit correct DOC p1.s1`` the line still asked to record p1.s1."""
    doc = entry.document
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    record = _pass(paths, beside).record(doc, entry)
    corrected = corrected_record(paths, record) if record is not None else None
    rows, added = _edited_rows(corrected, doc, edited)  # what the corrections do not give
    if not rows and not added:  # nothing matched against the corrections: as the build wrote
        rows, added = _edited_rows(record, doc, edited)
    segment = rows[0] if rows else "SEGMENT"
    shown = rows + added
    named = f" (rows {', '.join(shown[:5])}{', ...' if len(shown) > 5 else ''})" if shown else ""
    extra = (
        f"; rows {', '.join(added)} are no sentence of the build: no correction keeps them"
        if added
        else ""
    )
    return (
        f"{files} {'was' if len(edited) == 1 else 'were'} edited by hand since the "
        f"build{named}{extra}; held: not rebuilt, so the edit is kept. Keep it for good by "
        f'recording it as a correction (toolkit correct {doc} {segment} "English", or the '
        f"workbench: corrections survive rebuilds), or discard it with {discard_advice(doc)}"
    )


def orphaned_line(
    paths: CorpusPaths,
    entry: ManifestEntry,
    lost: dict[str, bytes],
    outputs: dict[str, bytes],
    beside: RecordsBeside | None = None,
) -> str | None:
    """What a build says of a document whose ``lost`` edits (:meth:`DocumentEdits.lost` of its new
    ``outputs``) are all recorded as corrections (not :attr:`DocumentEdits.unrecorded`: the caller
    asks), when the new original no longer has the source sentence of a correction of an
    edited row (a correction follows its sentence): no build keeps that English, and
    recording it again would change nothing. None when every such sentence is still there:
    the build applied the corrections, so it writes the edits and holds nothing. Only
    corrected rows count: another sentence of an edited paragraph may change or leave."""
    from toolkit.corpus.corrections import CORRECTIONS_SUFFIX  # as corrected_record: loaded on use

    beside, doc = _pass(paths, beside), entry.document
    aligned = outputs.get(f"{doc}.aligned.tsv")
    record = beside.record(doc, entry)
    if aligned is None or record is None:
        return None
    now = {source for _sid, source in parts(f"{doc}.aligned.tsv", aligned) or {}}
    corrected = _corrected_sources(paths, record)
    rows = _edited_rows(record, doc, lost)[0]
    gone = [sid for sid in rows if sid in corrected and corrected[sid] not in now]
    if not gone:
        return None
    files = " and ".join(f"english/{name}" for name in sorted(lost))
    one = len(gone) == 1
    return (
        f"{files} {'was' if len(lost) == 1 else 'were'} edited by hand since the build (rows "
        f"{', '.join(gone[:5])}{', ...' if len(gone) > 5 else ''}) and recorded as "
        f"{'a correction' if one else 'corrections'}, but {'its' if one else 'their'} source "
        f"sentence{'' if one else 's'} {'is' if one else 'are'} gone from {entry.input}: no "
        "build keeps that English; held: not rebuilt, so the edit is kept. Put the "
        f"sentence{'' if one else 's'} back, or rebuild without the edit: "
        f"{discard_advice(doc)} (the typed English stays in "
        f"corrections/{doc}{CORRECTIONS_SUFFIX}, reported as an orphan correction; delete "
        "its row there to drop it)"
    )


def _corrected_sources(paths: CorpusPaths, record: DocumentRecord) -> dict[str, str]:
    """Segment id -> source sentence of ``record``'s segments a correction in force gives
    English (none when the corrections cannot be read: the build says why)."""
    from toolkit.corpus.corrections import load_review_state
    from toolkit.errors import ToolkitError

    try:
        state = load_review_state(paths.root, record.document).corrections()
    except (ToolkitError, OSError):
        return {}
    return {s.id: s.source for s in record.segments if s.source_sha256 in state}


def gone_line(entry: ManifestEntry, edited: dict[str, bytes]) -> str:
    """What a build says of a document whose original is gone and whose English holds hand
    edits: held, not removed (its English is the only copy of what was typed)."""
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    return (
        f"{entry.input} is gone, and {files} {'was' if len(edited) == 1 else 'were'} edited "
        "by hand since the build; held: its English is kept, not removed. Put the original "
        f"back, or remove the document on purpose: delete english/{entry.document}.* (then "
        f"build), or {discard_advice(entry.document)}"
    )


def discard_advice(doc: str) -> str:
    """The one way every line advises to discard ``doc``'s hand edits: a build of that
    document only. A whole-corpus ``--discard-edits`` discards every document's edits (one
    typed into an unrelated document too), so no line advises it; ``--only`` takes a gone
    document's id (its English is then removed)."""
    return f"toolkit build --only {doc} --discard-edits"


def _edited_rows(
    record: DocumentRecord | None, doc: str, edited: dict[str, bytes]
) -> tuple[list[str], list[str]]:
    """The segment ids whose English the edited files changed (``record``: the build's, beside
    them; :func:`~toolkit.corpus.edits_match.edited_parts`: an aligned file's rows, the
    sentences of the text's edited paragraphs whose English is not in it as it was, or all
    of them), and the ids of rows added by hand (no sentence of the build); none where the
    parts cannot be matched."""
    if record is None:
        return [], []
    rows: list[str] = []
    added: list[str] = []
    name = f"{doc}.aligned.tsv"
    if name in edited:
        for sid, source in edited_parts(name, edited[name], record) or {}:
            (rows if source is not None else added).append(str(sid))
    name = f"{doc}.en.txt"
    if name in edited:
        paragraphs = english_paragraphs(record.segments)
        for place, text in (edited_parts(name, edited[name], record) or {}).items():
            typed = " ".join(text.split())
            changed = [s for s in paragraphs[place] if " ".join(s.english.split()) not in typed]
            rows += [s.id for s in changed or paragraphs[place] if s.id not in rows]
    return rows, added
