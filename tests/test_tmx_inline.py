"""A TMX segment's inline codes are markup, not text; language tags with regions (``en-US``,
``de-DE``) name their language, in TMX and in a TSV's language columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.qa.pairs import QaInputError, read_bilingual

# As a CAT tool exports an HTML article (datatype html): bold, an image, a link whose text is
# a sub-flow. The image's width differs between the language versions, as a localised page's
# may: read as text, the 300 the target "lacks" was flagged.
CODES = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en-US" srclang="de-DE" datatype="html"/>
<body>
<tu tuid="1"><tuv xml:lang="de-DE"><seg>Der Rat tagte am <bpt i="1" x="1">&lt;b&gt;</bpt>Montag<ept i="1">&lt;/b&gt;</ept> mit 12 Mitgliedern.<ph x="2">&lt;img src="rat.png" width="300"/&gt;</ph></seg></tuv><tuv xml:lang="en-US"><seg>The council met on <bpt i="1" x="1">&lt;b&gt;</bpt>Monday<ept i="1">&lt;/b&gt;</ept> with 12 members.<ph x="2">&lt;img src="council.png" width="250"/&gt;</ph></seg></tuv></tu>
<tu tuid="2"><tuv xml:lang="de-DE"><seg>Die <hi type="b">Schulen</hi> bekommen 20 Millionen Euro.<ph x="3">&lt;a title="<sub>Bild 5 von 8</sub>"&gt;</ph><it pos="end" x="4">&lt;/a&gt;</it></seg></tuv><tuv xml:lang="en-US"><seg>The <hi type="b">schools</hi> get 20 million euros.<ph x="3">&lt;a title="<sub>Photo 5</sub>"&gt;</ph><it pos="end" x="4">&lt;/a&gt;</it></seg></tuv></tu>
<tu tuid="3"><tuv xml:lang="de-DE"><seg>Ohne Codes, 7 Tage.</seg></tuv><tuv xml:lang="en-US"><seg>Without codes, 7 days.</seg></tuv></tu>
</body></tmx>
"""  # noqa: E501

CODES_LINE = ("2 of 3 units held TMX inline codes (<bpt>, <ept>, <ph>, <it>, <ut>: formatting, "
              "not text)")


def test_inline_codes_are_left_out_of_a_segments_text(tmp_path: Path) -> None:
    # Their content (native markup, a link title's sub-flow) was read as the segment's text.
    path = tmp_path / "codes.tmx"
    path.write_text(CODES, encoding="utf-8")
    pairs = read_bilingual(path)
    assert [(p.source, p.target, p.inline_codes) for p in pairs] == [
        ("Der Rat tagte am Montag mit 12 Mitgliedern.",
         "The council met on Monday with 12 members.", 6),
        ("Die Schulen bekommen 20 Millionen Euro.", "The schools get 20 million euros.", 4),
        ("Ohne Codes, 7 Tage.", "Without codes, 7 days.", 0),
    ]


def test_qa_of_a_tmx_with_inline_codes_checks_the_text_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "codes.tmx"
    path.write_text(CODES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["qa", str(path), "--no-glossary", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["flags"] for line in result.stdout.splitlines()] == [[], [], []]
    assert f"toolkit: {path}: {CODES_LINE}; checked without them\n" in result.stderr


def test_export_pairs_of_a_tmx_with_inline_codes_says_they_are_not_written(
    tmp_path: Path
) -> None:
    path = tmp_path / "codes.tmx"
    path.write_text(CODES, encoding="utf-8")
    out = tmp_path / "out.tsv"
    args = ["export", "--pairs", str(path), "--format", "tsv", "-o", str(out), "--no-glossary"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: {CODES_LINE}; written without them" in result.stderr
    assert "Der Rat tagte am Montag mit 12 Mitgliedern." in out.read_text(encoding="utf-8")


def test_review_serve_of_a_tmx_with_inline_codes_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.review.workbench.launch as launch

    monkeypatch.setattr(launch, "serve", lambda store, **kw: None)
    path = tmp_path / "codes.tmx"
    path.write_text(CODES, encoding="utf-8")
    said: list[str] = []
    launch.run_workbench(path, host="127.0.0.1", port=0, packages_dir=None, glossary_path=None,
                         author="ana", echo=said.append, languages=(None, "en"), no_glossary=True)
    assert f"{path}: {CODES_LINE}; shown and checked without them" in said


def test_a_tmx_whose_source_is_the_target_language_says_so(tmp_path: Path) -> None:
    # An en-US -> de-DE memory read with the default --tgt en said "has no <tuv> in the target
    # language en (it has en, de)".
    path = tmp_path / "us.tmx"
    path.write_text(CODES.replace('srclang="de-DE"', 'srclang="en-US"'), encoding="utf-8")
    with pytest.raises(QaInputError) as err:
        read_bilingual(path)
    assert str(err.value) == (
        f"{path}: <tu> number 1 (tuid '1') has its source in the target language en (it has "
        "de, en); give --tgt the language to check (de), or fix the file")
    pairs = read_bilingual(path, None, "de-DE")  # a tag with a region names its language
    assert (pairs[0].source_language, pairs[0].target) == (
        "en", "Der Rat tagte am Montag mit 12 Mitgliedern.")


def test_tsv_columns_named_by_language_tags_with_regions(tmp_path: Path) -> None:
    # A CAT tool's TSV names its columns de-DE and en-US: "header lacks column(s) source,
    # target" with --src de.
    path = tmp_path / "memory.tsv"
    path.write_text("id\tde-DE\ten-US\n1\tVier Äpfel.\tFour apples.\n", encoding="utf-8")
    pairs = read_bilingual(path, "de", "en")
    assert [(p.id, p.source, p.target) for p in pairs] == [("1", "Vier Äpfel.", "Four apples.")]
    # A first row of only language codes is a header whatever their case; a lone one is
    # refused (it may be a one-word pair: a header line above it says so).
    path.write_text("De\tEN\n", encoding="utf-8")
    with pytest.raises(QaInputError, match="put a header line 'source<TAB>target' above it"):
        read_bilingual(path, "de", "en")
