"""C1 control characters (U+0080-U+009F) through the readers of pairs files and the exports:
kept and flagged at read (NEL too: in Windows-1252 read as Latin-1 it is "…"), written so each
export is lossless and line-aligned (TMX as character references, Moses leaves NEL out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.export.formats import render_tmx
from toolkit.export.units import Unit
from toolkit.export.writer import moses_paths
from toolkit.qa.pairs import read_bilingual
from toolkit.qa.tmx import read_tmx

# Windows-1252's "…" read as Latin-1 (NEL), "›" (U+009B) and UTF-8's "”" read as
# Windows-1252 (U+009D kept); a line and a paragraph separator pasted from the web.
NEL_ROW = ("Er wartete\x85 und ging.", "He waited\x85 and left.")
C1_ROW = ("Der \x9b100m\x8b-Lauf ist heute.", "The \u00e2\u20ac\x9d100m race is today.")
CLEAN_ROW = ("Das Haus ist rot.", "The house is red.")


def _unit(segment: str, source: str, target: str) -> Unit:
    return Unit(document="d", segment=segment, source_language="de", target_language="en",
                source=source, target=target, origin="machine", flags=("mojibake",),
                input_path="d.txt", input_sha256="0" * 64, package=None,
                corrected_by="an\x85a")


def _tsv(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "pairs.tsv"
    body = "".join(f"{n}\t{src}\t{tgt}\n" for n, (src, tgt) in enumerate(rows, start=1))
    path.write_text("id\tsource\ttarget\n" + body, encoding="utf-8")
    return path


def test_tmx_writes_c1_as_character_references_and_reads_them_back(tmp_path: Path) -> None:
    # Written raw: XML discourages C1, an XML 1.1 reader takes NEL for a line end.
    units = [_unit("p1.s1", *NEL_ROW), _unit("p1.s2", *C1_ROW)]
    written = render_tmx(units)
    assert not any("\x80" <= c <= "\x9f" for c in written)
    assert "wartete&#x85; und" in written and 'changeid="an&#x85;a"' in written
    path = tmp_path / "c1.tmx"
    path.write_text(written, encoding="utf-8")
    pairs = [pair for _, pair in read_tmx(path, path.read_bytes())]
    assert [(p.source, p.target, p.corrected_by) for p in pairs] == [
        (u.source, u.target, "an\x85a") for u in units]
    assert [(p.source, p.target) for p in read_bilingual(path)] == [NEL_ROW, C1_ROW]


def test_moses_leaves_a_nel_row_out_and_says_so_keeping_the_files_aligned(
    tmp_path: Path,
) -> None:
    # NEL became a space: Windows-1252's "…" changed with no word (raw, splitlines() split it).
    path = _tsv(tmp_path, [CLEAN_ROW, NEL_ROW, C1_ROW])
    prefix = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--pairs", str(path), "--src", "de", "--format",
                                      "moses", "--include-flagged", "-o", str(prefix)])
    assert result.exit_code == 0, result.output
    assert "exported 2 segments from 1 document" in result.output
    assert "excluded 1 segment holding a line separator (NEL U+0085, U+2028 or U+2029" \
        in result.output
    src_path, tgt_path = moses_paths(prefix, "de-en")
    src_lines = src_path.read_text(encoding="utf-8").splitlines()
    tgt_lines = tgt_path.read_text(encoding="utf-8").splitlines()
    # Other C1 characters are written raw: no line reader breaks at them.
    assert list(zip(src_lines, tgt_lines, strict=True)) == [CLEAN_ROW, C1_ROW]


def test_a_moses_export_of_only_nel_rows_counts_no_document(tmp_path: Path) -> None:
    path = _tsv(tmp_path, [NEL_ROW])
    result = CliRunner().invoke(cli, ["export", "--pairs", str(path), "--src", "de", "--format",
                                      "moses", "--include-flagged", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "exported 0 segments from 0 documents" in result.output


def test_nel_in_a_pairs_file_is_kept_and_flagged_as_mojibake(tmp_path: Path) -> None:
    # NEL read as a space: "wartete…" (cp1252 read as Latin-1) lost its "…" with no flag.
    path = _tsv(tmp_path, [NEL_ROW])
    result = CliRunner().invoke(cli, ["qa", str(path), "--src", "de", "--no-glossary"])
    assert result.exit_code == 0, result.output
    assert "source has 'wartete\\x85', text decoded in the wrong code page (ftfy reads " \
           "'wartete…'); kept as written" in result.output
    assert "control characters" not in result.output
    assert [(p.source, p.target, p.control_characters)
            for p in read_bilingual(path, "de")] == [(*NEL_ROW, 0)]


_TEXT = "Eins\x85zwei\u2028drei\u2029vier."


def _file_of(kind: str, tmp_path: Path) -> Path:
    """A pairs file of format ``kind`` with one row whose source and target are ``_TEXT``."""
    path = tmp_path / f"f.{kind}"
    if kind == "tsv":
        path.write_text(f"{_TEXT}\t{_TEXT}\n", encoding="utf-8")
    elif kind == "header.tsv":
        path.write_text(f"id\tde\ten\n1\t{_TEXT}\t{_TEXT}\n", encoding="utf-8")
    elif kind == "jsonl":
        path.write_text(json.dumps({"id": "1", "source": _TEXT, "target": _TEXT}) + "\n",
                        encoding="utf-8")
    elif kind == "json":
        docs = [{"file": "a", "segments": [{"id": "1", "source": _TEXT, "target": _TEXT}]}]
        path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(render_tmx([_unit("p1.s1", _TEXT, _TEXT)]), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["tsv", "header.tsv", "jsonl", "json", "tmx"])
def test_every_reader_keeps_nel_and_the_unicode_separators(tmp_path: Path, kind: str) -> None:
    (pair,) = read_bilingual(_file_of(kind, tmp_path), "de")
    assert (pair.source, pair.target, pair.control_characters) == (_TEXT, _TEXT, 0)


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "tmx"])
def test_a_nel_row_goes_through_export_pairs_and_comes_back_as_written(
    tmp_path: Path, fmt: str
) -> None:
    # Read as a space, the "…" it stands for was gone before any export wrote the row.
    out = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--pairs", str(_tsv(tmp_path, [NEL_ROW, C1_ROW])),
                                      "--src", "de", "--format", fmt, "--include-flagged", "-o",
                                      str(out)])
    assert result.exit_code == 0, result.output
    assert not any("\x80" <= c <= "\x9f" for c in out.read_text(encoding="utf-8"))
    assert [(p.source, p.target) for p in read_bilingual(out)] == [NEL_ROW, C1_ROW]


# A line and a paragraph separator pasted from the web: text, kept by every reader, but a
# line break to splitlines (and U+2028 a line end to XML 1.1, like NEL).
SEPARATOR_ROWS = [("Erste Zeile\u2028zweite Zeile.", "First line\u2028second line."),
                  ("Absatz eins.\u2029Absatz zwei.", "Paragraph one.\u2029Paragraph two.")]


def _moses(tmp_path: Path, pairs: Path, prefix: Path) -> str:
    result = CliRunner().invoke(cli, ["export", "--pairs", str(pairs), "--src", "de", "--format",
                                      "moses", "--include-flagged", "-o", str(prefix)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("row", SEPARATOR_ROWS)
def test_moses_leaves_a_unicode_separator_row_out_and_counts_it_as_nel(
    tmp_path: Path, row: tuple[str, str]
) -> None:
    # It became a space with no word, while a NEL row was left out and counted.
    prefix = tmp_path / "out"
    output = _moses(tmp_path, _tsv(tmp_path, [CLEAN_ROW, row, NEL_ROW]), prefix)
    assert "exported 1 segment from 1 document" in output
    assert "excluded 2 segments holding a line separator" in output
    src_path, tgt_path = moses_paths(prefix, "de-en")
    assert (src_path.read_text(encoding="utf-8"), tgt_path.read_text(encoding="utf-8")) == (
        CLEAN_ROW[0] + "\n", CLEAN_ROW[1] + "\n")


def test_tmx_writes_the_unicode_separators_as_character_references(tmp_path: Path) -> None:
    # U+2028 was written raw: an XML 1.1 reader takes it for a line end, as a raw NEL.
    units = [_unit(f"p1.s{n}", *row) for n, row in enumerate(SEPARATOR_ROWS, start=1)]
    written = render_tmx(units)
    assert "\u2028" not in written and "\u2029" not in written
    assert "Zeile&#x2028;zweite" in written and "eins.&#x2029;Absatz" in written
    path = tmp_path / "sep.tmx"
    path.write_text(written, encoding="utf-8")
    assert [(p.source, p.target) for p in read_bilingual(path)] == SEPARATOR_ROWS


def test_an_earlier_moses_export_of_a_pair_whose_rows_were_all_left_out_is_named_so(
    tmp_path: Path,
) -> None:
    # "no such language pair now", though the pair is there and its rows were left out.
    prefix = tmp_path / "out"
    _moses(tmp_path, _tsv(tmp_path, [CLEAN_ROW]), prefix)
    output = _moses(tmp_path, _tsv(tmp_path, [NEL_ROW, SEPARATOR_ROWS[0]]), prefix)
    assert "out.de-en.de, out.de-en.en: from an earlier export, not written by this one " \
           "(every row of its language pair held a line separator and was left out); remove " \
           "them" in output
    assert "no such language pair now" not in output


def test_a_moses_export_warns_only_of_stale_documents_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Moses export leaves out the rows holding a line separator; the stale-build warnings
    named the documents selected before that, so a document none of whose rows was written
    ("kept without its model") was warned of as exported. Only documents written are named."""
    import shutil

    from fakes import FakeProvider, FakeTranslator

    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus
    from toolkit.pipeline.build import build_corpus

    class Separated(FakeTranslator):
        def translate(self, sentences: list[str], progress: object = None) -> list[str]:
            return [f"{t}\u2028" for t in super().translate(sentences, progress)]

    class GermanSeparated(FakeProvider):
        def translator(self, from_code: str, to_code: str) -> tuple[FakeTranslator, object]:
            translator, info = super().translator(from_code, to_code)
            return (Separated() if from_code == "de" else translator), info

    shipped, root = Path(__file__).resolve().parents[1], tmp_path / "corpus"
    shutil.copytree(shipped / "corpus" / "original", root / "original")
    shutil.copy(shipped / "glossary.yaml", root / "glossary.yaml")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    assert build_corpus(root, provider=GermanSeparated()).exit_code == 0
    with (root / "glossary.yaml").open("a", encoding="utf-8") as fh:  # de, nl: stale
        fh.write("  - term: Zzyzx Road\n    kind: place\n")
    options = ExportOptions(include_flagged=True)
    tsv = "\n".join(export_corpus(root, "tsv", tmp_path / "all.tsv", options).warnings)
    assert "000_de546ec99307b48e" in tsv and "002_d2e9b11a68fdacb0" in tsv  # both written
    stats = export_corpus(root, "moses", tmp_path / "all", options)
    assert stats.line_breaks > 0 and not any(u.startswith("000_") for u in stats.warnings)
    stale = "\n".join(w for w in stats.warnings if "exported as last built" in w)
    assert "002_d2e9b11a68fdacb0" in stale and "000_de546ec99307b48e" not in stale, stale
