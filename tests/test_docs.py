"""What the documentation claims is checked against what exists, so it cannot drift.

README's Guarantees table cited three tests that had moved to ``benchmarks/pathological.py``
(session 8's newcomer tester): every test a document names must now exist, in the file the
citation names when it names one.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

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
