"""A proven no-op check for ftfy: the lines ``ftfy.fix_and_explain`` leaves as they are.

Most lines of real text come out of ftfy unchanged, yet ftfy spends ~0.35 s per MB proving
it (its mojibake regex and three str.translate passes). :func:`is_identity` decides the
same question much faster, and only answers True when every step of
``ftfy.fix_and_explain`` is provably the identity on the line:

* the character-table steps (terminal escapes, C1 controls, ligatures, character width,
  line breaks, surrogates, control characters) only act on characters in their tables, so a
  line without any of them (``_TRIGGERS``) is left alone by all of them;
* HTML unescaping replaces only what ftfy's entity pattern matches (:func:`may_unescape`):
  an ``&`` alone ("Bild & Ton") changes nothing (such a line went through all of ftfy);
* normalization is the identity on a line that is already in that form;
* fix_encoding is the identity unless ``ftfy.badness.is_bad`` is true: see
  :func:`is_bad_fast`, which gives the same answer as ``is_bad``.

:mod:`toolkit.prepare.clean` asks :func:`is_identity` before it runs ftfy on a line;
``tests/test_speed.py`` checks the answers against ftfy's own.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import Any, NamedTuple

import ftfy
import regex

from toolkit.config.prepare import CleanConfig
from toolkit.prepare.charscan import CodePoints


def _trigger_pattern() -> re.Pattern[str]:
    from ftfy.chardata import CONTROL_CHARS, LIGATURES, WIDTH_MAP

    codes = set(CONTROL_CHARS) | set(LIGATURES) | set(WIDTH_MAP)
    codes |= {ord(c) for c in "\x1b\r\u2028\u2029"}  # "&": may_unescape
    codes |= set(range(0x80, 0xA0)) | set(range(0xD800, 0xE000))
    return re.compile(_char_class(codes))


class BadnessWitness(NamedTuple):
    """Where any match of ftfy's BADNESS_RE must touch the text, and how long it can be."""

    single: CodePoints
    """Characters that alone can anchor a match."""
    pair: regex.Pattern[str]
    """Starts of two adjacent non-ASCII characters (every other kind of match has one):
    ``regex`` scans this ~5x faster than ``re`` (a plain range, in either module's hands
    the same characters)."""
    width: int
    """Longest possible match."""


@functools.cache
def badness_witness() -> BadnessWitness:
    """Analyse ``ftfy.badness.BADNESS_RE`` once, on the first line that needs it.

    Lemma, checked here on the parsed pattern rather than assumed: the pattern is a plain
    alternation of fixed-width sequences of character sets (no look-around, no end anchor,
    no back-reference), and every alternative contains either two adjacent non-ASCII-only
    sets or one set whose characters are collected in ``single``. So every match contains a
    ``single`` character or two adjacent non-ASCII characters, and lies within ``width``
    characters of it. If an ftfy release changes the pattern so that the lemma no longer
    holds, this raises :class:`UnsupportedFtfy` rather than guess.
    """
    from re import _parser as sre  # type: ignore[attr-defined]

    from ftfy.badness import BADNESS_RE

    tree = sre.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    width = tree.getwidth()[1]
    if len(tree.data) != 1 or tree.data[0][0] is not sre.BRANCH or width > 64:
        raise UnsupportedFtfy("it is no longer one alternation of short fixed-width sequences")
    single: set[int] = set()
    for alternative in tree.data[0][1][1]:
        sets: list[set[int] | None] = []
        for op, arg in alternative.data:
            if op is sre.AT and arg is sre.AT_BEGINNING:
                continue
            if op not in (sre.LITERAL, sre.IN, sre.ANY, sre.MAX_REPEAT):
                raise UnsupportedFtfy(f"an alternative uses {op}")
            sets.append(_charset(sre, op, arg))
        non_ascii = [s is not None and min(s, default=0) >= 0x80 for s in sets]
        if any(a and b for a, b in itertools.pairwise(non_ascii)):
            continue
        witnesses = [s for s, ok in zip(sets, non_ascii, strict=True) if ok and s]
        if not witnesses:
            raise UnsupportedFtfy("an alternative has no non-ASCII character to anchor on")
        single |= min(witnesses, key=len)
    return BadnessWitness(
        single=CodePoints(re.compile(_char_class(single))),
        pair=regex.compile(r"[^\x00-\x7f](?=[^\x00-\x7f])"),
        width=width,
    )


class UnsupportedFtfy(RuntimeError):
    """The installed ftfy's mojibake pattern breaks the lemma the no-op check relies on."""

    def __init__(self, why: str) -> None:
        super().__init__(
            f"toolkit cannot prove ftfy {ftfy.__version__} a no-op on clean text: its "
            f"ftfy.badness.BADNESS_RE changed ({why}); install the ftfy version pinned in "
            "toolkit's pyproject.toml, or update toolkit.prepare.ftfy_noop.badness_witness"
        )


def _char_class(codes: set[int]) -> str:
    """A regex character class for ``codes``, consecutive code points merged into ranges."""
    parts: list[str] = []
    ordered = sorted(codes)
    start = prev = ordered[0]
    for code in [*ordered[1:], -1]:
        if code != prev + 1:
            parts.append(f"\\U{start:08x}" + (f"-\\U{prev:08x}" if prev > start else ""))
            start = code
        prev = code
    return f"[{''.join(parts)}]"


def _charset(sre: Any, op: Any, arg: Any) -> set[int] | None:
    """The code points one pattern item can match; None if unbounded or optional."""
    if op is sre.LITERAL:
        return {arg}
    if op is sre.IN:
        out: set[int] = set()
        for kind, value in arg:
            if kind is sre.LITERAL:
                out.add(value)
            elif kind is sre.RANGE:
                out.update(range(value[0], value[1] + 1))
            else:  # NEGATE, CATEGORY (\w, \s): not a small set
                return None
        return out
    return None  # ANY, or a repeat (which may match nothing): no witness


_TRIGGERS = CodePoints(_trigger_pattern())  # a few dozen ranges (long lines: a table)


def is_bad_fast(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, searching only the windows where a match can be.

    A match lies within ``width`` characters of a witness position (see
    :func:`badness_witness`), so searching the merged windows around the witnesses finds one
    if and only if searching the whole text does. ``pos``/``endpos`` keep ``^`` anchored at
    the real start, and the pattern has no end anchor or look-ahead that ``endpos`` could
    change.
    """
    from ftfy.badness import BADNESS_RE

    witness = badness_witness()
    starts = witness.single.positions(text)
    starts += [m.start() for m in witness.pair.finditer(text)]
    if not starts:
        return False
    width, end = witness.width, len(text)
    starts.sort()
    lo, hi = max(0, starts[0] - width + 1), min(end, starts[0] + width)
    for q in starts[1:]:
        q_lo, q_hi = max(0, q - width + 1), min(end, q + width)
        if q_lo > hi:
            if BADNESS_RE.search(text, lo, hi):
                return True
            lo = q_lo
        hi = q_hi
    return BADNESS_RE.search(text, lo, hi) is not None


def is_identity(text: str, config: CleanConfig) -> bool:
    """True only if ``ftfy.fix_and_explain(text, ftfy_config(config))`` changes nothing."""
    if config.uncurl_quotes or _TRIGGERS.search(text):
        return False
    if "&" in text and may_unescape(text, config):
        return False
    if config.normalization and not unicodedata.is_normalized(config.normalization, text):
        return False
    return text.isascii() or not is_bad_fast(text)


def may_unescape(text: str, config: CleanConfig) -> bool:
    """Whether ftfy's ``unescape_html`` step may change ``text``: only where it runs (off in
    "auto" mode on a line holding ``<``, as ``fix_and_explain`` decides) and finds a match
    of its entity pattern (:func:`entity_pattern`)."""
    if config.unescape_html is False or (config.unescape_html == "auto" and "<" in text):
        return False
    return entity_pattern().search(text) is not None


@functools.cache
def entity_pattern() -> re.Pattern[str]:
    """What ftfy's ``unescape_html`` replaces: ``HTML_ENTITY_RE``, checked (not assumed) to
    be all the step looks at: the step is ``HTML_ENTITY_RE.sub(_unescape_fixup, text)``, which
    leaves a text without a match as it is. If an ftfy release changes that, every ``&`` is
    sent to ftfy as before this check existed (slower, never wrong)."""
    from ftfy import FIXERS, chardata, fixes

    step = FIXERS.get("unescape_html")
    code = getattr(step, "__code__", None)
    if (
        step is fixes.unescape_html
        and code is not None
        and set(code.co_names) == {"HTML_ENTITY_RE", "sub", "_unescape_fixup"}
        and getattr(fixes, "HTML_ENTITY_RE", None) is chardata.HTML_ENTITY_RE
    ):
        return chardata.HTML_ENTITY_RE
    return re.compile("&")
