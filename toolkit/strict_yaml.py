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

import re
from collections.abc import Iterable
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 20


class YamlRefused(Exception):
    """What :func:`read_strict_yaml` refuses: where (``mark``; None when unknown) and why,
    in words for a one-line error that the caller prefixes with its file name."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _StrictChecks:
    """What both readers add to PyYAML's composer and constructor: anchors and aliases
    refused, node count and nesting depth bounded, values Python cannot build refused.

    Refusing anchors outright (rather than counting expansions) is the simplest complete
    defence against alias bombs, and a glossary or settings file never needs them.
    """

    node_count = 0
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
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
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value YAML recognises but Python cannot build (the date ``2024-13-01``, an
        integer of 5,000 digits) is refused at its place instead of raising ValueError."""
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError, KeyError, IndexError):
            # KeyError, IndexError: PyYAML's own bugs on an explicit tag (!!bool yes-ish,
            # an empty !!int), which escaped as a traceback before
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:37] + "..."
            kind = _VALUE_KINDS.get(str(node.tag).rsplit(":", 1)[-1], "a value")
            raise YamlRefused(
                node.start_mark, f"{shown!r} cannot be read as {kind}; quote it to keep it as text"
            ) from None


class _StrictLoader(_StrictChecks, yaml.SafeLoader):
    """The reference reader: PyYAML's pure-Python scanner and parser."""


def _libyaml_loader() -> type | None:
    """The same reader on libyaml's C scanner and parser (~5x faster on the shipped glossary:
    the no-op build reads it every run), or None where PyYAML was built without libyaml.

    Only the events come from C: the composer (with the checks above), resolver and
    constructor are PyYAML's own Python classes, as in :class:`_StrictLoader`, so both build
    the same nodes from the same events. ``tests/test_strict_yaml.py`` compares the two on
    every YAML file of the project's tests, the hostile inputs and generated documents.
    """
    try:
        from yaml._yaml import CParser
    except ImportError:
        return None

    class _CStrictLoader(_StrictChecks, Composer, CParser, SafeConstructor, Resolver):
        """libyaml's events, composed, checked and built as :class:`_StrictLoader` does
        (the Python composer comes before ``CParser``, whose own C composer is unused)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)

    return _CStrictLoader


_CStrictLoader = _libyaml_loader()

_PURE_ONLY = re.compile("[\t?!\ufeff\x85\u2028\u2029]|[|>][-+0-9]*#|^%", re.MULTILINE)
"""Where the two parsers were found to differ (``tests/test_strict_yaml.py``): libyaml takes
tabs (``a\tb: c``), ``?`` inside plain scalars in flow collections (``{k?: []}``), a tag
right before a flow indicator (``[!, a]``, ``[!!str, a]``) and a comment right after a block
scalar's header (``note: >#``) that PyYAML refuses, and counts columns after a byte-order
mark, NEL or line separator otherwise. A text with any of them, any tag (``!``) or a
directive (``%`` at a line's start) is read by the reference alone, so nothing PyYAML
refuses is taken.
"""


_VALUE_KINDS = {
    "int": "an integer",
    "float": "a number",
    "timestamp": "a date",
    "bool": "true or false",
}
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

    libyaml reads it when PyYAML has it (:func:`_libyaml_loader`); whatever it refuses is read
    again by the pure-Python reader, whose error (message, line and column) is the one
    raised: the two parsers word their syntax errors differently, and the tests pin these.
    A text holding one of :data:`_PURE_ONLY` goes to the pure reader alone.
    """
    if _CStrictLoader is not None and not _PURE_ONLY.search(text):
        try:
            return _read(_CStrictLoader, text, not_mapping)
        except (YamlRefused, UnicodeError):  # UnicodeError: a lone surrogate
            pass  # the reference reader's words and place, below
    return _read(_StrictLoader, text, not_mapping)


def _read(
    loader_class: type, text: str, not_mapping: str
) -> tuple[Any, dict[Loc, yaml.Mark]] | None:
    """:func:`read_strict_yaml` with ``loader_class`` (:class:`_StrictLoader` or libyaml's)."""
    marks: dict[Loc, yaml.Mark] = {}
    loader = None
    try:
        loader = loader_class(text)  # the pure reader refuses control characters here
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
    except yaml.reader.ReaderError as err:  # a control character (the file is already text)
        raise YamlRefused(
            _mark_at(text, err.position),
            f"invalid YAML: character U+{err.character:04X} is not allowed; remove it",
        ) from None
    except yaml.YAMLError as err:
        raise YamlRefused(None, f"invalid YAML: {' '.join(str(err).split())}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _mark_at(text: str, position: int) -> yaml.Mark:
    """The mark (line and column, from 0) of character ``position`` of ``text``."""
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    return yaml.Mark("<unicode string>", position, line, column, None, None)


def yes_no_fix(values: Iterable[object], example: str) -> str:
    """The fix when YAML read a word as a yes/no value, for a message that refuses one of
    ``values`` (``""`` when none is a bool): ``no`` (Norwegian's code) is False, as are
    ``off``/``false``, and ``yes``/``on``/``true`` are True; quoted they stay text
    (``example``: the caller's own line, quoted: ``x.txt: 'no'``). The one wording for
    ``settings.yaml`` and ``glossary.yaml``."""
    if not any(isinstance(v, bool) for v in values):
        return ""
    return f"; YAML reads no/off/false and yes/on/true as yes/no values: quote the word ({example})"
