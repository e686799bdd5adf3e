"""The one owner of writing to standard output: every byte a command prints (its result,
``--help``, ``--version``, a build's summary) goes through :class:`_Guarded`, installed by
:func:`install` when the ``toolkit`` program starts.

A write that fails becomes one line through the CLI's one error handler, never a traceback
and never silence:

* the reader closed the pipe early (``| head``): :class:`StdoutClosed`, "standard output was
  closed after N of M bytes (the reader stopped early); the output is incomplete", exit 141:
  128 + SIGPIPE, the status a shell reports for every other program the reader cut short
  (``cat``, ``grep``, ``sort`` die of SIGPIPE), so ``set -o pipefail`` scripts and the
  usual ``|| [ $? = 141 ]`` treat toolkit alike; it is not 0 (the output *is* incomplete)
  and not 1 (the command's work did not fail, its reader stopped);
* any other error (``> /dev/full``, a terminal that is gone): :class:`StdoutFailed`, the
  operating system's reason and how much got through, exit 1;
* standard output closed before the start (``>&-``): :class:`StdoutFailed` at the first write.

After a failure descriptor 1 points at ``/dev/null``: the rest of the output and Python's
final flush go nowhere (no second message, no "Exception ignored"). Light: imported before
``--help`` prints.
"""

from __future__ import annotations

import errno
import io
import os
import sys

from toolkit.errors import ToolkitError

EXIT_STDOUT_CLOSED = 141  # 128 + SIGPIPE, as shells report a reader that quit early
_CLOSED_BY_READER = (errno.EPIPE, errno.ECONNRESET)


class StdoutFailed(ToolkitError, OSError):
    """Standard output could not take the output (disk full, closed descriptor): exit 1.

    Also an :class:`OSError`, like the write error it replaces."""

    exit_code = 1


class StdoutClosed(StdoutFailed):
    """The reader of standard output stopped early (``| head``): exit 141."""

    exit_code = EXIT_STDOUT_CLOSED


def stdout_error(exc: OSError | None, done: int, total: int | None) -> StdoutFailed:
    """The one-line error for a write to standard output that failed with ``exc`` (None:
    descriptor 1 was closed before the command started) after ``done`` bytes of ``total``
    (None: a command printing line by line does not know its total)."""
    of = f"{done} bytes" if total is None else f"{done} of {total} bytes"
    if exc is None or exc.errno == errno.EBADF:
        return StdoutFailed(
            "standard output is closed (>&-); nothing can be printed: give the command an "
            "output (a file, a pipe, or -o FILE where it has one)"
        )
    if exc.errno in _CLOSED_BY_READER:
        return StdoutClosed(
            f"standard output was closed after {of} (the reader stopped early); "
            "the output is incomplete"
        )
    return StdoutFailed(
        f"standard output: cannot write ({exc.strerror or exc}) after {of}; "
        "the output is incomplete"
    )


def _point_at_devnull(fd: int) -> None:
    """Descriptor ``fd`` now reads or writes /dev/null: a closed descriptor is reserved (a file
    opened later cannot become "standard output"), a failed one swallows what follows."""
    devnull = os.open(os.devnull, os.O_RDWR)
    if devnull != fd:
        os.dup2(devnull, fd)
        os.close(devnull)


class _Guarded(io.RawIOBase):
    """Descriptor 1 as a raw stream that counts what got through and turns a failed write
    into :func:`stdout_error` (once: afterwards everything is swallowed)."""

    def __init__(self, closed_at_start: bool) -> None:
        super().__init__()
        self.written = 0
        self.total: int | None = None  # set by write_result for a whole result
        self._closed_at_start = closed_at_start
        self.failure: StdoutFailed | None = None  # the error raised, reported once

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return 1

    def isatty(self) -> bool:
        return self.failure is None and os.isatty(1)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self.failure is not None:
            return len(data)
        try:
            if self._closed_at_start:
                raise OSError(errno.EBADF, "closed")
            written = os.write(1, data)
        except OSError as exc:
            _point_at_devnull(1)
            self.failure = stdout_error(exc, self.written, self.total)
            raise self.failure from None
        self.written += written
        return written


def install() -> None:
    """Route ``sys.stdout`` through :class:`_Guarded` (same encoding, error handler and line
    buffering as Python chose), and reserve descriptors 0 and 1 when they are closed.

    Called by the ``toolkit`` program only: a test's captured stdout stays its own.
    """
    closed = {fd: _is_closed(fd) for fd in (0, 1)}
    for fd, is_closed in closed.items():
        if is_closed:
            _point_at_devnull(fd)
    old = sys.stdout
    encoding = getattr(old, "encoding", None) or "utf-8"
    errors = getattr(old, "errors", None) or "strict"
    line_buffering = bool(getattr(old, "line_buffering", False))
    raw = _Guarded(closed_at_start=closed[1])
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(raw), encoding=encoding, errors=errors, line_buffering=line_buffering
    )


def _is_closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def _guard() -> _Guarded | None:
    """The installed guard behind ``sys.stdout``, if any."""
    raw = getattr(getattr(sys.stdout, "buffer", None), "raw", None)
    return raw if isinstance(raw, _Guarded) else None


def failure() -> StdoutFailed | None:
    """The error a write to standard output raised (already reported where it was caught,
    e.g. as a build summary's warning), or None: for a program that goes on after it and
    must still exit with its status."""
    guard = _guard()
    return guard.failure if guard else None


def write_result(data: bytes) -> None:
    """All of ``data`` (a command's whole result) to standard output, or :class:`StdoutFailed`
    naming how much of it got through."""
    if sys.stdout is None:
        raise stdout_error(None, 0, len(data))
    sys.stdout.flush()
    guard = _guard()
    before = guard.written if guard else 0
    if guard:
        guard.total = before + len(data)
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except StdoutFailed:
        raise
    except OSError as exc:  # not installed (the library called in-process)
        raise stdout_error(exc, 0, len(data)) from None
    finally:
        if guard:
            guard.total = None


def write_text(text: str) -> None:
    """``text`` encoded as standard output encodes (utf-8 unless Python chose otherwise),
    written whole with :func:`write_result`."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    errors = getattr(sys.stdout, "errors", None) or "strict"
    write_result(text.encode(encoding, errors))
