"""Boilerplate: each rule removes what it should, records it, and leaves article prose alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.prepare.boilerplate import RULES, strip_boilerplate
from toolkit.prepare.clean import clean_text
from toolkit.prepare.document import prepare_document
from toolkit.prepare.segment import split_paragraphs

ORIGINAL = Path(__file__).resolve().parents[1] / "corpus" / "original"


def test_rules_table_names_are_unique_and_described() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.description for r in RULES)


@pytest.mark.parametrize(
    "credit",
    [
        "Getty Images Kim Kardashian und Kanye West im Februar 2020 in Beverly Hills",
        "Instagram / kimkardashian Kanye West und Kim Kardashian mit ihren Kindern, 2019",
        "Courtesy of Hulu; Inset: Shutterstock",
        "Foto: dpa",
        "Foto: APA/dpa",
        "Reuters",
        "AFP via Getty Images",
        "Reuters/Kai Pfaffenbach",
        "imago images/Sven Simon",
        "AFP PHOTO / JOE KLAMAR",
        "dpa Bildfunk",
    ],
)
def test_photo_credits_are_removed_and_recorded(credit: str) -> None:
    kept, hits, _ = strip_boilerplate(["Ein Absatz mit Text.", credit, "Noch ein Absatz."])
    assert kept == ["Ein Absatz mit Text.", "Noch ein Absatz."]
    assert [(h.rule, h.text, h.paragraph) for h in hits] == [("photo-credit", credit, 2)]


# derStandard's agency sign-offs (10kGNAD), as paragraphs of their own
@pytest.mark.parametrize(
    "sign_off", ["(APA, 3.2.2016)", "(APA/dpa, 8.8.2015)", "(Reuters, APA, red)"]
)
def test_agency_sign_offs_are_removed_under_their_own_name(sign_off: str) -> None:
    """Removed as before, but named ``agency-sign-off``: ``translate`` said
    ``removed [photo-credit]: (APA, 3.2.2016)`` of a line that credits no photo."""
    kept, hits, _ = strip_boilerplate(["Ein Absatz mit Text.", sign_off, "Noch ein Absatz."])
    assert kept == ["Ein Absatz mit Text.", "Noch ein Absatz."]
    assert [(h.rule, h.text, h.paragraph) for h in hits] == [("agency-sign-off", sign_off, 2)]


@pytest.mark.parametrize(
    "prose",
    [
        "Instagram hat am Montag neue Regeln für Jugendliche angekündigt.",
        "Bild berichtete zuerst über die Trennung",
        "Getty Images verkauft seit Jahren Fotos von Prominenten, sagte der Sprecher.",
        # The attacker's c5/original/bp.txt: a lead-in to a quote and a subhead were removed.
        "Reuters zitierte den Minister mit den Worten:",
        "dpa-Analyse: Warum die Reform scheitern könnte",
        # A 10kGNAD headline (article 769) quoting its agency.
        "AFP: Arbeiter einer Zementfabrik seit Montag nicht mehr aufgetaucht",
        "Reuters reported that Sunni clerics in the town issued a declaration",
        # Headlines that open with an agency or platform and a capitalised word (attack).
        "Instagram Nutzer klagen über stundenlangen Ausfall",
        "AFP Journalist in Syrien getötet",
        "Reuters Reporter nach 500 Tagen freigelassen",
        "Instagram Launches Shopping Feature in Europe",
        "Reuters Umfrage: Mehrheit gegen Regierung",
        # ... and a word that only starts like a photo word (second attack).
        "AFP Fotograf in Syrien getötet",
        "AFP Bildungsministerin tritt zurück",
        "Reuters Photographer Killed in Ukraine",
        "Instagram Fotofilter kommen nach Europa",
        # ... and a photo word inside a headline (third attack).
        "AFP Foto-Journalist in Syrien getötet",
        "Instagram Fotos bald nur noch für Abonnenten",
        "Reuters Photo Editor Wins Pulitzer Prize",
        "dpa Bild-Zeitung verliert Prozess gegen Kachelmann",
        "AFP Pool-Reporter ausgeschlossen",
    ],
)
def test_prose_that_starts_like_a_credit_is_kept(prose: str) -> None:
    kept, hits, _ = strip_boilerplate(["Erster Absatz.", prose])
    assert kept == ["Erster Absatz.", prose]
    assert hits == []


def test_leading_metadata_line_becomes_fields() -> None:
    kept, hits, meta = strip_boilerplate(["date 2022-02-09 Interview", "Headline", "Body text."])
    assert kept == ["Headline", "Body text."]
    assert hits[0].rule == "metadata-line"
    assert meta == {"date": "2022-02-09", "section": "Interview"}


def test_metadata_line_only_counts_at_the_top() -> None:
    kept, hits, meta = strip_boilerplate(["Headline", "date 2022-02-09 Interview"])
    assert len(kept) == 2 and hits == [] and meta == {}


def test_repeated_headline_and_trailing_related_post() -> None:
    paragraphs = ["Big News Today", "Big News Today", "The story.", "Getty Images", "Related post"]
    kept, hits, _ = strip_boilerplate(paragraphs)
    assert kept == ["Big News Today", "The story."]
    assert [(h.rule, h.paragraph) for h in hits] == [
        ("repeated-headline", 2),
        ("photo-credit", 4),
        ("related-post", 5),
    ]


def test_related_post_in_the_middle_is_not_a_footer() -> None:
    kept, _, _ = strip_boilerplate(["Intro.", "Related post", "More text."])
    assert "Related post" in kept


def test_shipped_seeds_lose_exactly_their_boilerplate() -> None:
    by_doc = {}
    for path in sorted(ORIGINAL.iterdir()):
        record = prepare_document(path.read_bytes(), f"original/{path.name}")
        by_doc[path.stem[:3]] = record
        sources = " ".join(s.source for s in record.segments)
        # What was removed is gone from the text (a repeated headline keeps its first copy),
        # and kept + removed paragraphs account for every paragraph of the article.
        for hit in record.cleaning.boilerplate:
            assert (hit.text in sources) == (hit.rule == "repeated-headline")
        kept = {s.paragraph for s in record.segments}
        paragraphs = split_paragraphs(clean_text(path.read_text(encoding="utf-8")).text)
        assert len(kept) + len(record.cleaning.boilerplate) == len(paragraphs)
    assert [h.rule for h in by_doc["000"].cleaning.boilerplate] == ["photo-credit"] * 3
    assert by_doc["001"].cleaning.metadata == {"date": "2022-02-09", "section": "Interview"}
    assert [h.rule for h in by_doc["003"].cleaning.boilerplate] == [
        "repeated-headline",
        "photo-credit",
        "related-post",
    ]
    assert by_doc["002"].cleaning.boilerplate == []
