"""Which outputs a command may not write: the one owner of "this output is one of the inputs".

Kept apart from :mod:`toolkit.corpus.writes` (which calls it from ``write_output``) so that
commands can ask before their work starts, and a refusal comes before anything is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from toolkit.errors import CorpusError


class OutputRefused(CorpusError):
    """An ``-o`` target the toolkit will not write: inside a corpus, a symlink, a directory,
    one of the command's own inputs."""


def _identity(path: Path | str) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` names, through symlinks (``-``: standard input when
    it is a regular file, ``< in.txt``); None when there is nothing there to lose."""
    try:
        info = os.fstat(0) if str(path) == "-" else os.stat(path)
    except FileNotFoundError:
        # "nosuch/../in.txt": nothing there now, but the writer creates "nosuch" first and
        # then writes in.txt. Resolved as that write will resolve it (realpath takes ".."
        # after a missing folder lexically), it names the input.
        try:
            info = os.stat(os.path.realpath(path))
        except (OSError, ValueError):
            return None
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISREG(info.st_mode) else None


def refuse_overwriting_inputs(
    outputs: Iterable[Path | str], inputs: Iterable[Path | str]
) -> None:
    """The one check that no output of a command is one of its inputs: raise
    :class:`OutputRefused` naming both when an output names the same file as an input (the
    same path, a symlink to it, a hard link to it), before anything is written.

    ``toolkit translate in.txt -o in.txt`` replaced the German with its English, and
    ``export --pairs p.tsv -o p.tsv`` (or ``-o p.tsv.corrections.tsv``, the sidecar it
    reads) its own input, exit 0. Commands pass every file they read, sidecars included.
    """
    read = {key: Path(str(path)) for path in inputs if (key := _identity(path)) is not None}
    for output in outputs:
        if str(output) == "-":
            continue  # standard output: nothing is replaced
        source = read.get(_identity(output) or (-1, -1))
        if source is not None:
            shown = "standard input" if str(source) == "-" else str(source)
            same = "" if str(source) == str(output) else f" (the same file as {shown})"
            raise OutputRefused(
                f"{output}: is an input of this command{same}; writing it would destroy "
                "what is being read: give -o another file name"
            )


__all__ = ["OutputRefused", "refuse_overwriting_inputs"]
