"""Argos packages as the build's translators: one loaded model per language pair, cached.

:class:`ArgosProvider` is what ``toolkit build`` and ``toolkit translate`` use;
tests substitute a fake with the same two methods (:class:`TranslatorProvider`).
Models load lazily, the first time a pair is needed, so a build of English
documents never loads CTranslate2 at all. A build asks for a pair's model as soon as the
first document that needs it is prepared (:meth:`ArgosProvider.preload`), so the model
loads in the background while the other documents are prepared.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

from toolkit.config.translation import TranslationSettings
from toolkit.errors import ToolkitError
from toolkit.schema import TranslationInfo
from toolkit.translation.cache import CachedTranslator, NullCache, TranslationCache
from toolkit.translation.hashes import HashMemo
from toolkit.translation.identity import cache_namespace, model_identity, model_provenance
from toolkit.translation.packages import ModelMissingError, PackageInfo, find_package
from toolkit.translation.translator import SentenceTranslator, Translator


class TranslatorProvider(Protocol):
    """A translator per language pair: Argos packages in real builds, fakes in tests.

    A provider that decodes may also define ``use_settings(settings: TranslationSettings)``:
    the build calls it with ``BuildConfig.translation`` before anything else, so the
    settings that decode are the ones recorded and fingerprinted. And ``preload(from_code,
    to_code)``: the build calls it as soon as a prepared document needs that pair, so the
    model can load while the other documents are prepared.
    """

    def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
        """This pair's model identity (:func:`~toolkit.translation.identity.model_identity`,
        for fingerprints); None if none is installed."""

    def translator(
        self, from_code: str, to_code: str
    ) -> tuple[SentenceTranslator, TranslationInfo]:
        """The translator and its provenance; raises
        :class:`~toolkit.translation.packages.ModelMissingError` if none is installed."""


class SettingsConflict(ToolkitError):
    """A provider created with decoding settings was asked to decode with others."""


def _differences(a: TranslationSettings, b: TranslationSettings) -> str:
    """``beam_size 4 vs 2, ...``: the fields in which two settings differ."""
    left, right = a.model_dump(), b.model_dump()
    return ", ".join(f"{k} {left[k]!r} vs {right[k]!r}" for k in left if left[k] != right[k])


class ArgosProvider:
    """Translators for installed Argos packages, with the corpus translation cache in front.

    ``cache_dir`` None disables the cache (``--no-cache``). Both directories may be given
    as ``str`` or any ``os.PathLike``.

    Decoding settings have one owner, the build's ``BuildConfig.translation``: a build
    hands them over with :meth:`use_settings` before it asks for a model, so the settings
    that decode are the settings recorded in provenance and in the fingerprint. ``settings``
    here is only a check: a provider created with settings refuses a build whose
    configuration differs (:class:`SettingsConflict`) rather than decode with one set and
    record the other.
    """

    def __init__(
        self,
        packages_dir: str | os.PathLike[str] | None = None,
        settings: TranslationSettings | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.packages_dir = Path(packages_dir) if packages_dir is not None else None
        self._pinned = settings  # what the caller insisted on, if anything
        self.settings = settings or TranslationSettings()
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._packages: dict[tuple[str, str], PackageInfo | None] = {}
        self._translators: dict[tuple[str, str], tuple[CachedTranslator, TranslationInfo]] = {}
        self._cache: TranslationCache | NullCache | None = None
        # Models loading in the background (preload), with the settings they load with.
        self._loading: dict[tuple[str, str], tuple[TranslationSettings, Future[Any]]] = {}

    def use_settings(self, settings: TranslationSettings) -> None:
        """Decode with ``settings`` (the build's ``BuildConfig.translation``) from now on.

        Translators loaded with other settings are dropped, so no sentence is decoded with
        settings other than the ones the build records. Raises :class:`SettingsConflict`
        if this provider was created with different settings.
        """
        if self._pinned is not None and settings != self._pinned:
            raise SettingsConflict(
                "ArgosProvider(settings=...) differs from BuildConfig.translation in "
                f"{_differences(self._pinned, settings)}; give the decoding settings once, "
                "in BuildConfig.translation"
            )
        if settings != self.settings:
            self.settings = settings
            self._translators.clear()  # a preload with the old settings is not used either

    def package(self, from_code: str, to_code: str) -> PackageInfo | None:
        key = (from_code, to_code)
        if key not in self._packages:
            try:
                self._packages[key] = find_package(from_code, to_code, self.packages_dir)
            except ModelMissingError:
                self._packages[key] = None
        return self._packages[key]

    def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
        pkg = self.package(from_code, to_code)
        if pkg is None:
            return None
        if self.cache_dir is None:
            return model_identity(pkg, self.settings)
        # The weights' digest, remembered in the corpus cache: a build with nothing to do
        # does not read ~100 MB of weights per model (toolkit.translation.hashes).
        memo = HashMemo(self.cache_dir)
        memo.load()
        identity = model_identity(pkg, self.settings)
        memo.save()
        return identity

    def _translation_cache(self) -> TranslationCache | NullCache:
        if self._cache is None:
            self._cache = (
                NullCache()
                if self.cache_dir is None
                else TranslationCache(self.cache_dir / "translations.sqlite")
            )
        return self._cache

    def translator(self, from_code: str, to_code: str) -> tuple[CachedTranslator, TranslationInfo]:
        key = (from_code, to_code)
        if key in self._translators:
            return self._translators[key]
        pkg = self.package(from_code, to_code)
        if pkg is None:
            raise ModelMissingError.for_pair(from_code, to_code)
        namespace = cache_namespace(model_identity(pkg, self.settings))
        cached = CachedTranslator(self._loaded(key, pkg), self._translation_cache(), namespace)
        # The decoding settings are recorded once, as the build's config.translation.
        info = model_provenance(pkg, self.settings)
        result = (cached, TranslationInfo(**{k: v for k, v in info.items() if k != "settings"}))
        self._translators[key] = result
        return result

    def preload(self, from_code: str, to_code: str) -> None:
        """Start loading this pair's model in a background thread, if one is installed.

        A build calls it as soon as a prepared document needs the pair, so the model loads
        (CTranslate2 reads it with the GIL released) while the other documents are
        prepared; :meth:`translator` then waits for it. A pair never asked for never loads,
        so a build of English documents still never loads CTranslate2.
        """
        key = (from_code, to_code)
        if key in self._translators or key in self._loading:
            return
        package = self.package(from_code, to_code)
        if package is None:
            return
        future: Future[Any] = Future()
        settings = self.settings

        def load() -> None:
            try:
                future.set_result(self._load(package, settings))
            except BaseException as exc:  # raised where the translator is asked for
                future.set_exception(exc)

        self._loading[key] = (settings, future)
        # Not a daemon: the interpreter waits for it at exit rather than stop it inside
        # CTranslate2 (which aborts the process).
        threading.Thread(target=load, name=f"toolkit-load-{from_code}-{to_code}").start()

    def _loaded(self, key: tuple[str, str], package: PackageInfo) -> Any:
        """The pair's translator: the preloaded one (waited for) if it loaded with these
        settings; otherwise loaded now."""
        settings, future = self._loading.pop(key, (None, None))
        if future is not None and settings == self.settings:
            return future.result()  # raises what loading raised, here as without a preload
        return self._load(package, self.settings)

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> Any:
        """The translator for one package: loaded here; on Ray workers in a subclass."""
        return Translator(package, settings)

    def sentences_stored(self) -> int:
        """Distinct translations this provider wrote to the translation cache so far: what
        an interrupted build keeps (0 without a cache)."""
        if self.cache_dir is None:
            return 0
        return sum(translator.stored for translator, _info in self._translators.values())

    def close(self) -> None:
        # A model still loading (a build stopped during preparation) finishes first: the
        # process must not exit while CTranslate2 is reading it on another thread.
        for _settings, future in self._loading.values():
            future.exception()
        if self._cache is not None and hasattr(self._cache, "close"):
            self._cache.close()
