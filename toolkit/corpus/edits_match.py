"""Which parts of an English output a hand changed, and whether new outputs keep them.

The matching rules of :mod:`toolkit.corpus.edits`: an output is compared with what the build's
record renders up to what editors change without the user typing (:func:`normalized`); an
aligned file part by part (each row's English by segment id and source sentence), the text
paragraph by paragraph; an edited part must come out of the new outputs as typed
(:func:`kept`), wherever its sentence or paragraph went.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from toolkit.corpus.formats import (
    AlignedRow,
    parse_aligned_tsv,
    render_aligned_tsv,
    render_english_text,
)
from toolkit.errors import CorpusError

if TYPE_CHECKING:
    from toolkit.schema import DocumentRecord

EDITABLE_SUFFIXES = (".en.txt", ".aligned.tsv")
"""The outputs a user may edit by hand: the English, as text or as the aligned table."""


def kept(name: str, typed: bytes, new: bytes, record: DocumentRecord | None) -> bool:
    """Whether ``new`` holds every part of ``typed`` the hand changed (:func:`edited_parts`):
    an edited row's English in the row of its source sentence (whatever its id is now: a
    sentence added above shifts the ids, the correction follows the sentence; of its id first,
    as a repeated sentence has several rows), an edited paragraph among the new paragraphs
    (wherever it is now: one added above moves it); the whole of ``typed`` when the parts
    cannot be matched."""
    changed = edited_parts(name, typed, record)
    if changed is None:
        mine, theirs = parts(name, typed), parts(name, new)
        return mine == theirs if mine is not None else normalized(typed) == normalized(new)
    theirs = parts(name, new) or {}
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


def edited_parts(
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
        mine, built = _rows(typed), _rows(rendered(record, suffix))
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
    mine_text, built_text = parts(name, typed), parts(name, rendered(record, suffix))
    if mine_text is None or built_text is None or mine_text.keys() != built_text.keys():
        return None
    return {key: text for key, text in mine_text.items() if built_text[key] != text}


def _rows(data: bytes) -> list[AlignedRow] | None:
    """An aligned file's rows as an editor may have left them (:func:`normalized`; empty
    cells at a row's end trimmed are put back), or None: it no longer parses."""
    lines = normalized(data).split("\n")
    width = lines[0].count("\t")
    try:
        return parse_aligned_tsv("\n".join(x + "\t" * (width - x.count("\t")) for x in lines))
    except CorpusError:
        return None


def parts(name: str, data: bytes) -> dict[object, str] | None:
    """What of an output is English a user typed, by part: each row's English by segment id
    and source, or each paragraph of the text by its place; None for an aligned file that no
    longer parses."""
    if name.endswith(".aligned.tsv"):
        rows = _rows(data)
        if rows is None:
            return None
        return {(row.segment_id, row.source): row.english.strip() for row in rows}
    paragraphs = normalized(data).split("\n\n")
    return {index: " ".join(text.split()) for index, text in enumerate(paragraphs)}


def rendered(record: DocumentRecord, suffix: str) -> bytes:
    """What the build writes of ``record`` as its ``suffix`` output (``.en.txt`` or
    ``.aligned.tsv``)."""
    segments = record.segments
    text = render_english_text(segments) if suffix == ".en.txt" else render_aligned_tsv(segments)
    return text.encode()


def normalized(data: bytes) -> str:
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
