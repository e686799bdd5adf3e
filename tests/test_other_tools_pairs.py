"""Bilingual files from other tools: TMX inline codes never glue words or numbers, one rule
for a TSV's header row, sidecar cells never drive the terminal, other tools' ids are rows
of one file (session 7's attacks on pairs files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.qa.pairs import QaInputError, read_bilingual

_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="de" adminlang="en" segtype="sentence" datatype="html"
 o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
{units}
</body></tmx>
"""
_UNIT = ('<tu tuid="{tuid}"><tuv xml:lang="de"><seg>{de}</seg></tuv>'
         '<tuv xml:lang="en"><seg>{en}</seg></tuv></tu>')
GLUED = "Zwei<ph>&lt;br/&gt;</ph>Wörter und 7<ph>&lt;sup&gt;</ph>3<ph>&lt;/sup&gt;</ph> Dinge"


def _tmx(path: Path, *units: tuple[str, str, str]) -> Path:
    body = "\n".join(_UNIT.format(tuid=t, de=de, en=en) for t, de, en in units)
    path.write_text(_TMX.format(units=body), encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_inline_codes_between_word_characters_keep_them_apart(tmp_path: Path) -> None:
    # Removed, the codes glued "ZweiWörter und 73 Dinge": qa reported "source has 73".
    units = [("1", GLUED, "Two<ph>&amp;nbsp;</ph>words and 7<ph/>3 things"),
             ("2", "Haus<bpt i='1'>&lt;b&gt;</bpt>tür<ept i='1'>&lt;/b&gt;</ept> 1<bpt i='2'/>"
                   "0<ept i='2'/>", "Front<bpt i='1'/>door<ept i='1'/> 7<bpt i='2'/>3<ept/>"),
             ("3", "am <ph>&lt;br/&gt;</ph>12.<it pos='end'/> <hi>Mä<ph/>rz</hi>",
                   "on <ph/> 12<ph>\n</ph>.<ph>&lt;P class='x'&gt;</ph>Next")]
    path = _tmx(tmp_path / "codes.tmx", *units)
    assert [(p.source, p.target) for p in read_bilingual(path)] == [
        ("Zwei Wörter und 7 3 Dinge", "Two\u00a0words and 7 3 things"),
        ("Haustür 1 0", "Frontdoor 7 3"),  # formatting parts a word's letters not
        ("am 12. März", "on  12 . Next"),
    ]
    code, out = _run("qa", str(_tmx(tmp_path / "glued.tmx", ("1", GLUED, "Two words and 7 3 "
                                                               "things"))), "--no-glossary")
    assert code == 0 and "1 pairs, 0 flagged" in out.replace("1 pair,", "1 pairs,")
    target = tmp_path / "out.tsv"
    code, out = _run("export", "--pairs", str(tmp_path / "glued.tmx"), "--format", "tsv",
                     "-o", str(target))
    assert code == 0 and "Zwei Wörter und 7 3 Dinge\tTwo words and 7 3 things" in (
        target.read_text(encoding="utf-8"))


def test_inline_codes_for_nothing_visible_stay_inside_the_word(tmp_path: Path) -> None:
    # a76674e parted every standalone code between letters: "Die Donau dampf schiff fahrt".
    units = [("1", "Die Donau<ph>&amp;shy;</ph>dampf<ph>&amp;shy;</ph>schiff<ph>&lt;wbr&gt;"
                   "</ph>fahrt fährt.", "The Danube<ph>&#8203;</ph>steamship sails."),
             ("2", "Der Bundes<x/>tag<ph>&amp;#173;</ph>s<it pos='begin'>&lt;i&gt;</it>sitzung",
              "The Bundes<ph>&lt;WBR/&gt;</ph>tag 1<ph>&amp;shy;</ph>000 times")]
    assert [(p.source, p.target) for p in read_bilingual(_tmx(tmp_path / "w.tmx", *units))] == [
        ("Die Donaudampfschifffahrt fährt.", "The Danubesteamship sails."),
        ("Der Bundestagssitzung", "The Bundestag 1000 times"),
    ]


@pytest.mark.parametrize(("seg", "text"), [
    # 7a0ce4e joined every code but one for a space or nothing: "Seite12", "sagtenichts".
    ('Seite<x id="1"/>12', "Seite 12"),  # a letter meets a digit
    ("12<ph>&lt;b&gt;</ph>Euro", "12 Euro"),
    ('sagte<ph>&lt;img src="x.png" width="300"/&gt;</ph>nichts', "sagte nichts"),
    ('Zwei<ph>&lt;span class="x"&gt; &lt;/span&gt;</ph>Wörter', "Zwei Wörter"),
    ("Zwei<ph>&amp;nbsp</ph>Wörter", "Zwei\u00a0Wörter"),  # HTML's nbsp without ';'
    ("Zwei<ph>&amp;#xA0;</ph>Wörter", "Zwei\u00a0Wörter"),
    ("1<ph>&amp;thinsp;</ph>000", "1\u2009000"),  # the thin space, not an ASCII one
    ("Eins.<ph>&lt;/p&gt;&lt;p&gt;</ph>Zwei", "Eins. Zwei"),
    ("Haus<bpt i='1'>&lt;b&gt;</bpt>tür<ept i='1'>&lt;/b&gt;</ept>", "Haustür"),
    ("Bundes<x/>tag", "Bundestag"),
    ("Donau<ph>&amp;shy;</ph>dampf<ph>&lt;wbr&gt;</ph>er", "Donaudampfer"),
    ("Zwei<ph>&amp;#8203;</ph>Wörter", "ZweiWörter"),
    # An RTF control word's delimiting space is no space: "Donau dampfschiff".
    (r"Donau<bpt i='1'>{\b </bpt>dampf<ept i='1'>}</ept>schiff", "Donaudampfschiff"),
    (r"Haus<bpt i='1'>{\i </bpt>tür<ept i='1'>}</ept>, Bundes<ph>{\ul </ph>tag",
     "Haustür, Bundestag"),
    (r"Seite<ph>{\b </ph>12", "Seite 12"),  # still formatting: a letter meets a digit
    # A sub- or superscript joins a letter and a digit ("CO 2-Ausstoß", "80 m 2"), not two
    # digits (10<sup>3</sup> is no 103).
    ("CO<bpt i='1'>&lt;sub&gt;</bpt>2<ept i='1'>&lt;/sub&gt;</ept>-Ausstoß", "CO2-Ausstoß"),
    ("80 m<ph>&lt;sup&gt;</ph>2<ph>&lt;/sup&gt;</ph> groß", "80 m2 groß"),
    ("H<bpt i='1'>&lt;SUB&gt;</bpt>2<ept i='1'>&lt;/SUB&gt;</ept>O", "H2O"),
    ("10<ph>&lt;sup&gt;</ph>3<ph>&lt;/sup&gt;</ph> Jahre", "10 3 Jahre"),
    # RTF's closing "}" says not what it closes: read with its <bpt> (by i), it read "H2 O".
    (r"H<bpt i='1'>{\sub </bpt>2<ept i='1'>}</ept>O", "H2O"),
    (r"CO<bpt i='7'>{\dn4 </bpt>2<ept i='7'>}</ept>-Ausstoß", "CO2-Ausstoß"),
    (r"10<bpt i='1'>{\super </bpt>3<ept i='1'>}</ept> Jahre", "10 3 Jahre"),
    # RTF's control symbols are characters of the text ("Mrz", "1 000", "Haustür").
    (r"M<ph>\'e4</ph>rz", "März"),
    (r"<ph>\'c4</ph>rzte", "Ärzte"),
    (r"1<ph>\~</ph>000", "1\u00a0000"),
    (r"Haus<ph>\~</ph>tür", "Haus\u00a0tür"),
    (r"1<ph>\-</ph>000", "1000"),
    (r"5<ph>\~\u8364?</ph>", "5\u00a0€"),  # RTF's \uN with its fallback "?"
    (r"<ph>\u-3913\'3f</ph>", "\uf0b7"),  # signed 16 bits, a \'hh fallback
    (r"M<ph>\u228a</ph>rz", "März"),  # a letter as the fallback
    # A UTF-16 surrogate pair is one character (it was two lone ones: a traceback).
    (r"Emoji<ph>\u-10179?\u-8704?</ph> hier", "Emoji\U0001f600 hier"),
    (r"Emoji<ph>\uc0\u55357 \u56832 </ph> hier", "Emoji\U0001f600 hier"),
    (r"Emoji<ph>\u-10179\u-8704?</ph> hier", "Emoji\U0001f600 hier"),  # \uc0 set earlier
    (r"Preis<ph>\uc0\u8364 5</ph> netto", "Preis€5 netto"),  # \uc0: no fallback ate "5"
    (r"Stern<ph>{\*\cs5 }</ph>Text 4.", "SternText 4."),  # {\* ...} was a literal "*"
    (r"a<ph>{\fonttbl{\f0 Arial;}}\u8364?</ph>", "a€"),  # a font table is no text
    ("x<ph>{0}</ph>y, %s<ph>%1\\n</ph>", "xy, %s"),  # placeholders stay formatting
])
def test_an_inline_code_leaves_what_it_stands_for(tmp_path: Path, seg: str, text: str) -> None:
    path = _tmx(tmp_path / "c.tmx", ("1", seg, "x"))
    assert [p.source for p in read_bilingual(path)] == [text]


@pytest.mark.parametrize("code", [
    r"\u-10179?", r"\u-8704?x", r"\u-1?", r"\u65535?", r"\u-32769?", "\\u" + "9" * 5000 + "?"])
def test_an_rtf_code_for_no_character_is_dropped_and_counted(tmp_path: Path, code: str) -> None:
    # A lone surrogate was a traceback in qa and export; 5000 digits int()'s limit; U+FFFF
    # (\u-1) a noncharacter that TMX wrote back as U+FFFD.
    path = _tmx(tmp_path / "u.tmx", ("1", f"Gross<ph>{code}</ph> 9.", "Large 9."))
    assert [(p.source, p.control_characters) for p in read_bilingual(path)] == [("Gross 9.", 1)]
    code_qa, out = _run("qa", str(path), "--no-glossary")
    assert code_qa == 0 and "0 flagged" in out and "1 of 1 rows held control characters" in out
    exported, out = _run("export", "--pairs", str(path), "--src", "de", "--format", "jsonl",
                         "--include-flagged", "-o", str(tmp_path / "o.jsonl"))
    assert exported == 0 and '"Gross 9."' in (tmp_path / "o.jsonl").read_text(encoding="utf-8")


def test_a_thin_space_code_is_no_number_break(tmp_path: Path) -> None:
    # It left an ASCII space: qa said "source has 1 / 000" against "1,000".
    path = _tmx(tmp_path / "t.tmx", ("1", "1<ph>&amp;thinsp;</ph>000 Euro", "1,000 euros"))
    code, out = _run("qa", str(path), "--no-glossary")
    assert code == 0 and "0 flagged" in out and "000" not in out


@pytest.mark.parametrize("header", ["DE\tEN", "de\ten", "De\ten-US", "de-DE\ten-us",
                                    "ID\tDE\tEN", "id\tde-DE\tEN-us", "Source\tTarget"])
def test_a_first_row_of_column_names_and_language_codes_is_a_header(
        tmp_path: Path, header: str) -> None:
    # "DE<TAB>EN" was a data pair while "de<TAB>en" was a header; "id<TAB>DE<TAB>EN" with
    # --src de was refused ("lacks column(s) source, target").
    path = tmp_path / "h.tsv"
    cells = ["1"] if header.lower().startswith("id") else []
    path.write_text(f"{header}\n" + "\t".join([*cells, "Der Hund bellt.", "The dog barks."])
                    + "\n", encoding="utf-8")
    pairs = read_bilingual(path, "de", "en")
    assert [(p.source, p.target) for p in pairs] == [("Der Hund bellt.", "The dog barks.")]
    assert pairs[0].id in ("1", "2")  # the id column, else the line number


def test_a_row_of_words_is_no_header_and_a_lone_language_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.tsv"
    path.write_text("Ja\tYes\nHund\tdog\n", encoding="utf-8")  # "yes" names no language
    assert [p.source for p in read_bilingual(path, "de", "en")] == ["Ja", "Hund"]
    path.write_text("DE\tEN\n", encoding="utf-8")  # a header, or the pair DE -> EN?
    with pytest.raises(QaInputError, match=r"its one line \(DE, EN\) reads as a header"):
        read_bilingual(path, "de", "en")
    path.write_text("source\ttarget\nDE\tEN\n", encoding="utf-8")  # the way to say it
    assert [(p.source, p.target) for p in read_bilingual(path, "de", "en")] == [("DE", "EN")]


@pytest.mark.parametrize(("first", "src"), [("Es\tIt", "de"), ("Ja\tJa", "de"),
                                           ("Es\tIt", None), ("FR\tEN", "de")])
def test_a_row_of_other_languages_codes_is_a_pair(tmp_path: Path, first: str,
                                                  src: str | None) -> None:
    # a76674e refused the whole file: "header lacks column(s) source, target; found Es, It".
    path = tmp_path / "p1.tsv"
    path.write_text(f"{first}\nDer Rat tagte.\tThe council met.\n", encoding="utf-8")
    assert [(p.id, p.source) for p in read_bilingual(path, src, "en")] == [
        ("1", first.split("\t")[0]), ("2", "Der Rat tagte.")]
    if src:  # qa needs --src
        code, out = _run("qa", str(path), "--src", src, "--no-glossary")
        assert code in (0, 1) and "2 pairs" in out, out


def test_orphan_correction_lines_spell_out_escapes(tmp_path: Path) -> None:
    # The sidecar's source cell was printed raw: an OSC title/clipboard write, a clear screen.
    pairs = tmp_path / "p.tsv"
    pairs.write_text("Der Hund bellt.\tThe dog barks.\n", encoding="utf-8")
    (tmp_path / "p.tsv.corrections.tsv").write_text(
        "source_sha256\tsource\tenglish\tauthor\ttime\taction\tcheck\treason\tprevious\n"
        "\tDer Hund\x1b]0;PWNED\x07\x1b]52;c;ZWNobw==\x07 bellt\x1b[2J.\tThe dog.\tme\t"
        "2024-01-01T00:00:00Z\tcorrect\t\t\t\n", encoding="utf-8")
    code, out = _run("export", "--pairs", str(pairs), "--src", "de", "--format", "tsv",
                     "-o", str(tmp_path / "out.tsv"))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert '"Der Hund\\x1b]0;PWNED\\x07\\x1b]52;c;ZWNobw==\\x07 bellt\\x1b[2J."' in out


def test_other_tools_ids_are_rows_of_one_file(tmp_path: Path) -> None:
    # tuids 11:00 ... 14:00 were split into document:segment: "from 4 documents".
    units = [(f"{n}:00", f"Satz {n}.", f"Sentence {n}.") for n in range(11, 15)]
    code, out = _run("export", "--pairs", str(_tmx(tmp_path / "c.tmx", *units)), "--format",
                     "tsv", "-o", str(tmp_path / "out.tsv"))
    assert code == 0 and "exported 4 segments from 1 document to" in out
    # The toolkit's own row ids still count their documents.
    path = tmp_path / "own.jsonl"
    path.write_text("".join(
        f'{{"document": "{d}", "segment": "p1.s{s}", "source": "Satz {d}{s}.", '
        f'"target": "Sentence {d}{s}."}}\n' for d in ("a:b", "c") for s in (1, 2)),
        encoding="utf-8")
    code, out = _run("export", "--pairs", str(path), "--src", "de", "--format", "tsv", "-o",
                     str(tmp_path / "own.tsv"))
    assert code == 0 and "exported 4 segments from 2 documents to" in out


def test_control_characters_in_cells_are_removed_and_counted(tmp_path: Path) -> None:
    # qa took numbers out of escape sequences ("source has 0 ... target has 2") and
    # export --pairs --format moses copied ESC/BEL raw into its files.
    path = tmp_path / "e.tsv"
    path.write_text("id\tsource\ttarget\n"
                    "x\tDer Rat\x1b]0;P\x07 tagte 5 mal.\tThe council\x1b[2J met 5 times.\n"
                    "y\tZeilen\x0bumbruch und Trenn\x1fstrich\tLine break\n", encoding="utf-8")
    pairs = read_bilingual(path, "de")
    assert [(p.source, p.target, p.control_characters) for p in pairs] == [
        ("Der Rat tagte 5 mal.", "The council met 5 times.", 2),
        ("Zeilen umbruch und Trennstrich", "Line break", 2)]
    code, out = _run("qa", str(path), "--src", "de", "--no-glossary")
    assert code == 0 and "number" not in out and "\x1b" not in out
    assert "e.tsv: 2 of 2 rows held control characters" in out
    code, out = _run("export", "--pairs", str(path), "--src", "de", "--format", "moses",
                     "--include-flagged", "-o", str(tmp_path / "m"))
    written = "".join(f.read_text(encoding="utf-8") for f in tmp_path.glob("m.*"))
    assert code == 0 and "Der Rat tagte 5 mal." in written
    assert "\x1b" not in written and "\x07" not in written and "written without them" in out


@pytest.mark.parametrize(("cell", "text"), [
    ("\x1bNeue Regel", "Neue Regel"),  # a stray ESC took the N: "eue Regel"
    ("Der \x1b[31mrote\x1b[0m Text", "Der rote Text"),  # CSI
    ("Titel\x1b]0;x\x07 da", "Titel da"),  # OSC to BEL
    ("Reset\x1bc und \x1bM zurück", "Reset und  zurück"),  # ESC c, ESC M: two-character
    ("Satz\x1b(B\x1b[m fertig", "Satz fertig"),  # designation with an intermediate
    ("Ende\x1b7", "Ende"),  # Fp: save cursor
    # A letter or digit where a word goes on is text: it went ("4-Papier", "024", "-Mail").
    ("\x1bA4-Papier", "A4-Papier"),
    ("\x1bE-Mail an alle", "E-Mail an alle"),
    ("\x1bU-Bahn", "U-Bahn"),
    ("Im Jahr \x1b2024 stieg er", "Im Jahr 2024 stieg er"),
    ("Text\x1b Hallo", "Text Hallo"),  # a space is no intermediate: "Textallo"
    ("Das \x1bc ist weg", "Das  ist weg"),
    # A one-letter word after a stray ESC went with it ("Plan  oder B", " am here").
    ("Plan \x1bA oder B", "Plan A oder B"),
    ("\x1bI am here", "I am here"),
    ("Wir\x1ba b", "Wira b"),
    # An OSC without its terminator left "0;12 Uhr" (numbers the target lacked).
    ("Titel\x1b]0;12 Uhr", "Titel"),
    ("Titel\x1b]0;12\x1b[2J da", "Titel da"),
    # A lone C1 character starts nothing (as an OSC U+009D took the rest of the cell) and is
    # kept: mojibake, flagged (Windows-1252's \x9b is \u203a).
    ("Text\x9d und 5 km", "Text\x9d und 5 km"),
    ("Text\x9bbunt", "Text\x9bbunt"),
    # Mojibake (UTF-8 read as Windows-1252 or Latin-1) keeps its C1 byte: still repairable.
    ("sagte: \u00e2\u20ac\u0153Hallo\u00e2\u20ac\x9d und ging 5 km.",
     "sagte: \u00e2\u20ac\u0153Hallo\u00e2\u20ac\x9d und ging 5 km."),
    ("\u00c3\x9cber \u00c3\x9bber \u00f0\x9f\x98\x80",
     "\u00c3\x9cber \u00c3\x9bber \u00f0\x9f\x98\x80"),
])
def test_an_escape_is_removed_whole_and_a_stray_esc_alone(tmp_path: Path, cell: str,
                                                          text: str) -> None:
    path = tmp_path / "e.tsv"
    path.write_text(f"source\ttarget\n{cell}\tx\n", encoding="utf-8")
    assert [p.source for p in read_bilingual(path, "de")] == [text]


def test_mojibake_loses_nothing(tmp_path: Path) -> None:
    # 3cb82a8 read U+009D (the last byte of a mojibake ") as an OSC without its end: the
    # source lost "und ging 5 km." and qa said "target has 5".
    path = tmp_path / "moj.tsv"
    path.write_bytes(b"id\tsource\ttarget\n1\tEr sagte: \xc3\xa2\xe2\x82\xac\xc5\x93Hallo"
                     b"\xc3\xa2\xe2\x82\xac\xc2\x9d und ging 5 km.\tHe walked 5 km.\n")
    code, out = _run("qa", str(path), "--src", "de", "--no-glossary")
    assert code == 0 and "1 flagged" in out and "control characters" not in out
    assert out.count("\terror\t") == 1 and "\terror\tmojibake: source has" in out
    code, out = _run("export", "--pairs", str(path), "--src", "de", "--format", "tsv",
                     "--include-flagged", "-o", str(tmp_path / "out.tsv"))
    assert code == 0 and [p.source for p in read_bilingual(tmp_path / "out.tsv")] == [
        "Er sagte: \u00e2\u20ac\u0153Hallo\u00e2\u20ac\x9d und ging 5 km."]


@pytest.mark.parametrize(("first", "pairs"), [
    # "Quelle<TAB>Source" was refused: "header lacks column(s) target".
    ("Quelle\tSource", [("Quelle", "Source"), ("Das Haus.", "The house.")]),
    ("Ziel\tGoal", [("Ziel", "Goal"), ("Das Haus.", "The house.")]),
    ("Text\tTarget", [("Text", "Target"), ("Das Haus.", "The house.")]),
    ("Quelle\tZiel", [("Das Haus.", "The house.")]),  # a German tool's header
    ("Ausgangstext\tÜbersetzung", [("Das Haus.", "The house.")]),
    ("Quelltext\tEN", [("Das Haus.", "The house.")]),
])
def test_two_cells_are_a_header_only_when_they_name_two_columns(
        tmp_path: Path, first: str, pairs: list[tuple[str, str]]) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(f"{first}\nDas Haus.\tThe house.\n", encoding="utf-8")
    assert [(p.source, p.target) for p in read_bilingual(path, "de")] == pairs


@pytest.mark.parametrize("fmt", ["tmx", "jsonl", "tsv"])
def test_other_tools_ids_round_trip_as_rows_of_one_file(tmp_path: Path, fmt: str) -> None:
    # Written back as document "11", segment "00": the re-export counted 4 documents, and
    # each row read back named a document it never had.
    units = [(f"{n}:00", f"Satz {n}.", f"Sentence {n}.") for n in range(11, 15)]
    path = _tmx(tmp_path / "c.tmx", *units)
    for hop in range(2):
        out = tmp_path / f"c{hop}.{fmt}"
        code, out_text = _run("export", "--pairs", str(path), "--src", "de", "--format", fmt,
                              "-o", str(out))
        assert code == 0 and "exported 4 segments from 1 document to" in out_text, hop
        pairs = read_bilingual(out, "de")
        assert [(p.id, p.document) for p in pairs] == [(u[0], None) for u in units], hop
        path = out


def test_an_unreadable_sidecar_is_not_told_to_leave_corrections(tmp_path: Path) -> None:
    # It said "move it out of corrections/": a pairs file's sidecar lies next to it.
    path = tmp_path / "p.tsv"
    path.write_text("source\ttarget\nDas Haus.\tThe house.\n", encoding="utf-8")
    (tmp_path / "p.tsv.corrections.tsv").symlink_to(tmp_path / "elsewhere")
    code, out = _run("qa", str(path), "--src", "de", "--no-glossary")
    assert code != 0 and "is a symlink, not a corrections file; move or rename it" in out
    assert "corrections/" not in out


def test_qa_jsonl_escapes_a_bidi_control_in_an_id(tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_text("id\tsource\ttarget\nab\u202ecd\tHat 5 Zimmer.\tHas 4 rooms.\n",
                    encoding="utf-8")
    code, out = _run("qa", str(path), "--src", "de", "--no-glossary", "--format", "jsonl")
    line = next(x for x in out.splitlines() if x.startswith("{"))
    assert code == 0 and "\u202e" not in out and json.loads(line)["id"] == "ab\u202ecd"
