"""Bilingual files are read as what they are: a TMX unit's source and target by ``xml:lang``,
each row's own source language and origin kept, one spelling of a row id in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.export.formats import render_jsonl, render_tmx, render_tsv
from toolkit.export.units import Unit
from toolkit.qa.pairs import QaInputError, read_bilingual

# A TMX with three languages per unit (an EU press release; the attacker's w1/ml.tmx).
MULTILINGUAL = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="de" datatype="plaintext"/>
<body>
<tu tuid="a"><tuv xml:lang="de"><seg>Die Kommission hat heute einen Vorschlag für eine neue Verordnung angenommen.</seg></tuv><tuv xml:lang="fr"><seg>La Commission a adopté aujourd'hui une proposition de nouveau règlement.</seg></tuv><tuv xml:lang="en"><seg>The Commission today adopted a proposal for a new regulation.</seg></tuv></tu>
<tu tuid="b"><tuv xml:lang="de"><seg>Der Rat wird im Juni darüber beraten.</seg></tuv><tuv xml:lang="nl"><seg>De Raad zal er in juni over beraadslagen.</seg></tuv><tuv xml:lang="en-GB"><seg>The Council will discuss it in June.</seg></tuv></tu>
</body></tmx>
"""  # noqa: E501


def _unit(doc: str, seg: str, lang: str, source: str, target: str, origin: str) -> Unit:
    return Unit(document=doc, segment=seg, source_language=lang, target_language="en",
                source=source, target=target, origin=origin, flags=(), input_path=f"{doc}.txt",
                input_sha256="0" * 64, package=None,
                corrected_by="ana" if origin == "human" else None,
                corrected_at="2026-11-30T10:00:00Z" if origin == "human" else None)


# Rows as the toolkit exports them: German, Dutch and English sources (UD PUD / news text),
# a human correction, an English quote kept as it is.
UNITS = [
    _unit("nieuws", "p1.s1", "nl", "De regering heeft maandag nieuwe maatregelen genomen.",
          "The government took new measures on Monday.", "machine"),
    _unit("pud", "p1.s1", "de", "Für alle, die Social-Media-Übergänge auf dem Capitol Hill "
          "verfolgen, wird dieser Übergang ein wenig anders sein.", "For those who follow social "
          "media transitions on Capitol Hill, this will be a little different.", "human"),
    _unit("pud", "p1.s2", "en", "Yes, we can.", "Yes, we can.", "source"),
]


def test_a_tmx_units_target_is_the_tuv_in_the_target_language(tmp_path: Path) -> None:
    # The French (and the Dutch) became the "en" target: the second <tuv> was taken.
    path = tmp_path / "ml.tmx"
    path.write_text(MULTILINGUAL, encoding="utf-8")
    pairs = read_bilingual(path)  # the header's srclang names the source
    assert [(p.id, p.source_language, p.target) for p in pairs] == [
        ("a", "de", "The Commission today adopted a proposal for a new regulation."),
        ("b", "de", "The Council will discuss it in June."),
    ]
    assert pairs[1].source == "Der Rat wird im Juni darüber beraten."


@pytest.mark.parametrize(("src", "tgt", "needle"), [
    ("de", "nl", "(tuid 'a') has no <tuv> in the target language nl (it has de, fr, en)"),
    ("fr", "en", "(tuid 'b') has no <tuv> in the source language fr (it has de, nl, en)"),
])
def test_a_tmx_unit_without_the_asked_language_is_reported_not_guessed(
    tmp_path: Path, src: str, tgt: str, needle: str
) -> None:
    # --tgt nl still gave the French; --src fr labelled the German as French.
    path = tmp_path / "ml.tmx"
    path.write_text(MULTILINGUAL, encoding="utf-8")
    with pytest.raises(QaInputError) as err:
        read_bilingual(path, src, tgt)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_a_tmx_unit_in_another_source_language_is_read_by_it(tmp_path: Path) -> None:
    path = tmp_path / "ml.tmx"
    path.write_text(MULTILINGUAL.replace('<tu tuid="b">', '<tu tuid="b" srclang="nl">'),
                    encoding="utf-8")
    pairs = read_bilingual(path, "de")  # --src is the default; a unit's own srclang wins
    assert (pairs[1].source_language, pairs[1].source) == (
        "nl", "De Raad zal er in juni over beraadslagen.")


@pytest.mark.parametrize("render", [render_tmx, render_jsonl, render_tsv])
def test_every_export_format_reads_back_the_same_rows(
    tmp_path: Path, render: Callable[[list[Unit]], str]
) -> None:
    # Re-reading the toolkit's own TMX labelled the nl and en rows as de, made the human
    # correction "machine" and spelled the id crlf2#p1.s1 where JSONL says crlf2:p1.s1.
    path = tmp_path / "export.out"
    path.write_text(render(UNITS), encoding="utf-8")
    pairs = read_bilingual(path, "de")
    assert [(p.id, p.source_language, p.origin, p.source, p.target) for p in pairs] == [
        (f"{u.document}:{u.segment}", u.source_language, u.origin, u.source, u.target)
        for u in UNITS
    ]


@pytest.mark.parametrize("render", [render_tmx, render_jsonl])
def test_bidi_controls_are_escaped_in_jsonl_and_tmx_and_read_back_as_written(
    tmp_path: Path, render: Callable[[list[Unit]], str]
) -> None:
    # Written raw, an RLO in a (flag-dismissed or --include-flagged) row reordered what a
    # terminal or an editor showed of the file: "beträgt 0051 Euro" displayed as 1500.
    units = [_unit("d", "p1.s1", "de", "Es beträgt \u202e0051\u202c Euro.",
                   "It is \u2067\u200f1500\u2069 euros.", "machine")]
    written = render(units)
    assert not any(c in written for c in "\u202e\u202c\u2067\u200f\u2069")
    path = tmp_path / "bidi.out"
    path.write_text(written, encoding="utf-8")
    (pair,) = read_bilingual(path, "de")
    assert (pair.source, pair.target) == (units[0].source, units[0].target)


@pytest.mark.parametrize("src", [["--src", "de"], []])
@pytest.mark.parametrize("render", [render_tmx, render_jsonl])
def test_export_pairs_of_an_export_keeps_languages_origins_and_correctors(
    tmp_path: Path, render: Callable[[list[Unit]], str], src: list[str]
) -> None:
    # --src is not needed when every row names its language (a TMX unit's srclang).
    path = tmp_path / "c2.out"
    path.write_text(render(UNITS), encoding="utf-8")
    out = tmp_path / "again.jsonl"
    args = ["export", "--pairs", str(path), *src, "--format", "jsonl", "-o", str(out),
            "--include-flagged", "--include-english"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["document"], r["segment"], r["source_language"], r["origin"], r["correction"])
            for r in rows] == [
        (u.document, u.segment, u.source_language, u.origin,
         {"author": "ana", "time": "2026-11-30T10:00:00Z"} if u.origin == "human" else None)
        for u in UNITS
    ]


def test_export_pairs_without_src_of_a_file_that_does_not_name_it_is_one_line(
    tmp_path: Path
) -> None:
    path = tmp_path / "plain.tsv"
    path.write_text("Vier Äpfel.\tFour apples.\n", encoding="utf-8")
    args = ["export", "--pairs", str(path), "--format", "jsonl", "-o", "-"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == (f"toolkit: error: {path}: not every row names its source "
                             "language; give --src\n")


def test_qa_of_a_tmx_export_needs_no_src_and_passes_english_sources(tmp_path: Path) -> None:
    path = tmp_path / "c2.tmx"
    path.write_text(render_tmx(UNITS), encoding="utf-8")
    result = CliRunner().invoke(cli, ["qa", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    flags = {row["id"]: row["flags"] for row in map(json.loads, result.stdout.splitlines())}
    assert flags == {"nieuws:p1.s1": [], "pud:p1.s1": [], "pud:p1.s2": []}


# -- spreadsheet quoting in a pairs TSV ---------------------------------------------------------

# Real pairs (UD German-PUD n01026004, n01041018, n01001013); the first two English sides hold
# straight quotes, as 19 of the 300 do.
PUD_ROWS = [
    ["id", "de", "en"],
    ["n01026004", "Heute Nacht nutzen wir Fernlicht für unsere Strafmaßnahmen, ist in dem "
     "Eintrag zu lesen.", '"Tonight we are carrying out punishments using a high beam," the '
     "post reads."],
    ["n01041018", "Ärzte haben diese Mittel nicht, sie haben nur einen Rezeptblock und eine "
     "Spritze, sagte Mailis.", '"Physicians don\'t have these tools, they have only a '
     'prescription pad and an injection," Mailis said.'],
    ["n01001013", "Für alle, die Social-Media-Übergänge auf dem Capitol Hill verfolgen, wird "
     "dieser Übergang ein wenig anders sein.", "For those who follow social media transitions "
     "on Capitol Hill, this will be a little different."],
]


def _csv(rows: list[list[str]], **kwargs: object) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\n", **kwargs).writerows(rows)  # type: ignore[arg-type]
    return out.getvalue()


def _targets(path: Path) -> list[str | None]:
    return [p.target for p in read_bilingual(path, "de")]


@pytest.mark.parametrize("quoting", ["minimal", "all"])
def test_a_tsv_saved_by_a_spreadsheet_is_read_as_the_text(tmp_path: Path, quoting: str) -> None:
    # Read literally, the target was '"""Tonight ...,"" the post reads."' (19 of 300 PUD pairs).
    import csv

    path = tmp_path / "excel.tsv"
    mode = csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL
    path.write_text(_csv(PUD_ROWS, quoting=mode), encoding="utf-8")
    assert '"""Tonight' in path.read_text(encoding="utf-8")
    assert _targets(path) == [row[2] for row in PUD_ROWS[1:]]


def test_a_tsv_with_quotes_that_are_text_is_read_literally(tmp_path: Path) -> None:
    # As distributed, and as the toolkit's own export writes it: no cell is quoted, so a
    # quote starting (or wrapping) a cell is text.
    rows = [*PUD_ROWS, ["n9", "Er sagte: „Wir schaffen das.“", '"We will manage."']]
    plain = tmp_path / "plain.tsv"
    plain.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    assert _targets(plain) == [row[2] for row in rows[1:]]
    export = tmp_path / "export.tsv"
    units = [_unit("pud", r[0], "de", r[1], r[2], "machine") for r in rows[1:]]
    export.write_text(render_tsv(units), encoding="utf-8")
    assert _targets(export) == [row[2] for row in rows[1:]]


def test_a_tsv_mixing_spreadsheet_quoting_and_literal_quotes_is_refused(tmp_path: Path) -> None:
    # Rows typed into a file a spreadsheet saved: '"We will manage."' cannot be told apart.
    path = tmp_path / "mixed.tsv"
    path.write_text(_csv(PUD_ROWS) + 'n9\tWir schaffen das.\t"We will manage," she said.\n',
                    encoding="utf-8")
    with pytest.raises(QaInputError) as err:
        read_bilingual(path, "de")
    message = str(err.value)
    assert "mixed.tsv: line 2 is quoted as a spreadsheet saves it" in message
    assert "line 5 has a quote that is part of the text" in message and "\n" not in message


def test_export_pairs_of_a_spreadsheet_tsv_writes_the_text(tmp_path: Path) -> None:
    path = tmp_path / "excel.tsv"
    path.write_text(_csv(PUD_ROWS), encoding="utf-8")
    args = ["export", "--pairs", str(path), "--src", "de", "--format", "jsonl", "-o", "-"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    targets = [json.loads(line)["target"] for line in result.stdout.splitlines()]
    assert targets == [row[2] for row in PUD_ROWS[1:]]


def test_an_origin_field_of_someone_elses_file_is_not_read_as_the_toolkits(
    tmp_path: Path
) -> None:
    # A JSONL of one's own with "origin": "Reuters" (not the toolkit's shape) reads as before;
    # the toolkit's export shape with an origin it never writes is one line naming the row.
    theirs = tmp_path / "theirs.jsonl"
    theirs.write_text(json.dumps({"id": "1", "source": "Hallo.", "target": "Hello.",
                                  "origin": "Reuters"}) + "\n", encoding="utf-8")
    assert read_bilingual(theirs, "de")[0].origin is None
    ours = tmp_path / "ours.jsonl"
    ours.write_text(json.dumps({"document": "a", "segment": "p1.s1", "source": "Hallo.",
                                "target": "Hello.", "origin": "Reuters"}) + "\n",
                    encoding="utf-8")
    with pytest.raises(QaInputError, match=r"ours\.jsonl: line 1: origin 'Reuters' is not one"):
        read_bilingual(ours, "de")


def test_review_serve_of_a_file_that_names_its_languages_needs_no_src(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # It said "a bilingual file needs --src" for a TMX whose units name their srclang.
    import toolkit.review.workbench.launch as launch

    served: dict[str, object] = {}
    monkeypatch.setattr(launch, "run_workbench", lambda root, **kw: served.update(kw, root=root))
    path = tmp_path / "ml.tmx"
    path.write_text(MULTILINGUAL, encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "--serve", str(path)])
    assert result.exit_code == 0, result.output
    assert (served["root"], served["languages"]) == (path, (None, "en"))


def test_review_serve_of_a_file_that_does_not_name_them_asks_for_src(tmp_path: Path) -> None:
    path = tmp_path / "plain.tsv"
    path.write_text("Vier Äpfel.\tFour apples.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["review", "--serve", str(path), "--no-glossary"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"toolkit: error: {path}: not every row names its source language; give --src")


@pytest.mark.parametrize("fmt", ["tmx", "jsonl", "tsv"])
def test_row_ids_survive_export_pairs_round_trips(tmp_path: Path, fmt: str) -> None:
    # Each `export --pairs` prepended the file's name to every id
    # ("e2.tsv:e.out.tsv:e.tsv:000_x:p1.s1"): the ids grew until the workbench refused
    # to act on them (attack finding).
    path = tmp_path / f"e.{fmt}"
    path.write_text(render_tmx(UNITS), encoding="utf-8")
    for hop in range(3):
        out = tmp_path / f"e{hop}.{fmt}"
        args = ["export", "--pairs", str(path), "--format", fmt, "-o", str(out),
                "--include-flagged", "--include-english"]  # fmt: skip
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        rows = read_bilingual(out, "de")
        assert [r.id for r in rows] == [f"{u.document}:{u.segment}" for u in UNITS], hop
        path = out


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_excels_unicode_text_utf16_with_a_bom_is_read(tmp_path: Path, codec: str) -> None:
    # Excel saves "Unicode text" as tab-separated UTF-16 with a byte-order mark: qa said
    # "not UTF-8 (bad byte at offset 0)" (attack finding).
    text = "Vier Äpfel.\tFour apples.\n\"Ja\", sagte sie.\t\"Yes\", she said.\n"
    plain, wide = tmp_path / "plain.tsv", tmp_path / "wide.tsv"
    plain.write_text(text, encoding="utf-8")
    data = text.encode(codec)
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    wide.write_bytes(bom + data)
    assert read_bilingual(wide, "de") == read_bilingual(plain, "de")


def test_segment_ids_with_a_colon_from_another_tool_stay_apart(tmp_path: Path) -> None:
    # Two documents sharing the segment id "sec:1" were refused as a repeated id once ids
    # with a colon were kept as they stood (second attack); they are A:sec:1 and B:sec:1.
    path = tmp_path / "col.tsv"
    path.write_text(
        "document\tsegment_id\tsource_language\ttarget_language\tsource\ttarget\torigin\tflags\n"
        "A\tsec:1\tde\ten\tDer Hund schläft.\tThe dog sleeps.\tmachine\t\n"
        "B\tsec:1\tde\ten\tDie Katze isst.\tThe cat eats.\tmachine\t\n",
        encoding="utf-8",
    )
    out = tmp_path / "col.out.tsv"
    args = ["export", "--pairs", str(path), "--format", "tsv", "-o", str(out),
            "--include-flagged"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert [r.id for r in read_bilingual(out, "de")] == ["A:sec:1", "B:sec:1"]


def test_a_document_id_with_a_colon_survives_export_pairs(tmp_path: Path) -> None:
    # "news:2024" (an original named news:2024.txt) came back as document "news", segment
    # "2024:p1.s1" (third attack).
    path = tmp_path / "e1.tsv"
    units = [_unit("news:2024", "p1.s1", "de", "Der Hund schläft.", "The dog sleeps.", "machine")]
    path.write_text(render_tsv(units), encoding="utf-8")
    out = tmp_path / "e2.jsonl"
    args = ["export", "--pairs", str(path), "--format", "jsonl", "-o", str(out),
            "--include-flagged"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (row["document"], row["segment"]) == ("news:2024", "p1.s1")


def test_rows_whose_ids_would_spell_alike_stay_apart_and_round_trip(tmp_path: Path) -> None:
    # Document "a:b" with segment "c" and document "a" with segment "b:c" both had the id
    # "a:b:c": the file was refused as repeating it (attack finding, left in session 6).
    path = tmp_path / "ab.tsv"
    path.write_text(
        "document\tsegment_id\tsource_language\ttarget_language\tsource\ttarget\torigin\tflags\n"
        "a:b\tc\tde\ten\tDer Hund schläft.\tThe dog sleeps.\tmachine\t\n"
        "a\tb:c\tde\ten\tDie Katze isst.\tThe cat eats.\tmachine\t\n"
        "news:2024\tp1.s1\tde\ten\tEs regnet.\tIt rains.\tmachine\t\n",
        encoding="utf-8",
    )
    ids = ["\\3:a:b:c", "a:b:c", "news:2024:p1.s1"]  # toolkit ids are spelled as before
    assert [r.id for r in read_bilingual(path, "de")] == ids
    for hop, fmt in enumerate(["tmx", "jsonl", "tsv", "tmx"]):
        out = tmp_path / f"ab{hop}.{fmt}"
        args = ["export", "--pairs", str(path), "--format", fmt, "-o", str(out),
                "--include-flagged"]  # fmt: skip
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert [r.id for r in read_bilingual(out, "de")] == ids, fmt
        path = out
