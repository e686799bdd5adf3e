"""Tests for toolkit.prepare.segment: paragraphs, sentence boundaries, no-loss invariant, speed
limits."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from toolkit.config.prepare import SegmentConfig
from toolkit.prepare.segment import (
    SEGMENTER_NAME,
    SEGMENTER_VERSION,
    boundary_scores,
    segment,
    split_paragraphs,
    split_sentences,
)

# The module itself (for the fast-path check); ``toolkit.prepare.segment`` may name a function.
seg = importlib.import_module("toolkit.prepare.segment")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
ORIGINALS = ROOT / "corpus" / "original"


def no_ws(text: str) -> str:
    return "".join(text.split())


def assert_lossless(paragraph: str, sentences: list[str]) -> None:
    assert no_ws("".join(sentences)) == no_ws(paragraph)
    assert all(s and s == s.strip() for s in sentences)


# --- paragraphs -----------------------------------------------------------------------------


def test_blank_lines_separate_paragraphs_and_single_newlines_join() -> None:
    text = "Erste Zeile\nzweite Zeile.\n\nNeuer Absatz.\n   \n\n\nDritter."
    assert split_paragraphs(text) == ["Erste Zeile zweite Zeile.", "Neuer Absatz.", "Dritter."]


def test_lines_are_paragraphs_when_there_is_no_blank_line() -> None:
    assert split_paragraphs("Eins.\nZwei.\n\nDrei.") == ["Eins. Zwei.", "Drei."]
    assert split_paragraphs("Een.\nTwee.\n  \nDrie.") == ["Een. Twee.", "Drie."]
    assert split_paragraphs("Een.\nTwee.\nDrie.") == ["Een.", "Twee.", "Drie."]
    # Blank lines only at the start or end do not switch to blank-line mode.
    assert split_paragraphs("\n\nEen.\nTwee.\n\n") == ["Een.", "Twee."]


def test_empty_text_has_no_paragraphs() -> None:
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n\n") == []
    assert segment("   ", "de") == []


# --- sentences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Das gilt z. B. für Dr. Müller und bzw. Herrn Meier aus der Str. Neun."),
        ("de", "Es kostet ca. 5 Mio. Euro, vgl. Nr. 12 und Art. 5 des Vertrags."),
        ("de", "Er sprach u. a. mit Prof. Schmidt und St. Pauli, d. h. mit allen."),
        ("nl", "Er waren o.a. dhr. Jansen en mevr. De Vries, bijv. Amsterdam m.b.t. Den Haag."),
        ("en", "Mr. Smith and Mrs. Jones met Dr. Who, e.g. London, i.e. England."),
        ("en", "The U.S. President met Apple Inc. CEO Tim Cook at St. Louis."),
        ("en", "Jennifer M. Anderson met A. Noel Kramer."),
        ("nl", "Het uitje waarin Kim K. haar echtgenoot steunde."),
        ("de", "Die Quote lag bei 3.5 Prozent, das ist 1.000 mal mehr."),
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_sentences(lang: str, text: str) -> None:
    assert split_sentences(text, lang) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Er kam am 9. Februar nach Hause.",
        "Sie belegte den 3. Platz im Rennen.",
        "Das war im 19. Jahrhundert üblich.",
        "Am Montag, 9. April 2021 war es so weit.",
        "Wir feierten zum 67. meines Vaters.",
    ],
)
def test_german_ordinals_and_dates_do_not_end_sentences(text: str) -> None:
    assert split_sentences(text, "de") == [text]


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("de", "Das geschah im Jahr 2021.", "Die Folgen sind bekannt."),
        ("de", "Er kam am 9. April 2021.", "Danach blieb er."),
        ("de", "Sie kauften Brot, Käse usw.", "Dann gingen sie."),
        ("nl", "Ze werden gespot op donderdag 30 september.", "Het was een mooie avond."),
        ("nl", "Ze kochten brood, kaas enz.", "Daarna gingen ze."),
        ("en", "He moved to the U.S.", "The rest is history."),
        ("en", "She works at Apple Inc.", "The company is big."),
        ("en", "Wait...", "Then it happened."),
        ("de", "Wirklich?", "Ja!"),
        ("de", "Es war ein Teil.", "2. Teil folgt später."),
    ],
)
def test_sentence_ends_are_found(lang: str, first: str, second: str) -> None:
    assert split_sentences(f"{first} {second}", lang) == [first, second]


def test_lower_case_continuation_is_not_a_new_sentence_in_german_and_dutch() -> None:
    assert len(split_sentences("„Kommst du?“ fragte sie leise.", "de")) == 1
    assert len(split_sentences("Hij zei iets… en liep weg.", "nl")) == 1


def test_enumeration_number_after_a_sentence_end_starts_a_new_sentence() -> None:
    text = "Er hält am System fest. 2. Soziale Bewegungen leiten ihre Ziele ab."
    assert split_sentences(text, "de") == [
        "Er hält am System fest.",
        "2. Soziale Bewegungen leiten ihre Ziele ab.",
    ]


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("de", '"Wir werden immer Familie sein."', "Dann ging sie."),
        ("de", "Er sagte: „Ich komme morgen.“", "Sie glaubte ihm nicht."),
        ("nl", "Een bron zei: “Ze leven gescheiden levens.”", "Dat is bekend."),
        ("nl", "'Ze gaat hem niet achtervolgen.'", "Dat is wie ze is."),
        ("en", "“Is it over?”", "Nobody knew."),
        ("en", "He asked 'why?'", "Nobody answered."),
        ("en", "(This was the plan.)", "It failed."),
        ("nl", "Ik ben nogal een twijfelaar. ''", "Gelanceerd door Spijkerman won ze."),
    ],
)
def test_closing_quotes_and_brackets_stay_with_their_sentence(
    lang: str, first: str, second: str
) -> None:
    assert split_sentences(f"{first} {second}", lang) == [first, second]


def test_quoted_sentences_followed_by_a_comma_are_not_split() -> None:
    text = '"Wir wollen das Beste", erklärte Kim. Sie lachte.'
    assert split_sentences(text, "de") == ['"Wir wollen das Beste", erklärte Kim.', "Sie lachte."]


def test_extra_abbreviations_from_config() -> None:
    text = "Er leitet die Abt. Finanzen."
    assert len(split_sentences(text, "de")) == 2
    config = SegmentConfig(extra_abbreviations={"de": ("Abt.",)})
    assert split_sentences(text, "de", config) == [text]
    everywhere = SegmentConfig(extra_abbreviations={"*": ("Abt.",)})
    assert split_sentences(text, "nl", everywhere) == [text]


def test_config_rejects_multi_word_abbreviations_and_is_frozen() -> None:
    with pytest.raises(ValidationError, match="one word"):
        SegmentConfig(extra_abbreviations={"de": ("z. B.",)})
    config = SegmentConfig()
    with pytest.raises(ValidationError):
        config.extra_abbreviations = {}  # type: ignore[misc]


def test_config_is_hashable_and_equal_by_value() -> None:
    # Frozen configs that embed SegmentConfig are hashed (caches, sets of settings).
    first = SegmentConfig(extra_abbreviations={"de": ("Abt.",), "nl": ("afd.",)})
    second = SegmentConfig(extra_abbreviations={"nl": ("afd.",), "de": ("Abt.",)})
    assert first == second and hash(first) == hash(second)
    assert len({first, second, SegmentConfig()}) == 2


@pytest.mark.parametrize("lang", ["xx", "", "DE-at", "zh_Hant", "und", "nl-BE"])
def test_any_language_code_is_accepted(lang: str) -> None:
    sentences = split_sentences("Dr. Ed kam. Er ging!", lang)
    assert sentences == ["Dr. Ed kam.", "Er ging!"]


def test_segmenter_identity_is_recorded() -> None:
    assert SEGMENTER_NAME
    assert regex.fullmatch(r"\d+\.\d+(\.\d+)?", SEGMENTER_VERSION)


# --- shipped seeds ----------------------------------------------------------------------------


def _original(prefix: str) -> str:
    matches = sorted(ORIGINALS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix}_*.txt missing from {ORIGINALS}")
    return matches[0].read_text(encoding="utf-8")


def test_dutch_seed_is_one_paragraph_per_line() -> None:
    text = _original("002")
    lines = [line for line in text.split("\n") if line.strip()]
    paragraphs = segment(text, "nl")
    assert len(paragraphs) == len(lines) > 5
    joined = [s for p in paragraphs for s in p]
    assert any(s.startswith("Het uitje volgt") and "Kim K. haar" in s for s in joined)
    assert "Vriendelijk blijven." in joined


def test_german_seed_keeps_ages_in_brackets_and_quotes_with_their_sentence() -> None:
    paragraphs = segment(_original("000"), "de")
    first = paragraphs[0]
    assert first[0].startswith("Kim Kardashian (45) hat")
    assert first[0].endswith("aktuell aussieht.")
    assert '"Wir werden immer Familie sein.' in first
    assert first[-1].endswith("erklärte Kim.")


@pytest.mark.parametrize(("prefix", "lang"), [("000", "de"), ("001", "en"), ("002", "nl")])
def test_seeds_lose_no_characters(prefix: str, lang: str) -> None:
    text = _original(prefix)
    paragraphs = split_paragraphs(text)
    assert no_ws("".join(paragraphs)) == no_ws(text)
    for paragraph, sentences in zip(paragraphs, segment(text, lang), strict=True):
        assert_lossless(paragraph, sentences)


# --- invariants (property-based) ---------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [*"aAbBsStzZäÄ09 ..........!?…\"'“”„‘’«»()[],:;-", "\n", "\t", "\xa0", "\u2028", "\x1c"]
)
# Word, punctuation, closers, space, openers: dense in candidate boundaries, so that
# abbreviations, ordinals, initials, quotes and long words all meet sentence punctuation.
_UNIT = st.tuples(
    st.sampled_from(
        [
            *["gesagt", "Behörden", "Die", "der", "z", "B", "U.S", "bzw", "Inc", "etc", "usw"],
            *["Februar", "am", "9", "2021", "s", "Kim", "K", "Mr", "e.g", "web.de", "xbzw", ""],
        ]
    ),
    st.sampled_from(["", ".", ".", ".", "!", "?", "…", "...", ",", ":"]),
    st.sampled_from(["", "", '"', "'", "”", "“", ")", "''"]),
    st.sampled_from(["", " ", " ", "  ", "\n", "\xa0", " '' ", " ” "]),
    st.sampled_from(["", "", "„", "'", "(", ",,", "“", "-"]),
).map("".join)
_TEXT = (
    st.lists(_UNIT, max_size=30).map("".join)
    | st.text(_ALPHABET, max_size=200)
    | st.text(max_size=100)
)


@settings(max_examples=250, deadline=None)
@given(paragraph=_TEXT, lang=st.sampled_from(["de", "nl", "en", "fr", ""]))
def test_sentences_lose_no_characters(paragraph: str, lang: str) -> None:
    sentences = split_sentences(paragraph, lang)
    assert_lossless(paragraph, sentences)
    position = 0  # sentences are in order and are slices of the paragraph
    for sentence in sentences:
        position = paragraph.index(sentence, position) + len(sentence)


@settings(max_examples=200, deadline=None)
@given(text=_TEXT)
def test_paragraphs_lose_no_characters_and_are_clean(text: str) -> None:
    paragraphs = split_paragraphs(text)
    assert no_ws("".join(paragraphs)) == no_ws(text)
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


@settings(max_examples=250, deadline=None)
@given(paragraph=_TEXT, lang=st.sampled_from(["de", "nl", "en"]))
def test_fast_path_agrees_with_the_full_decision(paragraph: str, lang: str) -> None:
    # The regex-only fast path must be a pure speed-up of _is_boundary.
    rules = seg._rules(lang, ())
    slow_only = dataclasses.replace(rules, candidates=regex.compile(seg._SLOW_CANDIDATE))
    assert seg._split(paragraph, rules) == seg._split(paragraph, slow_only)


# --- pathological input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x" * 2_000_000,
        "." * 1_000_000,
        "!?" * 500_000,
        '."' * 500_000,
        ". " * 250_000,
        "a." * 250_000,
        "Wort. " + " " * 1_000_000 + "Ende.",
        "." + '"' * 1_000_000,
        "Ein Satz ohne Ende und ohne Punkt " * 60_000,
    ],
    ids=lambda t: repr(t[:12]),
)
def test_pathological_paragraphs_lose_nothing(text: str) -> None:
    # How long they take (linear, not quadratic) is measured by benchmarks/pathological.py.
    sentences = split_sentences(text, "de")
    assert no_ws("".join(sentences)) == no_ws(text)


def test_many_tiny_paragraphs() -> None:
    text = "Ja. Nein.\n\n" * 100_000
    result = segment(text, "de")
    assert len(result) == 100_000
    assert result[0] == ["Ja.", "Nein."]


# --- scoring ----------------------------------------------------------------------------------


def test_boundary_scores() -> None:
    gold = [["A b.", "C d.", "E f."], ["G."]]
    assert boundary_scores(gold, gold) == (1.0, 1.0, 1.0)
    missed = [["A b. C d.", "E f."], ["G."]]
    assert boundary_scores(gold, missed) == pytest.approx((1.0, 0.5, 2 / 3))
    extra = [["A", "b.", "C d.", "E f."], ["G."]]
    assert boundary_scores(gold, extra) == pytest.approx((2 / 3, 1.0, 0.8))
    with pytest.raises(ValueError, match="differs from gold"):
        boundary_scores(gold, [["A b. C d. E g."], ["G."]])
    with pytest.raises(ValueError, match="paragraphs"):
        boundary_scores(gold, gold[:1])


# --- accuracy on real data ------------------------------------------------------------------

# Measured F1 (see BENCHMARKS.md): de_gsd 0.986, nl_alpino 0.998, en_ewt 0.893.
F1_FLOORS = {"de_gsd": ("de", 0.98), "nl_alpino": ("nl", 0.99), "en_ewt": ("en", 0.885)}


def _benchmark_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "seg_bench", ROOT / "benchmarks" / "segmentation.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(F1_FLOORS))
def test_f1_on_ud_dev_sets_stays_above_floor(name: str) -> None:
    path = DATA / "ud-dev" / f"{name}.dev.sentences.txt"
    if not path.is_file():
        pytest.skip(f"UD dev data missing: {path} (see ../shared/data/README.md)")
    lang, floor = F1_FLOORS[name]
    gold = _benchmark_module().load_ud(path)
    predicted = [split_sentences(" ".join(p), lang) for p in gold]
    _, _, f1 = boundary_scores(gold, predicted)
    assert f1 >= floor
