"""The protected-span settings a pairs file is checked with beside a corpus: the corpus's own.

``toolkit qa PAIRS``, ``review --serve PAIRS`` and ``export --pairs`` check a pairs file with
the glossary of the corpus they are run beside (the one rule,
:func:`toolkit.glossary.discover.discover_glossary`). They checked it with the default
protected-span kinds, though: a corpus built with ``GlossaryConfig.spans`` narrowed (handles
off, say) had its pairs flagged ``protected`` for what its builds never protect. The one
record of a build's settings is the ``config`` each built document's meta.json holds
(:attr:`toolkit.schema.DocumentRecord.config`); :func:`corpus_spans` reads the spans there,
as the last complete build wrote them (:func:`toolkit.corpus.snapshot.read_snapshot`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.corpus.paths import CorpusPaths
from toolkit.qa.bilingual import QaInputError

if TYPE_CHECKING:
    from toolkit.config.glossary import SpanConfig


def corpus_spans(corpus_dir: Path) -> SpanConfig | None:
    """The ``glossary.spans`` the built documents of ``corpus_dir`` record, or None where
    nothing is built there (no corpus: the defaults apply, as a build's would) or no built
    document records its settings (``toolkit translate`` output). Documents that record
    different ones are one line naming two of them and the fix (a pairs file is checked one
    way: which build's settings would be a guess)."""
    from toolkit.config.glossary import SpanConfig
    from toolkit.corpus.snapshot import read_snapshot
    from toolkit.errors import CorpusError

    paths = CorpusPaths(Path(corpus_dir))
    if not paths.manifest.is_file():
        return None
    try:
        records = read_snapshot(paths.root).records
    except CorpusError as err:
        raise QaInputError(f"{err} (read for the protected-span settings its builds "
                           "record)") from None
    found: dict[SpanConfig, str] = {}
    for record in records:
        recorded = _recorded(record.config)
        if record.status == "built" and recorded is not None:
            found.setdefault(SpanConfig.model_validate(recorded), record.document)
    if len(found) > 1:
        (one, first), (other, second) = list(found.items())[:2]
        raise QaInputError(
            f"{paths.root}: its documents were built with different protected-span settings "
            f"({first}: {describe_spans(one)}; {second}: {describe_spans(other)}); rebuild "
            "them with one (toolkit build) so a pairs file is checked as the corpus is"
        )
    return next(iter(found), None)


def _recorded(config: dict[str, Any] | None) -> Any:
    """``glossary.spans`` of a record's ``config``; None where it records none."""
    glossary = config.get("glossary") if isinstance(config, dict) else None
    return glossary.get("spans") if isinstance(glossary, dict) else None


def describe_spans(spans: SpanConfig) -> str:
    """``url, email`` (the kinds protected), or ``none`` (switched off)."""
    return ", ".join(spans.kinds) if spans.enabled and spans.kinds else "none"


def spans_for_pairs(corpus_dir: Path, echo: Callable[[str], None]) -> SpanConfig | None:
    """:func:`corpus_spans`, and where they are not the defaults one line through ``echo``
    saying the pairs file is checked with them (a flag the defaults would raise is not)."""
    from toolkit.config.glossary import SpanConfig

    spans = corpus_spans(corpus_dir)
    if spans is not None and spans != SpanConfig():
        echo(f"{corpus_dir}: protected spans checked as its builds record them: "
             f"{describe_spans(spans)}")
    return spans


__all__ = ["corpus_spans", "describe_spans", "spans_for_pairs"]
