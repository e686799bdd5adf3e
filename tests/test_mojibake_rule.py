"""The pairs-file ``mojibake`` rule (:mod:`toolkit.qa.mojibake`): a round trip through the
code pages UTF-8 is read in by mistake, and session 9's known misses of ftfy's test.

The held-out sentences (``tests/data/mojibake_heldout.tsv``) come from UD test files, which
the rule was not chosen on (BENCHMARKS.md, "Mojibake in pairs files")."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.qa.mojibake import check_mojibake, mojibake_in

HELDOUT = Path(__file__).resolve().parent / "data" / "mojibake_heldout.tsv"
PAGES = {"koi8-r": "KOI8-R", "cp437": "DOS code page 437", "mac_roman": "Mac Roman",
         "cp1251": "Windows-1251"}


def _heldout() -> list[str]:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[2] for line in lines if not line.startswith("#")]


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("clean", ["Съешь же ещё этих мягких французских булок.",
                                   "Grüße aus Köln, sagte Jürgen.", "Ελληνικά κείμενα"])
def test_utf8_read_in_another_page_is_flagged_and_named(page: str, clean: str) -> None:
    # ftfy's is_bad looks for the Windows-1252/Latin-1 kind: KOI8-R (п╟я─), cp437 (├ñ),
    # Mac Roman (√§) and most Windows-1251 readings went through unflagged.
    broken = clean.encode("utf-8").decode(page)
    [flag] = check_mojibake(broken, None)
    assert f"UTF-8 read as {PAGES[page]}: it reads '" in flag.message, flag.message
    found = mojibake_in(broken)
    assert found is not None and found[1] in clean


def test_a_capital_words_last_letter_read_wrongly_before_a_quote_is_flagged() -> None:
    # Ó (C3 93) read as Windows-1252 is Ã“: the Portuguese special case passed it when the
    # text held no other mojibake.
    found = mojibake_in("Die Kampagne ACCIÃ“ startet heute.")
    assert found == ("ACCIÃ“", "ACCIÓ", "cp1252")
    assert mojibake_in("Das Bad: BAÃ‘O, die Tür: PORTÃ“.") is not None


def test_two_accented_capitals_before_daggers_are_no_mojibake() -> None:
    # ftfy repairs both (É† as Ɇ, Í† as a combining U+0346): two characters, so the old rule
    # took the text for mojibake.
    assert check_mojibake("JOSÉ† und MARTÍ† starben 1895.", "JOSÉ† and MARTÍ† died.") == []


def test_one_broken_word_in_clean_text_is_ftfys_reading() -> None:
    # The round trip asks for as many repaired characters as clean ones; one ž beside a
    # clean Czech sentence is ftfy's find (one word read as Windows-1252).
    found = mojibake_in("Proto\u00c5\u00bee jsem v\u011b\u0159ila, \u017ee p\u0159ijde "
                        "d\u0159\u00edv.")
    assert found == ("Proto\u00c5\u00bee", "Proto\u017ee", None)
    assert mojibake_in("JOS\u00c9\u2020 und v\u011b\u0159ila MART\u00cd\u2020") is None


def test_a_few_chance_repairs_in_a_long_clean_text_are_no_mojibake() -> None:
    # Russian её written in KOI8-R is C5 A3, UTF-8 for ţ: twice in one sentence it passed
    # the two-character threshold on a held-out UD sentence.
    [text] = [t for t in _heldout() if t.startswith("Узнав о её")]
    assert mojibake_in(text) is None


def test_held_out_real_sentences_are_not_flagged_but_their_mojibake_is() -> None:
    texts = _heldout()
    assert len(texts) > 60
    assert [t for t in texts if mojibake_in(t) is not None] == []
    for page in ("cp1252", "latin-1", "koi8-r", "cp437", "mac_roman"):
        # Windows-1252's five undefined bytes as Latin-1 (C1 characters), as a browser does
        broken = ["".join(bytes([b]).decode(page, "ignore") or chr(b) for b in t.encode())
                  for t in texts]
        assert [t for t in broken if mojibake_in(t) is None] == [], page
