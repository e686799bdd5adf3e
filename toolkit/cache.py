"""A persistent translation cache, so rebuilding a corpus only translates new sentences.

One SQLite file (WAL mode), one table. A row's key is
``sha256(namespace NUL source)`` where the namespace already hashes the package name and
version, the model's sha256 and the decoding settings (``toolkit.translate.namespace_for``);
so a different model or a different beam size never reads another's translations.

A corrupt or foreign cache file is not repaired silently: CacheError names the file and
tells the user to delete it (the cache only ever saves time, deleting it loses nothing).
Example::

    with TranslationCache(corpus / ".cache" / "translations.sqlite") as cache:
        cached = CachedTranslator(translator, cache, translator.namespace)
        english = cached.translate(sentences)
        print(cached.translated, "translated,", cached.cached, "from cache")
"""

from __future__ import annotations

import errno
import hashlib
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol

from toolkit._faults import checkpoint
from toolkit.errors import ToolkitError
from toolkit.interrupts import deferred_interrupts
from toolkit.translate import ProgressFn, SentenceTranslator, require_sentence_list

SCHEMA_VERSION = 1
_QUERY_CHUNK = 500  # keys per SELECT, well under SQLite's variable limit

CacheOrigin = Literal["machine", "cache", "none"]


class CacheError(ToolkitError):
    """The cache file is unusable; the message names it and says how to recover."""


def cache_key(namespace: str, source: str) -> bytes:
    """Primary key of one cached translation."""
    return hashlib.sha256(f"{namespace}\0{source}".encode()).digest()


class Cache(Protocol):
    """What CachedTranslator needs from a cache."""

    def get_many(self, namespace: str, sources: list[str]) -> dict[str, str]: ...

    def put_many(self, namespace: str, pairs: Iterable[tuple[str, str]]) -> None: ...


class NullCache:
    """A cache that remembers nothing (``--no-cache``)."""

    def get_many(self, namespace: str, sources: list[str]) -> dict[str, str]:
        return {}

    def put_many(self, namespace: str, pairs: Iterable[tuple[str, str]]) -> None:
        return None

    def close(self) -> None:
        return None


class TranslationCache:
    """SQLite-backed cache of source sentence -> translation, per namespace.

    Thread-safe (one connection behind a lock); every ``put_many`` is one transaction.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # e.g. `.cache` is a plain file
            folder = self.path.parent
            raise CacheError(
                f"{folder}: is not a directory, but the translation cache lives there; "
                f"move it away (mv {folder} {folder}.old) and rerun"
            ) from None
        except OSError as exc:
            raise self._error(exc) from None
        try:
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise self._error(exc) from None
        try:
            self._init_schema()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise self._error(exc) from None

    def _error(self, exc: Exception) -> CacheError:
        # The advice must fit the cause: deleting a cache that is busy, or on a full disk,
        # loses the stored translations and fixes nothing.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if "locked" in reason:
            return CacheError(
                f"translation cache {self.path} is busy ({reason}): another process is "
                "writing it; wait for it to finish, or build with --no-cache"
            )
        if "full" in reason or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
            return CacheError(
                f"translation cache {self.path} cannot be written ({reason}); "
                "free some disk space and rerun, or build with --no-cache"
            )
        remove = f"rm -r {self.path}" if self.path.is_dir() else f"rm {self.path}"
        return CacheError(
            f"translation cache {self.path} is unusable ({exc}); delete it and rerun "
            f"(it only saves time): {remove}"
        )

    def _init_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"schema version {version}, expected {SCHEMA_VERSION}")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations ("
                " key BLOB PRIMARY KEY, namespace TEXT NOT NULL,"
                " source TEXT NOT NULL, target TEXT NOT NULL) WITHOUT ROWID"
            )
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def get_many(self, namespace: str, sources: list[str]) -> dict[str, str]:
        """Cached translations of those ``sources`` that have one, as {source: target}."""
        keys = {cache_key(namespace, s): s for s in dict.fromkeys(sources)}
        key_list = list(keys)
        found: dict[str, str] = {}
        with self._lock:
            try:
                for i in range(0, len(key_list), _QUERY_CHUNK):
                    chunk = key_list[i : i + _QUERY_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT key, target FROM translations WHERE key IN ({marks})", chunk
                    )
                    for key, target in rows:
                        found[keys[key]] = target
            except sqlite3.DatabaseError as exc:
                raise self._error(exc) from None
        return found

    def put_many(self, namespace: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (source, target) pairs in one transaction; existing keys are overwritten."""
        rows = [(cache_key(namespace, s), namespace, s, t) for s, t in pairs]
        if not rows:
            return
        with self._lock:
            try:
                with self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows
                    )
            except sqlite3.DatabaseError as exc:
                raise self._error(exc) from None

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class CachedTranslator:
    """A SentenceTranslator that asks ``cache`` first and ``inner`` only for the misses.

    Misses are deduplicated and translated batch by batch; each batch is stored (one
    committed transaction) and reported to ``progress`` the moment it is decoded, so an
    interrupted run keeps everything but the batches still in flight. An ``inner`` with a
    ``translate_stream`` method (:meth:`toolkit.translate.Translator.translate_stream`)
    decides its own batches; any other gets ``chunk_sentences`` misses per call.
    ``translated`` and ``cached`` count input sentences (occurrences, blanks excluded)
    answered by the model and by the cache, summed over all calls; ``stored`` counts the
    distinct translations written to the cache.
    """

    def __init__(
        self,
        inner: SentenceTranslator,
        cache: Cache,
        namespace: str,
        *,
        chunk_sentences: int = 2000,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.namespace = namespace
        self.chunk_sentences = chunk_sentences
        self.translated = 0
        self.cached = 0
        self.stored = 0

    def translate(self, sentences: list[str], progress: ProgressFn | None = None) -> list[str]:
        """Same contract as SentenceTranslator.translate."""
        return self.translate_with_origins(sentences, progress)[0]

    def translate_with_origins(
        self, sentences: list[str], progress: ProgressFn | None = None
    ) -> tuple[list[str], list[CacheOrigin]]:
        """Translations plus, per sentence, where each came from: model, cache, or none (blank).

        The origins map onto ``toolkit.schema.Segment.origin``. A ``str`` instead of a
        list raises :class:`TypeError`.
        """
        require_sentence_list(sentences)
        wanted = list(dict.fromkeys(s for s in sentences if s.strip()))
        hits = self.cache.get_many(self.namespace, wanted)
        misses = [s for s in wanted if s not in hits]
        occurrences = Counter(sentences)
        if progress is not None:
            # Everything not sent to the model is finished now.
            done = len(sentences) - sum(occurrences[s] for s in misses)
            if done:
                progress(done)
        fresh: dict[str, str] = {}
        for chunk, outputs in self._stream(misses):
            if len(outputs) != len(chunk):
                raise RuntimeError(
                    f"translator returned {len(outputs)} results for {len(chunk)} sentences"
                )
            pairs = list(zip(chunk, outputs, strict=True))
            # A signal here would roll back a batch that is already decoded: hold it.
            with deferred_interrupts():
                self.cache.put_many(self.namespace, pairs)
                self.stored += len(pairs)
            fresh.update(pairs)
            if progress is not None:
                progress(sum(occurrences[s] for s in chunk))
            checkpoint("translate.chunk")  # test hook: this batch is in the cache now
        texts: list[str] = []
        origins: list[CacheOrigin] = []
        for s in sentences:
            if s in fresh:
                texts.append(fresh[s])
                origins.append("machine")
                self.translated += 1
            elif s in hits:
                texts.append(hits[s])
                origins.append("cache")
                self.cached += 1
            else:
                texts.append("")
                origins.append("none")
        return texts, origins

    def _stream(self, misses: list[str]) -> Iterator[tuple[list[str], list[str]]]:
        """``(sources, translations)`` batch by batch, from ``inner``."""
        stream = getattr(self.inner, "translate_stream", None)
        if stream is not None:
            yield from stream(misses)
            return
        for i in range(0, len(misses), self.chunk_sentences):
            chunk = misses[i : i + self.chunk_sentences]
            yield chunk, self.inner.translate(chunk)
