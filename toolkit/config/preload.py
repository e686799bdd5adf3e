"""Load pydantic at a command's own depth, before the command's body imports anything.

CPython 3.11 keeps its Python frames in 16 KB chunks: a call that crosses into a new chunk
maps one (``mmap``), and returning below it unmaps it again. Code that calls in a loop at
exactly that depth maps and unmaps a chunk on every call, ~13 µs instead of ~0.04 µs here.
Imports nest their module code five to six frames deep per level, so a module imported under
a long chain of imports runs deep: a no-op ``toolkit build`` that first met pydantic through
``corpus.gone -> edits -> edits_match -> formats -> schema -> config.glossary ->
config.base`` ran pydantic's (and ``email.header``'s, which it imports) module code at that
boundary: 451 map/unmap pairs of 16 KB (``strace -e munmap``), ``toolkit status`` 881; 3 and
11 at 72465c6, whose commands first met pydantic two imports deep; 1 and 31 with
:func:`preload` (BENCHMARKS.md, "No-op rebuild of the shipped corpus").

Every command but the light ones (:data:`LIGHT`) loads the configuration models anyway, so
:func:`preload` imports them first, from the command's frame: pydantic's module code then
runs two imports deep whatever the body imports first (tests/test_noop_build.py asserts the
depth). ``--help`` and ``--version`` never reach a command's body, so they still load no
pydantic (tests/test_startup.py).
"""

from __future__ import annotations

LIGHT = frozenset({"init"})
"""Commands that load no pydantic at all (``toolkit init`` writes a folder and a file)."""


def preload(command: str | None) -> None:
    """Import :mod:`toolkit.config.base` (and pydantic with it) unless ``command`` is light."""
    if command not in LIGHT:
        import toolkit.config.base  # noqa: F401  (imported for its side effect: see above)
