"""Wiring for ``toolkit review --serve``: the store with its rebuild, then the server.

Kept apart from :mod:`toolkit.cli.review` so the command's body stays a few lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.corpus.corrections import load_review_file
from toolkit.corpus.paths import CorpusPaths
from toolkit.errors import ToolkitError
from toolkit.glossary.model import Glossary
from toolkit.review.workbench.app import serve
from toolkit.review.workbench.store import ReviewStore, Staleness

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig


def argos_rebuild(
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool = False,
    config: BuildConfig | None = None,
) -> Callable[[Path, str], list[str]]:
    """``rebuild(root, original_name)`` as ``toolkit correct`` does it: the Argos provider
    with the corpus's translation cache, the glossary next to the corpus (or the one given),
    and :func:`toolkit.pipeline.build.build_corpus` limited to that one original."""

    def rebuild(root: Path, original: str) -> list[str]:
        from toolkit.config.build import BuildConfig
        from toolkit.pipeline.build import build_corpus
        from toolkit.translation.provider import ArgosProvider

        settings = config or BuildConfig()  # with --max-bytes, --encoding, as `build` takes them
        try:
            provider = ArgosProvider(
                packages_dir=packages_dir,
                settings=settings.translation,
                cache_dir=CorpusPaths(root).cache_dir,
            )
            try:
                summary = build_corpus(
                    root,
                    provider=provider,
                    glossary=_glossary(glossary_path, root, no_glossary),
                    config=settings,
                    only=[original],
                )
            finally:
                if hasattr(provider, "close"):  # the translation cache's connection
                    provider.close()
        except ToolkitError as exc:
            return [str(exc)]
        # A held document (English edited by hand) is no error: the action is recorded, and
        # the staleness check names it NOT CURRENT with the build's line until the
        # corrections give the English that was typed (then the build writes it again).
        return list(summary.errors.values())

    return rebuild


def _glossary(glossary_path: Path | None, root: Path, no_glossary: bool = False) -> Glossary:
    """The glossary by the one rule every command uses: ``glossary_path`` if given, else the
    corpus's (:func:`toolkit.glossary.discover.discover_glossary`); none with
    ``no_glossary``. Read again at each use: an edit to the file counts from then on."""
    from toolkit.glossary.discover import discover_glossary

    return discover_glossary(root, explicit=glossary_path, disabled=no_glossary).load()


def glossary_kinds_for(
    glossary_path: Path | None, root: Path, no_glossary: bool = False
) -> dict[str, str]:
    """term -> kind of the glossary the build uses, for hover text (empty without one)."""
    from toolkit.review.rows import glossary_kinds

    return glossary_kinds(_glossary(glossary_path, root, no_glossary).entries)


def argos_staleness(
    packages_dir: Path | None,
    glossary_path: Path | None,
    no_glossary: bool = False,
    config: BuildConfig | None = None,
) -> Staleness:
    """``staleness(root, documents)``: each document's state and line as status says them
    (:func:`~toolkit.review.stale.review_states`), asked with the models and glossary of
    :func:`argos_rebuild`: a document it calls current is one the rebuild after an action
    would leave as it is."""

    def staleness(root: Path, documents: set[str]) -> dict[str, tuple[str, str]]:
        from toolkit.pipeline.status import undecided_state
        from toolkit.review.stale import review_states

        try:
            glossary = _glossary(glossary_path, root, no_glossary)
        except ToolkitError as exc:  # a glossary edited into a broken one while serving
            return undecided_state(exc)
        return review_states(root, documents, packages_dir, glossary, config)

    return staleness


def run_workbench(
    root: Path,
    *,
    host: str,
    port: int,
    packages_dir: Path | None,
    glossary_path: Path | None,
    author: str,
    echo: Callable[[str], None],
    languages: tuple[str | None, str] | None = None,
    no_glossary: bool = False,
    config: BuildConfig | None = None,
    corpus: Path = Path("corpus"),
    corpus_given: bool = True,
) -> None:
    """Serve the workbench for corpus ``root`` (or, with ``languages`` = (src or None, tgt), for the
    bilingual file ``root`` and its sidecar corrections file, checked beside ``corpus``: its
    glossary and recorded check settings, as ``qa`` and ``export --pairs`` check it) until
    Ctrl-C. ``corpus_given``: --corpus was on the command line (the defaults line)."""
    if languages is not None:
        from toolkit.qa.bilingual import left_out_lines
        from toolkit.qa.corpus_settings import settings_for_pairs
        from toolkit.qa.pairs import read_bilingual
        from toolkit.review.rows import glossary_kinds
        from toolkit.review.workbench.pairs import (
            PairsStore,
            served_record,
            sidecar_path,
        )

        glossary = _glossary(glossary_path, corpus, no_glossary)
        settings = settings_for_pairs(corpus, echo, corpus_given)  # the glossary's corpus: one rule
        pairs = read_bilingual(root, *languages)
        state = load_review_file(sidecar_path(root))
        record = served_record(root, *languages, glossary, state, pairs, settings)  # bad: fail
        for line in left_out_lines(root, pairs, "shown and checked"):
            echo(line)
        store: ReviewStore = PairsStore(
            root=root.parent,
            rebuild=lambda _root, _name: [],  # each read re-checks the file in memory
            author=author,
            kinds=glossary_kinds(glossary.entries),
            pairs_file=root,
            src=languages[0],
            tgt=languages[1],
            glossary=glossary,
            settings=settings,
        )
        for line in store.orphans(root.name, record, state):  # the page shows them too
            echo(line)
        echo(f"corrections go to {sidecar_path(root)}")
    else:
        store = ReviewStore(
            root=root,
            rebuild=argos_rebuild(packages_dir, glossary_path, no_glossary, config),
            author=author,
            kinds=glossary_kinds_for(glossary_path, root, no_glossary),
            staleness=argos_staleness(packages_dir, glossary_path, no_glossary, config),
        )
    serve(store, host=host, port=port, echo=echo)


__all__ = ["argos_rebuild", "argos_staleness", "glossary_kinds_for", "run_workbench"]
