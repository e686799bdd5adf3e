"""Adjacent number words are one number only when they compose one ("twenty-eight", "two
hundred", "hundred and five"); side by side they are two ("zwischen fünf und sechs").

Found on faithful digit copies of 10kGNAD sentences (``benchmarks/qa_number_words.py``):
"zwischen fünf und sechs Prozent" was one number 11 and "den ersten drei" one number 4, so
a faithful "5 und 6" or "first 3" was flagged as lacking them.
"""

from __future__ import annotations

import pytest

from toolkit.qa.checks import check_pair
from toolkit.qa.number_words import word_numbers


def _number_flags(source: str, target: str, src: str = "de", tgt: str = "en") -> list[str]:
    return [f.message for f in check_pair(source, target, src, tgt) if f.check == "number"]


@pytest.mark.parametrize(
    ("text", "lang", "values"),
    [
        ("zwischen fünf und sechs Prozent", "de", [5, 6]),
        ("in den ersten drei Monaten", "de", [1, 3]),
        ("ein paar tausend Mal", "de", [2, 1000]),
        ("fünf, zehn und fünfzehn Jahre", "de", [5, 10, 15]),
        ("tussen drie en vier jaar", "nl", [3, 4]),
        # these compose one number
        ("twenty-eight", "en", [28]),
        ("one hundred and five", "en", [105]),
        ("three thousand five hundred", "en", [3500]),
        ("zwölf hundert", "de", [1200]),
    ],
)
def test_number_words_side_by_side_are_separate_numbers(
        text: str, lang: str, values: list[int]) -> None:
    assert [run.value for run in word_numbers(text, lang)] == values


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("Die Preise stiegen zwischen fünf und sechs Prozent.",
         "Prices rose by between 5 and 6 percent."),
        ("In den ersten drei Monaten kamen weniger.", "In the first 3 months fewer came."),
        ("Die Videos wurden ein paar tausend Mal angesehen.",
         "The videos were viewed a few thousand times."),
    ],
)
def test_a_faithful_translation_of_two_numbers_is_not_flagged(source: str, target: str) -> None:
    assert _number_flags(source, target) == []


def test_each_of_two_numbers_side_by_side_is_required() -> None:
    assert _number_flags("Die Preise stiegen zwischen fünf und sechs Prozent.",
                         "Prices rose by 5 percent.") == [
        "number: source has sechs, target lacks it"
    ]


@pytest.mark.parametrize(
    ("source", "target", "tgt"),
    [
        # a German or Dutch target writes a number as one word beyond the tables
        ("It happened two thousand years ago.", "Es geschah vor zweitausend Jahren.", "de"),
        ("She waited 1.5 hours.", "Sie wartete eineinhalb Stunden.", "de"),
        ("About 350 people came.", "Ongeveer driehonderdvijftig mensen kwamen.", "nl"),
    ],
)
def test_a_target_number_written_as_one_word_carries_it(source: str, target: str,
                                                        tgt: str) -> None:
    assert _number_flags(source, target, "en", tgt) == []


def test_a_target_one_word_number_with_another_value_is_still_flagged() -> None:
    assert _number_flags("About 300 people came.", "Etwa dreihundertzwanzig Menschen kamen.",
                         "en", "de") == ["number: source has 300, target lacks it"]
