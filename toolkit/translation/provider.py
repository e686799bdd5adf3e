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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from toolkit.config.translation import TranslationSettings
from toolkit.errors import ToolkitError
from toolkit.schema import TranslationInfo
from toolkit.translation.hashes import FileKey, HashMemo
from toolkit.translation.identity import (
    cache_namespace,
    file_versions,
    folder_versions,
    model_identity,
    model_provenance,
)
from toolkit.translation.installed import find_package
from toolkit.translation.packages import (
    ModelMissingError,
    PackageError,
    PackageInfo,
    folder_ref,
    read_installed,
    recorded,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    # Loaded when a model is: a build with nothing to translate (a no-op) only asks for
    # identities, and never imports the cache (sqlite3) or the translator (the feed).
    from toolkit.translation.cache import CachedTranslator, NullCache, TranslationCache
    from toolkit.translation.translator import SentenceTranslator


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


def missing_model(provider: object, from_code: str, to_code: str) -> ModelMissingError:
    """Why ``provider`` has no ``from_code``→``to_code`` model: its ``why_missing`` line (a
    refused package names its problem and fix), else the install command (fakes)."""
    why = getattr(provider, "why_missing", None)
    return why(from_code, to_code) if why else ModelMissingError.for_pair(from_code, to_code)


class PackageChangedError(PackageError):
    """An installed package was replaced, moved or removed while a build was using it."""


def _gone_or_raise(pkg: PackageInfo, exc: PackageError | OSError) -> str:
    """The needs-model line for ``pkg`` if it vanished while being hashed (``exc``);
    raises a one-line PackageError if it is still there (then it is broken, not gone)."""
    if (pkg.path / "model" / "model.bin").is_file():
        if isinstance(exc, PackageError):
            raise exc
        raise PackageError(
            f"{folder_ref(pkg.path)}: cannot be read ({exc.strerror or exc}); reinstall the "
            "package"
        ) from None
    return recorded(
        f"needs model {pkg.from_code}→{pkg.to_code}: package {pkg.label} "
        f"({folder_ref(pkg.path)}) was removed or moved while this build read it; reinstall it "
        "(`toolkit models install --file PATH.argosmodel`) and build again"
    )


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
        from toolkit.arguments import require_path

        def path(value: object, name: str) -> Path | None:
            return None if value is None else require_path(value, f"ArgosProvider(): {name}")

        self.packages_dir = path(packages_dir, "packages_dir")
        self._pinned = settings  # what the caller insisted on, if anything
        self.settings = settings or TranslationSettings()
        self.cache_dir = path(cache_dir, "cache_dir")
        self._packages: dict[tuple[str, str], PackageInfo | None] = {}
        # Each pair's identity, fixed the first time it is asked for: the fingerprints,
        # the cache namespace and meta.json all use this one, and a loaded model is
        # checked against it (_check_unchanged).
        self._identities: dict[tuple[str, str], dict[str, Any] | None] = {}
        # The versions of each pair's files as its identity was computed (file_versions).
        self._versions: dict[tuple[str, str], list[tuple[str, FileKey]]] = {}
        self._gone: dict[tuple[str, str], str] = {}
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
            self._identities.clear()  # they hold the decoding settings

    def pair(self, from_code: str, to_code: str) -> tuple[str, str]:
        """The pair as packages name it, by the rule of ``--from``/``--to``
        (:func:`toolkit.languages.language_code`: ``DE`` -> ``de``); a code that is no
        language raises :class:`~toolkit.languages.UnknownLanguage` listing the installed
        pairs, as the CLI does (it advised ``toolkit models install DE en``)."""
        from toolkit.languages import UnknownLanguage, language_code, normalize_language
        from toolkit.translation.installed import usable_pairs

        try:
            return language_code(from_code, "from_code"), language_code(to_code, "to_code")
        except UnknownLanguage:
            installed = usable_pairs(self.packages_dir)
            for code, option in ((from_code, "from_code"), (to_code, "to_code")):
                normalize_language(code, installed, option=option)
            raise

    def package(self, from_code: str, to_code: str) -> PackageInfo | None:
        key = from_code, to_code = self.pair(from_code, to_code)
        if key not in self._packages:
            try:
                self._packages[key] = find_package(from_code, to_code, self.packages_dir)
            except ModelMissingError:
                self._packages[key] = None
            except PackageError as exc:  # refused (two of its version, a broken folder):
                # its documents wait as for a missing model, with the line that says why;
                # every other pair builds (it stopped build and status whole).
                self._packages[key] = None
                self._gone[key] = f"needs model {from_code}→{to_code}: {exc.recorded}"
        return self._packages[key]

    def why_missing(self, from_code: str, to_code: str) -> ModelMissingError:
        """Why the pair has no model here: its package is refused or vanished (that line,
        its folders named by name: :attr:`~toolkit.translation.packages.PackageError.recorded`),
        or none is installed (the install command)."""
        key = self.pair(from_code, to_code)
        if key in self._gone:  # recorded in the manifest: no path of this machine in it
            return ModelMissingError(self._gone[key])
        return ModelMissingError.for_pair(*key)

    def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
        """The pair's model identity, computed once (then fixed for this provider).

        A package that vanishes between being listed and being hashed (removed or moved
        while the build starts) counts as not installed; :meth:`translator` names it.
        """
        key = from_code, to_code = self.pair(from_code, to_code)  # as every other method
        if key not in self._identities:
            pkg = self.package(from_code, to_code)
            try:
                self._identities[key] = None if pkg is None else self._identify(pkg)
            except (PackageError, OSError) as exc:
                assert pkg is not None
                self._identities[key] = None
                self._gone[key] = _gone_or_raise(pkg, exc)
        return self._identities[key]

    def _identify(self, pkg: PackageInfo) -> dict[str, Any]:
        """``model_identity`` of ``pkg`` as it is on disk now; the versions of its files,
        taken first, are kept for :meth:`_check_unchanged`."""
        self._versions[(pkg.from_code, pkg.to_code)] = file_versions(pkg)
        if self.cache_dir is None:
            return model_identity(pkg, self.settings)
        # The weights' digest, remembered in the corpus cache: a build with nothing to do
        # does not read ~100 MB of weights per model (toolkit.translation.hashes).
        memo = HashMemo(self.cache_dir)
        memo.load()
        identity = model_identity(pkg, self.settings)
        memo.save()
        return identity

    def _check_unchanged(
        self,
        pkg: PackageInfo,
        pinned: dict[str, Any],
        settings: TranslationSettings,
        folders: list[tuple[int, int, int] | None],
    ) -> None:
        """Raise :class:`PackageChangedError` unless the package on disk still has the
        identity ``pinned`` (read again: metadata and every file that shapes output) and
        every such file is still the version it was when ``pinned`` was computed.

        Called as soon as the model is loaded (on the loading thread): a package
        reinstalled, moved or removed at any time between the identity and the end of the
        load may have given the translator files of another version, and meta.json must
        never record one version's name with another's weights. The file versions catch a
        package changed and changed back during the load (the same hashes, but the model
        loaded from the other files); a change after the load is harmless (the model is in
        memory). ``folders``: :func:`folder_versions` as the load started; a folder renamed
        away and back (or a symlink retargeted) during the load changed them."""
        try:
            now = model_identity(read_installed(pkg.path), settings)
            same_files = file_versions(pkg) == self._versions.get((pkg.from_code, pkg.to_code))
            same_files = same_files and folder_versions(pkg) == folders
        except (PackageError, OSError):
            now, same_files = None, False
        if now != pinned or not same_files:
            raise PackageChangedError(
                f"package {pkg.label} ({folder_ref(pkg.path)}) was replaced, moved "
                "or removed (or its packages folder changed) while this build loaded it; its "
                "documents were not written: build again once no install is running"
            )

    def _translation_cache(self) -> TranslationCache | NullCache:
        from toolkit.translation.cache import NullCache, TranslationCache

        if self._cache is None:
            self._cache = (
                NullCache()
                if self.cache_dir is None
                else TranslationCache(self.cache_dir / "translations.sqlite")
            )
        return self._cache

    def translator(self, from_code: str, to_code: str) -> tuple[CachedTranslator, TranslationInfo]:
        key = from_code, to_code = self.pair(from_code, to_code)
        if key in self._translators:
            return self._translators[key]
        pkg, pinned = self.package(from_code, to_code), self.identity(from_code, to_code)
        if pkg is None or pinned is None:
            raise self.why_missing(from_code, to_code)
        try:
            loaded = self._loaded(key, pkg, pinned)
        except PackageChangedError:
            # Forget what was pinned: the next build with this provider (a library caller
            # keeps one) reads the package as it is then, as "build again" promises.
            for memo in (self._packages, self._identities, self._versions, self._gone):
                memo.pop(key, None)
            raise
        from toolkit.translation.cache import CachedTranslator

        cached = CachedTranslator(loaded, self._translation_cache(), cache_namespace(pinned))
        # The decoding settings are recorded once, as the build's config.translation.
        info = model_provenance(pkg, self.settings, pinned)
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
        key = from_code, to_code = self.pair(from_code, to_code)
        if key in self._translators or key in self._loading:
            return
        package = self.package(from_code, to_code)
        # The identity is fixed before the load starts, so the load is checked against it.
        pinned = self.identity(from_code, to_code)
        if package is None or pinned is None:
            return
        from concurrent.futures import Future  # ~10 ms (logging): only when a model loads

        future: Future[Any] = Future()
        settings = self.settings

        def load() -> None:
            try:
                future.set_result(self._load_verified(package, settings, pinned))
            except BaseException as exc:  # raised where the translator is asked for
                future.set_exception(exc)

        self._loading[key] = (settings, future)
        # Not a daemon: the interpreter waits for it at exit rather than stop it inside
        # CTranslate2 (which aborts the process).
        threading.Thread(target=load, name=f"toolkit-load-{from_code}-{to_code}").start()

    def _loaded(self, key: tuple[str, str], package: PackageInfo, pinned: dict[str, Any]) -> Any:
        """The pair's translator: the preloaded one (waited for) if it loaded with these
        settings; otherwise loaded now. Either was checked against ``pinned``."""
        settings, future = self._loading.pop(key, (None, None))
        if future is not None and settings == self.settings:
            return future.result()  # raises what loading raised, here as without a preload
        return self._load_verified(package, self.settings, pinned)

    def _load_verified(
        self, package: PackageInfo, settings: TranslationSettings, pinned: dict[str, Any]
    ) -> Any:
        """:meth:`_load`, then :meth:`_check_unchanged` (also when the load failed: a
        package that changed explains it)."""
        folders = folder_versions(package)
        try:
            loaded = self._load(package, settings)
        except PackageError:
            self._check_unchanged(package, pinned, settings, folders)
            raise
        self._check_unchanged(package, pinned, settings, folders)
        return loaded

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> Any:
        """The translator for one package: loaded here; on Ray workers in a subclass."""
        from toolkit.translation.translator import Translator

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
