"""Architecture guards (issue 15): no import cycle inside ``toolkit/``, small modules and
functions, and a light error module.

The import graph is read from the source with :mod:`ast`, so it sees every import, also the
ones inside functions (deferred for start-up time): a deferred import is still a dependency,
and a cycle through one is still two modules that cannot be understood apart. Imports under
``if TYPE_CHECKING:`` are left out: they exist only for annotations.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "toolkit"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, module: str) -> Iterator[str]:
    """Every toolkit module ``node`` imports, at any depth, except under TYPE_CHECKING."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            yield from (m for stmt in child.orelse for m in _imports(stmt, module))
            continue
        if isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            base = child.module or ""
            if child.level:  # relative: the importing package, then up level - 1 packages
                parts = module.split(".")
                if MODULES[module].name != "__init__.py":
                    parts = parts[:-1]
                parts = parts[: len(parts) - child.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base
            # ``from toolkit.corpus import paths`` imports the submodule toolkit.corpus.paths
            yield from (f"{base}.{alias.name}" for alias in child.names)
        yield from _imports(child, module)


def import_graph() -> dict[str, set[str]]:
    """Module -> the toolkit modules it imports (only modules that exist, never itself)."""
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {m for m in _imports(tree, module) if m in MODULES and m != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_deferred_imports() -> None:
    """The guard itself: a function-level import is an edge, a TYPE_CHECKING one is not."""
    graph = import_graph()
    assert "toolkit.prepare.clean" in graph["toolkit"]  # deferred, inside toolkit.clean()
    assert "toolkit.pipeline.executor" not in graph["toolkit"]  # under TYPE_CHECKING
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_inside_the_package() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_no_module_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in MODULES.values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def _functions(path: Path) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            yield (
                f"{path.relative_to(ROOT)}:{node.lineno} {node.name}",
                (node.end_lineno - node.lineno + 1),
            )


def test_no_function_over_60_lines() -> None:
    long = {
        where: n
        for path in MODULES.values()
        for where, n in _functions(path)
        if n > MAX_FUNCTION_LINES
    }
    assert long == {}


def test_the_error_module_is_light() -> None:
    """``import toolkit.errors`` (every command's error handling) loads no ftfy, regex or
    pydantic: an error can be reported before any stage is imported."""
    code = "import json, sys, toolkit.errors; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    assert loaded & {"ftfy", "regex", "pydantic", "pydantic_core", "numpy", "yaml"} == set()
    toolkit_modules = {name for name in json.loads(out) if name.startswith("toolkit")}
    assert toolkit_modules == {"toolkit", "toolkit._version", "toolkit.errors"}


MAX_COMMAND_BODY_LINES = 30


def _command_bodies(path: Path) -> Iterator[tuple[str, int]]:
    """(name, lines) of each click command or group in ``path``, its docstring left out."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        decorators = [ast.unparse(d) for d in node.decorator_list]
        if not any(d.split("(")[0].split(".")[-1] in ("command", "group") for d in decorators):
            continue
        body = node.body
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if body:
            yield node.name, (body[-1].end_lineno or 0) - body[0].lineno + 1


def test_commands_only_parse_call_and_print() -> None:
    """A command body parses options, calls one library function and prints: it stays short."""
    bodies = {
        f"{path.name}:{name}": lines
        for path in sorted((PACKAGE / "cli").glob("*.py"))
        for name, lines in _command_bodies(path)
    }
    assert len(bodies) >= 10, bodies  # the checker sees the commands at all
    assert {k: n for k, n in bodies.items() if n > MAX_COMMAND_BODY_LINES} == {}


CORPUS_PART_NAMES = {"original", "english", "corrections", ".cache", "manifest.jsonl"}
CORPUS_FILE_NAMES = {".cache", "manifest.jsonl", "settings.yaml", "glossary.yaml"}


def _corpus_literals(path: Path) -> Iterator[tuple[int, str]]:
    """Where a module spells a corpus part itself: ``x / "original"`` (a path join with a
    part's name) or a corpus file's name as a string value anywhere outside a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            right = node.right
            if isinstance(right, ast.Constant) and right.value in CORPUS_PART_NAMES:
                yield node.lineno, right.value
        elif (
            isinstance(node, ast.Constant)
            and node.value in CORPUS_FILE_NAMES
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def test_the_corpus_layout_has_one_owner() -> None:
    """Only ``toolkit/corpus/paths.py`` names a corpus's folders and files; every other module
    goes through ``CorpusPaths`` or its constants. Five modules had joined ``".cache"`` or
    ``"original"`` themselves (and three decided on their own what makes a folder a corpus):
    a renamed part would have been missed in some of them."""
    owner = PACKAGE / "corpus" / "paths.py"
    # The user's XDG cache (~/.cache) for the language-id model: not a corpus's .cache.
    elsewhere = {("toolkit/prepare/langid_model.py", ".cache")}
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name!r}"
        for path in MODULES.values()
        if path != owner
        for line, name in _corpus_literals(path)
        if (str(path.relative_to(ROOT)), name) not in elsewhere
    ]
    assert found == []
