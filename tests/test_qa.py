"""Translation QA: each check flags a real problem and leaves its near-miss alone."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from toolkit.config.qa import PAIR_CHECKS, QaConfig
from toolkit.qa.calibrate import calibrate_length_band
from toolkit.qa.checks import check_pair
from toolkit.qa.consistency import check_consistency
from toolkit.qa.pairs import QaInputError, read_bilingual

ROOT = Path(__file__).resolve().parents[1]
PUD = ROOT / ".." / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"


def _load(path: Path, name: str) -> ModuleType:
    # By path: an installed package named 'tests' or 'benchmarks' could shadow ours.
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


def checks(source: str, target: str | None, src: str = "de", tgt: str = "en", **kw: object
           ) -> set[str]:
    return {f.check for f in check_pair(source, target, src, tgt, **kw)}  # type: ignore[arg-type]


# -- empty ------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["", "   \t", None])
def test_empty_target_is_an_error(target: str | None) -> None:
    flags = check_pair("Guten Morgen, Berlin.", target, "de", "en")
    assert [(f.check, f.severity) for f in flags] == [("empty", "error")]


def test_empty_source_with_empty_target_is_fine() -> None:
    assert check_pair("  ", "", "de", "en") == []


# -- untranslated / language ------------------------------------------------------------------

GERMAN = "Die Regierung hat am Montag einen neuen Plan für die Schulen vorgestellt."


def test_copied_german_sentence_is_untranslated() -> None:
    flags = check_pair(GERMAN, GERMAN, "de", "en")
    assert "untranslated" in {f.check for f in flags}


def test_target_in_the_source_language_is_untranslated() -> None:
    other = "Der Bürgermeister will die Straße im kommenden Jahr sanieren lassen."
    flags = [f for f in check_pair(GERMAN, other, "de", "en") if f.check == "untranslated"]
    assert flags and "German" in flags[0].message and flags[0].severity == "error"


def test_short_german_question_left_in_german_is_caught() -> None:
    assert "untranslated" in checks("Wie läuft die zweite Staffel?", "Funktioniert das bisher?")


def test_proper_translation_is_not_untranslated() -> None:
    target = "On Monday the government presented a new plan for the schools."
    assert checks(GERMAN, target) == set()


@pytest.mark.parametrize("segment", ["Kim Kardashian", "Angela Merkel in Berlin", "BERLIN",
                                     "Volkswagen AG", "iPhone"])
def test_names_only_segment_copied_is_fine(segment: str) -> None:
    assert "untranslated" not in checks(segment, segment)


def test_english_to_english_is_never_untranslated() -> None:
    text = "The government presented a new plan for the schools on Monday."
    assert check_pair(text, text, "en", "en") == []


def test_dutch_left_in_dutch_is_untranslated() -> None:
    source = "De gemeente wil volgend jaar een nieuwe brug over de rivier bouwen."
    assert "untranslated" in checks(source, source, "nl")


def test_target_in_a_third_language_is_a_language_warning() -> None:
    target = "Le gouvernement a présenté lundi un nouveau plan pour les écoles du pays."
    flags = check_pair(GERMAN, target, "de", "en")
    assert [(f.check, f.severity) for f in flags] == [("language", "warning")]
    assert "French" in flags[0].message


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "source", "target"),
    [
        ("de", "Er zahlte 1.000,5 Euro.", "He paid 1,000.5 euros."),
        ("nl", "Het kost 1.250,50 euro.", "It costs 1,250.50 euros."),
        ("de", "Am 9. Mai kam er.", "He came on May 9th."),
        ("de", "Der Zug fährt um 6.30 Uhr.", "The train leaves at 6:30."),
        ("nl", "Om 18:30 uur begint het.", "It starts at 6.30pm."),
        ("de", "Um 20 Uhr beginnt es.", "It starts at 8 pm."),
        ("de", "Vier Männer kamen.", "Four men came."),
        ("de", "Vier von zehn Erwachsenen.", "Four in 10 adults."),
        ("de", "Die sechzigste Ausgabe erschien.", "The sixtieth issue appeared."),
        ("de", "Die sechzigste Ausgabe erschien.", "The 60th issue appeared."),
        ("de", "Sie kamen mit 28 Männern.", "They came with twenty-eight men."),
        ("de", "Das war in den 1970ern.", "That was in the Seventies."),
        ("de", "Die 70er Jahre waren wild.", "The 1970s were wild."),
        ("de", "Die Quote stieg um 6 %.", "The rate rose by 6%."),
        ("de", "Anna Müller (45) lebt in Wien.", "Anna Müller, 45, lives in Vienna."),
        ("de", "Es kostet 3,5 Milliarden Euro.", "It costs €3.5bn."),
        ("de", "Es kostet 5,7 Millionen Euro.", "It costs 5,700,000 euros."),
        ("de", "Am 20. Januar 2001 endete es.", "It ended on January 20, 2001."),
        ("nl", "Vier mannen en twee vrouwen.", "Four men and two women."),
        ("nl", "De omzet is tweevoudig gestegen.", "Turnover has risen twofold."),
        ("nl", "In de jaren zeventig.", "In the 1970s."),
        ("nl", "In de jaren '70.", "In the seventies."),
    ],
)
def test_equivalent_numbers_are_not_flagged(lang: str, source: str, target: str) -> None:
    assert "number" not in checks(source, target, lang)


@pytest.mark.parametrize(
    ("source", "target", "named"),
    [
        ("Er ist 45 Jahre alt.", "He is 54 years old.", ["45", "54"]),
        ("Er ist 45 Jahre alt.", "He is old.", ["45"]),
        ("Es kamen 1.000 Menschen.", "1.000 people came.", ["1.000"]),  # reads as 1 in English
        ("Es kostet 3,5 Milliarden Euro.", "It costs 3.5 million euros.", ["Milliarden"]),
        ("Das war in den 1990ern.", "That was in the 1390s.", ["1990"]),
        ("Die 70er Jahre waren wild.", "The 1980s were wild.", ["70er"]),
        ("Die sechzigste Ausgabe erschien.", "The 61st issue appeared.", ["sechzigste"]),
        ("Der Zug fährt um 6.30 Uhr.", "The train leaves at 7:30.", ["6.30"]),
        ("Vier Männer kamen.", "Three men came.", ["Vier"]),
    ],
)
def test_missing_or_changed_numbers_are_errors(source: str, target: str, named: list[str]
                                               ) -> None:
    flags = [f for f in check_pair(source, target, "de", "en") if f.check == "number"]
    assert flags and flags[0].severity == "error"
    assert all(n in flags[0].message for n in named)


def test_article_ein_is_not_a_number() -> None:
    assert "number" not in checks("Ein Mann kam.", "A man came.")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,:%-() „“'aejnrsMiloö\u00a0", max_size=60),
       st.text(alphabet="0123456789.,:%-() \"'aejnrsmilo", max_size=60),
       st.sampled_from(["de", "nl", "en", "und"]))
def test_check_pair_never_raises_on_odd_text(source: str, target: str, lang: str) -> None:
    for flag in check_pair(source, target, lang, "en"):
        assert flag.message.startswith(f"{flag.check}: ")


# -- glossary ---------------------------------------------------------------------------------


def test_glossary_misses_become_errors() -> None:
    flags = check_pair("Skims wächst.", "The brand grows.", "de", "en",
                       glossary_missing=["Skims"])
    assert [(f.check, f.severity, f.message) for f in flags] == [
        ("glossary", "error", "glossary: 'Skims' pinned in source, missing in target")]


def test_no_glossary_misses_no_flag() -> None:
    assert "glossary" not in checks("Skims wächst.", "Skims grows.", glossary_missing=[])


# -- length -----------------------------------------------------------------------------------


def test_target_far_too_short_or_long_is_a_length_warning() -> None:
    source = "Die Regierung hat am Montag in Berlin einen umfassenden neuen Plan vorgestellt."
    short = check_pair(source, "The government presented.", "de", "en")
    long = check_pair(source, "The government " + "presented a new plan and " * 6 + "more.",
                      "de", "en")
    assert ("length", "warning") in {(f.check, f.severity) for f in short}
    assert "length" in {f.check for f in long}


def test_short_segments_get_slack() -> None:
    assert "length" not in checks("Ja.", "Yes, indeed.")


def test_calibrated_band_covers_the_calibration_ratios() -> None:
    ratios = [0.6 + i / 100 for i in range(60)]
    low, high = calibrate_length_band(ratios, quantile=0.0, widen=0.1)
    assert low < min(ratios) and high > max(ratios)
    with pytest.raises(ValueError):
        calibrate_length_band([])


# -- repetition -------------------------------------------------------------------------------


def test_phrase_loop_is_flagged() -> None:
    flags = check_pair("Er sagte, dass er morgen kommt.",
                       "He said that he would come tomorrow tomorrow tomorrow.", "de", "en")
    assert any(f.check == "repetition" and "tomorrow" in f.message for f in flags)
    assert "repetition" in checks("Er ging in die Stadt.",
                                  "He went into the city into the city into the city.")


def test_repetition_in_the_source_and_doubles_are_fine() -> None:
    assert "repetition" not in checks("Nein, nein, nein!", "No, no, no!")
    assert "repetition" not in checks("Er hatte es gehabt.", "He had had it.")


# -- truncated --------------------------------------------------------------------------------


def test_target_cut_mid_sentence_is_truncated() -> None:
    assert "truncated" in checks("Er sagte, dass er morgen kommt.", "He said that he would")
    assert "truncated" in checks("Danach traf er Herrn Comey.", "Afterwards he met Mr.")


def test_unbalanced_bracket_is_truncated() -> None:
    assert "truncated" in checks("Er (45) kam.", "He (45 came.")


def test_complete_targets_are_not_truncated() -> None:
    assert "truncated" not in checks("„Wir kommen“, sagte er.", "“We are coming,” he said.")
    assert "truncated" not in checks("Er sagte: „Wir kommen.“", 'He said: "We are coming."')
    assert "truncated" not in checks("Berlin im Winter", "Berlin in winter")


# -- config -----------------------------------------------------------------------------------


def test_a_check_can_be_switched_off_and_config_is_frozen() -> None:
    config = QaConfig(checks=tuple(c for c in PAIR_CHECKS if c != "number"))
    assert "number" not in checks("Er ist 45.", "He is 54.", config=config)
    assert "number" in checks("Er ist 45.", "He is 54.")
    with pytest.raises(ValidationError):
        config.length_slack_chars = 0  # type: ignore[misc]
    assert QaConfig.model_validate(QaConfig().model_dump(mode="json")) == QaConfig()


# -- consistency ------------------------------------------------------------------------------


def test_same_source_translated_differently_is_inconsistent() -> None:
    flags = check_consistency([("a", "Ja.", "Yes."), ("b", " ja. ", "No."), ("c", "Nein.", "No."),
                               ("d", "Ja.", "Yes.")])
    assert set(flags) == {"a", "b", "d"}
    assert all(f[0].check == "inconsistent" and f[0].severity == "warning"
               for f in flags.values())
    assert "b" in flags["a"][0].message


def test_same_source_same_target_is_consistent() -> None:
    assert check_consistency([("a", "Ja.", "Yes."), ("b", "Ja.", " Yes. ")]) == {}


# -- read_bilingual ---------------------------------------------------------------------------


def test_read_tsv(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text('id\tsource\ttarget\np1\t„Ja“, sagte er.\t"Yes," he said.\np2\tNein.\t\n',
                    encoding="utf-8")
    pairs = read_bilingual(path)
    assert [(p.id, p.source, p.target) for p in pairs] == [
        ("p1", "„Ja“, sagte er.", '"Yes," he said.'), ("p2", "Nein.", "")]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"id\tsource\n1\tJa.\n", "target"),
        (b"id\tsource\ttarget\n1\tJa.\n", "line 2"),
        (b"id\tsource\ttarget\n1\tJa.\tYes.\n1\tNein.\tNo.\n", "repeats id"),
        (b"id\tsource\ttarget\n1\tGr\xf6\xdfe\tSize\n", "UTF-8"),
        (b"", "empty"),
    ],
)
def test_bad_tsv_raises_one_line_naming_the_file(tmp_path: Path, content: bytes, needle: str
                                                 ) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(content)
    with pytest.raises(QaInputError) as err:
        read_bilingual(path)
    assert "bad.tsv" in str(err.value) and needle in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(QaInputError, match=r"nope\.tsv"):
        read_bilingual(tmp_path / "nope.tsv")


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="de" datatype="plaintext" segtype="sentence"
 adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>
<tu tuid="a"><tuv xml:lang="en"><seg>Yes.</seg></tuv><tuv xml:lang="de"><seg>Ja.</seg></tuv></tu>
<tu><tuv xml:lang="de"><seg>Nein.</seg></tuv></tu>
</body></tmx>"""


def test_read_tmx(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tmx"
    path.write_text(TMX, encoding="utf-8")
    pairs = read_bilingual(path)
    assert [(p.id, p.source, p.target) for p in pairs] == [("a", "Ja.", "Yes."),
                                                            ("2", "Nein.", None)]


@pytest.mark.parametrize("content", ["<tmx><body><tu>", "<html></html>",
                                     "<tmx><body><tu tuid='x'></tu></body></tmx>"])
def test_bad_tmx_raises(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QaInputError, match=r"bad\.tmx"):
        read_bilingual(path)


# -- the injector and the PUD measurement -----------------------------------------------------


def test_injector_is_deterministic_and_only_injects_where_it_applies() -> None:
    inj = _load(ROOT / "tests" / "qa_inject.py", "qa_inject")
    pairs = [("1", "Er ist 45 Jahre alt.", "He is 45 years old."),
             ("2", "Er ist alt.", "He is old.")]
    changed = inj.injected("number-changed", pairs, seed=3)
    assert [p[0] for p, _ in changed] == ["1"]
    assert changed == inj.injected("number-changed", pairs, seed=3)
    assert "45" not in changed[0][1]
    with pytest.raises(ValueError):
        inj.inject("nonsense", pairs[0])


@pytest.mark.skipif(not PUD.is_file(), reason=f"PUD reference pairs not found at {PUD}")
def test_pud_false_positives_and_recall_meet_targets() -> None:
    bench = _load(ROOT / "benchmarks" / "qa_pud.py", "qa_pud")
    result = bench.measure(bench.toolkit_checker(), bench.load_pud())
    assert len(result.clean) == 300
    assert result.fp() <= bench.FP_TARGET
    for kind, fired in result.injected.items():
        assert len(fired) >= 20, kind
        assert result.recall(kind) >= bench.RECALL_TARGET, kind


# -- bidi (issue 14) ----------------------------------------------------------------------------


def test_displayed_order_different_from_the_text_is_a_bidi_error() -> None:
    source = "Der Preis beträgt \u202e0051\u202c Euro."  # displays as "1500 Euro"
    flags = check_pair(source, "The price is 0051 euros.", "de", "en")
    assert [(f.check, f.severity) for f in flags] == [("bidi", "error")]
    assert "U+202E (RLO)" in flags[0].message and "source" in flags[0].message
    isolate = "The price is \u20671500\u2069 euros."
    assert checks("Der Preis beträgt 1500 Euro.", isolate) == {"bidi"}
    assert checks("Von 10 - 20 Uhr.", "From \u200f10 - 20\u200f o'clock.") == {"bidi"}


def test_right_to_left_names_and_clean_pairs_get_no_bidi_flag() -> None:
    assert "bidi" not in checks("Die Zeitung \u05d4\u05d0\u05e8\u05e5 berichtete.",
                                "The newspaper \u05d4\u05d0\u05e8\u05e5 reported.")
    pairs = read_bilingual(PUD, "de", "en")
    assert not [p for p in pairs if "bidi" in checks(p.source, p.target)]


@pytest.mark.parametrize(("separator", "read"), [("\u2028", "\u2028"), ("\x85", "\x85"),
                                                 ("\x1e", "-")])
def test_a_line_separator_inside_a_tsv_cell_does_not_cut_the_row(
    tmp_path: Path, separator: str, read: str
) -> None:
    """TSV rows end at \\n or \\r\\n only: U+2028, NEL or U+001E inside a cell (pasted from
    the web or Word) is no new row ("line 1 has 1 fields" before); the control characters
    among them are read as what they stand for (Word's \\x1e a hyphen; NEL is kept)."""

    plain = tmp_path / "plain.tsv"
    plain.write_text(f"Hallo{separator}Welt.\tHello{separator}world.\r\nZwei.\tTwo.\r\n", "utf-8")
    pairs = read_bilingual(plain, "de")
    assert [(p.source, p.target) for p in pairs] == [
        (f"Hallo{read}Welt.", f"Hello{read}world."),
        ("Zwei.", "Two."),
    ]
    pud = tmp_path / "pud.tsv"
    pud.write_text(f"id\tde\ten\nx1\tHallo{separator}Welt.\tHello.\n", "utf-8")
    assert [p.source for p in read_bilingual(pud, "de", "en")] == [
        f"Hallo{read}Welt."
    ]


@pytest.mark.parametrize(
    "name, text",
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep.jsonl", '{"source": ' + "[" * 100_000 + "]" * 100_000 + ', "target": "x"}\n'),
    ],
)
def test_json_nested_deeper_than_the_stack_is_one_line_not_a_traceback(
    tmp_path: Path, name: str, text: str
) -> None:
    """`[[[[…` 100,000 deep made json.loads raise RecursionError, which `toolkit qa FILE`
    printed as a traceback."""

    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(QaInputError, match=r"nested too deeply"):
        read_bilingual(path, "de")


def test_a_one_field_line_is_named_in_the_singular(tmp_path: Path) -> None:
    """Issue 16's plurals: "line 1 has 1 fields" reads wrong."""

    path = tmp_path / "one.tsv"
    path.write_text("nur eine Spalte\n", encoding="utf-8")
    with pytest.raises(QaInputError, match=r"line 1 has 1 field; without a header"):
        read_bilingual(path, "de")


# -- one reader of bilingual files (issue 15) --------------------------------------------------


def test_tmx_without_the_tmx_suffix_is_read_as_tmx(tmp_path: Path) -> None:
    """A TMX saved as ``.xml`` was read as a TSV ("header lacks column(s) id, source")."""
    path = tmp_path / "memory.xml"
    path.write_text(TMX, encoding="utf-8")
    assert [(p.id, p.source, p.target) for p in read_bilingual(path)] == [
        ("a", "Ja.", "Yes."), ("2", "Nein.", None)]


def test_a_plain_tsv_whose_first_cell_starts_with_a_tag_is_not_taken_for_xml(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tags.tsv"
    path.write_text("<b>Ja.</b>\t<b>Yes.</b>\n", encoding="utf-8")
    assert [(p.source, p.target) for p in read_bilingual(path, "de")] == [
        ("<b>Ja.</b>", "<b>Yes.</b>")]


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("pairs.jsonl", '{"id": "1", "source": "Ja.", "target": "Yes."}\n'
                        '{"id": "1", "source": "Nein.", "target": "No."}\n', "line 2"),
        ("pairs.json", '[{"file": "a", "segments": [{"id": "1", "source": "Ja.", "target": "Y."},'
                       ' {"id": "1", "source": "Nein.", "target": "No."}]}]',
         "document 1 segment 2"),
    ],
)
def test_a_repeated_id_is_named_with_where_it_repeats(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QaInputError, match=rf"{name}: {where} repeats id"):
        read_bilingual(path, "de")


ALIGNED_HEADER = "segment_id\tparagraph\tsentence\tsource\tenglish\tflags\torigin\tconfidence\n"


def test_the_aligned_tsv_is_read_by_the_corpus_reader(tmp_path: Path) -> None:
    """Escapes, the ``origin source`` rows' language and the corpus reader's errors."""
    path = tmp_path / "doc.aligned.tsv"
    path.write_text(ALIGNED_HEADER + "s1\t1\t1\tEin\\tTab.\tA\\ttab.\t\tmachine\t-0.5000\n"
                    "s2\t1\t2\tHello.\tHello.\t\tsource\t\n", encoding="utf-8")
    pairs = read_bilingual(path, "de")
    assert [(p.id, p.source, p.target, p.source_language) for p in pairs] == [
        ("s1", "Ein\tTab.", "A\ttab.", None), ("s2", "Hello.", "Hello.", "en")]
    path.write_text(ALIGNED_HEADER + "s1\tx\t1\tJa.\tYes.\t\tmachine\t\n", encoding="utf-8")
    with pytest.raises(QaInputError, match=r"doc\.aligned\.tsv:2: paragraph and sentence"):
        read_bilingual(path, "de")
    path.write_text(ALIGNED_HEADER + "s1\t1\t1\tJa.\tYes.\t\tmachine\tnan?\n", encoding="utf-8")
    with pytest.raises(QaInputError, match=r"doc\.aligned\.tsv:2: confidence 'nan\?'"):
        read_bilingual(path, "de")


def test_checked_language_is_the_one_rule_of_pair_flags_and_the_build() -> None:
    """A source needing no model (zxx, the target language) is checked as the target
    language; any other keeps its own: one function, used by pair_flags and the QA step."""
    from toolkit.pipeline import qa_step
    from toolkit.qa import checks

    assert checks.checked_language("zxx", "en") == "en"
    assert checks.checked_language("en", "en") == "en"
    assert checks.checked_language("de", "en") == "de"
    assert qa_step.checked_language is checks.checked_language
