"""A hardened YAML reader for the files users write: ``glossary.yaml`` and a corpus's
``settings.yaml``.

It refuses anchors and aliases (the simplest complete defence against alias bombs: those files
never need them), tags other than plain YAML values, duplicate or non-scalar keys and values
Python cannot build, and bounds node count and nesting, so a hostile file costs little. It
returns the plain data and the mark (line, column) of every key and list item, so callers
can name the place of any later validation error in one line.

>>> data, marks = read_strict_yaml("entries:\\n  - term: Nobu\\n", "expected a mapping")
>>> data, marks[("entries", 0)].line + 1
({'entries': [{'term': 'Nobu'}]}, 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 20


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
    defence against alias bombs, and a glossary or settings file never needs them.
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

Loc = tuple[object, ...]  # keys (str, or True for a key 'yes') and list indexes


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
            if key_node.tag != "tag:yaml.org,2002:str":  # yes: the data's key is True, and
                # a caller naming it in an error looks its mark up by that key
                value = yaml.SafeLoader("").construct_object(key_node)
                marks.setdefault((*loc, value), key_node.start_mark)
            _walk(value_node, (*loc, key), marks)


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


def yes_no_fix(values: Iterable[object], example: str) -> str:
    """The fix when YAML read a word as a yes/no value, for a message that refuses one of
    ``values`` (``""`` when none is a bool): ``no`` (Norwegian's code) is False, as are
    ``off``/``false``, and ``yes``/``on``/``true`` are True; quoted they stay text
    (``example``: the caller's own line, quoted: ``x.txt: 'no'``). The one wording for
    ``settings.yaml`` and ``glossary.yaml``."""
    if not any(isinstance(v, bool) for v in values):
        return ""
    return f"; YAML reads no/off/false and yes/on/true as yes/no values: quote the word ({example})"
