"""What the documentation claims is checked against what exists, so it cannot drift.

README's Guarantees table cited three tests that had moved to ``benchmarks/pathological.py``
(session 8's newcomer tester): every test a document names must now exist, in the file the
citation names when it names one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fakes import ROOT

# `tests/test_x.py::test_y`, `tests/test_x.py`, or a bare `test_y` (a trailing "…" cites a
# prefix: `test_killed_build_resumes_…`). A name followed by "/" is a directory, not a test
# (BENCHMARKS.md's `lib/python3.11/test/test_email/`).
CITATION = re.compile(r"(?:\btests/(test_\w+)\.py(?:::(test_\w+)(…)?)?)|\b(test_\w+)(…)?(?![\w/])")


def _defined() -> dict[str, set[str]]:
    """Every function defined in tests/ and benchmarks/, by the file stem that defines it."""
    names: dict[str, set[str]] = {}
    for path in sorted((ROOT / "tests").rglob("*.py")) + sorted(ROOT.glob("benchmarks/**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names[path.stem] = {
            node.name for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }  # fmt: skip
    return names


def _documents() -> list[Path]:
    """The documents and sources that cite tests: every top-level *.md, and the code."""
    found = sorted(ROOT.glob("*.md"))
    for folder in ("tests", "benchmarks", "toolkit"):
        found += sorted((ROOT / folder).rglob("*.py"))
    return [path for path in found if path != Path(__file__)]  # this file cites made-up tests


def _exists(name: str, prefix: bool, names: set[str]) -> bool:
    return any(n.startswith(name) for n in names) if prefix else name in names


def missing_citations(text: str, defined: dict[str, set[str]]) -> list[str]:
    """The test citations in ``text`` that name no test (or a test not in the named file)."""
    everywhere = set().union(*defined.values())
    missing = []
    for match in CITATION.finditer(text):
        module, qualified, qualified_prefix, bare, bare_prefix = match.groups()
        if module is not None:
            ok = module in defined and (
                qualified is None or _exists(qualified, bool(qualified_prefix), defined[module])
            )
        else:
            ok = bare in defined or _exists(bare, bool(bare_prefix), everywhere)
        if not ok:
            missing.append(match.group(0))
    return missing


def test_every_test_a_document_cites_exists() -> None:
    defined = _defined()
    missing = {
        f"{path.relative_to(ROOT)}: {citation}"
        for path in _documents()
        for citation in missing_citations(path.read_text(encoding="utf-8"), defined)
    }
    assert missing == set()


def test_a_citation_of_a_moved_or_misplaced_test_is_caught() -> None:
    defined = {"test_segment": {"test_many_tiny_paragraphs"}, "test_hostile": {"test_a_b"}}
    text = (
        "`test_pathological_paragraphs_take_linear_time`, `tests/test_hostile.py::test_many_"
        "tiny_paragraphs`, `tests/test_gone.py`, `test_a_…`, `tests/test_segment.py`, "
        "`lib/test/test_email/data`"
    )
    assert missing_citations(text, defined) == [
        "test_pathological_paragraphs_take_linear_time",
        "tests/test_hostile.py::test_many_tiny_paragraphs",
        "tests/test_gone.py",
    ]


def _readme_block(marker: str) -> str:
    """The README code block (```python) that contains ``marker``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, f"README has {len(found)} python blocks with {marker!r}"
    return found[0]


def test_readme_translates_a_few_sentences_as_written(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """README said the translators `ArgosProvider.translator()` returns; it returns a
    (translator, info) pair, so its example failed. The example runs here as README prints it,
    through a real (tiny) de→en package."""
    from toolkit.translation.install import install_from_file

    install_from_file(tiny_package_file, tmp_path / "packages")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    namespace: dict[str, object] = {}
    exec(_readme_block("ArgosProvider().translator("), namespace)
    english = namespace["english"]
    assert isinstance(english, list) and len(english) == 2
    assert all(isinstance(line, str) and line for line in english)
    assert namespace["model"].from_code == "de"  # type: ignore[attr-defined]
    assert capsys.readouterr().out.startswith("[")
