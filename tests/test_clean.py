"""Cleaning: ftfy repairs plus the named normalization table."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.clean import CleanConfig, clean_text


def test_repairs_mojibake_and_names_the_fix() -> None:
    cleaned = clean_text("Die Gr\u00c3\u00b6\u00c3\u0178e ist \u00c3\u00bcberraschend.")
    assert cleaned.text == "Die Größe ist überraschend."
    assert any(c.startswith("ftfy:") for c in cleaned.changes)


def test_spaces_zero_width_and_control_characters() -> None:
    raw = "Kim\u00a0Kardashian \u2009 und\u200b Kanye\x07 West\u00ad.\t Ende"
    cleaned = clean_text(raw)
    assert cleaned.text == "Kim Kardashian und Kanye West. Ende"
    names = " ".join(cleaned.changes)
    for step in ("space-chars", "invisible-chars", "control", "space-runs"):
        assert step in names  # ftfy's remove_control_chars or our own table


def test_line_endings_unified_and_paragraphs_kept() -> None:
    cleaned = clean_text("Erster Absatz.\r\nNoch eine Zeile.\r\n\r\n\r\n\r\nZweiter Absatz.  \r\n")
    assert cleaned.text == "Erster Absatz.\nNoch eine Zeile.\n\nZweiter Absatz."


def test_curly_quotes_are_kept_by_default_and_uncurled_on_request() -> None:
    text = "„Wir werden immer Familie sein“, sagte sie. “Yes,” he said."
    assert clean_text(text).text == text
    assert clean_text(text, CleanConfig(uncurl_quotes=True)).text == (
        '"Wir werden immer Familie sein", sagte sie. "Yes," he said.'
    )


def test_stray_space_before_comma() -> None:
    assert clean_text("Ray Romulus , een producent").text == "Ray Romulus, een producent"
    assert (
        clean_text("Ray Romulus , een", CleanConfig(space_before_comma=False)).text
        == "Ray Romulus , een"
    )


def test_html_entities_unescaped_even_when_nested() -> None:
    assert clean_text("Tom &amp;amp; Jerry &quot;live&quot;").text == 'Tom & Jerry "live"'


def test_unchanged_text_reports_no_changes() -> None:
    cleaned = clean_text("Ein ganz normaler Satz.\n\nUnd noch einer.")
    assert cleaned.changes == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_clean_is_idempotent(text: str) -> None:
    once = clean_text(text).text
    assert clean_text(once).text == once
