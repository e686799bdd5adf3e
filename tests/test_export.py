"""Export to TMX / Moses / JSONL / TSV: what is exported, what is left out, and that each file
reads back (TMX through translate-toolkit, the others by hand) to the same pairs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider, build_shipped_corpus
from lxml import etree
from support.hand_edits import reseal
from translate.storage import tmx

from toolkit.cli.corrections import export
from toolkit.corpus.actions import record_correction
from toolkit.corpus.formats import parse_aligned_tsv, read_meta, render_meta_json, tsv_unescape
from toolkit.export.formats import TSV_COLUMNS
from toolkit.export.units import ExportOptions
from toolkit.export.writer import export_corpus, moses_paths
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.unbuilt import NO_ORIGINAL

ROOT = Path(__file__).resolve().parents[1]
GERMAN = "000_de546ec99307b48e"
DUTCH = "002_d2e9b11a68fdacb0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped_corpus(tmp_path_factory.mktemp("export") / "corpus")


@pytest.fixture
def corpus(template: Path, tmp_path: Path) -> Path:
    """The built corpus with the flags of every other German/Dutch segment cleared (the fake
    translator gets every sentence flagged untranslated) and a line break in one sentence."""
    root = tmp_path / "corpus"
    shutil.copytree(template, root)
    for doc in (GERMAN, DUTCH):
        path = root / "english" / f"{doc}.meta.json"
        record = read_meta(path)
        for seg in record.segments[::2]:
            seg.flags, seg.qa = [], []
        # (A U+2028 here leaves the row out of a Moses export: test_export_c1.py.)
        record.segments[0].source += "\nzweite Zeile\rdritte"
        record.segments[0].english = (record.segments[0].english or "") + "\r\nsecond line"
        path.write_text(render_meta_json(record), encoding="utf-8")
        reseal(root, f"{doc}.meta.json")
    return root


def _expected(corpus: Path, *, flagged: bool = False, english: bool = False) -> list[tuple]:
    """(document, segment, source language, source, english) of what should be exported."""
    out = []
    for path in sorted((corpus / "english").glob("*.meta.json")):
        record = read_meta(path)
        for s in record.segments:
            lang = s.language.language if s.language else record.language.language
            if s.english and (english or lang != "en") and (flagged or not s.flags):
                out.append((record.document, s.id, lang, s.source, s.english))
    return out


def _run(corpus: Path, *args: str):
    return CliRunner().invoke(export, [*args, "--corpus", str(corpus)])


# -- TMX ---------------------------------------------------------------------------------------


def test_tmx_has_one_unit_per_exported_segment(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.tmx"
    result = _run(corpus, "--format", "tmx", "-o", str(out))
    assert result.exit_code == 0, result.output
    expected = _expected(corpus)
    assert 0 < len(expected) < len(_expected(corpus, flagged=True))

    store = tmx.tmxfile.parsestring(out.read_bytes())
    units = [u for u in store.units if not u.isheader()]
    assert [(u.source, u.target) for u in units] == [(e[3], e[4]) for e in expected]
    assert [u.getid() for u in units] == [f"{e[0]}:{e[1]}" for e in expected]


def test_tmx_header_languages_and_provenance(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.tmx"
    export_corpus(corpus, "tmx", out)
    root = etree.parse(str(out)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    for attribute in ("creationtool", "creationtoolversion", "o-tmf", "adminlang", "datatype"):
        assert header.get(attribute)
    assert header.get("segtype") == "sentence" and header.get("srclang") == "*all*"
    tus = root.findall("body/tu")
    expected = _expected(corpus)
    assert len(tus) == len(expected)
    for tu, (doc, sid, lang, _source, _english) in zip(tus, expected, strict=True):
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == [lang, "en"]
        assert tu.get("srclang") == lang
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-document"] == doc and props["x-segment"] == sid
        assert props["x-origin"] == "machine" and props["x-package"] == f"fake-{lang}"
    multiline = [e for e in expected if "\n" in e[3]]  # kept verbatim, line breaks and all
    assert multiline and multiline[0][3] in {tu.findtext("tuv/seg") for tu in tus}


def test_tmx_marks_human_corrections(corpus: Path, tmp_path: Path) -> None:
    record = read_meta(corpus / "english" / f"{GERMAN}.meta.json")
    target = record.segments[2]
    record_correction(corpus, record, target.id, "We will always be family.", author="anna")
    build_corpus(corpus, provider=FakeProvider())  # the rebuild flags German afresh
    out = tmp_path / "c.tmx"
    export_corpus(corpus, "tmx", out, ExportOptions(include_flagged=True))
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    (human,) = [tu for tu in tus if tu.findtext("prop[@type='x-origin']") == "human"]
    english = human.findall("tuv")[1]
    assert english.findtext("seg") == "We will always be family."
    assert english.get("changeid") == "anna" and len(english.get("changedate") or "") == 16


# -- Moses, JSONL, TSV -------------------------------------------------------------------------


def test_moses_files_are_line_aligned_per_language_pair(corpus: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "out" / "train"
    prefix.parent.mkdir()
    result = _run(corpus, "--format", "moses", "-o", str(prefix))
    assert result.exit_code == 0, result.output
    expected = _expected(corpus)
    for lang in ("de", "nl"):
        src_path, en_path = moses_paths(prefix, f"{lang}-en")
        assert src_path.name == f"train.{lang}-en.{lang}" and en_path.name == f"train.{lang}-en.en"
        src = src_path.read_text(encoding="utf-8").splitlines()
        eng = en_path.read_text(encoding="utf-8").splitlines()
        wanted = [e for e in expected if e[2] == lang]
        assert len(src) == len(eng) == len(wanted)  # no line break survives inside a sentence
        assert [line.split() for line in src] == [e[3].split() for e in wanted]
        assert [line.split() for line in eng] == [e[4].split() for e in wanted]
    assert sorted(p.name for p in prefix.parent.iterdir()) == [
        "train.de-en.de",
        "train.de-en.en",
        "train.nl-en.en",
        "train.nl-en.nl",
    ]


def test_jsonl_one_object_per_segment(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    assert _run(corpus, "--format", "jsonl", "-o", str(out), "--include-flagged").exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    expected = _expected(corpus, flagged=True)
    assert [
        (o["document"], o["segment"], o["source_language"], o["source"], o["target"])
        for o in objects
    ] == expected
    first = objects[0]
    assert first["target_language"] == "en" and first["origin"] == "machine"
    assert first["provenance"]["input"].startswith("original/")
    assert first["provenance"]["meta"] == f"english/{first['document']}.meta.json"
    assert any(o["flags"] for o in objects)


def test_tsv_round_trips_through_its_escapes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.tsv"
    assert _run(corpus, "--format", "tsv", "-o", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0].split("\t") == list(TSV_COLUMNS) and lines[-1] == ""
    rows = [[tsv_unescape(c) for c in line.split("\t")] for line in lines[1:-1]]
    assert all(len(r) == len(TSV_COLUMNS) for r in rows)
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in rows] == _expected(corpus)


def test_aligned_tsv_and_export_agree_on_sentences(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.tsv"
    everything = ExportOptions(include_flagged=True, include_same_language=True)
    export_corpus(corpus, "tsv", out, everything)
    exported = out.read_text(encoding="utf-8").count("\n") - 1
    aligned = sum(
        len(parse_aligned_tsv(p.read_text(encoding="utf-8")))
        for p in (corpus / "english").glob("*.aligned.tsv")
    )
    assert exported == aligned


# -- what is left out --------------------------------------------------------------------------


def test_exclusions_are_counted_on_stderr(corpus: Path, tmp_path: Path) -> None:
    result = _run(corpus, "--format", "jsonl", "-o", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 0
    flagged = len(_expected(corpus, flagged=True)) - len(_expected(corpus))
    same = len(_expected(corpus, flagged=True, english=True)) - len(_expected(corpus, flagged=True))
    assert result.stdout == ""
    assert f"exported {len(_expected(corpus))} segments" in result.stderr
    assert f"excluded {flagged} flagged segments (a reviewer accepts a row" in result.stderr
    assert f"excluded {same} segments already in the target language" in result.stderr


def test_include_english_exports_english_documents_as_same_language_pairs(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.jsonl"
    assert _run(corpus, "--format", "jsonl", "-o", str(out), "--include-english").exit_code == 0
    objects = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    english = [o for o in objects if o["source_language"] == "en"]
    assert english and all(o["origin"] == "source" for o in english)
    assert len(objects) == len(_expected(corpus, english=True))


def test_documents_waiting_for_a_model_are_reported(template: Path, tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(template / "original", root / "original")
    build_corpus(root, provider=FakeProvider(pairs=("de",)))
    result = _run(root, "--format", "tsv", "-o", str(tmp_path / "x.tsv"), "--include-flagged")
    assert result.exit_code == 0
    # The hint names the missing model and how to install it, not "run toolkit build".
    assert f"excluded document {DUTCH}: needs model nl→en" in result.stderr
    assert "toolkit models install nl en" in result.stderr
    assert "run `toolkit build`" not in result.stderr


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        ("missing", "no such corpus directory"),
        ("unbuilt", "build the corpus first"),
        ("dir-output", "is a directory"),
    ],
)
def test_bad_input_is_one_line(template: Path, tmp_path: Path, setup: str, needle: str) -> None:
    root, out = template, tmp_path / "x.tmx"
    if setup == "missing":
        root = tmp_path / "nowhere"
    elif setup == "unbuilt":
        root = tmp_path / "c"
        shutil.copytree(template / "original", root / "original")
    else:
        out.mkdir()
    result = _run(root, "--format", "tmx", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith("toolkit: error: ") and needle in result.stderr
    assert result.stderr.count("\n") == 1


def test_export_warns_about_documents_a_build_would_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Exporting publishes the last build. A document a build would now write differently
    # (the glossary changed here) was exported without a word; it is still exported (the
    # export reads the build), with a warning naming it and why (status's words).
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    assert build_corpus(root, provider=FakeProvider()).exit_code == 0
    out = tmp_path / "all.tsv"
    assert export_corpus(root, "tsv", out).warnings == []
    with (root / "glossary.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - term: Zzyzx Road\n    kind: place\n")
    # Only documents it exported are named, one line per reason. By default nothing of the
    # fake-translated corpus is exported (every machine sentence is flagged, the English
    # documents are English): no warning.
    def stale(options: ExportOptions) -> list[str]:
        warnings = export_corpus(root, "tsv", out, options).warnings
        return [w for w in warnings if "exported as last built" in w]

    assert stale(ExportOptions()) == []
    # German and Dutch: kept without their models, one reason each (the model to install).
    flagged = "\n".join(stale(ExportOptions(include_flagged=True)))
    assert "000_de546ec99307b48e: " in flagged and "002_d2e9b11a68fdacb0: " in flagged
    assert "001_cb2e6261cd7f216a" not in flagged
    # The two English documents share one reason, so one line names both.
    every = stale(ExportOptions(include_flagged=True, include_same_language=True))
    assert "001_cb2e6261cd7f216a, 003_c4a4f06c737cf0af: stale: glossary changed" in "\n".join(
        every
    )
    assert out.is_file()


def test_a_document_whose_original_was_deleted_is_left_out_with_a_line(
    corpus: Path, tmp_path: Path
) -> None:
    """It was exported ("from 4 documents") though the next build deletes its English.
    Left out, one line says why and how to get it back; restoring the original brings it
    back unchanged."""
    out = tmp_path / "all.tsv"
    options = ExportOptions(include_flagged=True)
    before = export_corpus(corpus, "tsv", out, options)
    original = corpus / "original" / f"{GERMAN}.txt"
    data = original.read_bytes()
    original.unlink()
    stats = export_corpus(corpus, "tsv", out, options)
    assert stats.documents == before.documents - 1
    assert f"excluded document {GERMAN}: {NO_ORIGINAL}; restore original/{GERMAN}.txt to " \
        "export it" in stats.lines()  # fmt: skip
    assert GERMAN not in out.read_text(encoding="utf-8")
    original.write_bytes(data)
    assert export_corpus(corpus, "tsv", out, options).documents == before.documents


def test_originals_without_english_are_named(corpus: Path, tmp_path: Path) -> None:
    """Originals that never built (a PDF, an empty file) were not mentioned: the export
    read as if it held the whole corpus (attack finding)."""
    (corpus / "original" / "empty.txt").write_bytes(b"")
    (corpus / "original" / "report.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", ExportOptions())
    assert (
        "warning: 2 originals in original/ not exported, never built or failed to build "
        "(empty.txt, report.txt); `toolkit status` says why"
    ) in stats.lines()
    (corpus / "original" / "empty.txt").unlink()
    (corpus / "original" / "report.txt").unlink()
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", ExportOptions())
    assert not any("not exported" in line for line in stats.lines())


def test_moses_files_of_an_earlier_export_are_named(corpus: Path, tmp_path: Path) -> None:
    """An earlier export's all.nl-en.* stayed beside the new files, as if part of them."""
    prefix = tmp_path / "all"
    first = export_corpus(corpus, "moses", prefix, ExportOptions(include_flagged=True))
    (tmp_path / "all.xx-en.xx").write_text("old\n", encoding="utf-8")
    (tmp_path / "all.xx-en.en").write_text("old\n", encoding="utf-8")
    (tmp_path / "allother.de-en.de").write_text("not ours\n", encoding="utf-8")
    stats = export_corpus(corpus, "moses", prefix, ExportOptions(include_flagged=True))
    assert stats.files == first.files
    assert (
        "warning: all.xx-en.en, all.xx-en.xx: from an earlier export, not written by this one "
        "(no such language pair now); remove them so they are not taken for part of it"
    ) in stats.lines()


def test_originals_without_english_are_counted_by_file(corpus: Path, tmp_path: Path) -> None:
    """Two originals with one id, a hidden one and a name that gives no id were counted as
    one or not at all: "1 original ... not exported (story)" of 4 (attack finding)."""
    for name in ("Story.txt", "story.md", ".hidden.txt", "a\u00a0b.txt"):
        (corpus / "original" / name).write_text("Die Geschichte beginnt hier.\n", "utf-8")
    build_corpus(corpus, provider=FakeProvider())
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", ExportOptions())
    (line,) = [line for line in stats.lines() if "not exported, never built" in line]
    assert line.startswith("warning: 2 originals in original/ not exported"), line
    assert "story.md" in line
    # a name the build never reads: the build's own line for it, not "never built"
    assert (
        "warning: skipped (hidden: the name starts with a dot; rename it to build it): "
        "original/.hidden.txt"
    ) in stats.lines()


def test_qa_of_the_corpus_leaves_out_a_document_whose_original_was_deleted(
    corpus: Path,
) -> None:
    """qa counted it while export, review and status leave it out or mark it (attack)."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    before = CliRunner().invoke(cli, ["qa", "--corpus", str(corpus), "--format", "json"])
    (corpus / "original" / f"{GERMAN}.txt").unlink()
    (corpus / "original" / "empty.txt").write_bytes(b"")
    after = CliRunner().invoke(cli, ["qa", "--corpus", str(corpus), "--format", "json"])
    assert before.exit_code == after.exit_code == 0, after.output
    assert GERMAN in before.stdout and GERMAN not in after.stdout
    assert f"left out: {GERMAN}: no original (deleted?); the next build removes its English" in (
        after.stderr
    )
    assert "left out: 1 original in original/ not checked, never built or failed to build " \
        "(empty.txt)" in after.stderr  # fmt: skip


def test_qa_of_a_corpus_whose_originals_are_all_gone_says_so(corpus: Path) -> None:
    """It said "no built documents; run toolkit build first" of a corpus with 4 built, whose
    originals were all deleted (and the build refuses to remove them all) (attack)."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    for path in (corpus / "original").iterdir():
        path.unlink()
    result = CliRunner().invoke(cli, ["qa", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "holds the original of none of the 4 built documents; restore them" in result.stderr
