"""Which glossary a command uses: the one discovery rule (:func:`discover_glossary`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.corpus.paths import GLOSSARY_NAME
from toolkit.glossary.load import load_glossary
from toolkit.glossary.model import Glossary, GlossaryError


@dataclass(frozen=True)
class GlossarySource:
    """Which glossary file a command uses (``path``, None for none) and the rule that chose it.

    Made by :func:`discover_glossary`; :meth:`load` reads it, :meth:`describe` is the line
    every command that translates or checks prints on stderr.
    """

    path: Path | None
    rule: str
    """``--glossary``, ``--no-glossary``, ``in the corpus``, ``beside the corpus`` or what
    was looked for when nothing was found."""

    def load(self) -> Glossary:
        """The glossary (empty when ``path`` is None); :class:`GlossaryError` if it is bad."""
        return Glossary.empty() if self.path is None else load_glossary(self.path)

    def describe(self, glossary: Glossary) -> str:
        """``glossary: /abs/glossary.yaml (52 entries, sha256 0123456789ab; beside the
        corpus)`` or ``no glossary (--no-glossary)``."""
        if self.path is None:
            return f"no glossary ({self.rule})"
        return (
            f"glossary: {self.path.resolve()} ({len(glossary.entries)} entries, "
            f"sha256 {glossary.sha256[:12]}; {self.rule})"
        )


def discover_glossary(
    corpus_dir: Path | str, explicit: Path | None = None, disabled: bool = False
) -> GlossarySource:
    """The one rule for which glossary applies to ``corpus_dir``; first match wins:

    1. ``explicit`` (``--glossary FILE``): that file, which must exist;
    2. ``disabled`` (``--no-glossary``): none;
    3. ``<corpus_dir>/glossary.yaml``: the corpus's own glossary;
    4. ``glossary.yaml`` in the directory that holds ``corpus_dir`` (the project layout
       ``./glossary.yaml`` beside ``./corpus``);
    5. none.

    The working directory plays no part (a relative ``corpus_dir`` is resolved once, to
    find its parent), so a corpus builds the same from anywhere. Commands without a corpus
    (``toolkit translate``, ``toolkit qa PAIRS``) apply the rule to ``--corpus``, default
    ``./corpus``: run in a project directory they find its glossary.
    """
    if explicit is not None and disabled:
        raise GlossaryError("--glossary and --no-glossary contradict each other; give one")
    if explicit is not None:
        return GlossarySource(explicit, "--glossary")
    if disabled:
        return GlossarySource(None, "--no-glossary")
    corpus = Path(corpus_dir)
    inside = corpus / GLOSSARY_NAME
    beside = corpus.resolve().parent / GLOSSARY_NAME
    for path, rule in ((inside, "in the corpus"), (beside, "beside the corpus")):
        if path.is_file():
            return GlossarySource(path, rule)
        if path.exists() or path.is_symlink():
            # A FIFO, directory or dangling link named glossary.yaml was "no glossary": every
            # document then rebuilt without its terms, silently.
            raise GlossaryError(
                f"{path}: not a regular file (a directory, FIFO, device or broken link); "
                "make it the glossary file, or move it away to build without a glossary"
            )
    return GlossarySource(None, f"none given, none at {inside} or {beside}")
