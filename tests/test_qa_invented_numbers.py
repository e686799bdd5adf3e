"""A number the target invents is flagged, as a dropped one is.

An attacker pass found "Der Minister kam am Montag nach Wien." -> "... on Monday with 3000
soldiers." passing QA: only source numbers were required, so a model's invented number (a
classic hallucination) went through unflagged.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from toolkit.qa.checks import check_pair

PUD = Path(__file__).resolve().parents[2] / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"


def _number_flags(source: str, target: str, src: str = "de", tgt: str = "en") -> list[str]:
    return [f.message for f in check_pair(source, target, src, tgt) if f.check == "number"]


def test_an_invented_number_is_flagged() -> None:
    source = "Der Minister kam am Montag nach Wien."
    target = "The minister came to Vienna on Monday with 3000 soldiers."
    assert _number_flags(source, target) == [
        "number: target has 3000, the source has no such number"
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        # a time written the other way ("10:00" is "10am")
        ("Der Markt (6:30 – 10:00) ist offen.", "The market (6.30-10am) is open."),
        # a number a German or Dutch compound starts with
        ("nach der zweimonatigen Brutzeit", "after the 2 month breeding period"),
        ("Rosane, eine Achtzehnjährige", "Rosane, an 18 year old"),
        ("een tweejarig contract", "a 2-year contract"),
        # spelled out, scaled, a date, a clock
        ("Vier Tage später", "4 days later"),
        ("3,5 Milliarden Euro", "3.5 billion euros"),
        ("am 3. März 2016", "on March 3, 2016"),
        ("um 20 Uhr", "at 8 pm"),
    ],
)
def test_a_number_the_source_stands_for_is_not_invented(source: str, target: str) -> None:
    src = "nl" if "een " in source else "de"
    assert _number_flags(source, target, src) == []


def test_a_missing_number_is_one_flag_naming_what_the_target_has_instead() -> None:
    # The "source has 5" flag already names the 6; no second flag for it.
    assert _number_flags("Er hat 5 Kinder.", "He has 6 children.") == [
        "number: source has 5, target lacks it (target has 6)"
    ]


@pytest.mark.skipif(not PUD.is_file(), reason="../shared/data/pud-dev is not there")
def test_on_real_human_translations_clean_pairs_pass_and_inserted_numbers_are_caught() -> None:
    rows = list(csv.DictReader(PUD.open(encoding="utf-8"), delimiter="\t"))
    assert sum(bool(_number_flags(r["de"], r["en"])) for r in rows) == 0
    assert sum(bool(_number_flags(r["en"], r["de"], "en", "de")) for r in rows) <= 3
    rng = random.Random(0)
    caught = 0
    for r in rows:
        words = r["en"].split(" ")
        words.insert(rng.randrange(len(words)), rng.choice(["3,472", "17", "2019", "12.5"]))
        caught += bool(_number_flags(r["de"], " ".join(words)))
    assert caught == len(rows)
