"""A module of this project as it was at a git revision, with the ``toolkit`` modules it
imports taken from that revision too (:func:`module_at`, the benchmarks' one loader).

Executing one file from ``git show`` is not enough: its ``from toolkit... import`` lines would
bind this checkout's modules, and a comparison "against REV" would then run today's code on
both sides wherever a rule moved into a module of its own (``sniff.py`` asking
``sniff_mail.py`` since c471488 did exactly that).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import subprocess
import sys
import types
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PACKAGE = "toolkit"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


class _RevisionFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``toolkit`` and its submodules from the files of one git revision."""

    def __init__(self, root: Path, rev: str) -> None:
        self.root, self.rev = root, rev
        listed = _git(root, "ls-tree", "-r", "--name-only", rev, "--", _PACKAGE)
        self.files = set(listed.splitlines())

    def _path(self, fullname: str) -> tuple[str, bool] | None:
        base = fullname.replace(".", "/")
        if f"{base}/__init__.py" in self.files:
            return f"{base}/__init__.py", True
        return (f"{base}.py", False) if f"{base}.py" in self.files else None

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != _PACKAGE and not fullname.startswith(_PACKAGE + "."):
            return None
        found = self._path(fullname)
        if found is None:
            raise ImportError(f"{fullname} is not in revision {self.rev}", name=fullname)
        spec = importlib.util.spec_from_loader(fullname, self, is_package=found[1])
        assert spec is not None
        spec.origin = f"{self.rev}:{found[0]}"
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: types.ModuleType) -> None:
        found = self._path(module.__name__)
        assert found is not None
        source = _git(self.root, "show", f"{self.rev}:{found[0]}")
        exec(compile(source, f"{self.rev}:{found[0]}", "exec"), module.__dict__)


def _ours() -> dict[str, types.ModuleType]:
    return {name: module for name, module in sys.modules.items()
            if name == _PACKAGE or name.startswith(_PACKAGE + ".")}


def module_at(path: str, rev: str, root: Path = ROOT) -> types.ModuleType:
    """The module at ``path`` (``toolkit/...py`` from the project root ``root``) as it was at
    git revision ``rev``, every ``toolkit`` module it imports as it loads read from ``rev`` as
    well. This checkout's modules are put back in ``sys.modules`` afterwards, so the current
    code and the revision's run side by side (an import inside a function, run later, gets
    this checkout's module)."""
    name = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    saved = _ours()
    for loaded in saved:
        del sys.modules[loaded]
    finder = _RevisionFinder(root, rev)
    sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module(name)
    finally:
        sys.meta_path.remove(finder)
        for loaded in _ours():
            del sys.modules[loaded]
        sys.modules.update(saved)
