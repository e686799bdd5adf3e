"""Protected spans: URLs, e-mail addresses, @handles, #hashtags and credit handles.

A news article carries strings that must leave translation byte for byte: a link
(``https://www.instagram.com/p/C1x_Yz/``), an address (``redaktion@example.de``), a handle
(``@kimkardashian``), a hashtag (``#MetGala2024``), a picture-credit handle
(``Instagram / kimkardashian``). Models translate such strings into words (``#Hochzeit`` ->
``#wedding``), split them, or drop them. The glossary already protects names with a
placeholder the model copies through, verifies the result and splices around the name when
the model lost it (:func:`toolkit.glossary.pin.pin_translate`); this module finds the spans, and
the glossary treats each span exactly like a glossary match whose canonical term is the span
itself. So a span is restored byte for byte or the segment is flagged ``glossary-lost``;
never silently changed.

Example::

    find_spans("Mehr auf www.skims.com oder bei @skims!", SpanConfig())
    # [Span(start=9, end=22, matched='www.skims.com', kind='url'),
    #  Span(start=32, end=38, matched='@skims', kind='handle')]

What is a span is decided by the regular expressions below, deliberately conservative:
``#1`` (a rank) is not a hashtag, ``a@b`` without a domain dot is not an address, and
trailing sentence punctuation (``.``, ``,``, ``)`` without an opening one) stays outside a URL.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import regex

from toolkit.config.glossary import SpanConfig, SpanKind

# Platforms whose name opens a picture-credit handle: "Instagram / kimkardashian".
_PLATFORMS = r"Instagram|Twitter|X|TikTok|Facebook|YouTube|Snapchat|Threads|Pinterest|Twitch"
# Top-level domains a bare domain ("skims.com") may end in; a fixed list, so "z.B" or "ca.5"
# in running text is never taken for a domain.
_TLDS = (
    r"com|org|net|info|biz|io|co|tv|fm|me|app|news|de|nl|be|at|ch|fr|it|es|uk|eu|us|ca|au|pl|"
    r"se|dk|no|fi|pt|lu|li|ie|ru|jp|cn"
)
_URL_CHAR = r"[^\s<>\"'«»“”„‚‘’`\[\]{}|\\^]"
# Alternatives in priority order: at one position the first that matches wins, so an
# address is never read as a handle plus a domain, and a credit handle keeps its platform.
_PATTERNS: dict[SpanKind, str] = {
    "email": r"(?<![\w.+-])[\w.+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\w@])",
    "url": (
        rf"(?:(?<![\w@])(?:https?|ftp)://{_URL_CHAR}+"
        rf"|(?<![\w@./-])www\.{_URL_CHAR}+"
        # A bare domain: the labels are taken atomically and the last must be a known TLD
        # (a lookbehind), so a run like "a.a.a.…" costs linear time, not quadratic backtracking.
        rf"|(?<![\w@./-])(?>[\p{{L}}\p{{N}}-]+(?:\.[\p{{L}}\p{{N}}-]+)+)(?<=\.(?:{_TLDS}))"
        rf"(?![\w-])(?:/{_URL_CHAR}*)?)"
    ),
    "credit": rf"(?<!\w)(?:{_PLATFORMS})\s?/\s?@?[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?",
    "handle": r"(?<![\w@/&])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?(?![\w@])",
    "hashtag": r"(?<![\w#&/])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*",
}
# What every alternative above needs somewhere in the text: "@" (email, handle), "#"
# (hashtag), "/" (a scheme's "://", credit), "www." or "." + a known TLD (the bare domain's
# lookbehind). A sentence without any of them has no span, and most news sentences have none:
# this plain search costs a tenth of running the full pattern over them (issue 19: it ran
# twice per sentence, when protecting and in QA). Derived from the same constants, so a new
# kind must add its mark here (tests/test_spans.py compares the two on every kind's examples).
_MARKS = re.compile(rf"[@#/]|www\.|\.(?:{_TLDS})")
T = TypeVar("T", bound="Located")
# Characters a URL may not end with (sentence punctuation after a link).
_URL_TRAIL = ".,;:!?'\")]}"


@dataclass(frozen=True, slots=True)
class Span:
    """One protected span: ``text[start:end] == matched``.

    Shaped like :class:`toolkit.glossary.model.Match` (``start``, ``end``, ``matched``, ``term``),
    so the glossary's placeholder, restore and splice code handles both alike; the
    canonical form of a span is the span itself.
    """

    start: int
    end: int
    matched: str
    kind: SpanKind

    @property
    def term(self) -> str:
        return self.matched


class Located(Protocol):
    """Anything with a position in a text: a glossary match or a span."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@functools.lru_cache(maxsize=32)
def _pattern(kinds: frozenset[SpanKind]) -> regex.Pattern[str]:
    """One regex over the wanted kinds, in priority order (see ``_PATTERNS``)."""
    order: tuple[SpanKind, ...] = ("email", "url", "credit", "handle", "hashtag")
    body = "|".join(f"(?P<{k}>{_PATTERNS[k]})" for k in order if k in kinds)
    return regex.compile(body or r"(?!)", regex.VERSION1)


def _trim_url(text: str) -> str:
    """Drop trailing sentence punctuation from a URL; keep a ``)`` that closes a ``(`` in it."""
    # Counted once and updated while trimming: recounting per character made a URL followed
    # by a long run of ")" quadratic.
    opens, closes, end = text.count("("), text.count(")"), len(text)
    while end and text[end - 1] in _URL_TRAIL:
        if text[end - 1] == ")":
            if opens >= closes:
                break
            closes -= 1
        end -= 1
    return text[:end]


def find_spans(text: str, config: SpanConfig) -> list[Span]:
    """Non-overlapping protected spans in ``text``, left to right (none when disabled)."""
    kinds = config.protected
    if not kinds or _MARKS.search(text) is None:
        return []
    spans: list[Span] = []
    for found in _pattern(kinds).finditer(text):
        kind: SpanKind = found.lastgroup  # type: ignore[assignment]
        matched = found.group()
        if kind == "url":
            matched = _trim_url(matched)
            if "." not in matched.split("://", 1)[-1]:
                continue  # "http://" alone, or a trimmed-away domain
        if matched:
            spans.append(Span(found.start(), found.start() + len(matched), matched, kind))
    return spans


def missing_spans(source: str, target: str, config: SpanConfig) -> list[str]:
    """Spans of ``source`` that ``target`` does not contain byte for byte as often.

    Used to verify pinning and, in QA, human corrections: a span must come through unchanged.
    """
    wanted = Counter(span.matched for span in find_spans(source, config))
    return [text for text, count in wanted.items() if target.count(text) < count]


def merge(matches: Sequence[T], spans: Sequence[Span]) -> list[T | Span]:
    """Glossary ``matches`` and ``spans`` in text order; a match overlapping a span is dropped
    (a name inside a URL stays part of the URL, which is restored whole)."""
    kept = [m for m in matches if not any(m.start < s.end and s.start < m.end for s in spans)]
    return sorted([*kept, *spans], key=lambda m: m.start)
