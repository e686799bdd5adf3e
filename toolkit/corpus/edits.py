"""Hand edits of a document's English outputs: told from what a build wrote, never lost.

A user who opens ``english/<doc>.en.txt`` (or the English cell of ``<doc>.aligned.tsv``) and
fixes a sentence has typed text no build can make again. A build must not overwrite it
without being asked: :func:`hand_edits` names such files (the one owner of "this output was
edited", asked by the build's plan, so ``toolkit status`` says what the build does), and
:func:`lost_edits` is the build's last question before it writes a document: would the new
outputs keep that text? If not, the document is held (:func:`held_line`) until the edit is
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
staged and was killed while renaming (:func:`commit_noting_staged`: a document's meta.json
is renamed before its other outputs and the manifest last, so each output that build
renamed is what that meta.json renders, each it did not is the manifest's). A meta.json
edited with its English (one find-and-replace over ``english/<doc>.*``) is neither: held.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.formats import (
    AlignedRow,
    parse_aligned_tsv,
    render_aligned_tsv,
    render_english_text,
)
from toolkit.corpus.paths import STAGED_META, CorpusPaths, read_regular_file
from toolkit.corpus.writes import CorpusWriteError, atomic_write
from toolkit.errors import CorpusError

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord, ManifestEntry

EDITABLE_SUFFIXES = (".en.txt", ".aligned.tsv")
"""The outputs a user may edit by hand: the English, as text or as the aligned table."""

_MAX_BYTES = 512_000_000  # as the readers' limit (snapshot.MAX_OUTPUT_BYTES): none is larger
STAGED = STAGED_META
"""In the corpus root while a build renames its outputs: the sha256 of each meta.json it
wrote (:func:`commit_noting_staged`). Cleared only by a whole build; left behind by one killed
before its manifest and by every ``--only`` build (it rebuilds some documents, so cannot clear
what a killed build noted of the others): its digests then also name meta.json files the
manifest lists, which explain the same outputs."""


def hand_edits(paths: CorpusPaths, doc: str, entry: ManifestEntry) -> dict[str, bytes]:
    """``doc``'s English outputs (file name -> their bytes now) that hold text its build did
    not write (see the module docstring for what is not an edit)."""
    return {name: data for name, data, parts in _changed(paths, doc, entry) if parts != {}}


def rewritten_line(paths: CorpusPaths, doc: str, entry: ManifestEntry) -> str | None:
    """What a build that writes ``doc`` says of its English outputs changed by hand in no
    English (:func:`hand_edits` calls them no edit; readers say ``changed since build``)."""
    names = [name for name, _data, parts in _changed(paths, doc, entry) if parts == {}]
    if not names:
        return None
    return (
        f"{' and '.join(f'english/{name}' for name in names)}: changed by hand in no English "
        "(spacing, line breaks, row order, the flags or origin column): rewritten from the "
        "build's record (flags are dismissed, and English corrected, with toolkit review or "
        "toolkit correct)"
    )


def _changed(
    paths: CorpusPaths, doc: str, entry: ManifestEntry
) -> list[tuple[str, bytes, dict[object, str] | None]]:
    """``doc``'s English outputs that are not what its build wrote, each with its bytes and
    the parts the hand changed (:func:`_edited_parts`; None: unmatched, the whole file)."""
    changed: list[tuple[str, bytes, dict[object, str] | None]] = []
    record: DocumentRecord | bool | None = False  # False: not read yet
    for suffix in EDITABLE_SUFFIXES:
        name = f"{doc}{suffix}"
        data = read_output(paths.english / name)
        if data is None or hashlib.sha256(data).hexdigest() == entry.outputs.get(name):
            continue
        if record is False:
            record = _record_beside(paths, doc, entry)
        if record is None:
            changed.append((name, data, None))
        elif _normalized(data) != _normalized(_rendered(record, suffix)):
            changed.append((name, data, _edited_parts(name, data, record)))
    return changed


def lost_edits(
    paths: CorpusPaths, doc: str, entry: ManifestEntry, outputs: dict[str, bytes]
) -> dict[str, bytes]:
    """Of :func:`hand_edits`, those whose English ``outputs`` (what the build is about to
    write) would not keep: each edited part (a row of the aligned file, a paragraph of the
    text) must come out as typed (a correction recorded it), whatever else of its row
    changes (origin ``human``, flags) and whatever the other parts become (other
    corrections); an edit that moved the parts (a paragraph added) must come out whole."""
    edited = hand_edits(paths, doc, entry)
    record = _record_beside(paths, doc, entry) if edited else None
    return {
        name: data
        for name, data in edited.items()
        if name not in outputs or not _kept(name, data, outputs[name], record)
    }


def unrecorded_edits(paths: CorpusPaths, doc: str, entry: ManifestEntry) -> dict[str, bytes]:
    """Of :func:`hand_edits`, those the corrections recorded now do not give: what a build
    holds (:func:`lost_edits` of the build's record with those corrections applied), said
    before it runs by the plan (status) and the readers (export, review, qa); an edit already
    recorded as a correction is written by the next build with the model, not held."""
    if not hand_edits(paths, doc, entry):
        return {}
    record = _record_beside(paths, doc, entry)
    corrected = _corrected(paths, record) if record is not None else None
    outputs = {}
    if corrected is not None:
        outputs = {
            f"{doc}.en.txt": _rendered(corrected, ".en.txt"),
            f"{doc}.aligned.tsv": _rendered(corrected, ".aligned.tsv"),
        }
    return lost_edits(paths, doc, entry, outputs)


def _corrected(paths: CorpusPaths, record: DocumentRecord) -> DocumentRecord | None:
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


def _kept(name: str, typed: bytes, new: bytes, record: DocumentRecord | None) -> bool:
    """Whether ``new`` holds every part of ``typed`` the hand changed (:func:`_edited_parts`):
    an edited row's English in the row of its source sentence (whatever its id is now: a
    sentence added above shifts the ids, the correction follows the sentence; of its id first,
    as a repeated sentence has several rows), an edited paragraph among the new paragraphs
    (wherever it is now: one added above moves it); the whole of ``typed`` when the parts
    cannot be matched."""
    changed = _edited_parts(name, typed, record)
    if changed is None:
        mine, theirs = _parts(name, typed), _parts(name, new)
        return mine == theirs if mine is not None else _normalized(typed) == _normalized(new)
    theirs = _parts(name, new) or {}
    if name.endswith(".aligned.tsv"):
        # the row of the same id and source first, else any row of that source: a repeated
        # sentence ("(dpa)") has several rows, and only the edited one holds the correction
        return all(
            theirs.get(key) == text
            or any(source == key[1] and english == text for (_, source), english in theirs.items())
            for key, text in changed.items()
        )
    # by content, not place: a paragraph added above the edited one moves its place
    return all(text in theirs.values() for text in changed.values())


def _edited_parts(
    name: str, typed: bytes, record: DocumentRecord | None
) -> dict[object, str] | None:
    """The parts of ``typed`` whose English differs from what ``record`` (the build beside
    it) renders: the ones the hand changed. An aligned file's by ``(segment id, the build's
    source sentence of that id)`` (None for a row the build has no id for: added by hand; a
    changed source cell or a deleted row is no English typed); the text's by paragraph place.
    None when they cannot be matched (no record, an aligned file that no longer parses,
    paragraphs added or removed)."""
    if record is None:
        return None
    suffix = next(s for s in EDITABLE_SUFFIXES if name.endswith(s))
    if suffix == ".aligned.tsv":
        mine, built = _rows(typed), _rows(_rendered(record, suffix))
        if mine is None or built is None:
            return None
        ids = {row.segment_id: row for row in built}
        return {
            (row.segment_id, ids[row.segment_id].source if row.segment_id in ids else None): (
                row.english.strip()
            )
            for row in mine
            if row.segment_id not in ids
            or ids[row.segment_id].english.strip() != row.english.strip()
        }
    mine_text, built_text = _parts(name, typed), _parts(name, _rendered(record, suffix))
    if mine_text is None or built_text is None or mine_text.keys() != built_text.keys():
        return None
    return {key: text for key, text in mine_text.items() if built_text[key] != text}


def _rows(data: bytes) -> list[AlignedRow] | None:
    """An aligned file's rows as an editor may have left them (:func:`_normalized`; empty
    cells at a row's end trimmed are put back), or None: it no longer parses."""
    lines = _normalized(data).split("\n")
    width = lines[0].count("\t")
    try:
        return parse_aligned_tsv("\n".join(x + "\t" * (width - x.count("\t")) for x in lines))
    except CorpusError:
        return None


def _parts(name: str, data: bytes) -> dict[object, str] | None:
    """What of an output is English a user typed, by part: each row's English by segment id
    and source, or each paragraph of the text by its place; None for an aligned file that no
    longer parses."""
    if name.endswith(".aligned.tsv"):
        rows = _rows(data)
        if rows is None:
            return None
        return {(row.segment_id, row.source): row.english.strip() for row in rows}
    paragraphs = _normalized(data).split("\n\n")
    return {index: " ".join(text.split()) for index, text in enumerate(paragraphs)}


def held_line(paths: CorpusPaths, entry: ManifestEntry, edited: dict[str, bytes]) -> str:
    """What build, status and the readers say of a document whose edited English a build
    would lose; the rows whose English differs are named (an edited paragraph of the text by
    the ids of its sentences), the first of them in the ``toolkit correct`` example."""
    doc = entry.document
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    rows, added = _edited_rows(paths, entry, edited)
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
        "workbench: corrections survive rebuilds), or discard it with toolkit build --only "
        f"{doc} --discard-edits"
    )


def gone_line(entry: ManifestEntry, edited: dict[str, bytes]) -> str:
    """What a build says of a document whose original is gone and whose English holds hand
    edits: held, not removed (its English is the only copy of what was typed)."""
    files = " and ".join(f"english/{name}" for name in sorted(edited))
    return (
        f"{entry.input} is gone, and {files} {'was' if len(edited) == 1 else 'were'} edited "
        "by hand since the build; held: its English is kept, not removed. Put the original "
        f"back, or remove the document on purpose: delete english/{entry.document}.* (then "
        "build), or build with --discard-edits"
    )


def _edited_rows(
    paths: CorpusPaths, entry: ManifestEntry, edited: dict[str, bytes]
) -> tuple[list[str], list[str]]:
    """The segment ids whose English the edited files changed (:func:`_edited_parts`: an
    aligned file's rows, the sentences of the text's edited paragraphs), and the ids of rows
    added by hand (no sentence of the build); none where the parts cannot be matched."""
    doc = entry.document
    record = _record_beside(paths, doc, entry)
    if record is None:
        return [], []
    rows: list[str] = []
    added: list[str] = []
    name = f"{doc}.aligned.tsv"
    if name in edited:
        for sid, source in _edited_parts(name, edited[name], record) or {}:
            (rows if source is not None else added).append(str(sid))
    name = f"{doc}.en.txt"
    if name in edited:
        paragraphs = _paragraph_ids(record)
        for place in _edited_parts(name, edited[name], record) or {}:
            rows += [sid for sid in paragraphs[place] if sid not in rows]
    return rows, added


def _paragraph_ids(record: DocumentRecord) -> list[list[str]]:
    """The segment ids of each paragraph of the text, as :func:`render_english_text` joins
    them (a paragraph with no English is not written)."""
    paragraphs: list[list[str]] = []
    last = None
    for segment in record.segments:
        if segment.paragraph != last:
            paragraphs.append([])
            last = segment.paragraph
        if segment.english:
            paragraphs[-1].append(segment.id)
    return [ids for ids in paragraphs if ids]


def read_output(path: Path) -> bytes | None:
    """The bytes of a regular file, or None (missing, or no regular file: not an edit)."""
    try:
        return read_regular_file(path, _MAX_BYTES)
    except OSError:
        return None


def _record_beside(paths: CorpusPaths, doc: str, entry: ManifestEntry) -> DocumentRecord | None:
    """The record in ``english/<doc>.meta.json`` if a build wrote it (its sha256 is the
    manifest's, or :func:`staged_digests` holds it), or None (missing, edited, invalid,
    another document's: then nothing on disk explains a changed output)."""
    from toolkit.schema import DocumentRecord

    name = f"{doc}.meta.json"
    data = read_output(paths.english / name)
    if data is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.outputs.get(name) and digest not in staged_digests(paths):
        return None
    try:
        record = DocumentRecord.model_validate_json(data)
    except ValueError:
        return None
    return record if record.document == doc else None


def _rendered(record: DocumentRecord, suffix: str) -> bytes:
    segments = record.segments
    text = render_english_text(segments) if suffix == ".en.txt" else render_aligned_tsv(segments)
    return text.encode()


def _normalized(data: bytes) -> str:
    """Text up to what an editor changes without the user typing: a BOM, line ends, spaces
    at line ends (an aligned row ends with a tab for an empty column), blank lines at the
    end, NFD, saving as cp1252 (Windows' default, when the bytes are not UTF-8)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = unicodedata.normalize("NFC", text).split("\n")
    return "\n".join(line.rstrip() for line in lines).rstrip()


def staged_digests(paths: CorpusPaths) -> set[str]:
    """The sha256 of each meta.json a build killed while renaming had staged (:data:`STAGED`)."""
    data = read_output(paths.root / STAGED) or b""
    return set(data.decode("ascii", errors="replace").split())


def commit_noting_staged(
    paths: CorpusPaths, digests: set[str], commit: Callable[[], None], whole: bool
) -> None:
    """Run a build's ``commit`` (its renames), its meta.json ``digests`` noted in
    :data:`STAGED` first (with a killed build's, still unexplained: its manifest was never
    written). A commit that failed and was undone removes the note it created; a note that
    was there before keeps the digests added to it (records this build made, none of them
    left on disk by the undone commit). One of a ``whole`` build (every document a killed
    build renamed is rebuilt by it) clears the note; an ``--only`` build's stays."""
    journal = paths.root / STAGED
    existed = os.path.lexists(journal)
    if digests:
        lines = sorted(digests | staged_digests(paths))
        try:
            atomic_write(journal, "".join(f"{line}\n" for line in lines).encode())
        except CorpusWriteError as exc:
            reason = getattr(exc.__cause__, "strerror", None) or exc.__cause__
            why = f"{journal}: cannot write ({reason}); nothing was changed"
            raise CorpusWriteError(why) from exc
    try:
        commit()
    except CorpusWriteError:  # undone: nothing of this build is on disk
        if not existed:
            clear_staged(paths)
        raise
    if whole:
        clear_staged(paths)


def clear_staged(paths: CorpusPaths) -> None:
    """After the manifest is renamed: every meta.json is the manifest's again."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(paths.root / STAGED)
