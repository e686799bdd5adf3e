"""Run a build the way ``toolkit build``, ``add`` and ``correct`` do: a provider with the
corpus's translation cache, a local or Ray executor, stops at safe points on Ctrl-C.

:func:`toolkit.pipeline.build.build_corpus` is the build; this module chooses and closes what
it runs with, so the command line only parses options and prints the summary.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.config.build import BuildConfig
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.summary import BuildSummary
    from toolkit.schema import DocumentRecord

Progress = Callable[[str, int, int], None]


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP (``signum``) stopped a build at a safe point; ``kept``
    translations are cached.

    A :class:`KeyboardInterrupt`, so whatever does not know it still unwinds as for Ctrl-C.
    ``signum`` gives the exit status, as for every command (:func:`toolkit.interrupts.exit_status`).
    """

    def __init__(self, kept: int, signum: int = signal.SIGINT) -> None:
        super().__init__(kept)
        self.kept = kept
        self.signum = signum


def build_config(
    max_bytes: int | None = None,
    encoding: str | None = None,
    plain_text: bool = False,
    target_language: str | None = None,
) -> BuildConfig:
    """The build's settings with the command line's ``--max-bytes`` and ``--encoding`` (and
    ``toolkit translate``'s ``--plain-text`` and ``--to``)."""
    from toolkit.config.build import BuildConfig
    from toolkit.prepare.inputs import prepare_config

    config = BuildConfig()
    if max_bytes is not None or encoding is not None or plain_text:
        config = BuildConfig(prepare=prepare_config(max_bytes, encoding, plain_text))
    if target_language is None:
        return config
    return config.model_copy(update={"target_language": target_language})


def run_build(
    corpus_dir: Path,
    *,
    glossary: Glossary,
    config: BuildConfig,
    packages_dir: Path | None = None,
    cache: bool = True,
    only: list[str] | None = None,
    force: bool = False,
    executor: Literal["local", "ray"] = "local",
    ray_address: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    locked: bool = False,
    allow_removal: bool = False,
    discard_edits: bool = False,
    on_discard: Callable[[str], None] | None = None,
) -> BuildSummary:
    """Build ``corpus_dir`` (see :func:`~toolkit.pipeline.build.build_corpus`) with the Argos
    provider, the corpus's cache (``.cache/``, unless ``cache`` is false) and ``executor``.

    ``locked``: the caller holds the corpus lock (for a whole command), so the build does
    not take it again. ``allow_removal``, ``discard_edits``, ``on_discard``: as
    :func:`~toolkit.pipeline.build.build_corpus`. Ctrl-C and SIGTERM stop the build at its
    next safe point: the corpus stays as it was and :class:`BuildInterrupted` says how many
    translations the cache kept.
    """
    from toolkit.interrupts import stop_at_safe_points
    from toolkit.pipeline.build import build_corpus
    from toolkit.pipeline.executor import WorkerDied

    provider: Any = None
    try:
        with stop_at_safe_points() as check_interrupt, ExitStack() as stack:
            provider, runner = _provider_and_executor(
                stack, corpus_dir, config, packages_dir, cache, executor, ray_address, workers
            )

            def at_safe_point(stage: str, done: int, total: int) -> None:
                check_interrupt()  # a safe point: Ctrl-C and SIGTERM stop the build here
                if progress is not None:
                    progress(stage, done, total)

            try:
                return build_corpus(
                    corpus_dir, provider=provider, glossary=glossary, config=config, only=only,
                    progress=at_safe_point, executor=runner, force=force, locked=locked,
                    allow_removal=allow_removal, discard_edits=discard_edits, on_discard=on_discard,
                )  # fmt: skip
            except WorkerDied:
                # Ctrl-C, SIGTERM or SIGHUP sent to the whole process group (a closed
                # terminal) also ends the workers: that is an interrupt, not a crash.
                check_interrupt()
                raise
    except KeyboardInterrupt as stop:
        # The exception unwound the build (staged files discarded, lock released, cache
        # closed); every stored translation batch is kept.
        stored = getattr(provider, "sentences_stored", None)
        kept = stored() if stored is not None else 0
        raise BuildInterrupted(kept, getattr(stop, "signum", signal.SIGINT)) from None


def _provider_and_executor(
    stack: ExitStack,
    corpus_dir: Path,
    config: BuildConfig,
    packages_dir: Path | None,
    cache: bool,
    executor: str,
    ray_address: str | None,
    workers: int | None,
) -> tuple[Any, Any]:
    """The translation provider and the executor of a build, closed by ``stack``."""
    from toolkit.corpus.paths import CorpusPaths
    from toolkit.pipeline.executor import LocalExecutor
    from toolkit.translation import provider as argos

    cache_dir = CorpusPaths(corpus_dir).cache_dir if cache else None
    given = {"packages_dir": packages_dir, "settings": config.translation, "cache_dir": cache_dir}
    if executor == "ray":
        from toolkit.pipeline.ray_executor import RayExecutor

        ray = stack.enter_context(RayExecutor(ray_address, workers or 2))
        provider, runner = ray.provider(**given), ray
    else:
        provider, runner = argos.ArgosProvider(**given), LocalExecutor(processes=workers)
    if hasattr(provider, "close"):  # test doubles may have none
        stack.callback(provider.close)
    return provider, runner


class RebuildNeedsModel(ToolkitError):
    """A command that rebuilds a translated document was asked where its model is missing."""

    exit_code = 3


def require_original_to_rebuild(corpus_dir: Path, record: DocumentRecord) -> None:
    """Raise a one-line :class:`~toolkit.errors.ToolkitError` if ``record``'s original is no
    longer in ``original/``: ``toolkit correct`` would rebuild nothing (it said "0 built",
    exit 0, and the correction was not in the English) or, now that the build checks the
    names it is given, name ``only``."""
    from toolkit.corpus.originals import UnknownOriginal, originals_named

    original = Path(record.input.path).name
    try:
        originals_named(corpus_dir, [original])
    except UnknownOriginal:
        raise ToolkitError(
            f"{record.document}: the correction is saved but the document is not rebuilt: its "
            f"original {original} is no longer in {corpus_dir}/original; put it back, then run "
            "toolkit build"
        ) from None


def require_model_to_rebuild(record: DocumentRecord, packages_dir: Path | None) -> None:
    """Raise :class:`RebuildNeedsModel` if rebuilding ``record`` needs a model not installed.

    ``toolkit correct`` rebuilds the document it corrects: without its model the rebuild
    could only make it "needs model" and take its English away (until the model is back),
    so the command keeps the correction it saved and does not rebuild (attack finding).
    """
    from toolkit.translation import provider as argos
    source, target = record.language.language, record.target_language
    if record.status != "built" or record.translation is None or source == target:
        return
    provider = argos.ArgosProvider(packages_dir=packages_dir)
    if provider.identity(source, target) is None:
        missing = argos.missing_model(provider, source, target)
        raise RebuildNeedsModel(
            f"{record.document}: the correction is saved but the document is not rebuilt: "
            f"{missing}; a rebuild without it would take the document's English away until "
            "the model is back; install it, then run toolkit build"
        )
