"""The strict YAML reader gives the same answer on libyaml's parser as on PyYAML's own.

:func:`toolkit.strict_yaml.read_strict_yaml` reads with libyaml's C parser where PyYAML has
it (the no-op build parses the glossary every run) and with the pure-Python reader, the
reference, everywhere else and for whatever libyaml refuses. The answer (the data, the
line and column of every key and item, or the refusal's words and place) must be the
reference's for every text: the shipped glossary, every string in this test suite (the
hostile inputs among them), the cases where the two parsers were found to differ, and
generated documents.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import strict_yaml
from toolkit.glossary.load import parse_glossary
from toolkit.glossary.model import GlossaryError
from toolkit.strict_yaml import YamlRefused, read_strict_yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = (ROOT / "glossary.yaml").read_text(encoding="utf-8")

needs_libyaml = pytest.mark.skipif(
    strict_yaml._CStrictLoader is None, reason="PyYAML without libyaml: only the pure reader"
)


def _answer(read: Any, text: str) -> Any:
    """What a reader makes of ``text``, in comparable form (``repr`` of the data: NaN)."""
    try:
        found = read(text)
    except YamlRefused as err:
        where = None if err.mark is None else (err.mark.line, err.mark.column)
        return ("refused", err.message, where)
    if found is None:
        return None
    data, marks = found
    return repr(data), {loc: (mark.line, mark.column) for loc, mark in marks.items()}


def _reference(text: str) -> Any:
    return _answer(lambda t: strict_yaml._read(strict_yaml._StrictLoader, t, "top"), text)


def _fast(text: str) -> Any:
    return _answer(lambda t: read_strict_yaml(t, "top"), text)


@needs_libyaml
def test_libyaml_reads_the_shipped_glossary_as_the_reference_does() -> None:
    loader = strict_yaml._CStrictLoader
    by_libyaml = _answer(lambda t: strict_yaml._read(loader, t, "top"), GLOSSARY)
    assert by_libyaml == _reference(GLOSSARY)
    assert by_libyaml[1][("entries", 0, "term")] == (16, 4)  # line 17, column 5


def _test_strings() -> list[str]:
    """Every string constant in this suite's modules (YAML and not: a reader must refuse
    the rest alike), the hostile glossaries of tests/test_hostile.py among them."""
    found: set[str] = {GLOSSARY}
    for module in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return sorted(found)


def test_every_string_of_the_tests_reads_as_the_reference_reads_it() -> None:
    texts = _test_strings()
    assert len(texts) > 300
    differ = [text for text in texts if _fast(text) != _reference(text)]
    assert differ == []


DIVERGENT = [
    "2\twarning\tinconsistent: same source as 3\n",  # libyaml takes tabs in plain scalars
    "{k?: []}\n",  # and '?' inside a flow plain scalar
    '{"k": [1, 2.1f`?#6e]}\n',
    '{"\ufeffk": [1]}\n',  # a BOM inside the text: libyaml gives another column
    "k: [-2.0\x85?05]\n",  # NEL
    "a: b\u2028c\n",
    "k: x\x07y\n",  # control characters: libyaml's words differ
    "entries: [1\n",  # syntax errors: so do they
    "a:\tb: c\n",
    "entries: >#\n  text\n",  # libyaml takes a comment right after a block scalar's header
    "entries: |2-#x\n  text\n",
    "entries: [!, a]\n",  # and a tag right before a flow indicator
    "entries: [!!str, a]\n",
    "%YAML 1.1\n---\nentries: []\n",
]


@pytest.mark.parametrize("text", DIVERGENT)
def test_where_libyaml_differs_the_reference_answers(text: str) -> None:
    assert _fast(text) == _reference(text)


_INSERTED = [*"|>-+02# \r\n!\"':%@`&*~,[]{}a\u00e9.=<\\$", "|#", ">-#", '"#', "]#", ": #"]


def test_one_character_put_anywhere_in_the_glossary_reads_as_the_reference_reads_it() -> None:
    """Each of YAML's indicators (and a few pairs) put at the start of every 20th line of the
    shipped glossary, after its key's colon or its list item's dash (an exhaustive search of
    this kind found ``note: >#``)."""
    lines = GLOSSARY.splitlines(keepends=True)
    differ = []
    for number in range(0, len(lines), 20):
        line = lines[number]
        cuts = {0} | {line.find(mark) + len(mark) for mark in (": ", "- ") if mark in line}
        for cut in sorted(cuts):
            for insert in _INSERTED:
                text = "".join(lines[:number]) + line[:cut] + insert + line[cut:]
                text += "".join(lines[number + 1 :])
                if _fast(text) != _reference(text):
                    differ.append((number + 1, cut, insert))
    assert differ == []


def test_without_libyaml_the_pure_reader_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _reference(GLOSSARY)
    monkeypatch.setattr(strict_yaml, "_CStrictLoader", None)
    assert _fast(GLOSSARY) == expected


_TOKENS = list(":-[]{},&*!|>'\"#%@`?~ \n\n\n  \r\\019.eEaxyesnoTruefalsenull\u00e9\u00a0\U0001f600")
_TOKENS += ["<<", "=", "\t", "\ufeff", "\x85", "\u2028", "\x07", "\r\n", "---", "...", "!!", "&a"]
_token_text = st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join)
_scalars = st.one_of(
    st.text(max_size=10), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()
)
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Token soup, dumped data in every style, or the shipped glossary, mutated or not."""
    kind = draw(st.sampled_from(["tokens", "dumped", "glossary"]))
    if kind == "tokens":
        return draw(_token_text)
    if kind == "dumped":
        text = yaml.safe_dump(
            {"entries": draw(_data)},
            default_flow_style=draw(st.sampled_from([None, True, False])),
            default_style=draw(st.sampled_from([None, '"', "'", "|", ">"])),
            allow_unicode=draw(st.booleans()),
            width=draw(st.sampled_from([12, 80])),
        )
    else:
        text = GLOSSARY
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 4)))
        text = text[:start] + draw(_token_text.map(lambda t: t[:4])) + text[end:]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_documents())
def test_generated_documents_read_as_the_reference_reads_them(text: str) -> None:
    assert _fast(text) == _reference(text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"entries: []\x07", "glossary.yaml:1:12: invalid YAML: character U+0007 is not allowed"),
        (b"entries:\n  - term: a\x1bb\n", "glossary.yaml:2:12: invalid YAML: character U+001B"),
        (b"entries:\n  - term: !!bool truEe\n", "glossary.yaml:2:11: 'truEe' cannot be read as"),
        (b"entries:\n  - term: !!int\n", "glossary.yaml:2:11: '' cannot be read as an integer"),
    ],
)
def test_a_control_character_or_a_bad_tagged_value_is_one_line(data: bytes, message: str) -> None:
    """They escaped as PyYAML tracebacks (ReaderError, KeyError, IndexError) on both paths."""
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(data)
    assert str(caught.value).startswith(message)
