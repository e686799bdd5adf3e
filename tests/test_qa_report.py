"""The library side of `toolkit qa`: each report renders exactly what the command prints."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_meta
from toolkit.glossary.discover import discover_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.qa.calibrate import CalibrationRow
from toolkit.qa.pairs import read_bilingual
from toolkit.qa.report import (
    calibration_lines,
    check_pairs,
    corpus_report,
    needs_source_language,
)

ROOT = Path(__file__).resolve().parents[1]
PAIRS = (
    "id\tsource\ttarget\n"
    "1\tVier Äpfel kosten 3 Euro.\tFive apples cost 3 euros.\n"
    "2\tDas Wetter ist schön.\tThe weather is nice.\n"
    "3\tDas Wetter ist schön.\tThe weather is fine.\n"
    "4\tGuten Tag.\t\n"
)


def _stdout_stderr(*args: str) -> tuple[int, list[str], list[str]]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def test_pairs_report_renders_what_toolkit_qa_pairs_prints(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS, encoding="utf-8")
    pairs = read_bilingual(path, "de", "en")
    assert needs_source_language(pairs, None) and not needs_source_language(pairs, "de")
    glossary = discover_glossary(tmp_path, explicit=None, disabled=True).load()
    report = check_pairs(pairs, "de", "en", glossary)
    assert [p.id for p, _ in report] == ["1", "2", "3", "4"] and len(report) == 4
    assert report.has_errors  # the number and the empty target
    checks = {p.id: [f.check for f in flags] for p, flags in report}
    assert checks == {"1": ["number"], "2": ["inconsistent"], "3": ["inconsistent"],
                      "4": ["empty"]}
    for fmt in ("text", "jsonl"):
        code, out, err = _stdout_stderr("qa", str(path), "--src", "de", "--no-glossary",
                                        "--format", fmt, "--strict")
        rendered = report.render(fmt)
        assert code == 1 and out == rendered.out
        assert err[1:] == rendered.err  # the first line names the glossary used
    assert report.render("text").out == [
        "1\terror\tnumber: source has Vier, target lacks it",
        "2\twarning\tinconsistent: same source as 3, translated 2 different ways",
        "3\twarning\tinconsistent: same source as 2, translated 2 different ways",
        "4\terror\tempty: target is empty, source is not",
    ]
    assert report.render("text").err == ["4 pairs, 4 flagged"]
    assert json.loads(report.render("json").out[3]) == {
        "id": "4", "flags": ["empty"], "messages": ["empty: target is empty, source is not"]}


def test_corpus_report_renders_what_toolkit_qa_prints(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    german = ROOT / "corpus" / "original" / "000_de546ec99307b48e.txt"
    (root / "original" / "de.txt").write_text(german.read_text("utf-8"), encoding="utf-8")
    build_corpus(root, provider=FakeProvider())
    records = [read_meta(p) for p in sorted((root / "english").glob("*.meta.json"))]
    waiting = records[0].model_copy(update={"document": "later", "status": "waiting"})
    report = corpus_report(records)
    assert not report.not_built and report.failed  # the fake English reads as German
    assert corpus_report([*records, waiting]).not_built == {"later": "waiting"}
    for fmt in ("text", "json"):
        code, out, err = _stdout_stderr("qa", "--corpus", str(root), "--format", fmt)
        assert code == 0 and out == "\n".join(report.render(fmt).out).splitlines()
        assert err == report.render(fmt).err


def test_calibration_lines_are_the_table_and_the_proposal() -> None:
    rows = [CalibrationRow(-1.5, 0.5, 0.1), CalibrationRow(-0.5, 1.0, 0.9)]
    assert calibration_lines(rows, -1.5, 20, 2) == [
        "threshold\tcorrected below\tall below",
        "-1.5000\t50.0%\t10.0%",
        "-0.5000\t100.0%\t90.0%",
        "proposed low_confidence_threshold: -1.5000 (2 corrected of 20 scored segments)",
    ]


def test_a_rows_own_source_language_is_read_as_src_would_be(tmp_path: Path) -> None:
    # translate's tsv names each row's source_language. The value decides which checks run,
    # so it is normalised like --src ("DE" is de) and a value no part of the toolkit knows is
    # one line naming the row: "DE" or "xx" used to turn the untranslated check off silently.
    german = "Die Regierung hat am Montag neue Maßnahmen beschlossen, die ab Januar gelten."
    target = "Die Bundesregierung hat am Montag neue Maßnahmen beschlossen, die ab Januar gelten."
    header = "file\tsegment_id\tsource\tenglish\tflags\tsource_language\n"
    runner = CliRunner()
    for value in ("de", "DE", "de-DE"):
        path = tmp_path / "pairs.tsv"
        path.write_text(f"{header}a.txt\tp1.s1\t{german}\t{target}\t\t{value}\n", encoding="utf-8")
        result = runner.invoke(cli, ["qa", "--no-glossary", "--format", "jsonl", str(path)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["flags"] == ["untranslated"], value
    path.write_text(f"{header}a.txt\tp1.s1\t{german}\t{target}\t\txx\n", encoding="utf-8")
    result = runner.invoke(cli, ["qa", "--no-glossary", "--src", "de", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"toolkit: error: {path}: line 2: source_language 'xx': ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_flags_run_alongside_their_messages(tmp_path: Path) -> None:
    # A consumer zips "flags" with "messages": a row with two number flags listed the check
    # once and its two messages, so the second message was paired with the next check's name.
    path = tmp_path / "pairs.tsv"
    path.write_text("id\tsource\ttarget\n1\tEr kam um 7 Uhr mit 12 Leuten.\t"
                    "He came at 8 o'clock with 13 people.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["qa", "--no-glossary", "--src", "de", "--format", "jsonl",
                                      str(path)])
    row = json.loads(result.stdout)
    assert row["flags"].count("number") == 2, row
    assert len(row["flags"]) == len(row["messages"])
    assert all(m.startswith(f"{f}: ") for f, m in zip(row["flags"], row["messages"], strict=True))
