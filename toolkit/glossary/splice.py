"""Splicing: a sentence cut into text pieces around its glossary terms and protected spans.

When the model garbles a sentence's placeholders (:mod:`toolkit.glossary.pin`), the text
between the terms is translated piece by piece and joined back with the canonical terms in
source order: word order may suffer, the names cannot. This module cuts the pieces, says
what the model gets for each (its core, without the glue that joins it to the terms), and
joins the translations.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from toolkit.glossary.pin import Protected

_LETTER = regex.compile(r"\p{L}")
_SPACE_RUN = regex.compile(r"\s+")
# A text piece's glue: the non-word characters that join it to the neighbouring terms
# (": ", "-", "'", " "). Splicing keeps the source's glue and translates only the core, so a
# term can never fuse with a translated word ("Kanye" + "s conf..." -> "Kanyes conf...").
_GLUE = regex.compile(r"^([\W_]*+)(.*?)([\W_]*+)$", regex.DOTALL)


@dataclass(frozen=True, slots=True)
class Splice:
    """A sentence cut into text pieces around its matches; pieces with letters get translated."""

    pieces: tuple[str, ...]
    translate: tuple[bool, ...]


def _pieces(protected: Protected) -> Iterator[str]:
    """The text between (and around) a sentence's matches, one piece at a time."""
    position = 0
    for match in protected.matches:
        yield protected.source[position : match.start]
        position = match.end
    yield protected.source[position:]


def cut(protected: Protected) -> Splice:
    """The sentence's splice: its text pieces, and which of them have words to translate."""
    shared: dict[str, str] = {}  # equal pieces (" und ") share one string
    pieces = tuple(shared.setdefault(p, p) for p in _pieces(protected))
    return Splice(pieces, tuple(bool(_LETTER.search(p)) for p in pieces))


def piece_core(piece: str, shared: dict[str, str]) -> str:
    """What the model gets for a text piece: its core, spaces collapsed; equal cores share
    one string (``shared``), since one is kept per hit in ``Pinned.model_inputs``."""
    core = _SPACE_RUN.sub(" ", _split_glue(piece)[1])
    return shared.setdefault(core, core)


def has_words(protected: Protected) -> bool:
    """Whether any piece between the terms has letters (so the sentence needs the model).
    Decided without keeping the pieces: only sentences that get spliced need them."""
    return not protected.matches or any(_LETTER.search(p) for p in _pieces(protected))


def _split_glue(piece: str) -> tuple[str, str, str]:
    """``(lead, core, trail)``: the piece's leading and trailing non-word glue, and the rest."""
    m = _GLUE.match(piece)
    assert m is not None  # the pattern matches every string
    return m.group(1), m.group(2), m.group(3)


def join(
    splice: Splice, protected: Protected, translated: Iterator[str]
) -> tuple[str, str | None]:
    """Pieces (translated where they have letters) and terms in source order; and a problem."""
    out = io.StringIO()
    problem = None
    for index, piece in enumerate(splice.pieces):
        if index:
            out.write(protected.matches[index - 1].term)
        if not splice.translate[index]:
            out.write(piece)
            continue
        core = _SPACE_RUN.sub(" ", next(translated)).strip()
        if not core:
            problem = f"the model returned nothing for the text piece {piece.strip()!r}"
        lead, _, trail = _split_glue(piece)
        end = trail.strip()[:1]
        if end and core.endswith(end):  # the model added the sentence's own final "." again
            core = core[: -len(end)].rstrip()
        out.write(f"{_SPACE_RUN.sub(' ', lead)}{core}{_SPACE_RUN.sub(' ', trail)}")
    return out.getvalue(), problem


def model_inputs(splice: Splice, shared: dict[str, str]) -> list[str]:
    """What the model gets for a splice: the core of each piece with words, in order."""
    return [
        piece_core(piece, shared)
        for piece, wanted in zip(splice.pieces, splice.translate, strict=True)
        if wanted
    ]
