"""The command line as a user meets it: output shapes, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli

ROOT = Path(__file__).resolve().parents[1]
GERMAN = ROOT / "corpus" / "original" / "000_de546ec99307b48e.txt"
ENGLISH = ROOT / "corpus" / "original" / "003_c4a4f06c737cf0af.txt"
PUD = ROOT.parent / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_clean_prints_text_and_reports_removed_boilerplate(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["clean", str(ENGLISH)])
    assert result.exit_code == 0
    assert "Courtesy of Hulu" not in result.stdout
    assert "removed [photo-credit]: Courtesy of Hulu; Inset: Shutterstock" in result.stderr
    assert result.stdout.count("Kim Kardashian Maintains") == 1


def test_detect_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["detect", "-"], input=GERMAN.read_bytes())
    lang, confidence = result.stdout.split()
    assert (lang, result.exit_code) == ("de", 0) and float(confidence) > 0.9
    as_json = json.loads(runner.invoke(cli, ["detect", "--format", "json", str(GERMAN)]).stdout)
    assert as_json["language"] == "de" and as_json["encoding"] == "utf-8"


def test_translate_refuses_stdin_named_twice(runner: CliRunner) -> None:
    """``translate - -`` read standard input twice: the second copy was "empty" (an error
    about the user's text that was not true). Now a usage error before anything is read."""
    result = runner.invoke(cli, ["translate", "-", "-"], input=GERMAN.read_bytes())
    assert result.exit_code == 2
    assert "standard input (or another pipe) is given more than once" in result.output
    assert "is empty" not in result.output


@pytest.mark.parametrize("names", [["-", "/dev/stdin"], ["/dev/stdin", "/dev/fd/0"]])
def test_translate_refuses_stdin_named_twice_under_other_names(names: list[str]) -> None:
    """``- /dev/stdin`` read the pipe twice as well (attack finding): the second copy was
    reported as an empty file."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", "translate", "--from", "de", *names],
        input=GERMAN.read_bytes(), capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert out.returncode == 2 and b"is given more than once" in out.stderr


def test_segment_one_sentence_per_line_blank_line_between_paragraphs(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["segment", str(GERMAN)])
    paragraphs = result.stdout.strip().split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].split("\n")[0].startswith("Kim Kardashian (45) hat")
    tsv = runner.invoke(cli, ["segment", "--format", "tsv", str(GERMAN)]).stdout.splitlines()
    assert tsv[0] == "segment_id\tparagraph\tsentence\tsource"
    assert len(tsv) - 1 == sum(len(p.split("\n")) for p in paragraphs)


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "is empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "PNG image")],
)
def test_bad_file_is_one_line_naming_the_file(
    runner: CliRunner, tmp_path: Path, content: bytes, needle: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = runner.invoke(cli, ["clean", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"toolkit: error: {bad}: ") and needle in result.stderr


def test_missing_file_and_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["segment", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "no such file" in result.stderr
    result = runner.invoke(cli, ["segment", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_models_install_offline_is_one_line_with_the_file_alternative(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argostranslate.package as argos_package

    # No network here, but make the test independent of that: the index update fails.
    monkeypatch.setattr(argos_package, "update_package_index", lambda: print("URLError(...)"))
    result = runner.invoke(
        cli,
        [
            "models",
            "install",
            "--packages-dir",
            str(tmp_path),
            "--if-missing",
            "de",
            "en",
            "nl",
            "en",
        ],
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "URLError" not in result.stdout + result.stderr
    assert "toolkit models install --file PATH.argosmodel" in result.stderr


def test_models_install_usage_errors(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["models", "install", "de"]).exit_code == 2
    assert (
        runner.invoke(cli, ["models", "install", "de", "en", "--file", "x.argosmodel"]).exit_code
        == 2
    )


def test_models_list_empty_dir(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["models", "list", "--packages-dir", str(tmp_path)])
    assert result.exit_code == 0 and "no packages installed" in result.stderr


def test_translate_without_model_says_which_model(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["translate", "--packages-dir", str(tmp_path), str(GERMAN)])
    assert result.exit_code == 3
    assert "needs model de→en" in result.stderr and "toolkit models install de en" in result.stderr


@pytest.mark.skipif(not PUD.exists(), reason="../shared/data/pud-dev is not present")
def test_qa_on_a_pairs_file_prints_one_json_object_per_row(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["qa", str(PUD), "--src", "de", "--tgt", "en", "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    ids = [line.split("\t")[0] for line in PUD.read_text(encoding="utf-8").splitlines()[1:]]
    assert [r["id"] for r in rows] == ids
    assert all(set(r) == {"id", "flags", "messages"} for r in rows)


def test_qa_pairs_errors(runner: CliRunner, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("id\tsource\ttarget\n1\tVier Äpfel.\tFive apples.\n", encoding="utf-8")
    assert runner.invoke(cli, ["qa", str(pairs)]).exit_code == 2  # --src missing
    assert runner.invoke(cli, ["qa", str(pairs), "--src", "xx"]).exit_code == 2
    strict = runner.invoke(cli, ["qa", str(pairs), "--src", "de", "--strict"])
    assert strict.exit_code == 1 and "number" in strict.stdout
    pairs.write_text("id\tfoo\n1\tx\n", encoding="utf-8")
    bad = runner.invoke(cli, ["qa", str(pairs), "--src", "de"])
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1 and "pairs.tsv" in bad.stderr


def test_glossary_check_scans_unbuilt_documents_and_reports_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(ROOT / "corpus" / "original", tmp_path / "corpus" / "original")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    result = runner.invoke(cli, ["glossary", "check", "--corpus", str(tmp_path / "corpus")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "valid, " in lines[0]
    german = next(line for line in lines if line.startswith("000_de546ec99307b48e (de)"))
    assert "not translated yet" in german and " 0 found" not in german
    assert any("Kim Kardashian x" in line for line in lines)
    assert lines[-1].startswith("total: ") and lines[-1].endswith(" 0 lost")
    (tmp_path / "glossary.yaml").write_text("entries:\n  - term: [x\n", encoding="utf-8")
    bad = runner.invoke(cli, ["glossary", "check", "--corpus", str(tmp_path / "corpus")])
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1 and "glossary.yaml:" in bad.stderr


def test_a_line_to_a_terminal_that_is_gone_keeps_the_exit_status(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build stopped by SIGHUP printed its "interrupted" line to the closed terminal: EIO
    became a traceback and exit 1 instead of 130 (attack finding)."""
    import errno
    import io

    from toolkit.cli import options
    from toolkit.cli.exits import EXIT_INTERRUPTED

    class Gone(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr("sys.stderr", Gone())
    options.say("interrupted: 3 sentences kept")  # no exception
    with pytest.raises(SystemExit) as stop:
        options.fail("something", EXIT_INTERRUPTED)
    assert stop.value.code == EXIT_INTERRUPTED


def test_translate_dash_twice_with_stdin_from_a_file_is_refused() -> None:
    """``- - < file``: the second '-' read the same descriptor at its end ("is empty";
    attack finding). ``- /dev/stdin < file`` reopens the file, so both are translated."""
    import subprocess
    import sys

    def run(*names: str) -> subprocess.CompletedProcess[bytes]:
        with GERMAN.open("rb") as stdin:
            return subprocess.run(
                [sys.executable, "-m", "toolkit.cli.app", "translate", "--from", "de", *names],
                stdin=stdin, capture_output=True, timeout=120, check=False,
            )  # fmt: skip

    refused = run("-", "-")
    assert refused.returncode == 2 and b"is given more than once" in refused.stderr
    assert b"more than once" not in run("-", "/dev/stdin").stderr


def test_a_closed_stdout_keeps_the_builds_exit_status(tmp_path: Path) -> None:
    """``toolkit build | head -0``: the summary line hit a closed pipe and click turned EPIPE
    into exit 1, losing 3 ("needs a model") or 0 (attack finding)."""
    import os
    import shutil
    import subprocess
    import sys

    shutil.copytree(ROOT / "corpus" / "original", tmp_path / "corpus" / "original")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "no-packages")}
    command = [sys.executable, "-m", "toolkit.cli.app", "build", "--no-glossary", "-q"]
    read, write = os.pipe()
    os.close(read)  # nobody will ever read the summary
    try:
        done = subprocess.run(
            [*command, str(tmp_path / "corpus")], stdout=write, stderr=subprocess.PIPE,
            env=env, timeout=300, check=False,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == 3, done.stderr  # two documents need a model
    assert b"Traceback" not in done.stderr
