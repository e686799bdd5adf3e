"""What a library caller passes where the toolkit expects text: checked once, here.

The one owner of two guards every library entry point uses:

* :func:`require_text` — ``clean``, ``detect_language``, ``segment``, QA checks: a ``str``
  and nothing else (``bytes``, ``None``, an ``int`` were tracebacks from ftfy or regex).
* :func:`sentence_list` — every ``translate`` entry point (:class:`~toolkit.translation.
  translator.Translator`, :class:`~toolkit.translation.cache.CachedTranslator`, the
  provider's translators, :func:`~toolkit.glossary.pin.pin_translate`): any iterable of
  ``str`` is read once into a list (a generator gave ``[]`` and was consumed), a bare
  ``str`` is refused (it would be translated character by character).

Both refuse a lone surrogate (``"\\ud800"``, what ``bytes.decode(errors="surrogateescape")``
leaves): it is not text, cannot be written as UTF-8, and failed deep in SQLite or
SentencePiece with their own errors.

>>> sentence_list(s for s in ["Guten Morgen.", "Hallo."])
['Guten Morgen.', 'Hallo.']
>>> sentence_list("Guten Morgen.")
Traceback (most recent call last):
TypeError: translate() takes a list of sentences, not a str; use translate(['Guten Morgen.'])
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_SURROGATE = re.compile("[\ud800-\udfff]")


def require_text(value: object, argument: str = "text", call: str = "") -> str:
    """``value`` if it is a ``str`` holding no lone surrogate; else one-line TypeError/ValueError
    naming ``argument`` of ``call`` (``translate()``, ``segment()``) and the fix."""
    if isinstance(value, str) and _SURROGATE.search(value) is None:
        return value  # the common case: no message built
    where = f"{call}: {argument}" if call else argument
    if not isinstance(value, str):
        fix = "; decode it first (data.decode('utf-8'))" if isinstance(value, bytes) else ""
        raise TypeError(f"{where} must be a str, not {type(value).__name__}{fix}")
    surrogate = _SURROGATE.search(value)
    assert surrogate is not None
    raise ValueError(
        f"{where} holds a lone surrogate {surrogate.group()!r} at character "
        f"{surrogate.start()}, which is not text; decode the bytes with errors='replace' "
        "or remove it"
    )


GLOSSARY_FIX = "load one with toolkit.glossary.load.load_glossary(path), or Glossary.empty()"
"""The fix named when something else is passed where a glossary is expected."""


def require_type(value: object, kind: type[T], argument: str, fix: str) -> T:
    """``value``, if it is a ``kind``; else a one-line :class:`TypeError` naming ``argument``
    and ``fix`` (a path where a ``Glossary`` goes failed deep inside with an AttributeError)."""
    if isinstance(value, kind):
        return value
    raise TypeError(f"{argument} must be a {kind.__name__}, not {type(value).__name__}; {fix}")


def require_path(value: object, argument: str) -> Path:
    """``value`` (a ``str`` or ``os.PathLike`` giving a ``str``) as a :class:`~pathlib.Path`;
    else a one-line :class:`TypeError` naming ``argument`` (``build_corpus(): root``): a
    ``bytes`` path failed with pathlib's own message, which names no argument."""
    try:
        path = os.fspath(value)  # type: ignore[call-overload]
    except TypeError:
        path = None
    if isinstance(path, str):
        return Path(path)
    fix = "; decode it first (path.decode())" if isinstance(path, bytes) else ""
    got = f"{type(value).__name__} giving bytes" if path is not None else type(value).__name__
    got = "bytes" if isinstance(value, bytes) else got
    raise TypeError(f"{argument} must be a str or os.PathLike path, not {got}{fix}")


def sentence_list(sentences: object, call: str = "translate") -> list[str]:
    """``sentences`` (any iterable of ``str``: list, tuple, generator) as a new list, read once.

    Refuses a bare ``str`` or ``bytes`` (a sequence of characters, not of sentences),
    anything not iterable, and any item :func:`require_text` refuses, each with one line
    naming ``call``.
    """
    return text_list(sentences, f"{call}()", "sentences")


def text_list(values: object, argument: str, what: str) -> list[str]:
    """``values`` (any iterable of ``str``) as a new list, read once; the rule of
    :func:`sentence_list` for any argument: ``argument`` is how the caller wrote it
    (``translate()``, ``only=``), ``what`` the plural of one item (``sentences``, ``names``).
    """
    if isinstance(values, str | bytes):
        # Advise what is accepted: a list of str (a list of bytes is refused in turn).
        shown = values.decode("utf-8", "replace") if isinstance(values, bytes) else values
        example = f"[{shown!r}]"
        use = f"{argument[:-1]}{example})" if argument.endswith("()") else f"{argument}{example}"
        raise TypeError(
            f"{argument} takes a list of {what}, not a {type(values).__name__}; use {use}"
        )
    if not isinstance(values, Iterable):
        raise TypeError(f"{argument} takes a list of {what}, not {type(values).__name__}")
    items = list(values)
    call = argument.removesuffix("=")
    for index, item in enumerate(items):
        require_text(item, f"{what.removesuffix('s')} {index}", call)
    return items


__all__ = [
    "GLOSSARY_FIX",
    "require_path",
    "require_text",
    "require_type",
    "sentence_list",
    "text_list",
]
