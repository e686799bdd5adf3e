"""End to end through a real (tiny) Argos package: install, build, rebuild, translate, glossary.

The packages are built at test time (tests/conftest.py) and installed with
argostranslate's own installer, so every byte goes through the real install, load and
inference path. The model's English is gibberish; what is checked is the machinery:
alignment, provenance, caching, glossary pinning and the CLI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from toolkit.corpus.formats import parse_aligned_tsv, read_manifest, read_meta
from toolkit.glossary.load import load_glossary
from toolkit.glossary.match import find_matches

ROOT = Path(__file__).resolve().parents[1]
DE, EN1, NL, EN2 = (
    "000_de546ec99307b48e",
    "001_cb2e6261cd7f216a",
    "002_d2e9b11a68fdacb0",
    "003_c4a4f06c737cf0af",
)


def toolkit(
    *args: str, env: dict[str, str], cwd: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode not in (0,):
        raise AssertionError(
            f"toolkit {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def project(
    tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path, tiny_nl_package_file: Path
) -> tuple[Path, dict[str, str]]:
    """A copy of the shipped corpus and glossary, the two tiny packages installed via the CLI."""
    work = tmp_path_factory.mktemp("e2e")
    shutil.copytree(ROOT / "corpus" / "original", work / "corpus" / "original")
    shutil.copy(ROOT / "glossary.yaml", work / "glossary.yaml")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(work / "packages")}
    for package in (tiny_package_file, tiny_nl_package_file):
        out = toolkit("models", "install", "--file", str(package), env=env, cwd=work)
        assert "installed" in out.stdout
    listed = toolkit("models", "list", env=env, cwd=work).stdout
    assert "de\ten\t" in listed and "nl\ten\t" in listed
    build = toolkit("build", "corpus", env=env, cwd=work)
    assert "4 built" in build.stdout
    return work, env


def test_all_four_seeds_build_through_the_real_package(
    project: tuple[Path, dict[str, str]],
) -> None:
    work, _ = project
    english = work / "corpus" / "english"
    for doc in (DE, EN1, NL, EN2):
        meta = read_meta(english / f"{doc}.meta.json")
        rows = parse_aligned_tsv((english / f"{doc}.aligned.tsv").read_text(encoding="utf-8"))
        assert meta.status == "built"
        # One row per source sentence, in order, every row with English.
        assert [r.source for r in rows] == [s.source for s in meta.segments]
        assert all(r.english for r in rows)
        paragraphs = (english / f"{doc}.en.txt").read_text(encoding="utf-8").strip().split("\n\n")
        assert len(paragraphs) == len({s.paragraph for s in meta.segments})
        if doc in (DE, NL):
            assert meta.translation is not None
            assert meta.translation.package == f"translate-{meta.language.language}_en"
            assert meta.translation.model_sha256 == _sha256(
                work / "packages", meta.language.language
            )
            # Decoding settings are recorded once, in the build configuration.
            assert meta.translation.settings is None
            assert meta.config is not None
            assert meta.config["translation"]["compute_type"] == "int8"
            assert {s.origin for s in meta.segments} <= {"machine", "source"}
        else:
            assert meta.translation is None
            assert all(s.english == s.source or s.glossary for s in meta.segments)


def _sha256(packages: Path, lang: str) -> str:
    import hashlib

    (model,) = packages.glob(f"translate-{lang}_en*/model/model.bin")
    return hashlib.sha256(model.read_bytes()).hexdigest()


def test_every_glossary_term_survives_count_for_count(project: tuple[Path, dict[str, str]]) -> None:
    work, _ = project
    glossary = load_glossary(work / "glossary.yaml")
    for doc in (DE, NL):
        meta = read_meta(work / "corpus" / "english" / f"{doc}.meta.json")
        for seg in meta.segments:
            wanted = Counter(
                m.term for m in find_matches(seg.source, meta.language.language, glossary)
            )
            for term, count in wanted.items():
                assert seg.english is not None
                # Counted independently of the glossary module: the canonical form as a word.
                # It may also appear in the gibberish by chance: never fewer is the promise.
                found = len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", seg.english))
                assert found >= count or "glossary-lost" in seg.flags, (doc, seg.id, term)
            assert "glossary-lost" not in seg.flags, (doc, seg.id)
    check = toolkit("glossary", "check", "--corpus", "corpus", env=project[1], cwd=work)
    assert check.stdout.strip().splitlines()[-1].endswith(" 0 lost")


def test_rebuild_translates_nothing_and_rewrites_nothing(
    project: tuple[Path, dict[str, str]],
) -> None:
    work, env = project
    english = work / "corpus" / "english"
    before = {p.name: p.stat().st_mtime_ns for p in english.iterdir()}
    out = toolkit("build", "corpus", env=env, cwd=work)
    assert "0 translated" in out.stdout and "nothing changed" in out.stdout
    assert {p.name: p.stat().st_mtime_ns for p in english.iterdir()} == before


def test_rebuild_from_scratch_uses_the_cache_and_is_byte_identical(
    project: tuple[Path, dict[str, str]],
) -> None:
    work, env = project
    english = work / "corpus" / "english"
    first = {p.name: p.read_bytes() for p in english.iterdir()}
    shutil.rmtree(english)
    (work / "corpus" / "manifest.jsonl").unlink()
    out = toolkit("build", "corpus", env=env, cwd=work)
    assert "sentences: 0 translated" in out.stdout
    second = {p.name: p.read_bytes() for p in english.iterdir()}
    # Identical except the per-run facts: this time every sentence came from the cache.
    assert second.keys() == first.keys()
    for name in first:
        if name.endswith(".meta.json"):
            a, b = json.loads(first[name]), json.loads(second[name])
            run_a, run_b = a.pop("run"), b.pop("run")
            assert a == b, name
            assert run_b["fresh"] == [] and sorted(run_b["cached"]) == sorted(
                run_a["fresh"] + run_a["cached"]
            )
        else:
            assert first[name] == second[name], name


def test_no_cache_build_is_deterministic(
    project: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    work, env = project
    shutil.copytree(work / "corpus" / "original", tmp_path / "corpus" / "original")
    shutil.copy(work / "glossary.yaml", tmp_path / "glossary.yaml")
    toolkit("build", "corpus", "--no-cache", env=env, cwd=tmp_path)
    for doc in (DE, NL):
        ours = (tmp_path / "corpus" / "english" / f"{doc}.en.txt").read_bytes()
        theirs = (work / "corpus" / "english" / f"{doc}.en.txt").read_bytes()
        assert ours == theirs
    assert not (tmp_path / "corpus" / ".cache").exists()


def test_translate_prints_one_line_per_paragraph(project: tuple[Path, dict[str, str]]) -> None:
    work, env = project
    source = work / "corpus" / "original" / f"{DE}.txt"
    meta = read_meta(work / "corpus" / "english" / f"{DE}.meta.json")
    out = toolkit("translate", str(source), env=env, cwd=work)
    lines = out.stdout.strip().split("\n")
    assert len(lines) == len({s.paragraph for s in meta.segments})
    assert all(line.strip() for line in lines)
    as_json = json.loads(
        toolkit("translate", "--format", "json", str(source), env=env, cwd=work).stdout
    )
    assert [s["source"] for s in as_json[0]["segments"]] == [s.source for s in meta.segments]
    # Each segment names the language its English was made from (German here, English for a
    # sentence kept as it is), so `toolkit qa` of this file needs no --src.
    assert {s["source_language"] for s in as_json[0]["segments"] if s["origin"] == "machine"} == {
        "de"
    }
    saved = work / "translated.json"
    saved.write_text(json.dumps(as_json), encoding="utf-8")
    qa = toolkit("qa", "--format", "jsonl", "--no-glossary", str(saved), env=env, cwd=work)
    assert len(qa.stdout.strip().split("\n")) == len(meta.segments)
    piped = subprocess.run(
        [sys.executable, "-m", "toolkit.cli.app", "translate", "--from", "de", "-"],
        input=source.read_text(encoding="utf-8"),
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert piped.returncode == 0 and piped.stdout == out.stdout


def test_add_builds_only_the_new_article(
    project: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    work, env = project
    article = tmp_path / "new_article.txt"
    article.write_text(
        "Kim Kardashian sprach am Montag in Los Angeles über ihre Kinder.\n\n"
        "Die Unternehmerin sagte, North liebe Musik.\n",
        encoding="utf-8",
    )
    out = toolkit("add", str(article), env=env, cwd=work)
    assert "1 built" in out.stdout
    manifest = read_manifest(work / "corpus" / "manifest.jsonl")
    assert "new_article" in manifest and manifest["new_article"].language == "de"
    again = toolkit("add", str(article), env=env, cwd=work)
    assert "unchanged" in again.stderr and "0 translated" in again.stdout
    article.write_text("Etwas ganz anderes steht hier.\n", encoding="utf-8")
    clash = toolkit("add", str(article), env=env, cwd=work, check=False)
    assert clash.returncode == 1 and "already exists with different content" in clash.stderr
    (work / "corpus" / "original" / "new_article.txt").unlink()
    toolkit("build", "corpus", env=env, cwd=work)
    assert not (work / "corpus" / "english" / "new_article.en.txt").exists()


def test_missing_package_reports_the_install_command(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "corpus" / "original", tmp_path / "corpus" / "original")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "no-packages")}
    out = toolkit("build", "corpus", env=env, cwd=tmp_path, check=False)
    assert out.returncode == 3
    assert "needs model de→en" in out.stdout and "toolkit models install de en" in out.stdout
    assert "needs model nl→en" in out.stdout
    assert (tmp_path / "corpus" / "english" / f"{EN1}.en.txt").is_file()


def test_qa_flags_the_machine_rows_and_not_the_english_seeds(
    project: tuple[Path, dict[str, str]],
) -> None:
    work, env = project
    english = work / "corpus" / "english"
    for doc in (DE, NL):
        rows = parse_aligned_tsv((english / f"{doc}.aligned.tsv").read_text(encoding="utf-8"))
        # Random weights produce gibberish: QA must notice on most rows.
        assert sum(1 for r in rows if r.flags) > len(rows) / 2, doc
        meta = read_meta(english / f"{doc}.meta.json")
        assert all(set(s.flags) >= {f.check for f in s.qa} for s in meta.segments)
    for doc in (EN1, EN2):
        rows = parse_aligned_tsv((english / f"{doc}.aligned.tsv").read_text(encoding="utf-8"))
        assert [r.flags for r in rows if r.flags] == [], doc
    summary = toolkit("qa", "--corpus", "corpus", "--strict", env=env, cwd=work, check=False)
    assert summary.returncode == 1 and "error-severity flags" in summary.stderr


def test_editing_one_alias_retranslates_only_the_segments_containing_it(
    project: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    work, env = project
    shutil.copytree(work / "corpus" / "original", tmp_path / "corpus" / "original")
    shutil.copytree(work / "corpus" / ".cache", tmp_path / "corpus" / ".cache")
    glossary = tmp_path / "glossary.yaml"
    shutil.copy(work / "glossary.yaml", glossary)
    toolkit("build", "corpus", env=env, cwd=tmp_path)
    text = glossary.read_text(encoding="utf-8")
    entry = "  - term: Kim Kardashian\n    kind: person\n"
    assert entry in text
    glossary.write_text(
        text.replace(
            entry, "  - term: Kim Kardashian\n    aliases: [Reality-Ikone]\n    kind: person\n"
        ),
        encoding="utf-8",
    )
    toolkit("build", "corpus", env=env, cwd=tmp_path)
    english = tmp_path / "corpus" / "english"
    fresh = {doc: read_meta(english / f"{doc}.meta.json").run.fresh for doc in (DE, NL)}
    containing = [
        s.id for s in read_meta(english / f"{DE}.meta.json").segments if "Reality-Ikone" in s.source
    ]
    assert containing and fresh == {DE: containing, NL: []}
    segment = next(
        s for s in read_meta(english / f"{DE}.meta.json").segments if s.id == containing[0]
    )
    assert "Kim Kardashian" in (segment.english or "")
