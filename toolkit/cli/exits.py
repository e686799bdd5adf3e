"""Exit statuses, and the ``Exit status:`` text of a command's ``--help``: their one owner.

``toolkit build --help`` said "130 interrupted by Ctrl-C, SIGTERM or SIGHUP" while a build
exits 143 for SIGTERM and 129 for SIGHUP, and ``toolkit status --help`` said "Exits 0" of a
command that exits 1 on an error. A command now names the statuses only it gives
(``@command(exits={...})``); the ones every command shares (a usage error, a signal, a
reader that quit early) are written here once, from the numbers the code exits with.
"""

from __future__ import annotations

import re
import signal

import click

# Their owners: the modules that exit with them (toolkit.interrupts takes the signals).
from toolkit import interrupts
from toolkit.stdout import EXIT_STDOUT_CLOSED

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NEEDS_MODEL = 3
EXIT_INTERRUPTED = interrupts.signal_status(signal.SIGINT)  # 130, as shells report Ctrl-C


def interrupted() -> str:
    """``130 Ctrl-C, 143 SIGTERM, 129 SIGHUP``: each signal :mod:`toolkit.interrupts` takes
    (:data:`~toolkit.interrupts.SIGNALS`), with the status a command it stops exits with."""
    taken = interrupts.SIGNALS
    return ", ".join(f"{interrupts.signal_status(s)} {interrupts.signal_label(s)}" for s in taken)


def epilog(exits: dict[int, str], stdout: bool = False) -> str:
    """The ``Exit status:`` paragraph of a command's ``--help``: its own ``exits`` (status:
    meaning), then the shared ones (``stdout``: the command prints its result on stdout, so
    a reader that quits early is exit 141)."""
    shared = {EXIT_USAGE: "a usage error (an unknown option, a bad value)"}
    if stdout:
        shared[EXIT_STDOUT_CLOSED] = "standard output closed early (| head): output incomplete"
    listed = sorted({**shared, **exits}.items())
    parts = [f"{code} {meaning}" for code, meaning in listed]
    parts.append(f"{interrupted()}: interrupted (128 + the signal)")
    return "Exit status: " + "; ".join(parts) + "."


_HINT = re.compile(r"\.\s+\(?((?:Did you mean|Choose from)\b.*?)\)?\.?$", re.S)
"""Click's hint sentence after its message (``. Did you mean 'build'?``, ``. (Did you mean
one of: ...?)``, ``. Choose from:\\n\\ttmx,...``): one parenthesis of the same sentence."""


def usage_line(exc: click.UsageError) -> str:
    """Click's usage error as one clean line ending with where help is (click printed four:
    ``Usage: ...``, ``Try ...``, a blank line, ``Error: ...``): ``No such option '--nope'.
    Did you mean '--force'?`` of ``toolkit build`` becomes ``build: no such option '--nope'
    (did you mean '--force'?); try 'toolkit build --help'``; a subcommand is named by its
    whole path (``models install:``), click's tab-indented choices run on one line."""
    message = _HINT.sub(lambda m: f" ({m[1][:1].lower()}{m[1][1:]})", exc.format_message())
    message = " ".join(message.split()).rstrip(".")
    message = message[:1].lower() + message[1:]
    if exc.ctx is None:
        return message
    path = exc.ctx.command_path
    where = path.split(" ", 1)[1] if exc.ctx.parent is not None else None
    return f"{where + ': ' if where else ''}{message}; try '{path} --help'"


__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_NEEDS_MODEL",
    "EXIT_OK",
    "EXIT_STDOUT_CLOSED",
    "EXIT_USAGE",
    "epilog",
    "interrupted",
    "usage_line",
]
