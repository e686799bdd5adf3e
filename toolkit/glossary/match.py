"""Find glossary names in text: matching, verification and English canonicalization.

* :func:`find_matches` — the glossary's names in a source sentence;
* :func:`verify_terms` — for pinning and QA (also on human corrections): which pinned terms
  are missing from a translation;
* :func:`canonicalize_english` — for English documents: rewrite aliases (``SKIMs``) to the
  canonical term (``Skims``).

Matching is word-bounded (Unicode letters, marks, digits and ``_`` count as word
characters), longest match first, non-overlapping. A name glued to a word or a number is not
matched: ``North8`` (a typo in an English seed for "North, 8") is one token whose meaning a
matcher cannot know, and fixing typos is cleaning's job, not the glossary's.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from toolkit.config.glossary import GlossaryConfig
from toolkit.glossary.model import DEFAULT_CONFIG, WORD, Glossary, GlossaryEntry, Match, normal
from toolkit.languages import primary_language
from toolkit.schema import GlossaryHit, HitOutcome, HitStrategy


@dataclass(frozen=True, slots=True)
class _Matcher:
    """One compiled regex over many spellings, and the entry each normalized spelling names
    (``exact`` for case-sensitive entries, ``folded`` by casefold for the others)."""

    pattern: regex.Pattern[str]
    exact: dict[str, GlossaryEntry]
    folded: dict[str, GlossaryEntry]


def _units(spelling: str, case_sensitive: bool) -> list[str]:
    """Regex pieces, one per character: whitespace matches any run, case-insensitive
    characters match their case variants."""
    units = []
    for char in normal(spelling):
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
            key = normal(spelling)
            if entry.case_sensitive:
                exact[key] = entry
            else:
                folded[key.casefold()] = entry
            units.append(_units(key, entry.case_sensitive))
    if not units:
        return None
    body = _trie_regex(units)
    pattern = regex.compile(f"(?p)(?<!{WORD})(?:{body})(?!{WORD})", regex.VERSION1)
    return _Matcher(pattern, exact, folded)


def _source_matcher(glossary: Glossary, lang: str) -> _Matcher | None:
    """All spellings of the entries that apply to a ``lang`` (base language) source."""

    def build() -> _Matcher | None:
        applicable = [e for e in glossary.entries if e.applies_to(lang)]
        return _build_matcher(applicable, lambda e: e.spellings)

    return glossary.compiled("\0source:" + lang, build)


def _term_matcher(glossary: Glossary) -> _Matcher | None:
    """Canonical terms of all entries, any language: what an English target must contain."""
    return glossary.compiled(
        "\0terms", lambda: _build_matcher(glossary.entries, lambda e: (e.term,))
    )


@functools.lru_cache(maxsize=64)
def _language(lang: str) -> str:
    """'de-AT' -> 'de': entries name base languages (:func:`toolkit.languages.primary_language`,
    the rule the glossary's own ``languages`` are read by). Cached: called for every sentence."""
    return primary_language(lang) or lang.strip().lower()


def _scan(text: str, matcher: _Matcher, entries: Sequence[GlossaryEntry]) -> Iterator[Match]:
    """Every match of ``matcher`` in ``text``, left to right, with the entry it names."""
    # One string object per distinct spelling: a text with 150,000 hits of a few names keeps
    # a few strings, not 150,000 copies (~50 bytes each).
    spellings: dict[str, str] = {}
    for found in matcher.pattern.finditer(text):
        matched = found.group()
        matched = spellings.setdefault(matched, matched)
        key = normal(matched)
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
    matcher = _source_matcher(glossary, _language(lang))
    if matcher is None:
        return []
    return list(_scan(text, matcher, glossary.entries))


def _term_counts(text: str, glossary: Glossary) -> Counter[str]:
    """How often each canonical term (not an alias) occurs in ``text``."""
    matcher = _term_matcher(glossary)
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
    matcher = _source_matcher(glossary, _language(lang))
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
    matcher = _source_matcher(glossary, _language("en"))
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
            hits.append(shared_hit(match.term, match.matched, "rewrite", "rewritten"))
        else:
            hits.append(shared_hit(match.term, match.matched, "none", "kept"))
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
def shared_hit(term: str, matched: str, strategy: HitStrategy, outcome: HitOutcome) -> GlossaryHit:
    """The one shared GlossaryHit with these values (frozen, so sharing is safe)."""
    return GlossaryHit(term=term, matched=matched, strategy=strategy, outcome=outcome)
