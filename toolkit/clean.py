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

from typing import Any, Literal

import ftfy
import regex
from pydantic import BaseModel, ConfigDict


class CleanConfig(BaseModel):
    """Cleaning settings; the ftfy part becomes an explicit ``ftfy.TextFixerConfig``.

    Quotes are *not* uncurled by default: „…“ and “…” are part of a news
    article's typography and the translation model has seen them in training.
    """

    model_config = ConfigDict(frozen=True)

    unescape_html: Literal["auto"] | bool = "auto"
    uncurl_quotes: bool = False
    fix_latin_ligatures: bool = True
    fix_character_width: bool = True
    normalization: Literal["NFC", "NFKC", "NFD", "NFKD"] | None = "NFC"
    max_decode_length: int = 1_000_000
    space_before_comma: bool = True
    """Remove the stray space in "Romulus , een" (a common copy-paste artefact)."""

    def ftfy_config(self) -> ftfy.TextFixerConfig:
        """The ftfy configuration for these settings; every other field at ftfy's default."""
        return ftfy.TextFixerConfig(
            unescape_html=self.unescape_html,
            uncurl_quotes=self.uncurl_quotes,
            fix_latin_ligatures=self.fix_latin_ligatures,
            fix_character_width=self.fix_character_width,
            normalization=self.normalization,
            max_decode_length=self.max_decode_length,
            explain=True,
        )

    def ftfy_record(self) -> dict[str, Any]:
        """The full ftfy configuration as recorded in provenance (``explain`` excluded)."""
        record = self.ftfy_config()._asdict()
        record.pop("explain")
        return record


class Cleaned(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    changes: list[str]
    """Steps that changed the text, e.g. ``ftfy:fix_encoding`` or ``space-chars (x3)``."""


# The normalization table: (name, pattern, replacement), applied in order.
# Line endings come first so that later patterns only ever see "\n".
_STEPS: tuple[tuple[str, regex.Pattern[str], str], ...] = (
    ("line-endings", regex.compile(r"\r\n?|[\u2028\u2029\x85]"), "\n"),
    ("space-chars", regex.compile(r"[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"), " "),
    ("invisible-chars", regex.compile(r"[\u00ad\u180e\u200b-\u200d\u2060\ufeff]"), ""),
    ("control-chars", regex.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"), ""),
    ("space-runs", regex.compile(r" {2,}"), " "),
    ("line-edge-spaces", regex.compile(r"(?m)^ +| +$"), ""),
    ("blank-lines", regex.compile(r"\n{3,}"), "\n\n"),
)
_SPACE_BEFORE_COMMA = regex.compile(r"(?<=\w) +(?=,(?:\s|$))")


def _ftfy(text: str, config: CleanConfig) -> tuple[str, list[str]]:
    fixed = ftfy.fix_and_explain(text, config.ftfy_config())
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
    """Apply the normalization table; return the text and the names of steps that changed it."""
    config = config or CleanConfig()
    changes: list[str] = []
    steps = list(_STEPS)
    if config.space_before_comma:
        steps.append(("space-before-comma", _SPACE_BEFORE_COMMA, ""))
    for name, pattern, repl in steps:
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
