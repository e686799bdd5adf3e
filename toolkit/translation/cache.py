"""A persistent translation cache, so rebuilding a corpus only translates new sentences.

One SQLite file (WAL mode), one table. A row's key is
``sha256(namespace NUL source)`` where the namespace already hashes the package name and
version, the model's sha256 and the decoding settings
(:func:`toolkit.translation.identity.cache_namespace`);
so a different model or a different beam size never reads another's translations.

A corrupt or foreign cache file is not repaired silently: CacheError names the file and
tells the user to delete it (the cache only ever saves time, deleting it loses nothing).
Example::

    with TranslationCache(corpus / ".cache" / "translations.sqlite") as cache:
        namespace = cache_namespace(model_identity(package, settings))
        cached = CachedTranslator(Translator(package, settings), cache, namespace)
        english, origins = cached.translate_with_origins(sentences)  # "machine" or "cache"
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol

from toolkit._faults import checkpoint
from toolkit.arguments import sentence_list
from toolkit.config.translation import DecodeOptions
from toolkit.errors import ToolkitError
from toolkit.interrupts import deferred_interrupts
from toolkit.translation.cache_advice import (
    cache_unusable,
    folder_in_the_way,
    sidecar_in_the_way,
)
from toolkit.translation.translator import (
    ProgressFn,
    Scored,
    SentenceTranslator,
    accepts_options,
)

if TYPE_CHECKING:  # a build that translates nothing (a no-op) never loads the feed
    from toolkit.translation.feed import Feed

SCHEMA_VERSION = 2
"""1: key, namespace, source, target. 2: adds ``score`` (the translation's confidence, NULL
in rows written by version 1; such rows are kept and re-translated when a confidence is
wanted, so a build reads the same confidence from the cache as without it)."""
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

    def get_scored(self, namespace: str, sources: list[str]) -> dict[str, tuple[str, float | None]]:
        return {}

    def put_scored(self, namespace: str, rows: Iterable[tuple[str, str, float | None]]) -> None:
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
            raise CacheError(folder_in_the_way(self.path.parent)) from None
        except OSError as exc:
            raise self._error(exc) from None
        if (in_the_way := sidecar_in_the_way(self.path)) is not None:
            raise CacheError(in_the_way)
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
        # loses the stored translations and fixes nothing; /proc or a device is no cache.
        return CacheError(cache_unusable(self.path, exc))

    def _init_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, 1, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"schema version {version}, expected {SCHEMA_VERSION}")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations ("
                " key BLOB PRIMARY KEY, namespace TEXT NOT NULL,"
                " source TEXT NOT NULL, target TEXT NOT NULL, score REAL) WITHOUT ROWID"
            )
            if version == 1:  # migrate in place: every existing row is kept, its score NULL
                self._db.execute("ALTER TABLE translations ADD COLUMN score REAL")
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def get_many(self, namespace: str, sources: list[str]) -> dict[str, str]:
        """Cached translations of those ``sources`` that have one, as {source: target}."""
        return {s: target for s, (target, _) in self.get_scored(namespace, sources).items()}

    def get_scored(self, namespace: str, sources: list[str]) -> dict[str, tuple[str, float | None]]:
        """Like :meth:`get_many`, with each translation's confidence (None if not stored)."""
        keys = {cache_key(namespace, s): s for s in dict.fromkeys(sources)}
        key_list = list(keys)
        found: dict[str, tuple[str, float | None]] = {}
        with self._lock:
            try:
                for i in range(0, len(key_list), _QUERY_CHUNK):
                    chunk = key_list[i : i + _QUERY_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = self._db.execute(
                        f"SELECT key, target, score FROM translations WHERE key IN ({marks})",
                        chunk,
                    )
                    for key, target, score in rows:
                        found[keys[key]] = (target, score)
            except sqlite3.DatabaseError as exc:
                raise self._error(exc) from None
        return found

    def put_many(self, namespace: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Store (source, target) pairs in one transaction; existing keys are overwritten."""
        self.put_scored(namespace, ((s, t, None) for s, t in pairs))

    def put_scored(self, namespace: str, rows: Iterable[tuple[str, str, float | None]]) -> None:
        """Store (source, target, confidence) rows in one transaction; keys are overwritten."""
        values = [(cache_key(namespace, s), namespace, s, t, c) for s, t, c in rows]
        if not values:
            return
        with self._lock:
            try:
                with self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO translations"
                        " (key, namespace, source, target, score) VALUES (?, ?, ?, ?, ?)",
                        values,
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
    ``translate_stream_scored`` or ``translate_stream`` method
    (:meth:`toolkit.translation.translator.Translator.translate_stream_scored`) decides its own
    batches;
    any other gets ``chunk_sentences`` misses per call.
    Where each translation came from is returned per sentence (:meth:`translate_detailed`;
    the build counts those); ``stored`` counts the distinct translations written to the
    cache (what an interrupted build keeps).
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
        self.stored = 0

    def translate(self, sentences: Iterable[str], progress: ProgressFn | None = None) -> list[str]:
        """Same contract as SentenceTranslator.translate."""
        return self.translate_with_origins(sentences, progress)[0]

    def with_options(self, options: DecodeOptions) -> CachedTranslator | None:
        """This translator decoding with ``options`` (a repair attempt), cached under its own
        namespace (the options are part of the key); None if the inner translator cannot
        take decoding options."""
        if not accepts_options(self.inner):
            return None
        namespace = hashlib.sha256(f"{self.namespace}\0{options.key()}".encode()).hexdigest()
        return CachedTranslator(
            WithOptions(self.inner, options),
            self.cache,
            namespace,
            chunk_sentences=self.chunk_sentences,
        )

    def translate_with_origins(
        self, sentences: Iterable[str], progress: ProgressFn | None = None
    ) -> tuple[list[str], list[CacheOrigin]]:
        """Translations plus, per sentence, where each came from: model, cache, or none (blank).

        The origins map onto ``toolkit.schema.Segment.origin``. Any iterable of ``str`` is
        read once; a bare ``str`` or a non-text item raises :class:`TypeError`.
        """
        texts, origins, _ = self.translate_detailed(sentences, progress)
        return texts, origins

    def translate_detailed(
        self,
        sentences: Iterable[str],
        progress: ProgressFn | None = None,
        feed: Feed | None = None,
    ) -> tuple[list[str], list[CacheOrigin], list[float | None]]:
        """Translations, their origins and their confidences (None where the inner translator
        gives none). When the inner translator scores, a cached row without a score (written
        before scores were stored) is a miss: the confidence must not depend on the cache.

        With ``feed`` the sentences it adds while this runs (looked up here first) are
        translated in the same call, and one result per ``feed.added`` follows the
        ``sentences``' own."""
        sentences = sentence_list(sentences)
        scoring = getattr(self.inner, "translate_scored", None) is not None
        wanted = list(dict.fromkeys(s for s in sentences if s.strip()))
        hits = self._lookup(wanted, scoring)
        misses = [s for s in wanted if s not in hits]
        occurrences = Counter(sentences)
        # Everything not sent to the model is finished now.
        done = len(sentences) - sum(occurrences[s] for s in misses)
        if feed is not None:
            feed.lookup = lambda found: self._lookup(found, scoring)
            feed.start(wanted)
            if hits:
                done += feed.finished(list(hits), [text for text, _ in hits.values()])
        if progress is not None and done:
            progress(done)
        from toolkit.translation.feed import inner_stream

        fresh: dict[str, tuple[str, float | None]] = {}
        stream = inner_stream(self.inner, misses, scoring, self.chunk_sentences, feed)
        for chunk, outputs, confidences in stream:
            if len(outputs) != len(chunk) or len(confidences) != len(chunk):
                raise RuntimeError(
                    f"translator returned {len(outputs)} results for {len(chunk)} sentences"
                )
            rows = list(zip(chunk, outputs, confidences, strict=True))
            # A signal here would roll back a batch that is already decoded: hold it.
            with deferred_interrupts():
                _put_scored(self.cache, self.namespace, rows)
                self.stored += len(rows)
            fresh.update((s, (t, c)) for s, t, c in rows)
            added = feed.finished(chunk, outputs) if feed is not None else 0
            if progress is not None:
                sent = feed.sent if feed is not None else ()
                progress(sum(occurrences[s] + (s in sent) for s in chunk) + added)
            checkpoint("translate.chunk")  # test hook: this batch is in the cache now
        if feed is not None:
            hits.update(feed.found)
            sentences = [*sentences, *feed.added]
        return _assemble(sentences, fresh, hits)

    def _lookup(self, sentences: list[str], scoring: bool) -> dict[str, tuple[str, float | None]]:
        """The cache's rows for ``sentences``; without a score, none when the inner
        translator scores (the confidence must not depend on the cache)."""
        hits = _get_scored(self.cache, self.namespace, sentences) if sentences else {}
        if scoring:
            hits = {s: hit for s, hit in hits.items() if hit[1] is not None}
        return hits


class WithOptions:
    """A scoring translator bound to one set of
    :class:`~toolkit.config.translation.DecodeOptions`."""

    def __init__(self, inner: SentenceTranslator, options: DecodeOptions) -> None:
        self.inner = inner
        self.options = options

    def translate(self, sentences: list[str], progress: ProgressFn | None = None) -> list[str]:
        return self.translate_scored(sentences, progress)[0]

    def translate_scored(self, sentences: list[str], progress: ProgressFn | None = None) -> Scored:
        scored = self.inner.translate_scored  # type: ignore[attr-defined]
        result: Scored = scored(sentences, progress, options=self.options)
        return result


def _assemble(
    sentences: list[str],
    fresh: dict[str, tuple[str, float | None]],
    hits: dict[str, tuple[str, float | None]],
) -> tuple[list[str], list[CacheOrigin], list[float | None]]:
    """Per sentence its translation, origin (model, cache, or none: blank) and confidence."""
    texts: list[str] = []
    origins: list[CacheOrigin] = []
    scores: list[float | None] = []
    for s in sentences:
        if s in fresh:
            texts.append(fresh[s][0])
            scores.append(fresh[s][1])
            origins.append("machine")
        elif s in hits:
            texts.append(hits[s][0])
            scores.append(hits[s][1])
            origins.append("cache")
        else:
            texts.append("")
            scores.append(None)
            origins.append("none")
    return texts, origins, scores


def _get_scored(
    cache: Cache, namespace: str, sources: list[str]
) -> dict[str, tuple[str, float | None]]:
    """The cache's scored lookup, or its plain one with no scores (caches from tests)."""
    get = getattr(cache, "get_scored", None)
    if get is not None:
        return dict(get(namespace, sources))
    return {s: (t, None) for s, t in cache.get_many(namespace, sources).items()}


def _put_scored(cache: Cache, namespace: str, rows: list[tuple[str, str, float | None]]) -> None:
    put = getattr(cache, "put_scored", None)
    if put is not None:
        put(namespace, rows)
    else:
        cache.put_many(namespace, [(s, t) for s, t, _ in rows])
