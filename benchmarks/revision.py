"""A module of this project as it was at a git revision, with the ``toolkit`` modules it
imports taken from that revision too (:func:`module_at`, the benchmarks' one loader).

Executing one file from ``git show`` is not enough: its ``from toolkit... import`` lines would
bind this checkout's modules, and a comparison "against REV" would then run today's code on
both sides wherever a rule moved into a module of its own (``sniff.py`` asking
``sniff_mail.py`` since c471488 did exactly that). Nor is serving the revision's files only
while the module loads: an import inside a function body runs when the function is called,
and then found this checkout's module (f2df46d's ``config/codes.py`` imports
``toolkit.languages`` in ``language_field``: its configuration accepted today's codes). So
the revision's code runs with an ``__import__`` of its own (:class:`_Revision`), which
answers ``toolkit`` names from the revision's modules whenever they are imported.

What it does not cover: code that looks a module up by name at run time
(``sys.modules[...]``, ``importlib.import_module``, pickling for a process pool, a deferred
pydantic rebuild) gets this checkout's; the benchmarks' paths do none of that.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import subprocess
import sys
import types
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_PACKAGE = "toolkit"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


class _RevisionFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``toolkit`` and its submodules from the files of one git revision."""

    def __init__(self, root: Path, rev: str, revision: _Revision) -> None:
        self.root, self.rev, self.revision = root, rev, revision
        listed = _git(root, "ls-tree", "-r", "--name-only", rev, "--", _PACKAGE)
        self.files = set(listed.splitlines())

    def _path(self, fullname: str) -> tuple[str, bool] | None:
        base = fullname.replace(".", "/")
        if f"{base}/__init__.py" in self.files:
            return f"{base}/__init__.py", True
        return (f"{base}.py", False) if f"{base}.py" in self.files else None

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if not _is_ours(fullname):
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
        module.__dict__["__builtins__"] = self.revision.builtins  # its imports, now and later
        exec(compile(source, f"{self.rev}:{found[0]}", "exec"), module.__dict__)


def _is_ours(name: str) -> bool:
    return name == _PACKAGE or name.startswith(_PACKAGE + ".")


def _ours() -> dict[str, types.ModuleType]:
    return {name: module for name, module in sys.modules.items() if _is_ours(name)}


class _Revision:
    """One revision's ``toolkit``: its modules (kept apart from ``sys.modules``) and the
    ``__import__`` its code runs with, so an import inside a function, run later, gets the
    revision's module as well, not this checkout's."""

    def __init__(self, root: Path, rev: str) -> None:
        self.finder = _RevisionFinder(root, rev, self)
        self.modules: dict[str, types.ModuleType] = {}
        self.builtins = dict(vars(builtins), __import__=self._import)
        self._depth = 0  # > 0 while the revision's modules stand in sys.modules

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """The revision's modules in ``sys.modules`` (its finder first) for the duration;
        this checkout's put back after, whatever the revision loaded on the way kept here."""
        if self._depth:  # an import nested in one of the revision's own imports
            yield
            return
        saved = _ours()
        for loaded in saved:
            del sys.modules[loaded]
        sys.modules.update(self.modules)
        sys.meta_path.insert(0, self.finder)
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            sys.meta_path.remove(self.finder)
            self.modules.update(_ours())
            for loaded in self.modules:
                sys.modules.pop(loaded, None)
            sys.modules.update(saved)

    def _import(self, name: str, globals: dict[str, Any] | None = None,
                locals: Mapping[str, Any] | None = None, fromlist: Sequence[str] | None = (),
                level: int = 0) -> types.ModuleType:
        """``__import__`` of the revision's code: ``toolkit`` names from the revision."""
        target = name
        if level:
            target = importlib.util.resolve_name("." * level + name, (globals or {})["__package__"])
        if not _is_ours(target):
            return builtins.__import__(name, globals, locals, fromlist, level)
        found, wanted = self.modules.get(target), [part for part in fromlist or () if part != "*"]
        if found is not None and all(hasattr(found, part) for part in wanted):
            # already loaded (the usual case, and the timed one): no sys.modules swap
            return found if fromlist else self.modules[target.partition(".")[0]]
        with self.installed():
            return builtins.__import__(name, globals, locals, fromlist, level)


def module_at(path: str, rev: str, root: Path = ROOT) -> types.ModuleType:
    """The module at ``path`` (``toolkit/...py`` from the project root ``root``) as it was at
    git revision ``rev``, every ``toolkit`` module it imports read from ``rev`` as well, when
    it loads and whenever its code imports later. This checkout's modules stay in
    ``sys.modules``, so the current code and the revision's run side by side."""
    name = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    revision = _Revision(root, rev)
    with revision.installed():
        return importlib.import_module(name)
