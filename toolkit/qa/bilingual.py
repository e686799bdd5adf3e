"""One row of a bilingual file, as every reader of :mod:`toolkit.qa.pairs` gives it.

Kept apart from the readers so that each format's reader (TSV, JSON, TMX in
:mod:`toolkit.qa.tmx`) builds the same :class:`Pair`, spells a row id the same way
(:func:`row_id`) and takes a row's language and origin by the same rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ConfigDict

from toolkit.corpus.formats import C1
from toolkit.errors import InputError
from toolkit.schema import Origin


class QaInputError(InputError):
    """A pairs file (TSV or TMX) cannot be read; the message names the file and the fix."""


class Pair(BaseModel):
    """One source/target pair read from a TSV or TMX file."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    target: str | None = None
    source_language: str | None = None
    """The row's own source language, where the file records one (export TSV/JSONL/TMX,
    the aligned TSV's ``origin source`` rows); ``None`` means the ``--src`` language."""
    origin: Origin | None = None
    """Where the target came from, where the file records it (the toolkit's exports and
    aligned TSV): ``human`` stays ``human`` when the file is read back; ``None``: unknown."""
    corrected_by: str | None = None
    """Who corrected or accepted the target, where the file records it (TMX ``changeid``,
    the JSONL ``correction``)."""
    corrected_at: str | None = None
    """When (ISO 8601), where the file records it (TMX ``changedate``, JSONL ``correction``)."""
    document: str | None = None
    """The document the row names, where the file names one (a ``document``/``file``
    column, a JSONL ``document``, TMX ``x-document``, ``translate --format json``'s
    ``file``); ``None``: a row of the file itself. Another tool's id ``11:00`` names none:
    ``export --pairs`` counted a TMX with those ids as 4 documents."""
    inline_codes: int = 0
    """How many TMX inline codes (``<bpt>``, ``<ph>``, ...: the native markup of the
    document the unit came from) the source and target held; their text leaves them out."""
    control_characters: int = 0
    """How many control characters (a terminal escape sequence counted once) the source and
    target held; removed at read (:func:`without_controls`), RTF's ``\\uN`` for no character
    in a TMX code (a lone surrogate) among them (:func:`toolkit.qa.rtf.read_rtf`)."""


# Control characters in a cell: a terminal escape sequence as a whole (CSI ``ESC [ 2 J``,
# OSC ``ESC ] 0 ; title BEL``: left in, its "2" and "0" were numbers the other side lacked),
# else one C0/C1 control; tab, newline and CR excepted (each format's reader owns those).
# An OSC without its terminator (BEL or ST) runs to the next ESC or the end of the line or
# cell, as a terminal reads it: stopped at its ``]``, it left "0;12" in the text.
# A two-character escape (ECMA-48's Fp/Fe/Fs: ESC 7, ESC M, ESC c) ends in any byte from 0 to
# ~, letters and digits too, and a stray ESC before text took its first one ("eue Regel",
# "4-Papier" for ESC A4-Papier, "024" for ESC 2024). So a letter or digit after ESC is the
# escape's only where no word goes on: before a control or the end (ESC 7); before a space
# only the escapes terminals send that no language writes as a word (ESC c reset, ESC M
# reverse index, ESC D index, ESC H tab set): a stray ESC before "a", "I", "A", "E" or "O"
# took the one-letter word. Otherwise the ESC is removed alone. The same holds for the
# final byte after intermediates (ESC ( B), which no longer include a space (ESC + " Hallo").
# A C1 character (U+0080-U+009F) is kept as written: in a text file it is far more often
# mojibake than a terminal's, and then it is the user's character. Windows-1252 read as
# Latin-1 gives one for each of its curly quotes, dashes, € and ›‹ (``\x9b100m\x8b-Lauf`` is
# ``›100m‹-Lauf``: taken for a colour code, "100m" went with it); UTF-8 read as Windows-1252
# keeps one in ``â€\x9d`` (", repairable only with it); a TSV's ``\x86`` typed in a path
# (``D:\x86_tools``) is one too. Removed, each was text lost on a guess; kept, the
# ``mojibake`` check flags the row naming it (:mod:`toolkit.qa.mojibake`), and nothing in a
# pairs file repairs it behind the user's back. NEL (U+0085) is one of them: it read as a
# space, but in Windows-1252 read as Latin-1 it is "…" ("Er wartete\x85 und ging"), lost
# with no flag; kept, the check says "ftfy reads 'wartete…'". (U+2028 and U+2029 are text,
# line and paragraph separators: every reader keeps them as written.)
# The one C1 sequence taken whole is a terminal's 8-bit colour run (:func:`_terminal_colours`).
_LEAD = "[\xc2-\xf4]"
# A continuation byte read as Latin-1 (U+0080-U+00BF) or as Windows-1252 (€ for 0x80, ...).
_FOLLOW = "[\x80-\xbf" + bytes(range(0x80, 0xA0)).decode("cp1252", "ignore") + "]"
_NO_CONTINUATION = rf"(?<!{_LEAD})(?<!{_LEAD}{_FOLLOW})(?<!{_LEAD}{_FOLLOW}{_FOLLOW})"
_CONTROLS = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b\x9c\n\r]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[!-/]+[0-~](?![^\W_])"
    r"|\x1b(?:[:-@\[-`{-~]|[0-9A-Za-z](?=[\x00-\x1f\x7f-\x9f]|\Z)|[cDHM](?=\s))?"
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_C1 = re.compile(f"[{C1}]")
_SGR = re.compile(rf"{_NO_CONTINUATION}\x9b[0-9;]*m")
_NO_COLOUR = re.compile("\x9b[0;]*m")
# A reset ends where a word does: Windows-1252's "›mehr" read as Latin-1 is "\x9bmehr", and
# taking its "\x9bm" for a reset removed a run's text ("›100m-Finale ... ›mehr").
_RESET = re.compile("\x9b0?m(?![^\\W_])")
# What a control stands for where it does: Word's manual line break and a form feed a
# space, Word's non-breaking hyphen a hyphen; every other one nothing.
_STANDS_FOR = {"\x0b": " ", "\x0c": " ", "\x1e": "-"}


def without_controls(pair: Pair) -> Pair:
    """``pair`` without control characters in its source and target, counted in
    :attr:`Pair.control_characters`. Stripped, not refused: they are no text of either
    language (a CAT tool's Word export holds ``\\x0b`` line breaks and ``\\x1f`` optional
    hyphens; a pasted log ANSI colours), one would block a whole memory, and every reader
    says how many rows held them (:func:`left_out_lines`). A C1 character stays (mojibake,
    the user's character: see above; NEL too) unless it is in a terminal's colour run."""
    count = 0

    def removed(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _STANDS_FOR.get(match.group(), "")

    def stripped(text: str) -> str:
        nonlocal count
        text, colours = _terminal_colours(text)
        count += colours
        return _CONTROLS.sub(removed, text)

    source = stripped(pair.source)
    target = stripped(pair.target) if pair.target is not None else None
    if not count:
        return pair
    return pair.model_copy(update={"source": source, "target": target,
                                   "control_characters": pair.control_characters + count})


def _terminal_colours(text: str) -> tuple[str, int]:
    """``text`` without a terminal's 8-bit colour run (``\x9b31mrote\x9b0m``: its "31" was
    a number the other side lacked), and how many sequences that was; else ``text`` as it is.

    Taken only where no text can go with it: every C1 character of the text starts an SGR
    sequence (``\x9b``, digits and semicolons, ``m``) that continues no UTF-8 mojibake, at
    least one sets a colour, the last resets it, and every reset is ``\x9b0m`` or ``\x9bm``
    followed by no letter or digit (that is a word going on: ``›mehr``, whose ``\x9bm``
    counted as the reset of ``›100m-Finale``). Windows-1252 read as Latin-1 spells
    ``›`` as ``\x9b``, but a text of guillemets also holds ``‹`` (``\x8b``), and one of
    single ``›`` each before digits and an ``m``, closed by ``›m`` or ``›0m``, is none in
    20,000+ real texts so read (BENCHMARKS.md, "Mojibake in pairs files")."""
    if "\x9b" not in text:
        return text, 0
    colours = list(_SGR.finditer(text))
    resets = [c for c in colours if _NO_COLOUR.fullmatch(c.group())]
    if (len(colours) < 2 or len(resets) == len(colours) or colours[-1] not in resets
            or not all(_is_reset(text, c) for c in resets)
            or [c.start() for c in colours] != [c.start() for c in _C1.finditer(text)]):
        return text, 0
    return _SGR.sub("", text), len(colours)


def _is_reset(text: str, sequence: re.Match[str]) -> bool:
    """Whether ``sequence`` of ``text`` is a reset that ends where a word does."""
    reset = _RESET.match(text, sequence.start())
    return reset is not None and reset.end() == sequence.end()


def left_out_lines(path: Path, pairs: list[Pair], done: str) -> list[str]:
    """What the pairs' text leaves out of the file, one line each (``pairs.tmx: 3 of 40
    units held TMX inline codes ...; {done} without them``); none when nothing was."""
    lines = []
    if held := sum(1 for p in pairs if p.inline_codes):
        lines.append(f"{path}: {held} of {len(pairs)} units held TMX inline codes (<bpt>, "
                     f"<ept>, <ph>, <it>, <ut>: formatting, not text); {done} without them")
    if held := sum(1 for p in pairs if p.control_characters):
        lines.append(f"{path}: {held} of {len(pairs)} rows held control characters (terminal "
                     f"escape sequences, \\x0b, \\x1f, ...: not text); {done} without them")
    return lines


def row_id(document: object, segment: object) -> str:
    """The one spelling of a row's id in a file of several documents: ``document:segment``
    (``crlf2:p1.s1``), whichever format the file is (TSV, JSONL, JSON, TMX).
    :func:`split_row_id` is its inverse, and ``row_id(*split_row_id(i)) == i`` for every id
    it splits, so ids stay the same through ``export --pairs`` round trips.

    Where ``document:segment`` would split otherwise (another tool's document holding a
    colon, ``a:b`` + ``c``: ``a`` + ``b:c`` spells ``a:b:c`` too), or the document starts
    with a backslash, the document's length goes first: ``\\3:a:b:c``. Before, such rows
    shared one id and the file was refused as repeating it. An empty document names none:
    the id is the segment's (another tool's ``11:00``, written back by ``export --pairs``).
    So ``row_id("", "a:b") == row_id("a", "b")``: kept as it is, another tool's id may be any
    text, which no spelling of a document's rows can avoid; a file holding both rows is
    refused in one line naming them (:func:`toolkit.qa.pairs.read_bilingual`).

    >>> row_id("crlf2", "p1.s1"), split_row_id("news:2024:p1.s1"), split_row_id("A:sec:1")
    ('crlf2:p1.s1', ('news:2024', 'p1.s1'), ('A', 'sec:1'))
    >>> row_id("a:b", "c"), row_id("a", "b:c"), split_row_id(row_id("a:b", "c"))
    ('\\\\3:a:b:c', 'a:b:c', ('a:b', 'c'))
    >>> row_id("", "11:00")
    '11:00'
    """
    document, segment = str(document), str(segment)
    if not document:  # no document: a row of the file itself (export --pairs writes it so)
        return segment
    plain = f"{document}:{segment}"
    if _split_plain(plain) == (document, segment) and not document.startswith(_LENGTH_MARK):
        return plain
    return f"{_LENGTH_MARK}{len(document)}:{plain}"


def split_row_id(pair_id: str) -> tuple[str, str] | None:
    """``(document, segment)`` of a row id :func:`row_id` made, or None for an id of another
    kind (a line number). A toolkit segment id (``p3.s2``) ends the id, so the document
    before it may hold colons (``news:2024:p1.s1``); otherwise the id is cut at its first
    colon (another tool's ``A:sec:1`` is document ``A``, segment ``sec:1``); ``\\3:a:b:c``
    names the document's length (``a:b``). An id starting with a backslash that
    :func:`row_id` would not spell so is of another kind."""
    if pair_id.startswith(_LENGTH_MARK):
        length, colon, rest = pair_id[1:].partition(":")
        if colon and length.isdecimal() and rest[int(length):int(length) + 1] == ":":
            parts = rest[:int(length)], rest[int(length) + 1:]
            return parts if row_id(*parts) == pair_id else None
        return None
    return _split_plain(pair_id)


def _split_plain(pair_id: str) -> tuple[str, str] | None:
    document, colon, segment = pair_id.rpartition(":")
    if colon and document and _TOOLKIT_SEGMENT.fullmatch(segment):
        return document, segment
    document, colon, segment = pair_id.partition(":")
    return (document, segment) if colon and document and segment else None


_TOOLKIT_SEGMENT = re.compile(r"p\d+\.s\d+")
_LENGTH_MARK = "\\"


def row_language(path: Path, where: str, value: object) -> str | None:
    """A row's own ``source_language`` as ``--src`` would take it (``DE``, ``de-DE`` -> ``de``);
    None when the row names none. Anything else is one line naming the row: the value
    decides which checks run (a row saying ``xx`` or ``german`` used to turn the
    untranslated-by-language check off, even with ``--src de``)."""
    from toolkit.languages import UnknownLanguage, normalize_language

    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise QaInputError(f"{path}: {where}: source_language must be a language code such as "
                           f"de, not {type(value).__name__}")
    try:
        return normalize_language(value, option=f"{path}: {where}: source_language")
    except UnknownLanguage as exc:
        raise QaInputError(f"{exc}; fix the file") from None


ORIGINS: tuple[str, ...] = get_args(Origin)


def row_origin(path: Path, where: str, value: object) -> Origin | None:
    """A row's recorded origin (``machine``, ``human``, ...), None when it records none;
    any other value is one line naming the row (it would decide what an export says)."""
    if value is None or value == "":
        return None
    if value not in ORIGINS:
        raise QaInputError(f"{path}: {where}: origin {str(value)[:40]!r} is not one of "
                           f"{', '.join(ORIGINS)}; fix the file")
    return value  # type: ignore[return-value]


__all__ = ["ORIGINS", "Pair", "QaInputError", "row_id", "row_language", "row_origin"]
