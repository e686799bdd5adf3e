"""Pin proper nouns (people, brands, places, titles) through machine translation.

``glossary.yaml`` lists each name once, in the form it must have in English output
(``term``), with the other source spellings that mean it (``aliases``). Three jobs use it:

* :func:`pin_translate` — for German/Dutch sentences: replace every glossary match with a
  placeholder the model copies through, translate the whole batch once, put the canonical
  term back, and *verify*. Sentences whose placeholders came back lost, doubled or mangled
  are translated again piece by piece around the terms ("splice"); whatever still fails is
  flagged ``glossary-lost``. A term is never dropped silently.
* :func:`canonicalize_english` — for English documents: rewrite aliases (``SKIMs``) to the
  canonical term (``Skims``).
* :func:`verify_terms` — for QA, also on human corrections: which pinned terms are missing
  from a translation.

Example::

    glossary = load_glossary(Path("glossary.yaml"))
    pinned = pin_translate(["Kim traf Kanye West in Malibu."], "de", glossary, translate)
    pinned[0].english, pinned[0].lost

Matching is word-bounded (Unicode letters, marks, digits and ``_`` count as word
characters), longest match first, non-overlapping. A name glued to a word or a number is not
matched: ``North8`` (a typo in an English seed for "North, 8") is one token whose meaning a
matcher cannot know, and fixing typos is cleaning's job, not the glossary's.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from toolkit.errors import ToolkitError
from toolkit.glossary.spans import Span, SpanConfig, find_spans, merge, missing_spans
from toolkit.schema import GlossaryHit, HitOutcome, HitStrategy, SpanHit

MAX_GLOSSARY_BYTES = 1_000_000
"""A glossary larger than this is refused before parsing (1 MB is ~10,000 entries)."""
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 20
LOST_FLAG = "glossary-lost"
"""The segment flag for a sentence whose pinned terms could not be guaranteed."""

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

# A "word character" for boundaries: letters, combining marks, digits, underscore.
_WORD = r"[\p{L}\p{M}\p{N}_]"
_LETTER = regex.compile(r"\p{L}")
_SPACE_RUN = regex.compile(r"\s+")
# A text piece's glue: the non-word characters that join it to the neighbouring terms
# (": ", "-", "'", " "). Splicing keeps the source's glue and translates only the core, so a
# term can never fuse with a translated word ("Kanye" + "s conf..." -> "Kanyes conf...").
_GLUE = regex.compile(r"^([\W_]*+)(.*?)([\W_]*+)$", regex.DOTALL)


class GlossaryError(ToolkitError):
    """glossary.yaml cannot be used; the message is one line ``file:line:col: what is wrong``."""


class TranslatorContractError(ToolkitError):
    """The ``translate`` callable broke its contract (one output string per input string)."""


# --------------------------------------------------------------------------- schema


def _normal(text: str) -> str:
    """Whitespace-normalized form used to compare spellings (``"Kim  Kardashian"`` = term)."""
    return " ".join(text.split())


def _check_spelling(value: str) -> str:
    if value != value.strip() or "\n" in value or not value:
        raise ValueError("must be non-empty, on one line, without leading/trailing spaces")
    if not regex.search(_WORD, value):
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
    languages: list[str] | None = Field(default=None, description="ISO 639-1 codes; None = all")
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
        if value is not None:
            if not value:
                raise ValueError("must list at least one language code, or be left out")
            for code in value:
                if not regex.fullmatch(r"[a-z]{2,3}", code):
                    raise ValueError(f"{code!r} is not a lower-case ISO 639 code such as 'de'")
        return value

    @property
    def spellings(self) -> tuple[str, ...]:
        """The term first, then the aliases."""
        return (self.term, *self.aliases)

    def applies_to(self, lang: str) -> bool:
        return self.languages is None or lang in self.languages


class _GlossaryFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    version: Literal[1] = 1
    entries: list[GlossaryEntry]


class GlossaryConfig(BaseModel):
    """How the glossary is applied; recorded in provenance.

    The placeholder prefix is part of every protected model input, so changing it changes
    translation-cache keys (as it must: the model sees different text).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rewrite_english_aliases: bool = True
    placeholder_prefix: str = Field(default="ZXQ", pattern=r"^[A-Z]{2,8}$")
    spans: SpanConfig = Field(
        default_factory=SpanConfig,
        description="URLs, addresses, handles, hashtags protected like glossary terms",
    )


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
        return self.entry.term


@dataclass(frozen=True, slots=True)
class _Matcher:
    pattern: regex.Pattern[str]
    exact: dict[str, GlossaryEntry]
    folded: dict[str, GlossaryEntry]


def _units(spelling: str, case_sensitive: bool) -> list[str]:
    """Regex pieces, one per character: whitespace matches any run, case-insensitive
    characters match their case variants."""
    units = []
    for char in _normal(spelling):
        if char == " ":
            units.append(r"\s+")
        elif case_sensitive:
            units.append(regex.escape(char))
        else:
            # A class, not (?i:x): case-insensitive spellings then share trie prefixes and
            # the regex module can still skip ahead on a first-character set.
            variants = {char, char.lower(), char.upper(), char.title(), char.casefold()}
            singles = sorted(v for v in variants if len(v) == 1)
            units.append(
                "[" + "".join(regex.escape(v) for v in singles) + "]"
                if len(singles) > 1
                else regex.escape(char)
            )
    return units


_END = ""


def _trie_regex(spellings: list[list[str]]) -> str:
    """A regex equal to the alternation of ``spellings`` with shared prefixes factored out.

    With 1,000 entries a trie is ~5x faster than a flat alternation: a failing position
    costs one check per distinct first character instead of one per spelling.
    """
    root: dict[str, Any] = {}
    for units in spellings:
        node = root
        for unit in units:
            node = node.setdefault(unit, {})
        node[_END] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [unit + emit(child) for unit, child in sorted(node.items()) if unit != _END]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if _END in node:
            body = f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    return emit(root)


def _build_matcher(
    entries: Sequence[GlossaryEntry], spellings: Callable[[GlossaryEntry], Sequence[str]]
) -> _Matcher | None:
    """One compiled regex over all spellings of ``entries``; None when there is nothing.

    ``(?p)`` asks the regex module for POSIX leftmost-longest matching, so the longest
    spelling wins at a position ("Kim Kardashian" over "Kim") whatever the branch order, and
    a spelling glued to a word ("Kim Kardashians") falls back to the longest that is not.
    """
    exact: dict[str, GlossaryEntry] = {}
    folded: dict[str, GlossaryEntry] = {}
    units: list[list[str]] = []
    for entry in entries:
        for spelling in spellings(entry):
            key = _normal(spelling)
            if entry.case_sensitive:
                exact[key] = entry
            else:
                folded[key.casefold()] = entry
            units.append(_units(key, entry.case_sensitive))
    if not units:
        return None
    body = _trie_regex(units)
    pattern = regex.compile(f"(?p)(?<!{_WORD})(?:{body})(?!{_WORD})", regex.VERSION1)
    return _Matcher(pattern, exact, folded)


class Glossary(BaseModel):
    """A loaded glossary: entries plus where they came from (path, sha256 of the file bytes).

    Compiled matchers are cached on the instance, one per language.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    entries: tuple[GlossaryEntry, ...] = ()
    path: str | None = None
    sha256: str = hashlib.sha256(b"").hexdigest()
    version: int = 1
    _matchers: dict[str, _Matcher | None] = PrivateAttr(default_factory=dict)

    @classmethod
    def empty(cls) -> Glossary:
        """A glossary with no entries: nothing is matched, pinned or rewritten."""
        return cls()

    @classmethod
    def from_entries(cls, entries: Sequence[GlossaryEntry], path: str | None = None) -> Glossary:
        """Build a glossary in code (tests, tools); the same collision rules as the loader."""
        problems = _collisions(entries)
        if problems:
            i, j, spelling = problems[0]
            raise GlossaryError(
                f"{path or 'glossary'}: {spelling!r} of entry {j + 1} ({entries[j].term!r}) is "
                f"already used by entry {i + 1} ({entries[i].term!r}); keep it in one entry"
            )
        return cls(entries=tuple(entries), path=path)

    def provenance(self, config: GlossaryConfig | None = None) -> dict[str, Any]:
        """What a document record stores about the glossary that shaped it."""
        return {
            # The file name only: an absolute path would tie provenance to one machine.
            "path": Path(self.path).name if self.path else None,
            "sha256": self.sha256,
            "version": self.version,
            "entries": len(self.entries),
            "config": (config or DEFAULT_CONFIG).model_dump(),
        }

    def _matcher(self, lang: str) -> _Matcher | None:
        key = "\0source:" + lang
        if key not in self._matchers:
            applicable = [e for e in self.entries if e.applies_to(lang)]
            self._matchers[key] = _build_matcher(applicable, lambda e: e.spellings)
        return self._matchers[key]

    def _term_matcher(self) -> _Matcher | None:
        """Canonical terms of all entries, any language: what an English target must contain."""
        key = "\0terms"
        if key not in self._matchers:
            self._matchers[key] = _build_matcher(self.entries, lambda e: (e.term,))
        return self._matchers[key]


def _collisions(entries: Sequence[GlossaryEntry]) -> list[tuple[int, int, str]]:
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
            key = _normal(spelling)
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


# --------------------------------------------------------------------------- loading


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and bounds node count and nesting depth.

    Refusing anchors outright (rather than counting expansions) is the simplest complete
    defence against alias bombs, and a glossary never needs them.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.node_count = 0
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"alias *{event.anchor} is not allowed; write it out")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(event.start_mark, f"anchor &{anchor} is not allowed; write it out")
        self.node_count += 1
        if self.node_count > MAX_YAML_NODES:
            raise _Refused(event.start_mark, f"more than {MAX_YAML_NODES} YAML nodes")
        self.depth += 1
        if self.depth > MAX_YAML_DEPTH:
            raise _Refused(event.start_mark, f"nested deeper than {MAX_YAML_DEPTH} levels")
        try:
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self.depth -= 1


_SAFE_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)

Loc = tuple[str | int, ...]


def _walk(node: yaml.Node, loc: Loc, marks: dict[Loc, yaml.Mark]) -> None:
    """Check tags and keys; record a mark for every location pydantic may name in an error.

    A mapping member's location points at its key (the field name), a list item at the item.
    """
    if node.tag not in _SAFE_TAGS:
        raise _Refused(node.start_mark, f"tag {node.tag!r} is not allowed; use plain YAML values")
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks[(*loc, index)] = item.start_mark
            _walk(item, (*loc, index), marks)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_TAGS:
                raise _Refused(key_node.start_mark, "keys must be plain words such as 'term'")
            key = str(key_node.value)
            if key in seen:
                raise _Refused(
                    key_node.start_mark,
                    f"duplicate key {key!r} (first at line {seen[key].line + 1}); keep one",
                )
            seen[key] = key_node.start_mark
            marks[(*loc, key)] = key_node.start_mark
            _walk(value_node, (*loc, key), marks)


def _at(name: str, mark: yaml.Mark | None, message: str) -> GlossaryError:
    where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"
    return GlossaryError(f"{name}:{where}: {' '.join(message.split())}")


def _mark_for(loc: Loc, marks: dict[Loc, yaml.Mark]) -> yaml.Mark | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
    return None


def _describe(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _read_yaml(text: str, name: str) -> tuple[Any, dict[Loc, yaml.Mark]]:
    """Compose (refusing anchors, aliases, unsafe tags), then construct plain data + marks."""
    loader = _StrictLoader(text)
    marks: dict[Loc, yaml.Mark] = {}
    try:
        root = loader.get_single_node()
        if root is None:
            raise _Refused(None, "the file is empty; it needs a top-level 'entries:' list")
        marks[()] = root.start_mark
        _walk(root, (), marks)
        if not isinstance(root, yaml.MappingNode):
            raise _Refused(root.start_mark, "the top level must be a mapping with 'entries:'")
        return loader.construct_document(root), marks
    except _Refused as err:
        raise _at(name, err.mark, err.message) from None
    except yaml.MarkedYAMLError as err:
        problem = err.problem or err.context or "invalid YAML"
        raise _at(name, err.problem_mark or err.context_mark, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as err:  # e.g. reader errors for control characters
        raise GlossaryError(f"{name}:1:1: invalid YAML: {' '.join(str(err).split())}") from None
    finally:
        loader.dispose()


def _too_big(name: str, size: int) -> GlossaryError:
    return GlossaryError(
        f"{name}:1:1: file is {size} bytes, over the {MAX_GLOSSARY_BYTES}-byte limit; "
        "trim it or split it by corpus"
    )


def parse_glossary(data: bytes, name: str = "glossary.yaml") -> Glossary:
    """Parse and validate glossary bytes; ``name`` is used in error messages.

    Raises :class:`GlossaryError` with one line ``name:LINE:COL: what is wrong``.
    """
    if len(data) > MAX_GLOSSARY_BYTES:
        raise _too_big(name, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise GlossaryError(f"{name}:{line}:{column}: not UTF-8; save the file as UTF-8") from None
    raw, marks = _read_yaml(text, name)
    try:
        parsed = _GlossaryFile.model_validate(raw)
    except ValidationError as err:
        errors = err.errors()
        loc = tuple(errors[0]["loc"])
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        message = f"{_describe(loc) or 'top level'}: {errors[0]['msg']}{more}"
        raise _at(name, _mark_for(loc, marks), message) from None
    entries = parsed.entries
    problems = _collisions(entries)
    if problems:
        first, second, spelling = problems[0]
        mark = _spelling_mark(entries[second], second, spelling, marks, last=True)
        if first == second:
            message = f"{spelling!r} is listed twice in entry {entries[first].term!r}; keep one"
        else:
            first_mark = _spelling_mark(entries[first], first, spelling, marks, last=False)
            line = first_mark.line + 1 if first_mark is not None else "?"
            role = "term" if _normal(spelling) == _normal(entries[second].term) else "alias"
            message = (
                f"{role} {spelling!r} is already claimed by entry {entries[first].term!r} "
                f"at line {line}; keep it in one entry"
            )
        raise _at(name, mark, message)
    return Glossary(
        entries=tuple(entries),
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        version=parsed.version,
    )


def _spelling_mark(
    entry: GlossaryEntry, index: int, spelling: str, marks: dict[Loc, yaml.Mark], *, last: bool
) -> yaml.Mark | None:
    """Where ``spelling`` is written in entry ``index`` (exact spelling preferred over a
    case variant); the last such place for the entry reported, the first for the owner."""
    locs: list[Loc] = [("entries", index, "term")]
    locs += [("entries", index, "aliases", i) for i in range(len(entry.aliases))]
    pairs = list(zip(locs, entry.spellings, strict=True))
    found = [loc for loc, text in pairs if _normal(text) == _normal(spelling)] or [
        loc for loc, text in pairs if _normal(text).casefold() == _normal(spelling).casefold()
    ]
    for loc in reversed(found) if last else found:
        if loc in marks:
            return marks[loc]
    return marks.get(("entries", index))


def load_glossary(path: str | os.PathLike[str]) -> Glossary:
    """Load ``glossary.yaml`` (a ``str`` or a path); every problem is a one-line
    :class:`GlossaryError`.

    Example error: ``glossary.yaml:12:5: entries[3].kind: Input should be 'person', ...``
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_GLOSSARY_BYTES:
            raise _too_big(str(path), size)
        data = path.read_bytes()
    except OSError as err:
        raise GlossaryError(f"{path}: cannot read the glossary: {err.strerror}") from None
    return parse_glossary(data, str(path))


# --------------------------------------------------------------------------- discovery

GLOSSARY_NAME = "glossary.yaml"


@dataclass(frozen=True)
class GlossarySource:
    """Which glossary file a command uses (``path``, None for none) and the rule that chose it.

    Made by :func:`discover_glossary`; :meth:`load` reads it, :meth:`describe` is the line
    every command that translates or checks prints on stderr.
    """

    path: Path | None
    rule: str
    """``--glossary``, ``--no-glossary``, ``in the corpus``, ``beside the corpus`` or what
    was looked for when nothing was found."""

    def load(self) -> Glossary:
        """The glossary (empty when ``path`` is None); :class:`GlossaryError` if it is bad."""
        return Glossary.empty() if self.path is None else load_glossary(self.path)

    def describe(self, glossary: Glossary) -> str:
        """``glossary: /abs/glossary.yaml (52 entries, sha256 0123456789ab; beside the
        corpus)`` or ``no glossary (--no-glossary)``."""
        if self.path is None:
            return f"no glossary ({self.rule})"
        return (
            f"glossary: {self.path.resolve()} ({len(glossary.entries)} entries, "
            f"sha256 {glossary.sha256[:12]}; {self.rule})"
        )


def discover_glossary(
    corpus_dir: Path | str, explicit: Path | None = None, disabled: bool = False
) -> GlossarySource:
    """The one rule for which glossary applies to ``corpus_dir``; first match wins:

    1. ``explicit`` (``--glossary FILE``): that file, which must exist;
    2. ``disabled`` (``--no-glossary``): none;
    3. ``<corpus_dir>/glossary.yaml``: the corpus's own glossary;
    4. ``glossary.yaml`` in the directory that holds ``corpus_dir`` (the project layout
       ``./glossary.yaml`` beside ``./corpus``);
    5. none.

    The working directory plays no part (a relative ``corpus_dir`` is resolved once, to
    find its parent), so a corpus builds the same from anywhere. Commands without a corpus
    (``toolkit translate``, ``toolkit qa PAIRS``) apply the rule to ``--corpus``, default
    ``./corpus``: run in a project directory they find its glossary.
    """
    if explicit is not None and disabled:
        raise GlossaryError("--glossary and --no-glossary contradict each other; give one")
    if explicit is not None:
        return GlossarySource(explicit, "--glossary")
    if disabled:
        return GlossarySource(None, "--no-glossary")
    corpus = Path(corpus_dir)
    inside = corpus / GLOSSARY_NAME
    beside = corpus.resolve().parent / GLOSSARY_NAME
    if inside.is_file():
        return GlossarySource(inside, "in the corpus")
    if beside.is_file():
        return GlossarySource(beside, "beside the corpus")
    return GlossarySource(None, f"none given, none at {inside} or {beside}")


# --------------------------------------------------------------------------- matching


@functools.lru_cache(maxsize=64)
def _language(lang: str) -> str:
    """'de-AT' -> 'de': entries name base languages. Cached: called for every sentence."""
    return regex.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]


def _scan(text: str, matcher: _Matcher, entries: Sequence[GlossaryEntry]) -> Iterator[Match]:
    # One string object per distinct spelling: a text with 150,000 hits of a few names keeps
    # a few strings, not 150,000 copies (~50 bytes each).
    spellings: dict[str, str] = {}
    for found in matcher.pattern.finditer(text):
        matched = found.group()
        matched = spellings.setdefault(matched, matched)
        key = _normal(matched)
        entry = matcher.exact.get(key) or matcher.folded.get(key.casefold())
        if entry is None:  # exotic Unicode case folding: fall back to a slow search
            entry = next(
                (
                    e
                    for e in entries
                    for s in e.spellings
                    if regex.fullmatch("".join(_units(s, e.case_sensitive)), key)
                ),
                None,
            )
        if entry is not None:
            yield Match(found.start(), found.end(), matched, entry)


def find_matches(text: str, lang: str, glossary: Glossary) -> list[Match]:
    """Non-overlapping glossary matches in ``text`` for a ``lang`` source, left to right.

    Example: ``find_matches("Kim Kardashian und Kim", "de", g)`` gives two matches, the
    first for the longer entry "Kim Kardashian" (if both entries exist).
    """
    matcher = glossary._matcher(_language(lang))
    if matcher is None:
        return []
    return list(_scan(text, matcher, glossary.entries))


def _term_counts(text: str, glossary: Glossary) -> Counter[str]:
    matcher = glossary._term_matcher()
    if matcher is None:
        return Counter()
    return Counter(match.term for match in _scan(text, matcher, glossary.entries))


def verify_terms(source: str, target: str, lang: str, glossary: Glossary) -> list[str]:
    """Canonical terms pinned in ``source`` that ``target`` has fewer times than the source.

    The target must contain the canonical term (not an alias) as often as the source had any
    spelling of it. More occurrences in the target are not reported: forms the matcher
    deliberately skips in the source (German genitive "Kanyes") rightly become "Kanye's".
    Terms are returned in order of first occurrence in the source.
    """
    matcher = glossary._matcher(_language(lang))
    if matcher is None:
        return []
    # Counted as they are found: memory grows with the distinct terms, not the hits.
    wanted = Counter(match.term for match in _scan(source, matcher, glossary.entries))
    if not wanted:
        return []
    have = _term_counts(target, glossary)
    return [term for term, count in wanted.items() if have[term] < count]


def canonicalize_english(
    text: str, glossary: Glossary, config: GlossaryConfig = DEFAULT_CONFIG
) -> tuple[str, list[GlossaryHit]]:
    """Rewrite aliases to canonical terms in English text; one hit per match.

    Example: "The SKIMs founder" -> "The Skims founder" with a 'rewritten' hit; a term that
    is already canonical gives a 'kept' hit. With ``rewrite_english_aliases=False`` the
    text is unchanged and every hit is 'kept'.
    """
    matcher = glossary._matcher(_language("en"))
    if matcher is None:
        return text, []
    out = io.StringIO()
    hits: list[GlossaryHit] = []
    position = 0
    for match in _scan(text, matcher, glossary.entries):
        rewrite = config.rewrite_english_aliases and match.matched != match.term
        out.write(text[position : match.start])
        out.write(match.term if rewrite else match.matched)
        position = match.end
        if rewrite:
            hits.append(_hit(match.term, match.matched, "rewrite", "rewritten"))
        else:
            hits.append(_hit(match.term, match.matched, "none", "kept"))
    out.write(text[position:])
    return out.getvalue(), hits


# -- memory per hit -------------------------------------------------------------------------
#
# An article can hold 150,000 glossary hits (one name repeated through a 1.3 MB list). Each
# hit used to cost ~7 KB at peak: its own GlossaryHit (~550 bytes of pydantic instance
# state), its own matched string, a placeholder string, the text pieces between matches,
# three lists of placeholder numbers in restore(), and Match lists built only to be
# counted. Now a hit costs its Match (~130 bytes, held while the sentence is translated),
# a few bytes of text and one reference to a shared, frozen GlossaryHit
# (tests/test_glossary.py::test_memory_per_glossary_hit_is_bounded measures it).


@functools.lru_cache(maxsize=4096)
def _hit(term: str, matched: str, strategy: HitStrategy, outcome: HitOutcome) -> GlossaryHit:
    """The one shared GlossaryHit with these values (frozen, so sharing is safe)."""
    return GlossaryHit(term=term, matched=matched, strategy=strategy, outcome=outcome)


# --------------------------------------------------------------------------- pinning
#
# Placeholder form: PREFIX + occurrence number, e.g. "ZXQ1", "ZXQ2" (prefix configurable).
# * Plain ASCII capitals and digits are pieces of every SentencePiece vocabulary, so the token
#   never becomes <unk> (brackets like "⟦0⟧" or private-use characters usually do, and <unk>
#   decodes to " ⁇ "); XML-like "<x1>" is split into punctuation pieces models like to drop.
# * A capitalised letters+digits token looks like a code or acronym ("A380", "G7"): models
#   copy those verbatim and rarely inflect them, and it sits where the name sat, so the
#   grammar around it stays that of a proper noun.
# * Numbered per occurrence, in source order, so reordering by the model is harmless and a
#   lost, doubled or merged placeholder is detectable. The protected string depends only on
#   the sentence, the spans matched in it and the prefix: it is a stable translation-cache
#   key, and a glossary edit that does not touch a sentence does not change its key. (A new
#   canonical spelling for a matched entry keeps the key too: terms are restored after.)


@dataclass(frozen=True, slots=True)
class Protected:
    """A sentence prepared for the model.

    ``text`` is the model input: the sentence with each match replaced by its placeholder,
    or the sentence itself when nothing matched. ``usable`` is False when the sentence
    already contains placeholder-like text; such sentences are spliced instead.
    """

    source: str
    matches: tuple[Match | Span, ...]
    """Glossary matches and protected spans (toolkit.glossary.spans), in text order."""
    text: str
    prefix: str
    usable: bool

    @property
    def placeholders(self) -> tuple[str, ...]:
        """``PREFIX1``, ``PREFIX2``, ... one per match (made on demand: they are in ``text``)."""
        return tuple(f"{self.prefix}{n}" for n in range(1, len(self.matches) + 1))


@dataclass(frozen=True, slots=True)
class Pinned:
    """The English for one sentence, with one hit per glossary match in source order."""

    english: str
    hits: list[GlossaryHit] = field(default_factory=list)
    spans: list[SpanHit] = field(default_factory=list)
    """One per protected span (URL, handle, ...) in source order."""
    lost: bool = False
    problem: str | None = None
    """Why the sentence is flagged lost, in words; None when it is not."""
    model_inputs: tuple[str, ...] = ()
    """Every string sent to ``translate`` for this sentence (what a cache is keyed on)."""
    pieces: int = 0
    """How many of the last ``model_inputs`` are splice pieces (0: not spliced)."""

    @property
    def english_inputs(self) -> tuple[str, ...]:
        """The model inputs whose translations make up :attr:`english`: the spliced pieces,
        or the one (protected) sentence; not a first attempt that was thrown away."""
        return self.model_inputs[-self.pieces :] if self.pieces else self.model_inputs

    @property
    def flags(self) -> list[str]:
        return [LOST_FLAG] if self.lost else []


@functools.lru_cache(maxsize=8)
def _residue(prefix: str) -> regex.Pattern[str]:
    """Anything that looks like a placeholder, in any case or glued to anything."""
    return regex.compile(regex.escape(prefix), regex.IGNORECASE)


@functools.lru_cache(maxsize=8)
def _placeholder_token(prefix: str) -> regex.Pattern[str]:
    """An intact placeholder: the prefix, its number, word boundaries on both sides."""
    return regex.compile(f"(?<!{_WORD}){regex.escape(prefix)}([0-9]+)(?!{_WORD})")


def protect(
    sentence: str, lang: str, glossary: Glossary, config: GlossaryConfig = DEFAULT_CONFIG
) -> Protected:
    """Replace each glossary match and protected span in ``sentence`` with a numbered
    placeholder.

    Example: "Kim traf Kanye West." -> "ZXQ1 traf ZXQ2." (with entries Kim, Kanye West);
    "Kim auf @kimkardashian" -> "ZXQ1 auf ZXQ2" (a handle is protected as itself).
    """
    prefix = config.placeholder_prefix
    matches = tuple(
        merge(find_matches(sentence, lang, glossary), find_spans(sentence, config.spans))
    )
    if not matches:
        return Protected(sentence, (), sentence, prefix, True)
    out = io.StringIO()  # no list of pieces: one growing buffer
    position = 0
    for number, match in enumerate(matches, start=1):
        out.write(sentence[position : match.start])
        out.write(f"{prefix}{number}")
        position = match.end
    out.write(sentence[position:])
    usable = _residue(prefix).search(sentence) is None
    return Protected(sentence, matches, out.getvalue(), prefix, usable)


def restore(
    output: str, protected: Protected, config: GlossaryConfig = DEFAULT_CONFIG
) -> str | None:
    """Put canonical terms back for placeholders; None unless each came back exactly once.

    Anything else — a placeholder missing, doubled, re-cased, inflected ("ZXQ1s"), split
    ("ZXQ 1"), glued to a word, or an unknown number — returns None, so the caller splices.
    """
    if not protected.matches:
        return output
    token = _placeholder_token(config.placeholder_prefix)
    count = len(protected.matches)
    seen = bytearray(count + 1)  # one byte per placeholder, not three lists of numbers
    out = io.StringIO()
    position = 0
    for found in token.finditer(output):
        digits = found.group(1)
        # int() of a 5,000-digit "number" would raise; nothing that long can be in range.
        number = int(digits) if len(digits.lstrip("0")) <= len(str(count)) else 0
        if not 1 <= number <= count or seen[number]:
            return None
        seen[number] = 1
        out.write(output[position : found.start()])
        out.write(protected.matches[number - 1].term)
        position = found.end()
    if seen.count(1) != count:
        return None
    out.write(output[position:])
    restored = out.getvalue()
    if _residue(config.placeholder_prefix).search(restored):
        return None
    return restored


@dataclass(frozen=True, slots=True)
class _Splice:
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


def _cut(protected: Protected) -> _Splice:
    shared: dict[str, str] = {}  # equal pieces (" und ") share one string
    pieces = tuple(shared.setdefault(p, p) for p in _pieces(protected))
    return _Splice(pieces, tuple(bool(_LETTER.search(p)) for p in pieces))


def _core(piece: str, shared: dict[str, str]) -> str:
    """What the model gets for a text piece: its core, spaces collapsed; equal cores share
    one string (``shared``), since one is kept per hit in ``Pinned.model_inputs``."""
    core = _SPACE_RUN.sub(" ", _split_glue(piece)[1])
    return shared.setdefault(core, core)


def _has_words(protected: Protected) -> bool:
    """Whether any piece between the terms has letters (so the sentence needs the model).
    Decided without keeping the pieces: only sentences that get spliced need them."""
    return not protected.matches or any(_LETTER.search(p) for p in _pieces(protected))


def _split_glue(piece: str) -> tuple[str, str, str]:
    """``(lead, core, trail)``: the piece's leading and trailing non-word glue, and the rest."""
    m = _GLUE.match(piece)
    assert m is not None  # the pattern matches every string
    return m.group(1), m.group(2), m.group(3)


def _call(translate: Callable[[list[str]], list[str]], inputs: list[str]) -> list[str]:
    if not inputs:
        return []
    outputs = list(translate(inputs))
    if len(outputs) != len(inputs) or not all(isinstance(o, str) for o in outputs):
        raise TranslatorContractError(
            f"translate returned {len(outputs)} results for {len(inputs)} inputs; "
            "it must return one string per input, in order"
        )
    return outputs


def _hits(
    protected: Protected, strategy: Literal["placeholder", "splice"], lost: Sequence[str] = ()
) -> list[GlossaryHit]:
    missing = set(lost)
    return [
        _hit(match.term, match.matched, strategy, "lost" if match.term in missing else "restored")
        for match in protected.matches
        if isinstance(match, Match)
    ]


def _span_hits(
    protected: Protected, strategy: Literal["placeholder", "splice"], lost: Sequence[str] = ()
) -> list[SpanHit]:
    return [
        SpanHit(
            kind=span.kind,
            text=span.matched,
            strategy=strategy,
            outcome="lost" if span.matched in lost else "restored",
        )
        for span in protected.matches
        if isinstance(span, Span)
    ]


def _join(
    splice: _Splice, protected: Protected, translated: Iterator[str]
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


def pin_translate(
    sentences: list[str],
    lang: str,
    glossary: Glossary,
    translate: Callable[[list[str]], list[str]],
    config: GlossaryConfig = DEFAULT_CONFIG,
) -> list[Pinned]:
    """Translate ``sentences`` with every glossary term pinned to its canonical form.

    1. Protect every sentence; call ``translate`` once with all model inputs (sentences
       without matches go as they are).
    2. Restore terms where every placeholder came back exactly once and
       :func:`verify_terms` agrees.
    3. Other sentences are spliced: the text pieces between terms of all of them go to
       ``translate`` in one second call, and pieces and canonical terms are joined in
       source order (word order may suffer; the names cannot).
    4. A spliced sentence is ``lost`` if a term is still missing (a piece's translation
       fused with a neighbouring term) or a piece with words came back empty; its English
       is the best effort, its missing terms' hits say 'lost'.

    Sentences made only of terms and punctuation never reach the model.
    """
    protected = [protect(sentence, lang, glossary, config) for sentence in sentences]
    first = [i for i, p in enumerate(protected) if p.usable and _has_words(p)]
    outputs = dict(zip(first, _call(translate, [protected[i].text for i in first]), strict=True))

    results: list[Pinned | None] = [None] * len(sentences)
    pending: list[tuple[int, _Splice]] = []
    for index, item in enumerate(protected):
        if index not in outputs:
            assert item.matches  # sentences without matches always go to the model
            pending.append((index, _cut(item)))
            continue
        output = outputs[index]
        if not item.matches:
            results[index] = Pinned(english=output, model_inputs=(item.text,))
            continue
        english = restore(output, item, config)
        if (
            english is not None
            and not verify_terms(item.source, english, lang, glossary)
            and not missing_spans(item.source, english, config.spans)
        ):
            results[index] = Pinned(
                english=english,
                hits=_hits(item, "placeholder"),
                spans=_span_hits(item, "placeholder"),
                model_inputs=(item.text,),
            )
        else:
            pending.append((index, _cut(item)))

    shared: dict[str, str] = {}
    cores = [
        [_core(p, shared) for p, wanted in zip(sp.pieces, sp.translate, strict=True) if wanted]
        for _, sp in pending
    ]
    translated = iter(_call(translate, [core for group in cores for core in group]))
    for (index, splice), group in zip(pending, cores, strict=True):
        item = protected[index]
        inputs = ((item.text,) if index in outputs else ()) + tuple(group)
        english, problem = _join(splice, item, translated)
        missing = verify_terms(item.source, english, lang, glossary)
        lost_spans = missing_spans(item.source, english, config.spans)
        if missing or lost_spans:
            problem = f"missing after splicing: {', '.join([*missing, *lost_spans])}"
        results[index] = Pinned(
            english=english,
            hits=_hits(item, "splice", missing),
            spans=_span_hits(item, "splice", lost_spans),
            lost=problem is not None,
            problem=problem,
            model_inputs=inputs,
            pieces=len(inputs) - (1 if index in outputs else 0),
        )
    return [result for result in results if result is not None]


# -- reporting ----------------------------------------------------------------------------------


@dataclass
class TermReport:
    """How a document's glossary terms fared: what ``toolkit glossary check`` prints."""

    terms: Counter[str] = field(default_factory=Counter)
    """Canonical term -> occurrences in the source."""
    outcomes: Counter[str] = field(default_factory=Counter)
    """``found``, ``pinned`` and each :class:`GlossaryHit` outcome -> count."""

    def add_hits(self, hits: Iterable[GlossaryHit]) -> None:
        """Count the hits a build recorded for one segment."""
        for hit in hits:
            self.terms[hit.term] += 1
            self.outcomes["found"] += 1
            self.outcomes["pinned"] += hit.strategy in ("placeholder", "splice")
            self.outcomes[hit.outcome] += 1

    def add_matches(self, matches: Iterable[Match]) -> None:
        """Count terms found in a source that has not been built (nothing pinned yet)."""
        for match in matches:
            self.terms[match.term] += 1
            self.outcomes["found"] += 1

    def summary(self) -> str:
        o = self.outcomes
        return (
            f"{o['found']} found, {o['pinned']} pinned, {o['restored']} restored, "
            f"{o['rewritten']} rewritten, {o['lost']} lost"
        )
