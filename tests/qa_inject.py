"""Inject one known translation error into a clean pair: the QA recall benchmark's test data.

Every injection is a pure function of (kind, pair, seed, pool): the random choices come
from ``random.Random(f"{seed}:{kind}:{id}")`` (string seeds are stable across runs and
``PYTHONHASHSEED``). An injection that does not apply to a pair -- no number to change,
too few words to cut -- returns None, so recall is measured only on pairs where the error
is real. The injector deliberately does not use :mod:`toolkit.qa.checks`, so the checks cannot
define their own test cases.

Example::

    >>> inject("copy", ("p1", "Guten Tag.", "Good day."))
    'Guten Tag.'
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

ERROR_KINDS = (
    "empty",
    "copy",
    "number-changed",
    "number-dropped",
    "number-added",
    "cut-half",
    "repeated",
    "other-source",
)
"""What each kind does to the target:

* ``empty`` -- nothing left;
* ``copy`` -- the source itself (untranslated);
* ``number-changed`` -- one digit of a number that the source also has is changed;
* ``number-dropped`` -- one such number is deleted;
* ``number-added`` -- a number the source does not have is inserted between two words
  (an invented quantity, year or score);
* ``cut-half`` -- cut at the last space before half its length;
* ``repeated`` -- a 2-3 word phrase appears three times in a row;
* ``other-source`` -- replaced by another pair's *source* (e.g. German) sentence.
"""

Triple = tuple[str, str, str]
"""(id, source, target)"""

_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")


def _rng(kind: str, pair: Triple, seed: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{pair[0]}")


def _shared_digit_runs(source: str, target: str) -> list[re.Match[str]]:
    """Digit runs in the target that occur exactly once there and also in the source."""
    src_runs = set(_DIGITS.findall(source))
    tgt_runs = _DIGITS.findall(target)
    return [m for m in _DIGITS.finditer(target)
            if m.group() in src_runs and tgt_runs.count(m.group()) == 1]


def _change_number(pair: Triple, rng: random.Random) -> str | None:
    _, source, target = pair
    runs = _shared_digit_runs(source, target)
    if not runs:
        return None
    m = rng.choice(runs)
    digits = list(m.group())
    pos = rng.randrange(len(digits))
    choices = [d for d in "0123456789" if d != digits[pos] and not (pos == 0 and d == "0"
                                                                       and len(digits) > 1)]
    digits[pos] = rng.choice(choices)
    return target[:m.start()] + "".join(digits) + target[m.end():]


def _drop_number(pair: Triple, rng: random.Random) -> str | None:
    _, source, target = pair
    src_runs = set(_DIGITS.findall(source))
    tokens = [m for m in _NUMBER.finditer(target)
              if target.count(m.group()) == 1 and set(_DIGITS.findall(m.group())) & src_runs]
    if not tokens:
        return None
    m = rng.choice(tokens)
    return re.sub(r"\s{2,}", " ", target[:m.start()] + target[m.end():]).strip()


def _add_number(pair: Triple, rng: random.Random) -> str | None:
    _, source, target = pair
    words = target.split(" ")
    candidates = [n for n in ("17", "3,472", "2019", "12.5", "86") if n not in source]
    if len(words) < 2 or not candidates:
        return None
    words.insert(rng.randrange(1, len(words)), rng.choice(candidates))
    return " ".join(words)


def _cut_half(pair: Triple, rng: random.Random) -> str | None:
    target = pair[2].rstrip()
    cut = target.rfind(" ", 0, len(target) // 2 + 1)
    if len(target.split()) < 4 or cut <= 0:
        return None
    return target[:cut].rstrip()


def _repeat_phrase(pair: Triple, rng: random.Random) -> str | None:
    words = pair[2].split()
    n = rng.choice((2, 3))
    if len(words) < n + 1:
        return None
    i = rng.randrange(len(words) - n + 1)
    phrase = words[i:i + n]
    return " ".join(words[:i] + phrase * 3 + words[i + n:])


def inject(kind: str, pair: Triple, seed: int = 0, pool: Sequence[Triple] = ()) -> str | None:
    """The target of ``pair`` with one error of ``kind``, or None when it does not apply.

    ``pool`` supplies the other pairs for ``other-source``.
    """
    rng = _rng(kind, pair, seed)
    if kind == "empty":
        return ""
    if kind == "copy":
        return pair[1]
    if kind == "other-source":
        others = [p for p in pool if p[0] != pair[0] and p[1].strip()]
        return rng.choice(others)[1] if others else None
    handlers: dict[str, Callable[[Triple, random.Random], str | None]] = {
        "number-changed": _change_number,
        "number-dropped": _drop_number,
        "number-added": _add_number,
        "cut-half": _cut_half,
        "repeated": _repeat_phrase,
    }
    if kind not in handlers:
        raise ValueError(f"unknown error kind {kind!r}; choose one of {', '.join(ERROR_KINDS)}")
    return handlers[kind](pair, rng)


def injected(kind: str, pairs: Sequence[Triple], seed: int = 0) -> list[tuple[Triple, str]]:
    """Every pair the kind applies to, with its corrupted target (changed for real)."""
    out = []
    for pair in pairs:
        new = inject(kind, pair, seed, pairs)
        if new is not None and new != pair[2]:
            out.append((pair, new))
    return out
