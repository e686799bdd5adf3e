r"""Clean decoded text: ftfy for broken Unicode, then a table of named normalizations.

ftfy repairs what went wrong *upstream* (mojibake such as ``Ã¼`` for ``ü``,
HTML entities, terminal escapes, ligatures). The normalization table then
makes whitespace predictable for segmentation and alignment. Every step has
a name, and :func:`clean_text` reports which steps changed the text, so a
reviewer can always see why a byte differs from the original.

Example:
    >>> clean_text("Caf\u00c3\u00a9 \u00a0 au\u200b lait\r\n\r\n\r\nNext").text
    'Café au lait\n\nNext'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import ftfy
import regex
from pydantic import BaseModel, ConfigDict

from toolkit.config.prepare import CleanConfig
from toolkit.prepare import ftfy_noop
from toolkit.prepare.charscan import CodePoints


def ftfy_config(config: CleanConfig) -> ftfy.TextFixerConfig:
    """The ftfy configuration for ``config``; every other field at ftfy's default."""
    return ftfy.TextFixerConfig(
        unescape_html=config.unescape_html,
        uncurl_quotes=config.uncurl_quotes,
        fix_latin_ligatures=config.fix_latin_ligatures,
        fix_character_width=config.fix_character_width,
        normalization=config.normalization,
        max_decode_length=config.max_decode_length,
        explain=True,
    )


def ftfy_record(config: CleanConfig) -> dict[str, Any]:
    """The full ftfy configuration as recorded in provenance (``explain`` excluded)."""
    record = ftfy_config(config)._asdict()
    record.pop("explain")
    return record


class Cleaned(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    changes: list[str]
    """Steps that changed the text, e.g. ``ftfy:fix_encoding`` or ``space-chars (x3)``."""


BIDI_CONTROLS: dict[str, str] = {
    "\u061c": "ALM", "\u200e": "LRM", "\u200f": "RLM",
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}  # fmt: skip
"""Characters whose only job is to change the order in which text is displayed, and their
standard abbreviations (what review shows in their place and QA names)."""


def _has_edge_space(text: str) -> bool:
    """A space at the start or end of a line: where ``(?m)^ +| +$`` can match."""
    return " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " "


# The normalization table: (name, pattern, replacement, may_match), applied in order. Line
# endings come first so that later patterns only ever see "\n". ``may_match`` is a necessary
# condition for ``pattern`` to match, far cheaper than the ``regex`` module's scan (which was
# half of cleaning), so a step it rules out is skipped: it would replace nothing. The
# character steps share one condition (any of their characters: one scan, see
# ``_CHARACTER_STEPS``, ``re`` on a short text and a table on a long one: charscan.py); the
# others test a literal that every match contains.
_LINE_ENDINGS = r"[\r\u2028\u2029\x85]"
_SPACE_CHARS = r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_INVISIBLE_CHARS = r"[\u00ad\u180e\u200b-\u200d\u2060\ufeff]"
# A zero-width joiner between two pictographs (an optional VS16 or skin tone after the
# first) is part of one emoji: 👨‍👩‍👧 is a family, and without the joiners three people.
# Everywhere else it is invisible noise, like the others.
_INVISIBLE_CHARS_BUT_EMOJI_ZWJ = (
    r"[\u00ad\u180e\u200b\u200c\u2060\ufeff]"
    r"|(?<!\p{Extended_Pictographic}[\ufe0f\U0001F3FB-\U0001F3FF]?)\u200d"
    r"|\u200d(?!\p{Extended_Pictographic})"
)
_BIDI_CHARS = "[" + "".join(BIDI_CONTROLS) + "]"
_CONTROL_CHARS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"
# Unicode's 66 noncharacters (U+FFFE, U+FFFF, U+FDD0-U+FDEF, the last two of each plane):
# never text; XML cannot hold them, so TMX export alone turned them into U+FFFD.
_NONCHARACTERS = (
    r"[\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"\\U{p:04X}FFFE\\U{p:04X}FFFF" for p in range(1, 17))
    + "]"
)
# One class of all their characters: ``re`` scans it ~3x faster than ``regex`` scans one of
# them, and on a class of explicit code points the two modules agree. The 32 astral
# noncharacters stand in it as the whole astral range (any emoji then runs the steps): listed
# one by one they made ``re`` scan 10x slower (clean_text on 10kGNAD: 9.5 -> 6.1 MB/s).
_CHARACTERS = (
    _LINE_ENDINGS, _SPACE_CHARS, _INVISIBLE_CHARS, _BIDI_CHARS, _CONTROL_CHARS,
    r"[\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]",
)  # fmt: skip
_CHARACTER_STEPS = CodePoints(re.compile("[" + "".join(c[1:-1] for c in _CHARACTERS) + "]")).search


def _step(
    name: str, pattern: str, repl: str, may_match: Callable[[str], object] = _CHARACTER_STEPS
) -> tuple[str, regex.Pattern[str], str, Callable[[str], object]]:
    """One row of the table: ``may_match`` defaults to the character steps' shared check."""
    return name, regex.compile(pattern), repl, may_match


_STEPS = (
    _step("line-endings", r"\r\n?|" + _LINE_ENDINGS, "\n"),  # every match starts with one
    _step("space-chars", _SPACE_CHARS, " "),
    _step("invisible-chars", _INVISIBLE_CHARS_BUT_EMOJI_ZWJ, ""),
    # Bidi controls change the order in which text is *displayed*, not the text the model
    # and the TSV get: "beträgt \u202e0051\u202c Euro" shows as "1500 Euro" (Trojan Source).
    # Overrides, embeddings and isolates go, and so do the marks LRM/RLM/ALM: they are
    # invisible, mean nothing to German, Dutch or English text or the model, and two of
    # them reorder too ("\u200f10 - 20\u200f" displays as "20 - 10"). Right-to-left letters
    # themselves are untouched and display as their script requires.
    _step("bidi-controls", _BIDI_CHARS, ""),
    _step("control-chars", _CONTROL_CHARS, ""),
    _step("noncharacters", _NONCHARACTERS, ""),
    _step("space-runs", r" {2,}", " ", lambda text: "  " in text),
    _step("line-edge-spaces", r"(?m)^ +| +$", "", _has_edge_space),
    _step("blank-lines", r"\n{3,}", "\n\n", lambda text: "\n\n\n" in text),
)
# Every match ends with a space before a comma.
_SPACE_BEFORE_COMMA = _step(
    "space-before-comma", r"(?<=\w) +(?=,(?:\s|$))", "", lambda text: " ," in text
)
# A run of more than ``max_combining_marks`` (>= 1) marks holds two adjacent ones.
_MARK_PAIR = regex.compile(r"\p{M}\p{M}")


# Two neighbours both at U+0300 or above: every pair of marks is one (when no mark lies below
# U+0300, the first block of combining marks; checked). ``regex`` finds this plain range ~10x
# faster than its scan for \p{M}: news text holds no such pair, and skips the step.
_HIGH_PAIR = regex.compile(r"[^\x00-\u02ff][^\x00-\u02ff]")


@functools.cache
def _marks_start_at_0300() -> bool:
    """Whether ``regex``'s Unicode data has no mark below U+0300, checked rather than assumed."""
    return not regex.search(r"\p{M}", "".join(map(chr, range(0x300))))


def _may_hold_mark_pair(text: str) -> bool:
    """``_MARK_PAIR.search(text)``, skipped where no two neighbours are both U+0300 or above."""
    if _marks_start_at_0300() and not _HIGH_PAIR.search(text):
        return False
    return _MARK_PAIR.search(text) is not None


@functools.lru_cache(maxsize=8)
def _combining_run(limit: int) -> regex.Pattern[str]:
    """A run of more than ``limit`` combining marks; group 1 is the first ``limit`` of them.

    Possessive, and anchored at a run's first mark, so a run of any length costs linear time.
    """
    return regex.compile(rf"(?<!\p{{M}})(\p{{M}}{{{limit}}})\p{{M}}++")


# "&amp;amp;amp;x": ftfy unescapes one level per round and repeats until nothing changes,
# so n levels cost O(n^2). Collapsing the run first gives the same result in one round.
_NESTED_AMP = re.compile(r"&(?:amp;){2,}")


def _collapse_nested_amp(text: str, config: CleanConfig) -> str:
    """``&amp;amp;…`` -> ``&amp;`` where ftfy would unescape HTML (its "auto" mode skips
    lines containing ``<``); ftfy's own rounds then finish exactly as before."""
    if "&amp;amp;" not in text or config.unescape_html is False:
        return text
    if config.unescape_html == "auto" and "<" in text:
        return text
    return _NESTED_AMP.sub("&amp;", text)


def _ftfy(text: str, config: CleanConfig) -> tuple[str, list[str]]:
    if ftfy_noop.is_identity(text, config):
        return text, []
    text = _collapse_nested_amp(text, config)
    fixed = ftfy.fix_and_explain(text, ftfy_config(config))
    steps: list[str] = []
    for _action, step in fixed.explanation or ():
        name = f"ftfy:{step}"
        if name not in steps:
            steps.append(name)
    return fixed.text, steps


def fix_unicode(text: str, config: CleanConfig | None = None) -> tuple[str, list[str]]:
    """Run ftfy line by line (as ``ftfy.fix_text`` does) and name the fixes it applied."""
    config = config or CleanConfig()
    out: list[str] = []
    changes: list[str] = []
    for line in text.splitlines(keepends=True):
        fixed, steps = _ftfy(line, config)
        out.append(fixed)
        changes.extend(s for s in steps if s not in changes)
    return "".join(out), changes


def normalize(text: str, config: CleanConfig | None = None) -> tuple[str, list[str]]:
    """Apply the normalization table; return the text and the names of steps that changed it.

    A step whose ``may_match`` rules it out is skipped: it would find nothing to replace.
    """
    config = config or CleanConfig()
    changes: list[str] = []
    steps = list(_STEPS)
    if config.space_before_comma:
        steps.append(_SPACE_BEFORE_COMMA)
    combining = _combining_run(config.max_combining_marks)
    steps.append(("combining-marks", combining, r"\1", _may_hold_mark_pair))  # type: ignore[arg-type]
    ruled_out: dict[object, str] = {}  # may_match -> the (unchanged) text it ruled out
    for name, pattern, repl, may_match in steps:
        if ruled_out.get(may_match) is text or not may_match(text):
            ruled_out[may_match] = text  # the character steps share one condition
            continue
        text, n = pattern.subn(repl, text)
        if n:
            changes.append(f"{name} (x{n})")
    stripped = text.strip()
    if stripped != text:
        changes.append("strip")
    return stripped, changes


def clean_text(text: str, config: CleanConfig | None = None) -> Cleaned:
    """ftfy, then normalization, repeated until nothing changes (at most ``_MAX_PASSES``).

    Repeating makes cleaning idempotent: removing a control character or
    turning NBSP into a space can leave a sequence that ftfy would repair
    (``"\x9dÜ¯"`` becomes ``"Ü¯"``, which is UTF-8 mojibake), so one pass is
    not always a fixpoint. Real text converges in one or two passes.
    """
    config = config or CleanConfig()
    changes: list[str] = []
    for _ in range(_MAX_PASSES):
        fixed, ftfy_changes = fix_unicode(text, config)
        normalized, norm_changes = normalize(fixed, config)
        changes += [c for c in ftfy_changes + norm_changes if c not in changes]
        if normalized == text:
            break
        text = normalized
    return Cleaned(text=text, changes=changes)


_MAX_PASSES = 4
