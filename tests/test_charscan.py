"""``charscan.CodePoints`` answers as ``re`` does, on short texts (``re`` itself) and long
ones (the table): the same characters found, at the same places."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.prepare import charscan, clean, ftfy_noop
from toolkit.prepare.charscan import CodePoints

CLASSES = [
    re.compile(r"[\x00-\x08\u00a0\u2028-\u202e\ud800-\udfff\U0001f600-\U0001f64f]"),
    re.compile(r"x"),
    ftfy_noop._TRIGGERS.pattern,
    clean._CHARACTER_STEPS.__self__.pattern,  # type: ignore[attr-defined]
    ftfy_noop.badness_witness().single.pattern,
]
near = st.sampled_from(
    "ax \x00\x08\x09\x7f\x80\x9f\xa0\xad\u2027\u2028\u202e\u202f\ud800\udfff\ue000\ufb01"
    "\uff01\U0001f5ff\U0001f600\U0001f64f\U0001f650\U0010ffff"
)
texts = st.lists(st.one_of(near, st.characters()), max_size=700).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(CLASSES))
def test_the_table_finds_what_re_finds(text: str, pattern: re.Pattern[str]) -> None:
    found = [m.start() for m in pattern.finditer(text)]
    points = CodePoints(pattern)
    assert points.search(text) == bool(found)
    assert points.positions(text) == found
    long = text * (charscan.LONG // max(len(text), 1) + 1)  # the table's side of LONG
    assert len(long) >= charscan.LONG or not text
    assert points.positions(long) == [m.start() for m in pattern.finditer(long)]


def test_a_long_text_is_looked_up_in_the_table_and_a_short_one_scanned() -> None:
    points = CodePoints(re.compile(r"[\u00a0]"))
    assert points._table is None
    assert points.search("a\u00a0b" * 10) and points._table is None  # short: re, no table
    text = "x" * charscan.LONG + "\u00a0"
    assert points.search(text) and points.positions(text) == [charscan.LONG]
    assert points._table is not None and not points.search("x" * 2 * charscan.LONG)


def test_a_huge_text_is_looked_up_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charscan, "CHUNK", charscan.LONG)
    sizes: list[int] = []
    real = charscan.code_points
    monkeypatch.setattr(charscan, "code_points", lambda *a: sizes.append(len(real(*a))) or real(*a))
    points = CodePoints(re.compile(r"[\u00a0\U0001f600]"))
    text = ("a" * 300 + "\u00a0" + "b" * 211 + "\U0001f600") * 5
    expected = [m.start() for m in points.pattern.finditer(text)]
    assert points.positions(text) == expected and len(expected) == 10
    assert points.search(text[:300] * 9 + text) and not points.search(text[:300] * 9)
    assert max(sizes) == charscan.LONG  # never the whole text at once


@pytest.mark.parametrize("pattern", [r"[^a]", r"[\w]", r"ab", r"(?i)[a]", r"[a]+"])
def test_what_is_not_one_plain_class_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="charscan"):
        CodePoints(re.compile(pattern)).table()
