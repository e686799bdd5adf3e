"""A sentence in a language inside a document with none (``zxx``), or in one in the target
language, is not shipped as English unflagged: a table of figures stated as ``zxx`` is copied
as its own English, and its German heading (``Schlusskurse im Dax am Freitag``; a real German
sentence too) went with it, flagged only ``language:de``, no QA flag (its title-case words
are none that ``check_untranslated`` counts), so nothing said the English holds German or
what to do (session 8's "Noticed and left alone")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from test_figures_floor import DAX

from toolkit.cli.app import cli
from toolkit.pipeline.build import build_corpus

UD = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ud-dev"
ADVICE = (
    "untranslated: reads as German (de), copied as it is: its document has no linguistic "
    "content (zxx), which no model translates; if the document is German (de) text, state its "
    "language as de (languages: in the corpus's settings.yaml, or --from) and rerun"
)


def _real_german_sentence() -> str:
    """A real German sentence (UD German-GSD dev) of a few words, as a table's heading."""
    path = UD / "de_gsd.dev.sentences.txt"
    if not path.is_file():
        pytest.skip(f"reference data missing: {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if 6 <= len(line.split()) <= 10 and line[-1] == ".")


def _flags(corpus: Path) -> dict[str, list[str]]:
    meta = json.loads((corpus / "english" / "dax.meta.json").read_text(encoding="utf-8"))
    return {s["id"]: [f["message"] for f in s["qa"]] for s in meta["segments"]}


@pytest.mark.parametrize("heading", ["Schlusskurse im Dax am Freitag", "real"])
def test_a_german_heading_of_a_zxx_table_is_flagged_with_the_way_out(
    tmp_path: Path, heading: str
) -> None:
    heading = _real_german_sentence() if heading == "real" else heading
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    text = DAX.replace("Schlusskurse im Dax am Freitag", heading)
    (corpus / "original" / "dax.txt").write_text(text, encoding="utf-8")
    (corpus / "settings.yaml").write_text("languages: {dax.txt: zxx}\n", encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider(pairs=("de",)))
    assert summary.built == ["dax"]
    flags = _flags(corpus)
    assert flags["p1.s1"] == [ADVICE]  # one flag, saying why and what to do
    assert all(not found for seg, found in flags.items() if seg != "p1.s1")  # the figures


def test_translate_from_zxx_flags_it_too(tmp_path: Path) -> None:
    dax = tmp_path / "dax.txt"
    dax.write_text(DAX, encoding="utf-8")
    args = ["translate", "--no-glossary", "--format", "json", "--from", "zxx", str(dax)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)[0]["segments"][0]
    assert first["source"] == first["english"] == "Schlusskurse im Dax am Freitag"
    assert "untranslated" in first["flags"] and "language:de" in first["flags"]


def _english_document() -> str:
    """A real English document (UD English-EWT dev) of a few sentences."""
    path = UD / "en_ewt.dev.sentences.txt"
    if not path.is_file():
        pytest.skip(f"reference data missing: {path}")
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    return next(p.replace("\n", " ") for p in paragraphs if len(p) > 300)


def test_a_german_heading_of_an_english_document_is_flagged_with_the_way_out(
    tmp_path: Path,
) -> None:
    """The same in a document in the target language, copied as its own English: its German
    heading went out as English with only ``language:de``."""
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    text = "Schlusskurse im Dax am Freitag\n\n" + _english_document() + "\n"
    (corpus / "original" / "dax.txt").write_text(text, encoding="utf-8")
    summary = build_corpus(corpus, provider=FakeProvider(pairs=("de",)))
    assert summary.built == ["dax"]
    flags = _flags(corpus)
    assert flags["p1.s1"] == [
        "untranslated: reads as German (de), copied as it is: its document is in English (en), "
        "copied as its own English; if it is right as it is (a name, a quotation), accept its "
        "row in toolkit review --serve (accepting dismisses its flags); where it needs English, "
        "record it with toolkit correct dax p1.s1 ENGLISH"
    ]
    assert all(not found for seg, found in flags.items() if seg != "p1.s1")


def test_accepting_a_copied_name_that_is_right_as_it_is_clears_its_flag(tmp_path: Path) -> None:
    """A German restaurant's name heading an English article is right as it is: the advice
    named ``toolkit correct`` only, and a correction equal to the source stays flagged "a copy
    of the source"; accepting the row (the workbench's action) was refused for copied English.
    Now the advice names accepting it, and accepting dismisses its flags on every rebuild."""
    from toolkit.corpus.formats import read_meta
    from toolkit.review.workbench.store import ReviewStore

    def _rebuild(root: Path, original: str) -> list[str]:
        summary = build_corpus(root, provider=FakeProvider(pairs=("de",)), only=[original])
        return list(summary.errors.values())

    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    text = "Gasthaus Zum Goldenen Hirschen\n\n" + _english_document() + "\n"
    (corpus / "original" / "dax.txt").write_text(text, encoding="utf-8")
    build_corpus(corpus, provider=FakeProvider(pairs=("de",)))
    (message,) = _flags(corpus)["p1.s1"]
    assert "accept its row in toolkit review --serve" in message
    store = ReviewStore(root=corpus, rebuild=_rebuild, author="anna", kinds={})
    row = store.document("dax")["rows"][0]
    accepted = store.act("dax", row["id"], "accept", row["version"])  # the workbench's Accept
    assert accepted["origin"] == "accepted" and accepted["flags"] == []
    build_corpus(corpus, provider=FakeProvider(pairs=("de",)))  # and on every rebuild
    heading = read_meta(corpus / "english" / "dax.meta.json").segments[0]
    assert heading.english == "Gasthaus Zum Goldenen Hirschen" and heading.origin == "accepted"
    assert heading.flags == [] and all(flag.dismissed for flag in heading.qa)


def test_the_accept_rule_is_the_servers_and_each_row_carries_it() -> None:
    # The workbench's JavaScript accepted a copied row only while flagged and never an
    # accepted one; the server accepted any copied row (an unflagged sentence of an English
    # article recorded as "accepted"): two rules. The row now carries the server's answer.
    from toolkit.corpus.actions import acceptable
    from toolkit.schema import QaFlag, Segment

    def segment(origin: str, flags: list[QaFlag]) -> Segment:
        return Segment(id="p1.s1", paragraph=1, sentence=1, source="Zum Goldenen Hirschen.",
                       source_sha256="0" * 64,
                       english="Zum Goldenen Hirschen.", origin=origin, qa=flags,
                       flags=[f.check for f in flags])

    flag = QaFlag(check="untranslated", severity="error", message="untranslated: copy")
    assert acceptable(segment("source", [flag]))
    assert not acceptable(segment("source", []))
    assert not acceptable(segment("source", [flag.model_copy(update={"dismissed": True})]))
    assert acceptable(segment("machine", []))
    # corrected, then accepted: back to a copy QA never flagged (an attacker's bypass)
    corrected = segment("human", []).model_copy(update={
        "english": "tmp", "correction": {"author": "a", "time": "t",
                                         "machine": "Zum Goldenen Hirschen."}})
    assert not acceptable(corrected)
    assert acceptable(corrected.model_copy(update={"correction": {
        "author": "a", "time": "t", "machine": "At the Golden Stag."}}))
