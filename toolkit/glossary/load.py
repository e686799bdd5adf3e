"""Read ``glossary.yaml``: a hardened YAML reader and errors that name file, line and column.

The reader refuses anchors, aliases, unsafe tags and duplicate keys, and bounds size, node
count and nesting, so a hostile file costs little; every problem is one line
``glossary.yaml:LINE:COL: what is wrong`` (:class:`~toolkit.glossary.model.GlossaryError`).

Example::

    glossary = load_glossary(Path("glossary.yaml"))
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from toolkit.glossary.model import Glossary, GlossaryEntry, GlossaryError, collisions, normal

MAX_GLOSSARY_BYTES = 1_000_000
"""A glossary larger than this is refused before parsing (1 MB is ~10,000 entries)."""
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 20


class _GlossaryFile(BaseModel):
    """The file's top level: a format version and the entries."""

    model_config = ConfigDict(extra="forbid", strict=True)

    version: Literal[1] = 1
    entries: list[GlossaryEntry]


class YamlRefused(Exception):
    """What :func:`read_strict_yaml` refuses: where (``mark``; None when unknown) and why,
    in words for a one-line error that the caller prefixes with its file name."""

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
            raise YamlRefused(
                event.start_mark, f"alias *{event.anchor} is not allowed; write it out"
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlRefused(event.start_mark, f"anchor &{anchor} is not allowed; write it out")
        self.node_count += 1
        if self.node_count > MAX_YAML_NODES:
            raise YamlRefused(event.start_mark, f"more than {MAX_YAML_NODES} YAML nodes")
        self.depth += 1
        if self.depth > MAX_YAML_DEPTH:
            raise YamlRefused(event.start_mark, f"nested deeper than {MAX_YAML_DEPTH} levels")
        try:
            return super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value YAML recognises but Python cannot build (the date ``2024-13-01``, an
        integer of 5,000 digits) is refused at its place instead of raising ValueError."""
        try:
            return super().construct_object(node, deep)  # type: ignore[no-untyped-call]
        except (ValueError, OverflowError):
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:37] + "..."
            kind = _VALUE_KINDS.get(str(node.tag).rsplit(":", 1)[-1], "a value")
            raise YamlRefused(
                node.start_mark, f"{shown!r} cannot be read as {kind}; quote it to keep it as text"
            ) from None


_VALUE_KINDS = {"int": "an integer", "float": "a number", "timestamp": "a date"}
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
        raise YamlRefused(
            node.start_mark, f"tag {node.tag!r} is not allowed; use plain YAML values"
        )
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks[(*loc, index)] = item.start_mark
            _walk(item, (*loc, index), marks)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SAFE_TAGS:
                raise YamlRefused(key_node.start_mark, "keys must be plain words such as 'term'")
            key = str(key_node.value)
            if key in seen:
                raise YamlRefused(
                    key_node.start_mark,
                    f"duplicate key {key!r} (first at line {seen[key].line + 1}); keep one",
                )
            seen[key] = key_node.start_mark
            marks[(*loc, key)] = key_node.start_mark
            _walk(value_node, (*loc, key), marks)


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


def read_strict_yaml(text: str, not_mapping: str) -> tuple[Any, dict[Loc, yaml.Mark]] | None:
    """One YAML mapping read strictly: its plain data and the mark of every key and list item
    (by location, e.g. ``("entries", 3, "kind")``); None for an empty document.

    Anchors, aliases, tags other than plain YAML values, duplicate or non-scalar keys, values
    Python cannot build, and a top level that is not a mapping (``not_mapping`` says what it
    should be) raise :class:`YamlRefused`, as does any YAML syntax error.
    """
    loader = _StrictLoader(text)
    marks: dict[Loc, yaml.Mark] = {}
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        marks[()] = root.start_mark
        _walk(root, (), marks)
        if not isinstance(root, yaml.MappingNode):
            raise YamlRefused(root.start_mark, not_mapping)
        return loader.construct_document(root), marks
    except yaml.MarkedYAMLError as err:
        problem = " ".join((err.problem or err.context or "invalid YAML").split())
        mark = err.problem_mark or err.context_mark
        raise YamlRefused(mark, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as err:  # e.g. reader errors for control characters
        raise YamlRefused(None, f"invalid YAML: {' '.join(str(err).split())}") from None
    finally:
        loader.dispose()


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
