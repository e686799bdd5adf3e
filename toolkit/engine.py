"""Argos packages as the build's translators: one loaded model per language pair, cached.

:class:`ArgosProvider` is what ``toolkit build`` and ``toolkit translate`` use;
tests substitute a fake with the same two methods (see ``toolkit.build.TranslatorProvider``).
Models load lazily, the first time a pair is needed, so a build of English
documents never loads CTranslate2 at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.build import ModelMissing
from toolkit.cache import CachedTranslator, NullCache, TranslationCache
from toolkit.packages import ModelMissingError, PackageInfo, find_package
from toolkit.schema import TranslationInfo
from toolkit.translate import TranslationSettings, Translator, namespace_for


class ArgosProvider:
    """Translators for installed Argos packages, with the corpus translation cache in front.

    ``cache_dir`` None disables the cache (``--no-cache``).
    """

    def __init__(
        self,
        packages_dir: Path | None = None,
        settings: TranslationSettings | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.packages_dir = packages_dir
        self.settings = settings or TranslationSettings()
        self.cache_dir = cache_dir
        self._packages: dict[tuple[str, str], PackageInfo | None] = {}
        self._translators: dict[tuple[str, str], tuple[CachedTranslator, TranslationInfo]] = {}
        self._cache: TranslationCache | NullCache | None = None

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
        return {
            "package": pkg.name,
            "version": pkg.package_version,
            "model_sha256": pkg.model_sha256,
            "decoding": self.settings.decoding(),
        }

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
        try:
            pkg = find_package(from_code, to_code, self.packages_dir)
        except ModelMissingError:
            # No packages path here: the message lands in provenance, which must not
            # depend on the machine. `toolkit models list` shows where packages are looked for.
            raise ModelMissing(
                f"needs model {from_code}→{to_code}: install it with "
                f"`toolkit models install {from_code} {to_code}` "
                f"(offline: `toolkit models install --file PATH.argosmodel`)"
            ) from None
        model = self._load(pkg)
        info = model.info
        cached = CachedTranslator(model, self._translation_cache(), namespace_for(info))
        result = (cached, TranslationInfo(**info))
        self._translators[key] = result
        return result

    def _load(self, package: PackageInfo) -> Any:
        """The translator for one package: loaded here; on Ray workers in a subclass."""
        return Translator(package, self.settings)

    def sentences_stored(self) -> int:
        """Distinct translations this provider wrote to the translation cache so far: what
        an interrupted build keeps (0 without a cache)."""
        if self.cache_dir is None:
            return 0
        return sum(translator.stored for translator, _info in self._translators.values())

    def close(self) -> None:
        if self._cache is not None and hasattr(self._cache, "close"):
            self._cache.close()
