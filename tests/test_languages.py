"""Language codes are checked: normalised (case, region subtags), unknown ones refused in one
line, and a --from that contradicts language id reported and flagged, never silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from toolkit.cli.app import cli
from toolkit.errors import ToolkitError
from toolkit.prepare.document import prepare_document
from toolkit.translation.install import install_from_file

ROOT = Path(__file__).resolve().parents[1]
GERMAN = ROOT / "corpus" / "original" / "000_de546ec99307b48e.txt"


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path, tiny_nl_package_file: Path
) -> Path:
    """The tiny de→en and nl→en packages, installed."""
    where = tmp_path_factory.mktemp("packages")
    install_from_file(tiny_package_file, where)
    install_from_file(tiny_nl_package_file, where)
    return where


@pytest.mark.parametrize("code", ["de", "DE", "de-DE", "de_DE", "de-at", " De ", "de-Latn-DE"])
def test_codes_are_normalised_to_the_base_language(code: str) -> None:
    from toolkit.languages import normalize_language

    assert normalize_language(code) == "de"


@pytest.mark.parametrize(
    ("code", "needle"),
    [
        ("german", "'german': a language name, not a code; use de"),
        ("xx", "'xx': unknown language code; use one of de, nl, en"),
        ("d", "unknown language code"),
        ("de--", "unknown language code"),
        ("", "unknown language code"),
    ],
)
def test_unknown_codes_are_one_line_naming_known_codes_and_installed_pairs(
    code: str, needle: str
) -> None:
    from toolkit.languages import normalize_language

    with pytest.raises(ToolkitError) as err:
        normalize_language(code, [("de", "en")], option="--from")
    message = str(err.value)
    assert needle in message and "\n" not in message
    assert message.startswith("--from ") and message.endswith("installed model pairs: de→en")


def test_the_code_of_an_installed_package_is_not_known_for_being_installed() -> None:
    """An installed xq→en (deu→en) package made `--from xq` pass while builds never ask for
    xq and `models list` called it unused; the pairs given are only listed."""
    from toolkit.languages import UnknownLanguage, normalize_language

    with pytest.raises(UnknownLanguage, match="installed model pairs: xq→en"):
        normalize_language("XQ-ab", [("xq", "en")])


def test_segment_lang_accepts_any_case_and_region(tmp_path: Path) -> None:
    runner = CliRunner()
    plain = runner.invoke(cli, ["segment", "--lang", "de", str(GERMAN)])
    for code in ("DE", "de-DE", "de_DE"):
        result = runner.invoke(cli, ["segment", "--lang", code, str(GERMAN)])
        assert result.exit_code == 0, result.output
        assert result.stdout == plain.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["segment", "--lang", "xx"],
        ["segment", "--lang", "DEU-"],
        ["translate", "--from", "german"],
        ["translate", "--from", "xx"],
        ["translate", "--to", "english"],
    ],
)
def test_unknown_codes_exit_2_with_one_line(args: list[str], tmp_path: Path) -> None:
    extra = ["--packages-dir", str(tmp_path)] if args[0] == "translate" else []
    result = CliRunner().invoke(cli, [*args, *extra, str(GERMAN)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert result.stderr.startswith("toolkit: error: --") and result.stderr.count("\n") == 1
    assert "models install" not in result.stderr  # never "install a model german→en"


def test_unknown_code_lists_the_installed_pairs(packages: Path) -> None:
    result = CliRunner().invoke(
        cli, ["translate", "--packages-dir", str(packages), "--from", "xx", str(GERMAN)]
    )
    assert result.exit_code == 2
    assert result.stderr.rstrip().endswith("installed model pairs: de→en, nl→en")


def translate_german_stdin(packages: Path, source: str, fmt: str) -> Result:
    """``toolkit translate --from SOURCE --format FMT -q -`` on the German seed from stdin."""
    args = ["translate", "--packages-dir", str(packages), "--from", source, "--format", fmt]
    return CliRunner().invoke(cli, [*args, "-q", "-"], input=GERMAN.read_bytes())


@pytest.mark.parametrize("code", ["DE", "de-DE", "de_DE"])
def test_translate_from_with_region_or_case_translates(packages: Path, code: str) -> None:
    result = translate_german_stdin(packages, code, "json")
    assert result.exit_code == 0, result.output
    assert '"language": "de"' in result.stdout
    assert "warning" not in result.stderr


def test_from_that_contradicts_language_id_is_reported_and_flagged(packages: Path) -> None:
    result = translate_german_stdin(packages, "nl", "tsv")
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1
    assert "language given as Dutch (nl), but the text reads as German (de)" in warning[0]
    rows = result.stdout.splitlines()[1:]
    assert rows and all("source-language" in row.split("\t")[4] for row in rows)


def test_prepare_records_what_language_id_found_when_a_language_is_given() -> None:
    data = GERMAN.read_bytes()
    given = prepare_document(data, "original/x.txt", language="NL")
    assert given.language.language == "nl"
    assert given.language_detected is not None and given.language_detected.language == "de"
    assert all("source-language" in s.flags for s in given.segments)
    assert all(any(q.check == "source-language" for q in s.qa) for s in given.segments)
    agreeing = prepare_document(data, "original/x.txt", language="de-DE")
    assert agreeing.language.language == "de"
    assert not any("source-language" in s.flags for s in agreeing.segments)
    detected = prepare_document(data, "original/x.txt")
    assert detected.language_detected is None


def test_qa_pairs_accepts_codes_in_any_case(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("id\tsource\ttarget\n1\tVier Äpfel.\tFour apples.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["qa", str(pairs), "--src", "DE", "--tgt", "en-GB"])
    assert result.exit_code == 0, result.output
    assert "1 pair, 0 flagged" in result.stderr  # issue 16: plurals
