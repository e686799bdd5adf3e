"""Named points where a crash would hurt most; nothing happens there unless a test asks.

Code calls :func:`checkpoint` between a temp write and its rename, before the manifest,
between translation chunks. In the package it does nothing (one comparison); the test suite
installs a hook (``tests/support/faults.py``) that SIGKILLs or pauses the process at a named
point, to prove that builds survive it. Names in use: ``prepare``, ``prepare.document``
(each document prepared; in a pool worker for larger builds), ``translate.batch`` (a whole
language pass), ``translate.chunk`` (one batch stored in the cache), ``write.staged``,
``write.renamed`` (each before/after one rename of a build's commit), ``atomic.staged``
(single-file writes), ``build.before-commit``, ``build.before-manifest``, ``lock.acquired``,
``edits.looked:<doc>`` (the build looked at a document's English for hand edits:
:func:`toolkit.pipeline.held.looked`), and in ``models install``: ``install.member`` (after
each extracted file), ``install.checked`` (extracted and test-loaded, not yet renamed),
``install.swap`` (between the two renames).
"""

from __future__ import annotations

from collections.abc import Callable

_hook: Callable[[str], None] | None = None


def checkpoint(name: str) -> None:
    """Call the installed hook with ``name``; without one (always, outside tests) nothing."""
    if _hook is not None:
        _hook(name)


def set_hook(hook: Callable[[str], None] | None) -> None:
    """Install ``hook`` (or remove it with None): the test driver's way in."""
    global _hook
    _hook = hook
