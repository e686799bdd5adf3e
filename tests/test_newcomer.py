"""Issue 16: every command as a newcomer meets it, following README.md and making the usual
mistakes. One test (or a few) per rough edge; each failed before the fix."""

from __future__ import annotations

import doctest
import hashlib
import importlib
import inspect
import json
import os
import pkgutil
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from fakes import ROOT, FakeProvider, FakeTranslator, build_shipped_corpus

import toolkit
from toolkit.cli.app import cli
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.review.documents import load_documents
from toolkit.review.html import render_html
from toolkit.review.terminal import TerminalStyle, render_terminal
from toolkit.schema import QaFlag
from toolkit.translation.cache import CachedTranslator, NullCache

ORIGINALS = ROOT / "corpus" / "original"
GERMAN = "000_de546ec99307b48e"
ENGLISH = "001_cb2e6261cd7f216a"
DUTCH = "002_d2e9b11a68fdacb0"
ENGLISH_2 = "003_c4a4f06c737cf0af"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
FRENCH = "Le conseil municipal s'est réuni lundi. Il a décidé de construire un nouveau pont.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No Argos packages, a private cache home, and tmp_path as the working directory."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped originals built with the fake translator (every document built)."""
    return build_shipped_corpus(tmp_path_factory.mktemp("newcomer") / "corpus")


def _english_corpus(root: Path, *names: str) -> Path:
    (root / "original").mkdir(parents=True)
    for name in names or (ENGLISH, ENGLISH_2):
        shutil.copy(ORIGINALS / f"{name}.txt", root / "original")
    return root


# -- toolkit add ---------------------------------------------------------------------------------


def test_add_refuses_a_png_before_copying_it(runner: CliRunner, offline: Path) -> None:
    assert runner.invoke(cli, ["init"]).exit_code == 0
    (offline / "photo.txt").write_bytes(PNG)
    shutil.copy(ORIGINALS / f"{ENGLISH}.txt", offline / "good.txt")
    # A good file next to the bad one is not added either: the corpus stays unchanged.
    result = runner.invoke(cli, ["add", "good.txt", "photo.txt"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "toolkit: error: photo.txt: looks like a PNG image, not text; nothing was added"
    ]
    assert list((offline / "corpus" / "original").iterdir()) == []
    assert not (offline / "corpus" / "english").exists()


def test_add_checks_a_file_with_the_encoding_it_will_be_built_with(
    runner: CliRunner, offline: Path
) -> None:
    runner.invoke(cli, ["init"])
    (offline / "k.txt").write_text("Grüße aus Köln. Das Wetter ist heute schön.\n", "utf-8")
    result = runner.invoke(cli, ["add", "--encoding", "ascii", "k.txt"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "does not decode as ascii" in result.stderr and "nothing was added" in result.stderr
    assert list((offline / "corpus" / "original").iterdir()) == []
    assert not (offline / "corpus" / "settings.yaml").exists()


def test_add_refuses_an_oversized_file_and_max_bytes_raises_the_limit(
    runner: CliRunner, offline: Path
) -> None:
    runner.invoke(cli, ["init"])
    shutil.copy(ORIGINALS / f"{ENGLISH}.txt", offline / "long.txt")
    small = runner.invoke(cli, ["add", "long.txt", "--max-bytes", "100"])
    assert small.exit_code == 1 and "--max-bytes" in small.stderr
    assert list((offline / "corpus" / "original").iterdir()) == []
    assert runner.invoke(cli, ["add", "long.txt", "--max-bytes", "10000000"]).exit_code == 0
    assert (offline / "corpus" / "original" / "long.txt").is_file()


# -- toolkit translate ---------------------------------------------------------------------------


def test_translate_translates_what_it_can_and_reports_each_file_it_cannot(
    runner: CliRunner, offline: Path
) -> None:
    shutil.copy(ORIGINALS / f"{ENGLISH}.txt", offline / "a.txt")
    (offline / "french.txt").write_text(FRENCH, encoding="utf-8")
    (offline / "photo.txt").write_bytes(PNG)
    result = runner.invoke(cli, ["translate", "a.txt", "french.txt", "photo.txt"])
    # a.txt (English: no model needed) is printed although the files after it fail.
    alone = runner.invoke(cli, ["translate", "a.txt"])
    assert alone.exit_code == 0 and alone.stdout.strip()
    assert result.stdout == alone.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("toolkit: error:")]
    assert len(errors) == 2
    assert "french.txt: needs model fr→en" in errors[1] and "photo.txt: looks like" in errors[0]
    assert result.exit_code == 1  # the worst: a file that cannot be read at all
    only_model = runner.invoke(cli, ["translate", "a.txt", "french.txt"])
    assert only_model.exit_code == 3 and only_model.stdout == alone.stdout


def test_translate_uses_the_translation_cache_by_default(
    runner: CliRunner, offline: Path, tiny_package_file: Path
) -> None:
    from toolkit.translation.install import install_from_file

    install_from_file(tiny_package_file, offline / "no-packages")
    shutil.copy(ORIGINALS / f"{GERMAN}.txt", offline / "de.txt")
    first = runner.invoke(cli, ["translate", "de.txt"])
    assert first.exit_code == 0, first.stderr
    again = runner.invoke(cli, ["translate", "de.txt"])
    assert again.stdout == first.stdout
    assert re.search(r"\b0 sentences translated, [1-9]\d* cached", again.stderr), again.stderr
    assert (offline / "xdg" / "toolkit" / "translations.sqlite").is_file()
    fresh = runner.invoke(cli, ["translate", "--no-cache", "de.txt"])
    assert fresh.stdout == first.stdout and ", 0 cached" in fresh.stderr


# -- toolkit build -------------------------------------------------------------------------------


def test_build_force_rebuilds_an_unchanged_corpus_and_only_builds_one_document(
    runner: CliRunner, offline: Path
) -> None:
    corpus = _english_corpus(offline / "corpus")
    assert runner.invoke(cli, ["build", str(corpus)]).exit_code == 0
    assert "nothing changed" in runner.invoke(cli, ["build", str(corpus), "--no-cache"]).stdout
    forced = runner.invoke(cli, ["build", str(corpus), "--force"])
    assert forced.exit_code == 0 and forced.stdout.startswith("2 built, 0 up to date")
    one = runner.invoke(cli, ["build", str(corpus), "--force", "--only", ENGLISH])
    assert one.exit_code == 0 and one.stdout.startswith("1 built, 0 up to date")
    by_name = runner.invoke(cli, ["build", str(corpus), "--force", "--only", f"{ENGLISH_2}.txt"])
    assert by_name.stdout.startswith("1 built")
    bad = runner.invoke(cli, ["build", str(corpus), "--only", "nope"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "--only nope" in bad.stderr


def test_build_errors_use_the_documented_prefix(runner: CliRunner, offline: Path) -> None:
    corpus = _english_corpus(offline / "corpus", ENGLISH)
    (corpus / "original" / "photo.txt").write_bytes(PNG)
    result = runner.invoke(cli, ["build", str(corpus)])
    assert result.exit_code == 1
    assert any(
        line.startswith("toolkit: error: original/photo.txt: looks like a PNG image")
        for line in result.stderr.splitlines()
    )


def test_a_document_waiting_for_a_model_is_not_counted_as_up_to_date(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(ORIGINALS, root / "original")
    build_corpus(root, provider=FakeProvider(pairs=("de",)))
    again = build_corpus(root, provider=FakeProvider(pairs=("de",)))
    assert DUTCH in again.needs_model and DUTCH not in again.up_to_date
    assert again.lines()[0].startswith("0 built, 3 up to date, 1 need a model")


def test_build_corpus_force_rebuilds(tmp_path: Path) -> None:
    root = _english_corpus(tmp_path / "corpus", ENGLISH)
    build_corpus(root, provider=FakeProvider())
    assert build_corpus(root, provider=FakeProvider(), force=True).built == [ENGLISH]


# -- toolkit export ------------------------------------------------------------------------------


def test_moses_export_with_english_keeps_both_sides(shipped: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "all"
    result = CliRunner().invoke(
        cli,
        ["export", "--corpus", str(shipped), "--format", "moses", "--include-english",
         "--include-flagged", "-o", str(prefix)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    source = (tmp_path / "all.en-en.source.en").read_text(encoding="utf-8").splitlines()
    target = (tmp_path / "all.en-en.target.en").read_text(encoding="utf-8").splitlines()
    english = read_meta(shipped / "english" / f"{ENGLISH}.meta.json")
    assert english.segments[0].source in source and len(source) == len(target)
    de = (tmp_path / "all.de-en.de").read_text(encoding="utf-8").splitlines()
    assert de and all(not line.startswith("[en] ") for line in de)


def test_export_dash_writes_to_standard_output(shipped: Path, tmp_path: Path) -> None:
    args = ["export", "--corpus", str(shipped), "--format", "jsonl", "--include-flagged"]
    result = CliRunner().invoke(cli, [*args, "-o", "-"], catch_exceptions=False)
    assert result.exit_code == 0 and not Path("-").exists()
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and {r["document"] for r in rows} >= {GERMAN, DUTCH}
    assert "to standard output" in result.stderr
    moses = CliRunner().invoke(cli, ["export", "--corpus", str(shipped), "--format", "moses",
                                     "-o", "-"])  # fmt: skip
    assert moses.exit_code == 1 and moses.stderr.count("\n") == 1 and "prefix" in moses.stderr


def test_export_counts_read_as_english(shipped: Path, tmp_path: Path) -> None:
    from toolkit.export.units import ExportStats

    one = ExportStats(documents=1, exported=1, flagged=1, files=[tmp_path / "x.tsv"])
    assert one.lines()[:2] == [
        f"exported 1 segment from 1 document to {tmp_path / 'x.tsv'}",
        "excluded 1 flagged segment (a reviewer accepts a row or dismisses its flags in "
        "toolkit review --serve to export it; or use --include-flagged)",
    ]


# -- toolkit qa ----------------------------------------------------------------------------------


def _qa(path: Path, *extra: str) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(cli, ["qa", str(path), "--format", "jsonl", *extra])
    rows = [json.loads(line) for line in result.stdout.splitlines()] if result.stdout else []
    return result.exit_code, rows, result.stderr


def test_qa_reads_every_bilingual_format_the_toolkit_writes(
    shipped: Path, tmp_path: Path, offline: Path
) -> None:
    runner = CliRunner()
    expected = sum(len(r.segments) for r in load_documents(shipped, []))
    for fmt in ("tsv", "jsonl", "tmx"):
        out = tmp_path / f"all.{fmt}"
        args = ["export", "--corpus", str(shipped), "--format", fmt, "-o", str(out)]
        assert runner.invoke(cli, [*args, "--include-english", "--include-flagged"]).exit_code == 0
        code, rows, stderr = _qa(out, "--src", "de")
        assert code == 0, stderr
        assert len(rows) == expected and len({r["id"] for r in rows}) == expected
    aligned = shipped / "english" / f"{GERMAN}.aligned.tsv"
    code, rows, _ = _qa(aligned, "--src", "de")
    assert code == 0 and len(rows) == len(read_meta(shipped / "english" / f"{GERMAN}.meta.json")
                                             .segments)  # fmt: skip
    shutil.copy(ORIGINALS / f"{ENGLISH}.txt", offline / "a.txt")
    translated = offline / "out.tsv"
    assert runner.invoke(cli, ["translate", "a.txt", "--format", "tsv", "-o", str(translated)]
                         ).exit_code == 0  # fmt: skip
    # translate's tsv and json name each row's source language: qa needs no --src for them.
    code, rows, _ = _qa(translated)
    assert code == 0 and rows and all(r["flags"] == [] for r in rows)
    as_json = offline / "out.json"
    assert runner.invoke(cli, ["translate", "a.txt", "--format", "json", "-o", str(as_json)]
                         ).exit_code == 0  # fmt: skip
    code, json_rows, _ = _qa(as_json)
    assert code == 0 and [r["id"].split(":")[-1] for r in json_rows] == [
        r["id"].split(":")[-1] for r in rows
    ]
    plain = tmp_path / "plain.tsv"
    plain.write_text("Vier Äpfel.\tFive apples.\nGuten Tag.\tGood day.\n", encoding="utf-8")
    code, rows, _ = _qa(plain, "--src", "de")
    assert code == 0 and [r["flags"] for r in rows] == [["number"], []]


def test_qa_does_not_call_english_sources_of_an_export_untranslated(
    shipped: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.tsv"
    CliRunner().invoke(cli, ["export", "--corpus", str(shipped), "--format", "tsv", "-o",
                             str(out), "--include-english", "--include-flagged"])  # fmt: skip
    code, rows, _ = _qa(out, "--src", "de")
    assert code == 0
    english = [r for r in rows if r["id"].startswith((ENGLISH, ENGLISH_2))]
    assert english and not any("untranslated" in r["flags"] for r in english)
    german = [r for r in rows if r["id"].startswith(GERMAN)]
    assert any("untranslated" in r["flags"] for r in german)  # the fake copies with "[en] "
    # The export records each row's language, so --src is not even needed.
    assert _qa(out)[0] == 0


def test_qa_jsonl_errors_name_the_line_not_the_record(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    record = {"document": "d", "segment": "p1.s1", "text": "x" * 300}
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, _, stderr = _qa(bad, "--src", "de")
    assert code == 1 and stderr.count("\n") == 1
    assert "line 1" in stderr and "header" not in stderr and "x" * 100 not in stderr


def test_qa_strict_fails_on_documents_waiting_for_a_model(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = _english_corpus(tmp_path / "corpus", ENGLISH_2)
    build_corpus(root, provider=FakeProvider(pairs=()))
    assert runner.invoke(cli, ["qa", "--corpus", str(root), "--strict"]).exit_code == 0
    shutil.copy(ORIGINALS / f"{DUTCH}.txt", root / "original")
    build_corpus(root, provider=FakeProvider(pairs=()))
    lenient = runner.invoke(cli, ["qa", "--corpus", str(root)])
    assert lenient.exit_code == 0 and f"{DUTCH}: not built: needs model nl→en" in lenient.stderr
    assert runner.invoke(cli, ["qa", "--corpus", str(root), "--strict"]).exit_code == 1


def test_qa_counts_only_documents_with_error_flags(runner: CliRunner, shipped: Path) -> None:
    result = runner.invoke(cli, ["qa", "--corpus", str(shipped)])
    records = load_documents(shipped, [])
    with_errors = sum(1 for r in records if any(q.severity == "error" for s in r.segments
                                                  for q in s.qa))  # fmt: skip
    assert 0 < with_errors < len(records)
    assert re.search(rf"error-severity flags? in {with_errors} documents?$", result.stderr.strip())


def test_qa_pairs_summary_says_one_pair(runner: CliRunner, tmp_path: Path) -> None:
    one = tmp_path / "one.tsv"
    one.write_text("Guten Tag.\tGood day.\n", encoding="utf-8")
    result = runner.invoke(cli, ["qa", str(one), "--src", "de"])
    assert result.stderr.strip().splitlines()[-1] == "1 pair, 0 flagged"


# -- review --------------------------------------------------------------------------------------


def _waiting_record(tmp_path: Path):
    root = _english_corpus(tmp_path / "corpus", ENGLISH_2)
    shutil.copy(ORIGINALS / f"{DUTCH}.txt", root / "original")
    build_corpus(root, provider=FakeProvider(pairs=()))
    return root, read_meta(root / "english" / f"{DUTCH}.meta.json")


def test_review_marks_documents_waiting_for_a_model(tmp_path: Path) -> None:
    _root, record = _waiting_record(tmp_path)
    text = render_terminal(record, TerminalStyle(width=120, only_flagged=True))
    assert "needs model nl→en" in text.splitlines()[0]
    # Its rows stay under "only flagged": they need attention.
    assert all(f" {s.id} " in f" {text} " or s.id in text for s in record.segments)
    assert "nothing flagged" not in text
    page = render_html([record])
    assert page.count('class="segment flagged needs-model"') == len(record.segments)
    assert "(needs model nl→en)" in page
    assert page.count("needs model nl→en") >= 2  # the row and the table of contents


def test_review_shows_every_message_of_a_check(shipped: Path) -> None:
    record = read_meta(shipped / "english" / f"{GERMAN}.meta.json")
    seg = record.segments[0]
    seg.flags = ["number"]
    seg.qa = [QaFlag(check="number", severity="error", message=f"number: source has {n}")
              for n in (12, 10, 8, 6)]  # fmt: skip
    text = render_terminal(record, TerminalStyle(width=120))
    page = render_html([record])
    for n in (12, 10, 8, 6):
        assert f"number: source has {n} [error]" in text
        assert f"<li class=\"error\">number: source has {n}</li>" in page


def test_review_only_flagged_with_nothing_flagged_says_so(shipped: Path) -> None:
    record = read_meta(shipped / "english" / f"{ENGLISH}.meta.json")
    for seg in record.segments:
        seg.flags, seg.qa = [], []
    text = render_terminal(record, TerminalStyle(width=100, only_flagged=True))
    assert "nothing flagged in this document" in text


def test_review_pages_through_the_pager_on_a_terminal(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setattr("toolkit.cli.review._stdout_is_terminal", lambda: True)
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    result = CliRunner().invoke(cli, ["review", GERMAN, "--corpus", str(shipped)])
    assert result.exit_code == 0 and result.stdout == ""
    assert GERMAN in paged.read_text(encoding="utf-8")


def test_review_wraps_to_80_columns_when_piped_and_keeps_colour_when_asked(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=(80, 24): os.terminal_size(
        fallback))  # fmt: skip  (piped: no terminal to ask)
    plain = CliRunner().invoke(cli, ["review", GERMAN, "--corpus", str(shipped)])
    widths = [len(line) for line in plain.stdout.splitlines()]
    assert max(widths) <= 80 and max(widths) > 70
    monkeypatch.setenv("COLUMNS", "60")
    coloured = CliRunner().invoke(cli, ["review", GERMAN, "--corpus", str(shipped), "--width",
                                        "60", "--color", "always"])  # fmt: skip
    assert "\x1b[" in coloured.stdout


def test_a_wild_columns_value_cannot_blow_up_the_review(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$COLUMNS is untrusted input: 99999999 padded every line to 50 MB (gigabytes for one
    article); the width is capped, and --width says its limit."""
    from toolkit.cli.review import MAX_WIDTH

    monkeypatch.setenv("COLUMNS", "99999999")
    result = CliRunner().invoke(cli, ["review", GERMAN, "--corpus", str(shipped)])
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= MAX_WIDTH
    wide = CliRunner().invoke(cli, ["review", GERMAN, "--corpus", str(shipped), "--width",
                                    "99999999"])  # fmt: skip
    assert wide.exit_code == 2 and f"40<=x<={MAX_WIDTH}" in wide.stderr


def test_html_review_has_filters_and_visible_explanations(shipped: Path) -> None:
    records = load_documents(shipped, [])
    page = render_html(records)
    for control in ('id="filter-check"', 'id="filter-document"', 'id="filter-origin"',
                    'type="search" id="search"'):  # fmt: skip
        assert control in page
    for record in records:
        assert f'<option value="{record.document}">' in page
    assert '<option value="untranslated">' in page and '<option value="machine">' in page
    flagged = sum(1 for r in records for s in r.segments if s.flags)
    assert page.count('<ul class="explain">') == flagged


# -- init and status -----------------------------------------------------------------------------


def test_init_creates_an_empty_corpus_and_never_overwrites(
    runner: CliRunner, offline: Path
) -> None:
    from toolkit.glossary.load import load_glossary

    assert runner.invoke(cli, ["init", "news"]).exit_code == 0
    assert (offline / "news" / "original").is_dir()
    assert not load_glossary(offline / "news" / "glossary.yaml").entries
    (offline / "news" / "glossary.yaml").write_text("version: 1\nentries: []\n# mine\n")
    again = runner.invoke(cli, ["init", "news"])
    assert again.exit_code == 1 and again.stderr.count("\n") == 1
    assert "already exists" in again.stderr
    assert (offline / "news" / "glossary.yaml").read_text().endswith("# mine\n")
    shutil.copy(ORIGINALS / f"{ENGLISH}.txt", offline / "news" / "original")
    assert runner.invoke(cli, ["build", "news"]).exit_code == 0


def test_status_lists_every_document_with_its_state(runner: CliRunner, offline: Path) -> None:
    from toolkit.corpus.corrections import Correction, corrections_path, render_corrections

    root = _english_corpus(offline / "corpus", ENGLISH_2)
    shutil.copy(ORIGINALS / f"{DUTCH}.txt", root / "original")
    build_corpus(root, provider=FakeProvider(pairs=()))
    (root / "original" / "photo.txt").write_bytes(PNG)
    gone = hashlib.sha256(b"Gone.").hexdigest()  # a valid row whose sentence is not there
    orphan = Correction(source_sha256=gone, source="Gone.", english="x", author="a", time="t")
    path = corrections_path(root, ENGLISH_2)
    path.parent.mkdir()
    path.write_text(render_corrections([orphan]), encoding="utf-8")
    # A new corrections file changes the fingerprint: stale until the build applies it.
    assert runner.invoke(cli, ["status", str(root)]).stdout.count("\tstale\t") == 1
    build_corpus(root, provider=FakeProvider(pairs=()))
    result = runner.invoke(cli, ["status", str(root)])
    assert result.exit_code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()[1:]}
    assert rows[ENGLISH_2][1:3] == ["en", "built"] and int(rows[ENGLISH_2][3]) > 0
    assert rows[DUTCH][1:3] == ["nl", "needs model"]
    assert rows["photo"][2] == "error"
    assert "photo: looks like a PNG image" in result.stderr
    assert f"{ENGLISH_2}: orphan correction: " in result.stderr
    stray = corrections_path(root, "gone")
    stray.write_text(render_corrections([orphan]), encoding="utf-8")
    again = runner.invoke(cli, ["status", str(root), "--format", "json"])
    report = json.loads(again.stdout)
    assert report["orphan_correction_files"] == ["corrections/gone.corrections.tsv"]
    assert {d["document"]: d["state"] for d in report["documents"]}[DUTCH] == "needs model"


def test_init_hints_commands_that_work_when_pasted(runner: CliRunner, offline: Path) -> None:
    """A corpus path with a space is quoted in the `next:` hint (`--corpus my news` would
    pass `news` as a file to add)."""
    result = runner.invoke(cli, ["init", "my news"])
    assert result.exit_code == 0
    assert "`toolkit add FILE --corpus 'my news'`" in result.stderr
    assert "`toolkit build 'my news'`" in result.stderr


def test_status_never_calls_a_document_with_a_corrupt_meta_json_built(
    runner: CliRunner, offline: Path
) -> None:
    """A meta.json cut short or missing is what readers call `changed since build`; status
    says the same (it used to print `built` with 0 flags, hiding every flag)."""
    root = _english_corpus(offline / "corpus")
    build_corpus(root, provider=FakeProvider(pairs=()))
    (root / "english" / f"{ENGLISH}.meta.json").write_bytes(b'{"broken')
    (root / "english" / f"{ENGLISH_2}.meta.json").unlink()
    result = runner.invoke(cli, ["status", str(root)])
    assert result.exit_code == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()[1:]}
    assert rows[ENGLISH][2] == rows[ENGLISH_2][2] == "changed since build"
    assert f"{ENGLISH}: changed since build" in result.stderr
    assert f"{ENGLISH}.meta.json differs from what the build wrote" in result.stderr
    assert f"{ENGLISH_2}.meta.json is missing" in result.stderr


def test_status_never_reads_a_huge_original_into_memory(runner: CliRunner, offline: Path) -> None:
    """A 1 GB sparse original (unbuilt, or a built one that grew) costs status no memory and
    is reported as the build reports it: over the article limit, not "is empty"."""
    import tracemalloc

    from toolkit.pipeline.status import corpus_status

    root = _english_corpus(offline / "corpus")
    build_corpus(root, provider=FakeProvider(pairs=()))
    with (root / "original" / "dump.txt").open("wb") as fh:
        fh.truncate(1024**3)
    with (root / "original" / f"{ENGLISH}.txt").open("r+b") as fh:
        fh.truncate(1024**3)  # built, then grown
    tracemalloc.start()
    try:
        rows, _ = corpus_status(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024**2, f"{peak / 1e6:.0f} MB"
    state = {r.document: (r.state, r.message) for r in rows}
    assert state["dump"][0] == "error" and "over the 8.0 MB article limit" in state["dump"][1]
    # The build's own line, as for the unbuilt one (it said "out of date": true, but the
    # build refuses to read it, so no build brings it up to date at this limit).
    assert state[ENGLISH][0] == "error" and "over the 8.0 MB article limit" in state[ENGLISH][1]


@pytest.mark.parametrize("command", ["add", "translate", "clean", "detect", "segment"])
def test_single_file_commands_refuse_a_huge_file_from_its_size(
    runner: CliRunner, offline: Path, command: str
) -> None:
    """README: over 8 MB is "refused from its size, before a byte is read (a 2 GB sparse file
    costs no memory)". These commands read the whole file first (1 GB of memory) and then
    called 1 GB of zeros "empty"."""
    import tracemalloc

    assert runner.invoke(cli, ["init"]).exit_code == 0
    with (offline / "dump.txt").open("wb") as fh:
        fh.truncate(1024**3)
    tracemalloc.start()
    try:
        result = runner.invoke(cli, [command, "dump.txt"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1
    assert "dump.txt: is 1.07 GB, over the 8.0 MB article limit" in result.stderr
    assert peak < 64 * 1024**2, f"{peak / 1e6:.0f} MB"
    if command != "add":  # add takes no stdin; the others read a pipe only up to the limit
        piped = runner.invoke(cli, [command, "-", "--max-bytes", "100000"], input="Hallo. " * 20000)
        assert piped.exit_code == 1
        assert "<stdin>: is more than the 100,000 bytes article limit" in piped.stderr


def test_translate_refuses_a_cache_dir_inside_a_corpus(runner: CliRunner, offline: Path) -> None:
    """`--cache-dir corpus/original` put translations.sqlite among the articles, and every
    later build failed on it; the corpus's own .cache/ stays allowed."""
    root = _english_corpus(offline / "corpus", ENGLISH)
    before = sorted(p.name for p in (root / "original").iterdir())
    article = str(root / "original" / f"{ENGLISH}.txt")
    for inside in ("corpus/original", "corpus/../corpus/english/cache"):
        result = runner.invoke(cli, ["translate", article, "--cache-dir", inside])
        assert result.exit_code == 2, result.output
        assert f"--cache-dir {inside}: inside a corpus" in result.stderr
    assert sorted(p.name for p in (root / "original").iterdir()) == before
    assert not (root / "english").exists()
    ok = runner.invoke(cli, ["translate", article, "--cache-dir", "corpus/.cache"])
    assert ok.exit_code == 0, ok.output


def test_status_lists_an_unsafe_name_as_an_error_and_the_rest_as_usual(
    runner: CliRunner, offline: Path
) -> None:
    """One original named `report.` or with an escape sequence made `toolkit status` print a
    single error and nothing else; the build skips such a name, status lists it."""
    root = _english_corpus(offline / "corpus", ENGLISH)
    build_corpus(root, provider=FakeProvider(pairs=()))
    (root / "original" / "report.").write_text("Ein Text.\n", encoding="utf-8")
    (root / "original" / "a\x1b[31mb.txt").write_text("Ein Text.\n", encoding="utf-8")
    result = runner.invoke(cli, ["status", str(root)])
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()[1:]}
    assert rows[ENGLISH][2] == "built"
    assert rows["report."][2] == "error" and rows["a\\x1b[31mb.txt"][2] == "error"
    assert "\x1b" not in result.output and "rename the file" in result.stderr


def test_names_from_the_command_line_are_spelled_out_and_only_survives_unsafe_originals(
    runner: CliRunner, offline: Path
) -> None:
    """`build --only X` crashed with a traceback (UnsafeDocumentId) when original/ held a
    name that gives no safe id; and `--only`, `add`, `translate` printed a bidi override
    from the command line raw (README: names are spelled out, never printed raw)."""
    root = _english_corpus(offline / "corpus", ENGLISH)
    (root / "original" / "report.").write_text("Ein Text.\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(root), "--only", f"{ENGLISH}.txt", "-q"])
    assert result.exit_code == 0, result.output  # not a traceback
    assert "report." not in result.stderr  # --only: another original's line is not its
    assert (root / "english" / f"{ENGLISH}.en.txt").exists()
    whole = runner.invoke(cli, ["build", str(root), "-q"])
    assert whole.exit_code == 1 and "original/report.: its document id" in whole.stderr
    missing = runner.invoke(cli, ["build", str(root), "--only", "x\u202e"])
    assert missing.exit_code == 2 and missing.stderr.startswith(
        "toolkit: error: --only x\\u202e: no original of that name"
    )
    for command in (["add"], ["translate"]):
        named = runner.invoke(cli, [*command, "\u202ex.txt"])
        assert named.exit_code == 1 and "\u202e" not in named.stderr
        assert "\\u202ex.txt: no such file" in named.stderr


# -- help, hints and the README ------------------------------------------------------------------


def _commands(group: click.Group, prefix: str = "toolkit") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            found.update(_commands(command, path))
        else:
            found[path] = command
    return found


def test_every_option_has_help_and_shows_its_default() -> None:
    missing = []
    for path, command in _commands(cli).items():
        for param in command.params:
            if not isinstance(param, click.Option) or param.name == "help":
                continue
            if not param.help:
                missing.append(f"{path} {param.opts[0]}: no help")
            elif (
                not param.is_flag
                and isinstance(param.default, str | int | float)
                and not param.show_default
                and "default" not in param.help
            ):
                missing.append(f"{path} {param.opts[0]}: default {param.default!r} not shown")
    assert missing == []


def test_hints_name_only_options_that_exist() -> None:
    """The size limit's hint says --max-bytes: every command that reads articles has it."""
    from toolkit.config.prepare import DecodeConfig
    from toolkit.errors import InputError
    from toolkit.prepare.decode import decode_bytes

    with pytest.raises(InputError) as too_big:
        decode_bytes(b"x" * 20, DecodeConfig(max_bytes=10))
    hinted = set(re.findall(r"--[a-z-]+", str(too_big.value)))
    assert hinted == {"--max-bytes"}
    from toolkit.cli.options import DEFAULT_MAX_BYTES

    assert DecodeConfig().max_bytes == DEFAULT_MAX_BYTES  # the default --help shows
    commands = _commands(cli)
    for name in ("build", "add", "translate", "detect", "clean", "segment"):
        options = {o for p in commands[f"toolkit {name}"].params for o in p.opts}
        assert hinted <= options, name


def _readme_commands() -> tuple[list[str], list[str]]:
    """README's command reference (the `toolkit ...` lines of "Command line"), and every
    other `toolkit ...` command line or inline code span anywhere in README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    reference = [line for line in block.splitlines() if line.startswith("toolkit ")]
    everywhere = [line.strip() for line in text.splitlines() if line.strip().startswith("toolkit ")]
    everywhere += re.findall(r"`(toolkit [^`]+)`", text)
    return reference, everywhere


def test_readme_command_reference_matches_the_commands() -> None:
    """Every command is in README's reference; every command and option README shows
    (reference, examples, prose) exists, on that command."""
    commands = _commands(cli)
    reference, everywhere = _readme_commands()
    documented: set[str] = set()
    for line in reference + everywhere:
        words = line.split()
        path = next(
            (p for p in sorted(commands, key=len, reverse=True)
             if words[: len(p.split())] == p.split()),
            None,
        )  # fmt: skip
        assert path is not None, f"README names a command that does not exist: {line}"
        if line in reference:
            documented.add(path)
        options = {o for p in commands[path].params for o in p.opts} | {"--help", "-h"}
        for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", line.split("#")[0]):
            assert option in options, f"README: {path} has no option {option}: {line}"
        comment = line.split("#", 1)[1] if "#" in line else ""
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", comment):
            assert option in options, f"README: {path} has no option {option}: {line}"
    assert set(commands) - documented == set(), "commands missing from README's reference"


# -- the library ---------------------------------------------------------------------------------


def test_library_accepts_str_paths(tmp_path: Path) -> None:
    from toolkit.glossary.load import load_glossary
    from toolkit.translation.provider import ArgosProvider

    glossary = load_glossary(str(ROOT / "glossary.yaml"))
    assert glossary.entries
    provider = ArgosProvider(cache_dir=str(tmp_path / "cache"), packages_dir=str(tmp_path / "p"))
    assert provider.cache_dir == tmp_path / "cache" and provider.package("de", "en") is None
    assert provider._translation_cache() is not None  # opens cache_dir / translations.sqlite
    assert (tmp_path / "cache" / "translations.sqlite").is_file()
    # The corpus functions too: a str root, str files.
    from toolkit.corpus.formats import read_manifest
    from toolkit.export.writer import export_corpus

    root = _english_corpus(tmp_path / "corpus", ENGLISH)
    summary = build_corpus(str(root), provider=FakeProvider(), glossary=glossary)
    assert summary.built == [ENGLISH]
    assert read_meta(str(root / "english" / f"{ENGLISH}.meta.json")).document == ENGLISH
    assert list(read_manifest(str(root / "manifest.jsonl"))) == [ENGLISH]
    out = str(tmp_path / "x.tsv")
    assert export_corpus(str(root), "tsv", out).files == [Path(out)]
    assert load_documents(str(root), [ENGLISH])[0].document == ENGLISH


def test_translating_a_string_instead_of_a_list_is_a_type_error(tiny_package_file: Path,
                                                                tmp_path: Path) -> None:
    from toolkit.translation.install import install_from_file
    from toolkit.translation.translator import Translator

    translator = Translator(install_from_file(tiny_package_file, tmp_path / "packages"))
    with pytest.raises(TypeError, match="list of sentences"):
        translator.translate("Guten Morgen.")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CachedTranslator(FakeTranslator(), NullCache(), "ns").translate("Guten Morgen.")
    assert len(translator.translate(["Guten Morgen."])) == 1


def test_build_corpus_shows_its_real_signature() -> None:
    params = inspect.signature(toolkit.build_corpus).parameters
    assert {"root", "provider", "glossary", "config", "only", "progress", "force"} <= set(params)
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    assert ">>> summary = build_corpus(root)" in (toolkit.build_corpus.__doc__ or "")


def test_docstring_examples_run() -> None:
    """The same doctests `make test` collects with --doctest-modules, run here by hand too."""
    failures, attempted = 0, 0
    for info in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if info.name == "toolkit.pipeline.ray_executor":
            continue  # imports Ray
        module = importlib.import_module(info.name)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        failures += result.failed
        attempted += result.attempted
    result = doctest.testmod(toolkit)
    assert failures + result.failed == 0 and attempted > 10


def test_a_small_limit_reads_in_bytes_not_zero_megabytes(tmp_path: Path) -> None:
    # `status --max-bytes 3000` said "is 0.0 MB, over the 0.0 MB article limit" (attack).
    from toolkit.errors import InputError

    assert str(InputError.too_large(3_500, 3_000)) == (
        "is 3,500 bytes, over the 3,000 bytes article limit; split it into articles or raise "
        "the limit with --max-bytes"
    )
