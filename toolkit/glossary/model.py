"""What a glossary is: its entries, how it is applied, and the rule that no spelling has two owners.

``glossary.yaml`` lists each name once, in the form it must have in English output
(``term``), with the other source spellings that mean it (``aliases``). :class:`Glossary` is
the loaded, validated list; the loader (:mod:`toolkit.glossary.load`) and code that builds a
glossary by hand (:meth:`Glossary.from_entries`) share one collision rule
(:func:`collisions`). Matching, pinning and reporting live in their own modules.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from toolkit.config.glossary import GlossaryConfig
from toolkit.errors import ToolkitError

WORD = r"[\p{L}\p{M}\p{N}_]"
"""A "word character" for boundaries: letters, combining marks, digits, underscore."""

Kind = Literal[
    "person",
    "brand",
    "company",
    "place",
    "venue",
    "title",
    "publication",
    "show",
    "work",
    "platform",
    "agency",
    "award",
    "event",
    "organization",
    "handle",
    "other",
]

T = TypeVar("T")


class GlossaryError(ToolkitError):
    """glossary.yaml cannot be used; the message is one line ``file:line:col: what is wrong``."""


def normal(text: str) -> str:
    """Whitespace-normalized form used to compare spellings (``"Kim  Kardashian"`` = term)."""
    return " ".join(text.split())


def _is_word_character(char: str) -> bool:
    """Whether ``char`` is a :data:`WORD` character, by Unicode category: checked with the
    standard library so that loading a glossary (every build, even one with nothing to do)
    does not import ``regex``.

    A character the standard library's (older) Unicode tables do not know yet ("Cn",
    e.g. CJK Extension H on Python 3.11's Unicode 14) is asked of ``regex``, whose tables
    the matcher uses: a term the matcher can find is never refused here.
    """
    category = unicodedata.category(char)
    if category == "Cn":
        import regex

        return regex.fullmatch(WORD, char) is not None
    return char == "_" or category[0] in "LMN"


def _check_spelling(value: str) -> str:
    """``value`` if it can be matched: one line, trimmed, with a letter or digit."""
    if value != value.strip() or "\n" in value or not value:
        raise ValueError("must be non-empty, on one line, without leading/trailing spaces")
    if not any(_is_word_character(char) for char in value):
        raise ValueError("must contain at least one letter or digit")
    return value


class GlossaryEntry(BaseModel):
    """One name: its canonical English ``term`` and the source spellings that mean it.

    ``languages`` limits the entry to source documents in those languages (absent: all);
    use it for names that are ordinary words in some language ("North" in English).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    term: str = Field(description="Canonical output form")
    aliases: list[str] = Field(default_factory=list, description="Other source spellings")
    kind: Kind
    languages: list[str] | None = Field(
        default=None, description="ISO 639 codes (de-DE, DE read as de); None = all"
    )
    case_sensitive: bool = True
    note: str | None = None

    @field_validator("term")
    @classmethod
    def _term_ok(cls, value: str) -> str:
        return _check_spelling(value)

    @field_validator("aliases")
    @classmethod
    def _aliases_ok(cls, value: list[str]) -> list[str]:
        for alias in value:
            _check_spelling(alias)
        return value

    @field_validator("languages")
    @classmethod
    def _languages_ok(cls, value: list[str] | None) -> list[str] | None:
        """Each code as ``--from`` takes it (``DE``, ``de-DE``, ``de_DE`` -> ``de``: entries
        are matched by a document's base language); a name or unknown code is refused with
        the advice ``--from`` gives (``'german': a language name, not a code; use de``)."""
        from toolkit.config.codes import language_fields

        if value is None:
            return None
        if not value:
            raise ValueError("must list at least one language code, or be left out")
        return list(language_fields(value, "language"))  # de and de-AT are one language

    @property
    def spellings(self) -> tuple[str, ...]:
        """The term first, then the aliases."""
        return (self.term, *self.aliases)

    def applies_to(self, lang: str) -> bool:
        """Whether the entry is matched in a source in base language ``lang``."""
        return self.languages is None or lang in self.languages


DEFAULT_CONFIG = GlossaryConfig()


@dataclass(frozen=True, slots=True)
class Match:
    """One glossary match in a text: ``text[start:end] == matched``."""

    start: int
    end: int
    matched: str
    entry: GlossaryEntry

    @property
    def term(self) -> str:
        """The canonical English form the match is pinned to."""
        return self.entry.term


class Glossary(BaseModel):
    """A loaded glossary: entries plus where they came from (path, sha256 of the file bytes).

    Compiled matchers are cached on the instance, one per language.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    entries: tuple[GlossaryEntry, ...] = ()
    path: str | None = None
    sha256: str = hashlib.sha256(b"").hexdigest()
    version: int = 1
    _compiled: dict[str, Any] = PrivateAttr(default_factory=dict)

    @classmethod
    def empty(cls) -> Glossary:
        """A glossary with no entries: nothing is matched, pinned or rewritten."""
        return cls()

    @classmethod
    def from_entries(cls, entries: Sequence[GlossaryEntry], path: str | None = None) -> Glossary:
        """Build a glossary in code (tests, tools); the same collision rules as the loader.

        Its ``sha256`` hashes the entries (there are no file bytes): it is what every
        document's fingerprint holds of the glossary, so two glossaries built with different
        entries must differ there, or a build would call English pinned with the old terms
        current (they all had the empty file's hash).

        >>> a = Glossary.from_entries([GlossaryEntry(term="Nobu", kind="brand")])
        >>> b = Glossary.from_entries([GlossaryEntry(term="Skims", kind="brand")])
        >>> a.sha256 != b.sha256 != Glossary().sha256
        True
        """
        problems = collisions(entries)
        if problems:
            i, j, spelling = problems[0]
            raise GlossaryError(
                f"{path or 'glossary'}: {spelling!r} of entry {j + 1} ({entries[j].term!r}) is "
                f"already used by entry {i + 1} ({entries[i].term!r}); keep it in one entry"
            )
        dumped = json.dumps([e.model_dump(mode="json") for e in entries], sort_keys=True)
        digest = hashlib.sha256(f"entries:{dumped}".encode()).hexdigest()
        return cls(entries=tuple(entries), path=path, sha256=digest)

    def provenance(self) -> dict[str, Any]:
        """What a document record stores about the glossary file that shaped it (how it was
        applied, ``GlossaryConfig``, is recorded once, in the record's ``config``)."""
        return {
            # The file name only: an absolute path would tie provenance to one machine.
            "path": Path(self.path).name if self.path else None,
            "sha256": self.sha256,
            "version": self.version,
            "entries": len(self.entries),
        }

    def compiled(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, made once per glossary and ``key`` (the matchers of
        :mod:`toolkit.glossary.match`); the entries are frozen, so it never goes stale."""
        if key not in self._compiled:
            self._compiled[key] = build()
        return self._compiled[key]  # type: ignore[no-any-return]


def collisions(entries: Sequence[GlossaryEntry]) -> list[tuple[int, int, str]]:
    """(first entry, second entry, spelling) for each spelling claimed twice.

    Spellings compare after whitespace normalization; when either entry is
    case-insensitive they also compare case-folded. Two case-sensitive entries may differ
    only in case ("US" vs "us"). A spelling repeated inside one entry gives (i, i, spelling).
    """
    exact_owner: dict[str, int] = {}
    fold_owners: dict[str, list[int]] = {}
    problems: list[tuple[int, int, str]] = []
    for index, entry in enumerate(entries):
        mine: set[str] = set()
        for spelling in entry.spellings:
            key = normal(spelling)
            fold = key.casefold()
            own = fold if not entry.case_sensitive else key
            if own in mine:
                problems.append((index, index, spelling))
                continue
            mine.add(own)
            owner = exact_owner.get(key)
            if owner is None:
                owner = next(
                    (
                        other
                        for other in fold_owners.get(fold, ())
                        if not (entry.case_sensitive and entries[other].case_sensitive)
                    ),
                    None,
                )
            if owner is not None and owner != index:
                problems.append((owner, index, spelling))
                continue
            exact_owner[key] = index
            fold_owners.setdefault(fold, []).append(index)
    return problems
