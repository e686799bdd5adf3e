"""Read ``glossary.yaml`` with the hardened YAML reader (:mod:`toolkit.strict_yaml`), and
errors that name file, line and column.

The file's size is bounded before it is parsed; every problem is one line
``glossary.yaml:LINE:COL: what is wrong`` (:class:`~toolkit.glossary.model.GlossaryError`).

Example::

    glossary = load_glossary(Path("glossary.yaml"))
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from toolkit.corpus.paths import GLOSSARY_NAME
from toolkit.glossary.model import Glossary, GlossaryEntry, GlossaryError, collisions, normal
from toolkit.strict_yaml import Loc, YamlRefused, read_strict_yaml, yes_no_fix

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

MAX_GLOSSARY_BYTES = 1_000_000
"""A glossary larger than this is refused before parsing (1 MB is ~10,000 entries)."""


class _GlossaryFile(BaseModel):
    """The file's top level: a format version and the entries."""

    model_config = ConfigDict(extra="forbid", strict=True)

    version: Literal[1] = 1
    entries: list[GlossaryEntry]


def _at(name: str, mark: yaml.Mark | None, message: str) -> GlossaryError:
    """The one-line error ``name:LINE:COL: message`` (``1:1`` when the place is unknown)."""
    where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else "1:1"
    return GlossaryError(f"{name}:{where}: {' '.join(message.split())}")


def _mark_for(loc: Loc, marks: dict[Loc, yaml.Mark]) -> yaml.Mark | None:
    """The mark of pydantic's error location ``loc``, or of its nearest recorded parent."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
    return None


def _describe(loc: Loc) -> str:
    """``("entries", 3, "kind")`` -> ``entries[3].kind``: where, in the file's own words."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _read_yaml(text: str, name: str) -> tuple[Any, dict[Loc, yaml.Mark]]:
    """The glossary file's data and marks; every problem a one-line :class:`GlossaryError`."""
    try:
        found = read_strict_yaml(text, "the top level must be a mapping with 'entries:'")
    except YamlRefused as err:
        raise _at(name, err.mark, err.message) from None
    if found is None:
        raise _at(name, None, "the file is empty; it needs a top-level 'entries:' list")
    return found


def _too_big(name: str, size: int) -> GlossaryError:
    """The error for a file over :data:`MAX_GLOSSARY_BYTES`, refused before it is parsed."""
    return GlossaryError(
        f"{name}:1:1: file is {size} bytes, over the {MAX_GLOSSARY_BYTES}-byte limit; "
        "trim it or split it by corpus"
    )


def parse_glossary(data: bytes, name: str = GLOSSARY_NAME) -> Glossary:
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
        mark = _mark_for(loc, marks)
        fix = _yes_no(errors[0], _written_word(text, mark))
        message = f"{_describe(loc) or 'top level'}: {errors[0]['msg']}{fix}{more}"
        raise _at(name, mark, message) from None
    entries = parsed.entries
    problems = collisions(entries)
    if problems:
        first, second, spelling = problems[0]
        mark = _spelling_mark(entries[second], second, spelling, marks, last=True)
        if first == second:
            message = f"{spelling!r} is listed twice in entry {entries[first].term!r}; keep one"
        else:
            first_mark = _spelling_mark(entries[first], first, spelling, marks, last=False)
            line = first_mark.line + 1 if first_mark is not None else "?"
            role = "term" if normal(spelling) == normal(entries[second].term) else "alias"
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


def _yes_no(error: ErrorDetails, word: str) -> str:
    """The fix when a text field holds a yes/no value YAML read (``languages: [no]``, Norwegian;
    ``aliases: [On]``; ``term: Yes``): :func:`toolkit.strict_yaml.yes_no_fix`, its example in
    the field's own shape with the word as written (``languages: ['no']``, ``term: 'Yes'``)."""
    if error["type"] != "string_type":
        return ""
    loc = error["loc"]
    field = next((part for part in reversed(loc) if isinstance(part, str)), "term")
    example = f"{field}: ['{word}']" if isinstance(loc[-1], int) else f"{field}: '{word}'"
    return yes_no_fix([error.get("input")], example)


# At a field's mark (its key: "note: off") or a list item's ("[Nobu-san, On]": the item).
_YES_NO_WORD = re.compile(r"(?:[A-Za-z_]{1,40}:[ \t]*)?(yes|no|on|off|true|false)\b", re.I)


def _written_word(text: str, mark: yaml.Mark | None) -> str:
    """The yes/no word as written at ``mark`` (``Yes``, ``On``); ``no`` when none is there."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return "no"
    found = _YES_NO_WORD.match(lines[mark.line], mark.column)
    return found.group(1) if found else "no"


def _spelling_mark(
    entry: GlossaryEntry, index: int, spelling: str, marks: dict[Loc, yaml.Mark], *, last: bool
) -> yaml.Mark | None:
    """Where ``spelling`` is written in entry ``index`` (exact spelling preferred over a
    case variant); the last such place for the entry reported, the first for the owner."""
    locs: list[Loc] = [("entries", index, "term")]
    locs += [("entries", index, "aliases", i) for i in range(len(entry.aliases))]
    pairs = list(zip(locs, entry.spellings, strict=True))
    found = [loc for loc, text in pairs if normal(text) == normal(spelling)] or [
        loc for loc, text in pairs if normal(text).casefold() == normal(spelling).casefold()
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
