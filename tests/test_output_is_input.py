"""No command overwrites its own input: ``-o`` naming a file the command reads (by path,
through a symlink or a hard link, or the sidecar corrections file it reads) is refused with
one line, and nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli

# Real text (UD German-PUD, n01001013).
GERMAN = "Für alle, die Social-Media-Übergänge auf dem Capitol Hill verfolgen, wird dieser Übergang ein wenig anders sein.\n"  # noqa: E501
PAIRS = (
    "id\tde\ten\n"
    "n01001013\tFür alle, die Social-Media-Übergänge auf dem Capitol Hill verfolgen, wird "
    "dieser Übergang ein wenig anders sein.\tFor those who follow social media transitions "
    "on Capitol Hill, this will be a little different.\n"
)
SIDECAR_HEADER = "source_sha256\tsource\tenglish\tauthor\ttime\taction\tcheck\treason\tprevious\n"


def _refused(args: list[str], path: Path, before: bytes, warnings: int = 0) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert path.read_bytes() == before  # nothing was written
    *warned, line = result.stderr.splitlines()
    assert len(warned) == warnings, result.stderr
    assert "is an input of this command" in line and "give -o another file name" in line
    return line


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "through-a-new-folder"])
def test_translate_refuses_to_write_over_its_input(tmp_path: Path, how: str) -> None:
    # `toolkit translate in.txt -o in.txt` replaced the German article with its English.
    article = tmp_path / "in.txt"
    article.write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out.txt"
    if how == "same":
        out = article
    elif how == "symlink":
        out.symlink_to(article.name)
    elif how == "through-a-new-folder":
        # "nosuch/../in.txt": nothing there to stat, but the writer makes "nosuch" and then
        # writes in.txt; the article was replaced, exit 0 (attack finding).
        out = tmp_path / "nosuch" / ".." / "in.txt"
    else:
        os.link(article, out)
    args = ["translate", str(article), "-o", str(out), "--packages-dir", str(tmp_path)]
    line = _refused(args, article, GERMAN.encode())
    assert line.startswith(f"toolkit: error: {out}:")
    if how != "same":
        assert f"the same file as {article}" in line


def test_translate_refuses_to_write_over_the_file_on_standard_input(tmp_path: Path) -> None:
    # `toolkit translate - -o in.txt < in.txt`: descriptor 0 is the file being replaced.
    article = tmp_path / "in.txt"
    article.write_text(GERMAN, encoding="utf-8")
    code = "from toolkit.cli.app import cli; cli()"
    args = ["translate", "-", "-o", str(article), "--packages-dir", str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    with article.open("rb") as stdin:
        result = subprocess.run([sys.executable, "-c", code, *args], stdin=stdin,
                                capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stderr
    assert "the same file as standard input" in result.stderr
    assert article.read_text(encoding="utf-8") == GERMAN


@pytest.mark.parametrize("target", ["pairs", "sidecar", "hardlink", "moses"])
def test_export_pairs_refuses_to_write_over_what_it_reads(tmp_path: Path, target: str) -> None:
    # `export --pairs p.tsv -o p.tsv` overwrote its own input, exit 0.
    pairs = tmp_path / "p.tsv"
    pairs.write_text(PAIRS, encoding="utf-8")
    sidecar = tmp_path / "p.tsv.corrections.tsv"
    sidecar.write_text(SIDECAR_HEADER, encoding="utf-8")
    fmt, out, kept = "tsv", pairs, pairs
    if target == "sidecar":
        out = kept = sidecar
    elif target == "hardlink":
        out = tmp_path / "copy.tsv"
        os.link(pairs, out)
    elif target == "moses":  # the German half of a Moses export is a hard link to the input
        fmt, out = "moses", tmp_path / "m"
        os.link(pairs, tmp_path / "m.de-en.de")
    args = ["export", "--pairs", str(pairs), "--src", "de", "--format", fmt, "-o", str(out)]
    _refused(args, kept, kept.read_bytes())
    assert not (tmp_path / "m.de-en.en").exists()  # moses: neither file written
    assert pairs.read_text(encoding="utf-8") == PAIRS


def test_export_pairs_still_writes_a_new_file(tmp_path: Path) -> None:
    pairs = tmp_path / "p.tsv"
    pairs.write_text(PAIRS, encoding="utf-8")
    out = tmp_path / "out.tsv"
    args = ["export", "--pairs", str(pairs), "--src", "de", "--format", "tsv", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "little different" in out.read_text(encoding="utf-8")


def test_export_and_review_refuse_to_write_over_the_glossary_they_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "de.txt").write_text(GERMAN, encoding="utf-8")
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    glossary = tmp_path / "g.yaml"
    glossary.write_text("version: 1\nentries: []\n", encoding="utf-8")
    before = glossary.read_bytes()
    common = ["--corpus", str(corpus), "--glossary", str(glossary)]
    _refused(["export", "--format", "tmx", "-o", str(glossary), *common], glossary, before)
    # review first says the document is stale against this glossary (as it would anyway)
    _refused(["review", "--html", str(glossary), *common], glossary, before, warnings=1)
