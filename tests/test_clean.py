"""Cleaning: ftfy repairs plus the named normalization table."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.config.prepare import CleanConfig
from toolkit.prepare.clean import clean_text
from toolkit.prepare.document import prepare_document


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


# -- bidi controls and combining-mark runs (issue 14) ----------------------------------------

TROJAN = "Der Preis beträgt \u202e0051\u202c Euro."


def test_bidi_overrides_embeddings_and_isolates_are_removed_and_named() -> None:
    cleaned = clean_text(TROJAN)
    assert cleaned.text == "Der Preis beträgt 0051 Euro."  # what the model and the TSV get
    assert "bidi-controls (x2)" in cleaned.changes
    every = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
    assert clean_text(f"a{every}b").text == "ab"


def test_bidi_marks_are_removed_but_right_to_left_letters_stay() -> None:
    # Two RLMs make "10 - 20" display as "20 - 10"; the marks go, Hebrew letters stay.
    assert clean_text("Von \u200f10 - 20\u200f Uhr.").text == "Von 10 - 20 Uhr."
    hebrew = "Die Zeitung \u05d4\u05d0\u05e8\u05e5 berichtete."
    assert clean_text(hebrew).text == hebrew and clean_text(hebrew).changes == []


def test_ten_thousand_combining_marks_are_cut_to_the_configured_run() -> None:
    marks = "\u0301\u0316" * 5_000  # acute above, grave below: 10,000 marks on one "a"
    for config, limit in [(CleanConfig(), 8), (CleanConfig(max_combining_marks=4), 4)]:
        cleaned = clean_text(f"Zalgo a{marks} Ende", config)
        words = cleaned.text.split(" ")
        assert (words[0], words[1][0], words[2]) == ("Zalgo", "\u00e1", "Ende")
        assert len(words[1]) == 1 + limit  # the (NFC) base and at most ``limit`` marks
        assert "combining-marks (x1)" in cleaned.changes


def test_real_stacks_of_combining_marks_are_kept() -> None:
    real = [
        "Ti\u00ea\u0301ng Vi\u00ea\u0323t",  # Vietnamese: circumflex plus tone
        "\u0939\u093f\u0928\u094d\u0926\u0940",  # Hindi (Devanagari, virama)
        # Hebrew with points and a cantillation mark (three marks on shin)
        "\u05d1\u05bc\u05b0\u05e8\u05b5\u05d0\u05e9\u05c1\u05b4\u0596\u05d9\u05ea",
        "\u0f56\u0f66\u0f92\u0fb2\u0f74\u0f56\u0f0b",  # Tibetan stack
    ]
    for text in real:
        for normalization in ("NFC", None):
            config = CleanConfig(normalization=normalization)
            decomposed = unicodedata.normalize("NFD", text)
            out = clean_text(decomposed, config)
            assert not any(c.startswith("combining") for c in out.changes), text
            assert unicodedata.normalize("NFD", out.text) == decomposed


def test_an_emoji_zwj_sequence_stays_one_emoji() -> None:
    # The joiners of 👨‍👩‍👧 were removed with the other invisible characters: the family
    # became three people in the corpus (attack finding). A joiner elsewhere still goes.
    family, flag = "👨\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈"
    text = f"Die Familie {family} und {flag}."
    assert clean_text(text).text == text
    assert clean_text("a\u200db \U0001F44D\u200d x").text == "ab \U0001F44D x"
    record = prepare_document(f"Die Familie {family} kam am Montag nach Wien.".encode(), "a.txt")
    assert family in record.segments[0].source


def test_noncharacters_are_removed_and_named() -> None:
    # U+FFFF survived cleaning, so TMX (XML cannot hold it) alone exported U+FFFD: two
    # formats of one corpus disagreed (attack finding).
    cleaned = clean_text("a\uffffb\ufffe c\U0010ffff d\ufdd0.")
    assert cleaned.text == "ab c d." and cleaned.changes == ["noncharacters (x4)"]
