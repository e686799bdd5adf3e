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


@pytest.mark.parametrize(
    ("src", "source", "target"),
    [
        # "ß" casefolds to "ss": the tables are looked up the same way
        ("de", "Dreißig Menschen wurden verletzt.", "30 people were injured."),
        ("de", "Vittorini starb 1966, dreißig Jahre später die Duras.",
         "Vittorini died in 1966, Duras 30 years later."),
        ("de", "Rund einunddreißig Menschen kamen.", "About 31 people came."),
        # compounds with hundreds and thousands
        ("de", "Rund zweihundert Menschen kamen.", "About 200 people came."),
        ("de", "Rund dreihundertfünfzig Menschen kamen.", "About 350 people came."),
        ("de", "Er wurde im Jahr zweitausend geboren.", "He was born in 2000."),
        ("de", "Rund zwanzigtausend Menschen kamen.", "About 20,000 people came."),
        ("de", "Rund hunderttausend Menschen kamen.", "About 100,000 people came."),
        ("nl", "Ongeveer tweehonderd mensen kwamen.", "About 200 people came."),
        ("nl", "Ongeveer driehonderdvijftig mensen kwamen.", "About 350 people came."),
        ("nl", "Ongeveer tweeduizend mensen kwamen.", "About 2,000 people came."),
        ("nl", "Ongeveer honderdduizend mensen kwamen.", "About 100,000 people came."),
        ("nl", "Hij won in negentienhonderdnegentig.", "He won in 1990."),
        # a number and a half
        ("de", "Sie wartete eineinhalb Stunden.", "She waited 1.5 hours."),
        ("de", "Sie wartete anderthalb Stunden.", "She waited 1.5 hours."),
        ("de", "Die Intervalle betrugen zweieinhalb bis drei Minuten.",
         "The intervals were 2.5 to 3 minutes."),
        ("de", "Der Schaden beträgt dreieinhalb Milliarden Euro.",
         "The damage amounts to 3.5 billion euros."),
        ("nl", "Het kost anderhalf miljoen euro.", "It costs 1.5 million euros."),
        ("nl", "Het kost tweeënhalf miljoen euro.", "It costs 2.5 million euros."),
        # a scale word without digits
        ("de", "Sie fordert eine Grenze von einer Million Euro.",
         "She calls for a limit of €1 million."),
        ("de", "Der Schaden beträgt eine Milliarde Euro.", "The damage is 1 billion euros."),
        ("nl", "Het kost een miljard euro.", "It costs 1 billion euros."),
        ("de", "Im Vorjahr kamen rund eine Million Männer.",
         "Last year around 1 million men came."),
        ("de", "Die Zahl stieg auf zweieinhalb Millionen.", "The number rose to 2,500,000."),
        # halves and quarters of an hour
        ("de", "Die Sitzung dauerte eine halbe Stunde.", "The meeting lasted 30 minutes."),
        ("de", "Der Zug hatte eine Viertelstunde Verspätung.", "The train was 15 minutes late."),
        ("nl", "Het duurde een kwartier.", "It took 15 minutes."),
        ("nl", "Het duurde een half uur.", "It took 30 minutes."),
    ],
)
def test_a_faithful_translation_of_a_spelled_out_number_is_not_flagged(
        src: str, source: str, target: str) -> None:
    assert _number_flags(source, target, src) == []


@pytest.mark.parametrize(
    ("source", "target", "invented"),
    [
        # explained generously, but only the number the source stands for
        ("Rund dreihundert Menschen demonstrierten.", "Around 30 people demonstrated.", "30"),
        ("Die Sitzung dauerte eine halbe Stunde.", "The meeting lasted 45 minutes.", "45"),
        ("Sie wartete eineinhalb Stunden.", "She waited 2.5 hours.", "2.5"),
        # the scale word is shown without the sentence's full stop
        ("Der Minister kam.", "The minister came with 1 million.", "1 million"),
    ],
)
def test_a_number_next_to_a_spelled_out_one_is_still_invented(
        source: str, target: str, invented: str) -> None:
    assert _number_flags(source, target) == [
        f"number: target has {invented}, the source has no such number"
    ]


def test_a_spelled_out_number_with_sz_is_required() -> None:
    # "dreißig" was never found ("ß" casefolds to "ss"), so dropping it went unflagged.
    assert _number_flags("Dreißig Menschen wurden verletzt.", "People were injured.") == [
        "number: source has Dreißig, target lacks it"
    ]


def test_each_digit_number_is_read_once_for_every_check(monkeypatch: pytest.MonkeyPatch) -> None:
    # The required check and the invented-number check read the source's digits from one
    # reading (they were parsed twice when the target had numbers); same flags either way.
    from toolkit.qa import numbers

    read: list[str] = []
    token_items = numbers._token_items

    def counting(token: str, lang: str) -> list[set[str]]:
        read.append(token)
        return token_items(token, lang)

    monkeypatch.setattr(numbers, "_token_items", counting)
    source = "3,5 Milliarden Euro am 3.3.2016 um 20 Uhr"
    target = "3.5 billion euros on March 3, 2016 at 8 pm, 17 of them"
    assert _number_flags(source, target) == ["number: target has 17, the source has no such number"]
    assert sorted(read) == sorted(["3,5", "3.3.2016", "20", "3.5", "3", "2016", "8", "17"])
