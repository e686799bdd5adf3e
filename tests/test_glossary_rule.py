"""One glossary rule, always visible: a corpus's glossary never depends on the working
directory, every command finds it the same way (``toolkit.glossary.discover.discover_glossary``),
says which one it used, and ``--glossary`` / ``--no-glossary`` override everywhere."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_meta
from toolkit.errors import ToolkitError
from toolkit.translation.install import install_from_file

ROOT = Path(__file__).resolve().parents[1]
ORIGINALS = ROOT / "corpus" / "original"
GERMAN = ORIGINALS / "000_de546ec99307b48e.txt"
ENGLISH = ("001_cb2e6261cd7f216a", "003_c4a4f06c737cf0af")
PROJECT_SHA = hashlib.sha256((ROOT / "glossary.yaml").read_bytes()).hexdigest()
OTHER_GLOSSARY = "version: 1\nentries:\n  - term: Skims\n    aliases: [SKIMS]\n    kind: brand\n"


def _english_corpus(root: Path) -> Path:
    """A corpus of the two English seeds (they build without a model)."""
    (root / "original").mkdir(parents=True)
    for doc in ENGLISH:
        shutil.copy(ORIGINALS / f"{doc}.txt", root / "original")
    return root


def _outputs(corpus: Path) -> dict[str, bytes]:
    files = [*sorted((corpus / "english").iterdir()), corpus / "manifest.jsonl"]
    return {f.name: f.read_bytes() for f in files}


# -- the rule ---------------------------------------------------------------------------------


def test_the_rule_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.glossary.discover import discover_glossary

    corpus = tmp_path / "project" / "corpus"
    corpus.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary.yaml").write_text(OTHER_GLOSSARY, encoding="utf-8")  # in the cwd
    assert discover_glossary(corpus).path is None  # the working directory plays no part
    beside = tmp_path / "project" / "glossary.yaml"
    beside.write_text(OTHER_GLOSSARY, encoding="utf-8")
    assert discover_glossary(corpus).path == beside
    assert discover_glossary(Path("project/corpus")).path == beside.resolve()
    inside = corpus / "glossary.yaml"
    inside.write_text(OTHER_GLOSSARY, encoding="utf-8")
    assert discover_glossary(corpus).path == inside
    explicit = tmp_path / "explicit.yaml"
    assert discover_glossary(corpus, explicit=explicit).path == explicit
    assert discover_glossary(corpus, disabled=True).path is None
    with pytest.raises(ToolkitError, match="contradict"):
        discover_glossary(corpus, explicit=explicit, disabled=True)


# -- build ------------------------------------------------------------------------------------


def test_building_from_two_working_directories_gives_identical_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _english_corpus(tmp_path / "project" / "corpus")
    shutil.copy(ROOT / "glossary.yaml", corpus / "glossary.yaml")  # the corpus's own
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    (here / "glossary.yaml").write_text(OTHER_GLOSSARY, encoding="utf-8")  # a stray one
    runner = CliRunner()
    monkeypatch.chdir(here)
    first = runner.invoke(cli, ["build", str(corpus)])
    assert first.exit_code == 0, first.output
    built_here = _outputs(corpus)
    shutil.rmtree(corpus / "english")
    (corpus / "manifest.jsonl").unlink()
    monkeypatch.chdir(there)
    second = runner.invoke(cli, ["build", str(corpus)])
    assert second.exit_code == 0, second.output
    assert _outputs(corpus) == built_here
    meta = read_meta(corpus / "english" / f"{ENGLISH[0]}.meta.json")
    assert meta.glossary is not None and meta.glossary["sha256"] == PROJECT_SHA
    for result in (first, second):
        assert f"toolkit: glossary: {corpus / 'glossary.yaml'} (" in result.stderr


def test_build_corpus_from_python_finds_the_corpus_glossary(tmp_path: Path) -> None:
    from toolkit import build_corpus

    corpus = _english_corpus(tmp_path / "corpus")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")  # beside the corpus
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 0
    meta = read_meta(corpus / "english" / f"{ENGLISH[0]}.meta.json")
    assert meta.glossary is not None and meta.glossary["sha256"] == PROJECT_SHA
    assert any(s.glossary for s in meta.segments)


def test_no_glossary_overrides_the_found_one(tmp_path: Path) -> None:
    corpus = _english_corpus(tmp_path / "corpus")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    result = CliRunner().invoke(cli, ["build", str(corpus), "--no-glossary"])
    assert result.exit_code == 0, result.output
    assert "toolkit: no glossary (--no-glossary)" in result.stderr
    meta = read_meta(corpus / "english" / f"{ENGLISH[0]}.meta.json")
    assert meta.glossary is not None and meta.glossary["entries"] == 0
    assert not any(s.glossary for s in meta.segments)


# -- translate and the checking commands ------------------------------------------------------


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path) -> Path:
    where = tmp_path_factory.mktemp("packages")
    install_from_file(tiny_package_file, where)
    return where


def test_translate_from_another_directory_keeps_the_corpus_glossary_terms(
    tmp_path: Path, packages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "corpus").mkdir(parents=True)
    shutil.copy(ROOT / "glossary.yaml", project / "glossary.yaml")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    base = ["translate", "--packages-dir", str(packages), "-q", str(GERMAN)]
    runner = CliRunner()
    result = runner.invoke(cli, [*base, "--corpus", str(project / "corpus"), "--format", "json"])
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)[0]["segments"]
    for name in ("Kim Kardashian", "Kanye West"):
        assert any(name in s["source"] for s in segments)
        for s in segments:  # the tiny model's English is gibberish; the pinned names are not
            assert s["english"].count(name) == s["source"].count(name), s
    assert f"toolkit: glossary: {project / 'glossary.yaml'} (" in result.stderr
    assert f"sha256 {PROJECT_SHA[:12]}; beside the corpus)" in result.stderr
    # Without the corpus (no ./corpus here): said so, not silently.
    bare = runner.invoke(cli, base)
    assert bare.exit_code == 0, bare.output
    assert "toolkit: no glossary (none given" in bare.stderr
    # In the project directory the default ./corpus finds it, unless --no-glossary.
    monkeypatch.chdir(project)
    assert "beside the corpus)" in runner.invoke(cli, base).stderr
    off = runner.invoke(cli, [*base, "--no-glossary"])
    assert "toolkit: no glossary (--no-glossary)" in off.stderr


def test_checking_commands_say_which_glossary_they_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _english_corpus(tmp_path / "project" / "corpus")
    shutil.copy(ROOT / "glossary.yaml", corpus / "glossary.yaml")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("id\tsource\ttarget\n1\tKim kam.\tKim came.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "glossary.yaml").write_text(OTHER_GLOSSARY, encoding="utf-8")  # never used
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(corpus)]).exit_code == 0
    used = f"toolkit: glossary: {corpus / 'glossary.yaml'} ("
    commands = [
        ["glossary", "check", "--corpus", str(corpus)],
        ["qa", str(pairs), "--src", "de", "--corpus", str(corpus)],
        ["review", "--corpus", str(corpus), "--html", str(tmp_path / "r.html")],
    ]
    for args in commands:
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert used in result.stderr, args
        off = runner.invoke(cli, [*args, "--no-glossary"])
        assert "toolkit: no glossary (--no-glossary)" in off.stderr, args


def test_a_glossary_yaml_that_is_not_a_file_is_an_error_not_no_glossary(tmp_path: Path) -> None:
    # A FIFO (or a directory, a dangling link) named glossary.yaml was "no glossary": the build
    # then rebuilt every document without its terms, and status called them all stale.
    import os

    from toolkit.glossary.discover import discover_glossary
    from toolkit.glossary.model import GlossaryError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.mkfifo(corpus / "glossary.yaml")
    with pytest.raises(GlossaryError, match=r"glossary\.yaml: not a regular file"):
        discover_glossary(corpus)
