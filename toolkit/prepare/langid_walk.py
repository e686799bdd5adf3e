"""py3langid's byte automaton walked in numpy: the feature counted at every byte at once.

py3langid walks its automaton in a Python loop, one dict lookup per byte. Every state here
depends only on the last ``depth`` bytes (6 for the shipped model), so :func:`walk`
advances all positions together in ``depth`` gathers; :func:`walk_each` walks many texts
in one such walk, joined by :data:`RESET`. ``tests/test_langid.py`` checks both against
py3langid's own walk on real text and random bytes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from toolkit.errors import ToolkitError
from toolkit.prepare.langid_model import RESET, remembered_depth, resets_to_start


def full_identifier():  # type: ignore[no-untyped-def]
    # shared_identifier loads once per process (the decompressed copy is in the user cache).
    from toolkit.prepare.langid_model import shared_identifier

    return shared_identifier()


class Automaton(NamedTuple):
    """py3langid's byte automaton as numpy arrays: ``nextmove``, the transition rows (256
    entries each, flattened); ``rowbase``, state -> offset of its row; ``output``, state ->
    the feature it counts or -1; ``depth``, the longest byte string a state stands for (a
    state depends on this many last bytes)."""

    nextmove: np.ndarray
    rowbase: np.ndarray
    output: np.ndarray
    depth: int


class UnsupportedLanguageModel(ToolkitError, RuntimeError):
    """py3langid's own model lacks a property :func:`walk_each` proves its answers by (a
    ToolkitError: the command line says it in one line, not a traceback)."""


@lru_cache(maxsize=1)
def automaton() -> Automaton:
    full = full_identifier()
    nextmove = np.asarray(full.tk_nextmove)  # shares the model's memory (uint32, ~39 MB)
    rows = np.asarray(full.tk_row)
    output = np.asarray(full.tk_output, dtype=np.intp)
    if not resets_to_start(nextmove, output):
        from importlib.metadata import version

        raise UnsupportedLanguageModel(
            f"py3langid {version('py3langid')}'s model: byte 0x{RESET:X} does not send every "
            "state back to the start; install the tested series (pip install 'py3langid<0.5')"
        )
    rowbase = rows.astype(np.intp) << 8

    def walks_right(depth: int) -> bool:
        return _walks_as_py3langid(Automaton(nextmove, rowbase, output, depth), full)

    depth = remembered_depth(lambda: _depth(nextmove, rows), walks_right)
    return Automaton(nextmove, rowbase, output, depth)


SAMPLE = (
    "Grüße aus Köln: „Das ist’s“, sagte sie. The quick brown fox jumps over the lazy dog. "
    "Het weer is vandaag zonnig. Ça coûte 12,50 € ! ¿Qué tal? Così è. Ελληνικά, русский. "
    "これはテストです。することができます。他们的一个。"
)
"""Text a kept depth must walk as py3langid does before it is used (:func:`automaton`). The
shipped model's deepest states (6 bytes) are CJK pairs such as "です": the sample reaches
them, so a depth one too small fails (``tests/test_langid_model.py``)."""


def _walks_as_py3langid(auto: Automaton, full: Any) -> bool:
    """Whether ``auto`` counts on :data:`SAMPLE` what py3langid's own walk counts."""
    from py3langid.langid import visit_counts

    data = SAMPLE.encode("utf-8")
    feats = _walk_with(auto, np.frombuffer(data, dtype=np.uint8))
    found, counts = np.unique(feats[feats >= 0], return_counts=True)
    expected = visit_counts(full.tk_nextmove, full._rowbase, full.tk_output, data) or {}
    return dict(zip(found.tolist(), counts.tolist(), strict=True)) == dict(expected)


def _depth(nextmove: np.ndarray, rows: np.ndarray) -> int:
    """The most bytes needed to reach any state from the start (breadth-first).

    The automaton is an Aho-Corasick one: after any input its state stands for the longest
    suffix of the input that is a prefix of a feature, so it is reached in exactly that
    many steps and no fewer. The state after byte ``i`` is therefore the one reached by
    walking the last ``depth`` bytes from the start state, which :func:`walk` does for
    every position at once.
    """
    table = nextmove.reshape(-1, 256)
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        reached[table[np.unique(rows[frontier])]] = True  # states sharing a row: once
        frontier = np.flatnonzero(reached & ~seen)
        if not len(frontier):
            return depth
        seen[frontier] = True
        depth += 1


def walk(data: np.ndarray) -> np.ndarray:
    """The feature counted at each byte of ``data`` (-1 where none), as py3langid's walk."""
    return _walk_with(automaton(), data)


def _walk_with(auto: Automaton, data: np.ndarray) -> np.ndarray:
    n = len(data)
    state = np.zeros(n, dtype=np.intp)
    for k in range(min(auto.depth, n) - 1, -1, -1):  # the byte k before each position
        state[k:] = auto.nextmove[auto.rowbase[state[k:]] + data[: n - k]]
    return auto.output[state]


def walk_each(texts: list[bytes]) -> np.ndarray:
    """:func:`walk` of each of ``texts`` alone, concatenated, from one walk: joined by
    :data:`RESET`, each starts from the start state, and the joints count nothing.

    ValueError if a text holds :data:`RESET` itself (UTF-8 never does: the texts walked are
    UTF-8), which would start it again in its middle."""
    joined = bytes([RESET]).join(texts)
    if joined.count(RESET) != max(len(texts) - 1, 0):
        raise ValueError(f"walk_each: a text holds byte 0x{RESET:X}, which joins texts")
    feats = walk(np.frombuffer(joined, dtype=np.uint8))
    if len(texts) < 2:
        return feats
    joints = np.cumsum(np.fromiter(map(len, texts[:-1]), dtype=np.intp, count=len(texts) - 1))
    keep = np.ones(len(feats), dtype=bool)
    keep[joints + np.arange(len(joints))] = False
    return feats[keep]


MEMO_LIMIT = 1 << 15
"""The most pieces :func:`walk_short_parts` remembers (each its own copy of a few features:
~7 MB at most for 5-byte heads): past it, new pieces are walked each time; none is ever
forgotten (so no reader races a clear)."""
_memo: dict[bytes, np.ndarray] = {}


def walk_short_parts(texts: list[bytes], short: int) -> list[np.ndarray]:
    """What :func:`walk` of each of ``texts`` alone counts, one array each (read-only: some
    are shared), those of at most ``short`` bytes remembered.

    What a text walked alone counts depends on its bytes only, so a document's sentence
    heads (their first ``depth - 1`` bytes: "Die ", "Der ", "In de") are walked once per
    process instead of once per sentence (a walk of a few bytes costs a dozen numpy calls);
    the texts not remembered are one :func:`walk_each`.
    """
    todo = [t for t in dict.fromkeys(texts) if t not in _memo]
    fresh: dict[bytes, np.ndarray] = {}
    if todo:
        feats = walk_each(todo)
        bounds = np.cumsum(np.fromiter(map(len, todo), dtype=np.intp, count=len(todo)))[:-1]
        for text, part in zip(todo, np.split(feats, bounds), strict=True):
            fresh[text] = part
            if len(text) <= short and len(_memo) < MEMO_LIMIT:
                # A copy: a view would keep this call's whole walk alive (an all-capitals
                # sentence walked whole with the heads), 32,768 times over.
                kept = part.copy()
                kept.flags.writeable = False  # shared by every later caller
                _memo[text] = kept
    return [fresh[t] if t in fresh else _memo[t] for t in texts]
