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

import re
from collections.abc import Iterable

_SURROGATE = re.compile("[\ud800-\udfff]")


def require_text(value: object, argument: str = "text", call: str = "") -> str:
    """``value`` if it is a ``str`` holding no lone surrogate; else one-line TypeError/ValueError
    naming ``argument`` of ``call`` and the fix."""
    if isinstance(value, str) and _SURROGATE.search(value) is None:
        return value  # the common case: no message built
    where = f"{call}(): {argument}" if call else argument
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


def sentence_list(sentences: object, call: str = "translate") -> list[str]:
    """``sentences`` (any iterable of ``str``: list, tuple, generator) as a new list, read once.

    Refuses a bare ``str`` or ``bytes`` (a sequence of characters, not of sentences),
    anything not iterable, and any item :func:`require_text` refuses, each with one line
    naming ``call``.
    """
    if isinstance(sentences, str | bytes):
        raise TypeError(
            f"{call}() takes a list of sentences, not a {type(sentences).__name__}; "
            f"use {call}([{sentences!r}])"
        )
    if not isinstance(sentences, Iterable):
        raise TypeError(f"{call}() takes a list of sentences, not {type(sentences).__name__}")
    items = list(sentences)
    for index, item in enumerate(items):
        require_text(item, f"sentence {index}", call)
    return items


__all__ = ["require_text", "sentence_list"]
