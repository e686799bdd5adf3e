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
from typing import TYPE_CHECKING

from toolkit.corpus.paths import CorpusPaths
from toolkit.qa.bilingual import QaInputError

if TYPE_CHECKING:
    from toolkit.config.glossary import SpanConfig
    from toolkit.schema import DocumentRecord


def corpus_spans(corpus_dir: Path) -> SpanConfig | None:
    """The ``glossary.spans`` the built documents of ``corpus_dir`` record, or None where
    nothing is built there (no corpus: the defaults apply, as a build's would) or no built
    document records its settings (``toolkit translate`` output). Documents that protect
    different kinds (:attr:`~toolkit.config.glossary.SpanConfig.protected`: the order of
    ``kinds`` means nothing) are one line naming two of them and the fix (a pairs file is
    checked one way: which build's settings would be a guess); so is a document whose
    recorded settings this toolkit cannot read (:func:`_recorded_spans`)."""
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
    found: dict[frozenset[str], tuple[SpanConfig, str]] = {}
    for record in records:
        spans = _recorded_spans(paths, record) if record.status == "built" else None
        if spans is not None:
            found.setdefault(spans.protected, (spans, record.document))
    if len(found) > 1:
        (one, first), (other, second) = list(found.values())[:2]
        raise QaInputError(
            f"{paths.root}: its documents were built with different protected-span settings "
            f"({first}: {one.describe()}; {second}: {other.describe()}); rebuild "
            "them with one (toolkit build) so a pairs file is checked as the corpus is"
        )
    return next((spans for spans, _ in found.values()), None)


def _recorded_spans(paths: CorpusPaths, record: DocumentRecord) -> SpanConfig | None:
    """``glossary.spans`` of a record's ``config``; None where it records none. Settings
    this toolkit cannot read (an unknown kind, ``"off"``, a key a newer toolkit writes) are
    one line naming the meta.json and the fix: checked with other settings than the build's,
    the pairs file's flags would be a guess."""
    from pydantic import ValidationError

    from toolkit.config.glossary import SpanConfig

    config = record.config
    glossary = config.get("glossary") if isinstance(config, dict) else None
    recorded = glossary.get("spans") if isinstance(glossary, dict) else None
    if recorded is None:
        return None
    try:
        return SpanConfig.model_validate(recorded)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in ("spans", *first["loc"]))
        meta = paths.english / f"{record.document}.meta.json"
        raise QaInputError(
            f"{meta}: records protected-span settings this toolkit cannot read "
            f"(glossary.{where[:80]}: {first['msg'][:120]}); rebuild {record.document} "
            "(toolkit build), or check the pairs file beside another corpus (--corpus DIR; "
            "review --serve reads ./corpus: run it from another folder)"
        ) from None


def spans_for_pairs(corpus_dir: Path, echo: Callable[[str], None]) -> SpanConfig | None:
    """:func:`corpus_spans`, and where they protect other kinds than the defaults one line
    through ``echo`` saying the pairs file is checked with them (a flag the defaults would
    raise is not)."""
    from toolkit.config.glossary import SpanConfig

    spans = corpus_spans(corpus_dir)
    if spans is not None and spans.protected != SpanConfig().protected:
        echo(f"{corpus_dir}: protected spans checked as its builds record them: "
             f"{spans.describe()}")
    return spans


__all__ = ["corpus_spans", "spans_for_pairs"]
