"""Offline translation and normalization toolkit for multilingual news corpora.

The four entry points most users need::

    from toolkit import clean, detect_language, segment, build_corpus

Each stage also lives in its own subpackage module (``toolkit.prepare.clean``,
``toolkit.prepare.segment``, ...) with an explicit configuration object
(:mod:`toolkit.config`). Nothing heavy is imported here, so ``import toolkit`` and
``toolkit --help`` stay fast: each function imports its stage on use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit._version import __version__

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.config.prepare import CleanConfig
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.executor import Executor
    from toolkit.pipeline.summary import BuildSummary, Progress
    from toolkit.prepare.clean import Cleaned
    from toolkit.schema import LanguageGuess
    from toolkit.translation.provider import TranslatorProvider


def clean(text: str, config: CleanConfig | None = None) -> Cleaned:
    """Repair and normalize text (ftfy + the normalization table); see :mod:`toolkit.prepare.clean`.

    >>> clean("Caf\\u00c3\\u00a9  au lait").text
    'Café au lait'
    """
    from toolkit.arguments import require_text
    from toolkit.prepare.clean import clean_text

    return clean_text(require_text(text, "text", "clean()"), config)


def detect_language(text: str) -> LanguageGuess:
    """ISO 639-1 language of ``text`` and confidence; see :mod:`toolkit.prepare.langid`.

    >>> detect_language("Vriendelijk blijven, zei ze.").language
    'nl'
    """
    from toolkit.arguments import require_text
    from toolkit.prepare.langid import detect_language as _detect

    return _detect(require_text(text, "text", "detect_language()"))


def segment(text: str, lang: str) -> list[list[str]]:
    """Paragraphs of sentences; see :mod:`toolkit.prepare.segment`.

    >>> segment("Dr. Meier kam am 9. Februar. Er blieb.", "de")
    [['Dr. Meier kam am 9. Februar.', 'Er blieb.']]
    """
    from toolkit.prepare.segment import segment as _segment

    return _segment(text, lang)


def build_corpus(
    root: str | os.PathLike[str] = "corpus",
    *,
    provider: TranslatorProvider | None = None,
    glossary: Glossary | None = None,
    config: BuildConfig | None = None,
    only: Iterable[str] | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
    force: bool = False,
    allow_removal: bool = False,
) -> BuildSummary:
    """Build ``root/english`` from ``root/original``; return what was done.

    The same as :func:`toolkit.pipeline.build.build_corpus`, except that ``provider`` may be left
    out: then the installed Argos packages are used, with the translation cache in
    ``root/.cache``. ``glossary`` (default: the corpus's own; ``Glossary.empty()`` for
    none), ``config`` (default: :class:`~toolkit.config.build.BuildConfig`), ``only`` (file
    names or document ids, as ``--only``), ``progress`` (``progress(stage, done, total)``),
    ``executor`` (where documents are prepared), ``force`` (rebuild unchanged documents)
    and ``allow_removal`` (remove the English of more than half the built documents at
    once) are passed through.

    English articles need no model, so this runs anywhere:

    >>> import pathlib, tempfile
    >>> root = pathlib.Path(tempfile.mkdtemp()) / "corpus"
    >>> (root / "original").mkdir(parents=True)
    >>> text = "The council met on Monday. It agreed to build a new bridge over the river."
    >>> _ = (root / "original" / "bridge.txt").write_text(text, encoding="utf-8")
    >>> summary = build_corpus(root)
    >>> summary.built, summary.exit_code
    (['bridge'], 0)
    >>> sorted(p.name for p in (root / "english").iterdir())
    ['bridge.aligned.tsv', 'bridge.en.txt', 'bridge.meta.json']
    """
    from toolkit.arguments import require_path
    from toolkit.pipeline.build import build_corpus as _build
    from toolkit.pipeline.summary import no_progress

    root = require_path(root, "build_corpus(): root")
    if provider is None:
        from toolkit.corpus.paths import CorpusPaths
        from toolkit.translation.provider import ArgosProvider

        provider = ArgosProvider(cache_dir=CorpusPaths(root).cache_dir)
    return _build(
        root,
        provider=provider,
        glossary=glossary,
        config=config,
        only=only,
        progress=progress or no_progress,
        executor=executor,
        force=force,
        allow_removal=allow_removal,
    )


__all__ = ["__version__", "build_corpus", "clean", "detect_language", "segment"]
