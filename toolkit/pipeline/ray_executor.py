"""Run a build's heavy stages on a Ray cluster; same outputs as a local build.

Two stages move to Ray, and nothing else changes:

* **preparation** (decode, clean, boilerplate, language id, segmentation) is a Ray Data
  ``map`` over the articles: :func:`prepare_many`;
* **translation** is a Ray Data ``map_batches`` over an actor pool, each actor loading the
  CTranslate2 model once: :class:`RayTranslator`, handed to the build by
  :class:`RayProvider` in place of the local translator.

Everything around them — fingerprints, the translation cache (read and written by the
driver, so it stays one SQLite file), glossary pinning, QA, the lock and the atomic
writer — is the local build's own code. Since the translator decodes sentences of one
token length together (``TranslationSettings.group_by_length``), a sentence's translation
does not depend on which worker or batch it landed in, so the outputs are byte-identical
to a local build (``tests/test_ray.py``).

Ray is an optional extra: ``pip install '.[ray]'``. Example::

    from toolkit.pipeline.build import build_corpus
    from toolkit.pipeline.ray_executor import RayExecutor

    with RayExecutor(address=None, workers=2) as ex:       # None: start a local Ray
        build_corpus("corpus", provider=ex.provider(), executor=ex)
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Generator, Iterator, Sequence
from typing import Any

from toolkit.config.prepare import PrepareConfig
from toolkit.config.translation import DecodeOptions, TranslationSettings
from toolkit.errors import InputError, ToolkitError
from toolkit.pipeline.executor import Prepared, PreparingExecutor
from toolkit.prepare.document import prepare_document
from toolkit.schema import DocumentRecord
from toolkit.translation.packages import PackageInfo
from toolkit.translation.provider import ArgosProvider
from toolkit.translation.translator import StreamingTranslator, Translator


class RayUnavailable(ToolkitError):
    """Ray is not installed, or the cluster cannot be reached."""


def _ray() -> Any:
    # Ray Data logs every dataset's execution plan at INFO; the build prints its own
    # progress and summary. A user's RAY_DATA_LOG_LEVEL still wins.
    os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
    try:
        import ray
    except ImportError:
        raise RayUnavailable(
            "the ray executor needs Ray: pip install 'newskit-toolkit[ray]' "
            "(or pip install 'ray[data]')"
        ) from None
    return ray


# -- preparation --------------------------------------------------------------------------------


def _prepare_row(row: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """One article through :func:`prepare_document`; errors travel back as text."""
    try:
        record = prepare_document(row["data"], row["rel"], PrepareConfig.model_validate(config))
    except InputError as exc:
        return {"index": row["index"], "record": "", "error": str(exc)}
    return {"index": row["index"], "record": record.model_dump_json(), "error": ""}


def prepare_many(items: Sequence[tuple[str, bytes]], config: PrepareConfig) -> list[Prepared]:
    """Prepare ``(input path, bytes)`` pairs as a Ray Data map; results in input order."""
    if not items:
        return []
    ray = _ray()
    rows = [{"index": i, "rel": rel, "data": data} for i, (rel, data) in enumerate(items)]
    dataset = ray.data.from_items(rows).map(
        _prepare_row, fn_kwargs={"config": config.model_dump(mode="json")}
    )
    results: list[Prepared | None] = [None] * len(items)
    for row in dataset.iter_rows():
        i = int(row["index"])
        if row["error"]:
            results[i] = InputError(row["error"])
        else:
            results[i] = DocumentRecord.model_validate_json(row["record"])
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


# -- translation --------------------------------------------------------------------------------


class _TranslateActor:
    """A Ray actor holding one loaded model; translates the ``text`` column of each batch."""

    def __init__(self, package: dict[str, Any], settings: dict[str, Any]) -> None:
        self.translator = Translator(
            PackageInfo.model_validate(package), TranslationSettings.model_validate(settings)
        )

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        texts = [str(t) for t in batch["text"]]
        english, scores = self.translator.translate_scored(texts)
        return {
            "index": batch["index"],
            "english": np.array(english, dtype=object),
            "confidence": np.array(scores, dtype=object),
        }


class RayTranslator(StreamingTranslator):
    """A :class:`~toolkit.translation.translator.SentenceTranslator` whose work runs on Ray actors.

    ``workers`` actors each load the package once; ``batch_size`` sentences go to an actor
    at a time (large enough for the actor's own length-sorted batching to pay off).
    """

    def __init__(
        self,
        package: PackageInfo,
        settings: TranslationSettings,
        *,
        workers: int = 2,
        batch_size: int = 1024,
    ) -> None:
        self.package = package
        self.settings = settings
        self.workers = workers
        self.batch_size = batch_size
        self._local: Translator | None = None

    def translate_stream_scored(
        self, sentences: list[str], options: DecodeOptions | None = None
    ) -> Iterator[tuple[list[str], list[str], list[float | None]]]:
        """Distinct, non-blank ``sentences`` translated on the actors; each actor batch's
        ``(sources, translations, confidences)`` as it arrives (the driver's cache stores it
        at once).

        Calls with ``options`` are repair attempts (:mod:`toolkit.translation.repair`): a
        handful of sentences each, one call per strategy. They are decoded on the driver by
        a local :class:`Translator` of the same package and settings (loaded on first use)
        instead of starting an actor pool per attempt; the output is the same either way,
        because a sentence decodes alone (batches of one token length).
        """
        if options is not None:
            if self._local is None:
                self._local = Translator(self.package, self.settings)
            yield from self._local.translate_stream_scored(sentences, options)
            return
        if not sentences:
            return
        ray = _ray()
        dataset = ray.data.from_items(
            [{"index": i, "text": s} for i, s in enumerate(sentences)]
        ).map_batches(
            _TranslateActor,
            fn_constructor_kwargs={
                "package": self.package.model_dump(mode="json"),
                "settings": self.settings.model_dump(mode="json"),
            },
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            batch_size=self.batch_size,
            batch_format="numpy",
        )
        for batch in dataset.iter_batches(batch_format="numpy", batch_size=None):
            indices = [int(i) for i in batch["index"]]
            yield (
                [sentences[i] for i in indices],
                [str(text) for text in batch["english"]],
                [None if c is None else float(c) for c in batch["confidence"]],
            )


class RayProvider(ArgosProvider):
    """:class:`~toolkit.translation.provider.ArgosProvider` whose translators run on Ray actors."""

    def __init__(self, *args: Any, workers: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = workers

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> RayTranslator:
        return RayTranslator(package, settings, workers=self.workers)


# -- the executor -------------------------------------------------------------------------------


class RayExecutor(PreparingExecutor):
    """Connects to (or starts) Ray for one build; use as a context manager.

    ``address`` None starts a local Ray with ``workers`` CPUs; otherwise it is passed to
    ``ray.init`` ("auto", "ray://head:10001", ...). Workers must have the toolkit installed
    and the Argos packages at the same path as the driver (see README, "Running on Ray").
    """

    def __init__(self, address: str | None = None, workers: int = 2) -> None:
        self.address = address
        self.workers = workers
        self._started = False

    def __enter__(self) -> RayExecutor:
        ray = _ray()
        if not ray.is_initialized():
            try:
                # ray.init prints banners (token auth, dashboard); the build says what matters.
                with (
                    contextlib.redirect_stdout(io.StringIO()),
                    contextlib.redirect_stderr(io.StringIO()),
                ):
                    self._init(ray)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise RayUnavailable(
                    f"cannot start or reach Ray at {self.address or 'a local instance'}: {exc}; "
                    "check --ray-address"
                ) from None
            self._started = True
        ray.data.DataContext.get_current().enable_progress_bars = False
        return self

    def _init(self, ray: Any) -> None:
        if self.address is None:
            ray.init(
                num_cpus=self.workers,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        else:
            ray.init(address=self.address, log_to_driver=False, configure_logging=False)

    def __exit__(self, *exc: object) -> None:
        if self._started:
            _ray().shutdown()

    def prepare_stream(
        self, items: Sequence[tuple[str, bytes]], config: PrepareConfig
    ) -> Generator[Prepared, None, None]:
        """:func:`prepare_many` on the cluster; the results come back all together."""
        yield from prepare_many(items, config)

    def provider(self, **kwargs: Any) -> RayProvider:
        """A :class:`RayProvider` on this executor's workers; ``kwargs`` are
        :class:`~toolkit.translation.provider.ArgosProvider`'s."""
        return RayProvider(workers=self.workers, **kwargs)
