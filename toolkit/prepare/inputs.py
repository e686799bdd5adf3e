"""Read one article named on the command line (a file, or ``-`` for stdin), bounded.

At most the article limit (``--max-bytes``, else the default) is read, from a file as from
stdin: a 2 GB file (or ``/dev/zero``) is refused from its size, never read into memory (as
:func:`toolkit.pipeline.plan.read_original` does for a corpus's originals).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, BinaryIO

from toolkit.errors import InputError

if TYPE_CHECKING:
    from toolkit.config.prepare import PrepareConfig
    from toolkit.schema import DocumentRecord


def _stdin() -> BinaryIO:
    """Standard input's bytes, or :class:`InputError` when it was closed (``<&-``: Python
    then has no ``sys.stdin`` at all)."""
    if sys.stdin is None or not hasattr(sys.stdin, "buffer"):
        raise InputError(
            "is closed (<&-); pipe the article in, or give its file name"
        )
    return sys.stdin.buffer


def input_label(name: str) -> str:
    """How messages name the input ``name``: ``<stdin>`` for ``-``, else the file name with
    its escapes shown (:func:`toolkit.corpus.paths.shown_name`, never printed raw)."""
    from toolkit.corpus.paths import shown_name

    return "<stdin>" if name == "-" else shown_name(name)


def read_article(name: str, max_bytes: int | None = None) -> tuple[bytes, str]:
    """The bytes of file ``name`` (``-``: stdin) and the label that names it in messages.

    Raises :class:`InputError` whose message starts with that label (a file name is
    untrusted: its escapes are never printed raw).
    """
    from toolkit.config.prepare import DecodeConfig

    limit = DecodeConfig().max_bytes if max_bytes is None else max_bytes
    label = input_label(name)
    try:
        if name == "-":
            data = _stdin().read(limit + 1)
            if len(data) > limit:
                raise InputError.too_large(None, limit)
            if not data:  # decoding would say "remove the file": there is no file
                raise InputError("is empty: nothing came on standard input; pipe the text in")
            return data, label
        with open(name, "rb") as fh:  # the size from fstat, the read bounded at the limit
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(limit + 1) if size <= limit else b""
        if size > limit or len(data) > limit:  # no size: a device (/dev/zero), a pipe
            raise InputError.too_large(size if size > limit else None, limit)
        return data, name
    except InputError as exc:
        raise exc.for_file(label) from None
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: is a directory; give a file") from None
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None


def prepare_config(
    max_bytes: int | None = None, encoding: str | None = None, plain_text: bool = False
) -> PrepareConfig:
    """Preparation settings with the command line's ``--max-bytes``, ``--encoding`` and
    ``--plain-text`` (every file read as text, not sniffed for markup)."""
    from toolkit.config.prepare import DecodeConfig, PrepareConfig

    if max_bytes is None and encoding is None and not plain_text:
        return PrepareConfig()
    decode = DecodeConfig(encoding=encoding, plain_text=("*",) if plain_text else ())
    if max_bytes is not None:
        decode = decode.model_copy(update={"max_bytes": max_bytes})
    return PrepareConfig(decode=decode)


def prepare_article(
    name: str, config: PrepareConfig, language: str | None = None
) -> DocumentRecord:
    """Read article ``name`` (``-``: stdin) and prepare it (decode, clean, language id,
    segment), as ``toolkit clean``, ``detect``, ``segment`` and ``translate`` do.

    Raises :class:`InputError` naming the file.
    """
    from toolkit.prepare.decode import PLAIN_TEXT_SETTING
    from toolkit.prepare.document import prepare_document

    data, label = read_article(name, config.decode.max_bytes)
    try:
        return prepare_document(data, label, config, language=language)
    except InputError as exc:
        # Here the way out of the markup sniff is the command line's, not a corpus's.
        message = str(exc).replace(PLAIN_TEXT_SETTING, "pass --plain-text")
        raise InputError(message).for_file(label) from None
