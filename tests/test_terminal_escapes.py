"""Untrusted text (a pairs file's row ids, file names, package paths, messages quoting them)
reaches a terminal only through the one escaping function,
:func:`toolkit.corpus.paths.shown_name` (attack findings: ``toolkit qa`` printed an ``id``
cell holding ``ESC ]0;PWNED BEL`` raw, retitling the terminal; so did ``translate --format
tsv`` with such a file name)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "corpus" / "original" / "003_c4a4f06c737cf0af.txt"
OSC = "\x1b]0;PWNED\x07"


@pytest.mark.parametrize("suffix", ["tsv", "jsonl"])
def test_qa_escapes_a_row_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    monkeypatch.chdir(tmp_path)
    source, target = "Der Minister kam am 5. Mai.", "The minister came."
    pairs = tmp_path / f"p.{suffix}"
    if suffix == "tsv":
        pairs.write_text(f"id\tsource\ttarget\n{OSC}\t{source}\t{target}\n", encoding="utf-8")
    else:
        row = {"id": OSC, "source": source, "target": target}
        pairs.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["qa", str(pairs), "--src", "de"])
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.stdout.startswith("\\x1b]0;PWNED\\x07\terror\t")  # still three columns


def test_translate_tsv_and_messages_escape_a_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    named = tmp_path / f"x{OSC}.txt"
    shutil.copy(ENGLISH, named)
    args = ["translate", "-q", "--no-glossary", "--format", "tsv", str(named), f"gone{OSC}"]
    result = CliRunner().invoke(cli, args)
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "gone\\x1b]0;PWNED\\x07: no such file" in result.stderr
    assert result.stdout.splitlines()[1].startswith(str(tmp_path / "x\\\\x1b]0;PWNED"))


def test_json_output_escapes_bidi_controls(tmp_path: Path) -> None:
    # json escapes only characters below U+0020: detect --format json wrote a file name's
    # RLO (U+202E) raw, reordering the terminal's line; README promises bidi controls escaped.
    from toolkit.corpus.paths import shown_json

    value = {"file": "a\u202ex\u0085\U000e0001.txt", "n": [1, "Straße\n"]}
    shown = shown_json(value, indent=1)
    assert json.loads(shown) == value and shown.replace("\n", "").isprintable()
    assert "\\u202e" in shown and "Straße" in shown  # readable text stays as it is
    name = tmp_path / "a\u202ex.txt"
    name.write_text("Der Rat tagte heute in Berlin über den Haushalt.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["detect", "--format", "json", str(name)])
    assert result.exit_code == 0 and "\u202e" not in result.output
    assert json.loads(result.output)["file"] == str(name)


def test_status_escapes_a_refused_name_once(tmp_path: Path) -> None:
    # status --format json escaped it twice: the name parsed back as the text "a\u202etxt...".
    corpus = tmp_path / "corpus"
    assert CliRunner().invoke(cli, ["init", str(corpus)]).exit_code == 0
    name = "a\u202etxt.exe.txt"
    (corpus / "original" / name).write_text("Der Rat tagte heute.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", str(corpus), "--format", "json"])
    assert result.exit_code == 0 and "\u202e" not in result.output
    row = json.loads(result.output)["documents"][0]
    assert (row["document"], row["original"], row["state"]) == (name, f"original/{name}",
                                                                 "error")
    result = CliRunner().invoke(cli, ["status", str(corpus)])
    assert "\u202e" not in result.output and "a\\u202etxt.exe.txt\t?\terror" in result.output
