"""The SQLite translation cache and the caching translator."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from support.threads import returns_within

from toolkit.config.translation import TranslationSettings
from toolkit.translation.cache import CachedTranslator, CacheError, NullCache, TranslationCache
from toolkit.translation.identity import cache_namespace, model_identity
from toolkit.translation.install import install_from_file
from toolkit.translation.translator import Translator


class CountingFake:
    """A SentenceTranslator that upper-cases and records every sentence it is sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def translate(
        self, sentences: list[str], progress: Callable[[int], None] | None = None
    ) -> list[str]:
        self.sent.extend(sentences)
        return [s.upper() for s in sentences]


def test_round_trip_and_namespaces(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with TranslationCache(path) as cache:
        cache.put_many("ns1", [("Hallo", "Hello"), ("Welt", "World")])
        assert cache.get_many("ns1", ["Hallo", "Welt", "neu"]) == {
            "Hallo": "Hello",
            "Welt": "World",
        }
        assert cache.get_many("ns2", ["Hallo"]) == {}
    with TranslationCache(path) as reopened:  # persisted
        assert reopened.get_many("ns1", ["Welt"]) == {"Welt": "World"}
        assert len(reopened) == 2
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_many_keys_in_one_lookup(tmp_path: Path) -> None:
    pairs = [(f"s{i}", f"t{i}") for i in range(1234)]  # more than one SELECT chunk
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("ns", pairs)
        assert cache.get_many("ns", [s for s, _ in pairs]) == dict(pairs)


def test_second_call_sends_nothing(tmp_path: Path) -> None:
    fake = CountingFake()
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cached = CachedTranslator(fake, cache, "ns")
        sentences = ["eins", "zwei", "eins", "", "drei"]
        first = cached.translate(sentences)
        assert first == ["EINS", "ZWEI", "EINS", "", "DREI"]
        assert sorted(fake.sent) == ["drei", "eins", "zwei"]  # deduplicated, blanks skipped

        fake.sent.clear()
        second, origins = cached.translate_with_origins(sentences)
        assert second == first
        assert fake.sent == []
        assert origins == ["cache", "cache", "cache", "none", "cache"]


def test_partial_hits_and_progress(tmp_path: Path) -> None:
    fake = CountingFake()
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("ns", [("alt", "OLD")])
        cached = CachedTranslator(fake, cache, "ns", chunk_sentences=2)
        calls: list[int] = []
        out, origins = cached.translate_with_origins(["alt", "a", "b", "c", "a"], calls.append)
        assert out == ["OLD", "A", "B", "C", "A"]
        assert origins == ["cache", "machine", "machine", "machine", "machine"]
        assert fake.sent == ["a", "b", "c"]
        assert sum(calls) == 5
        assert cache.get_many("ns", ["c"]) == {"c": "C"}  # stored chunk by chunk


def test_null_cache_always_misses() -> None:
    fake = CountingFake()
    cached = CachedTranslator(fake, NullCache(), "ns")
    assert cached.translate_with_origins(["x"])[1] == ["machine"]
    assert cached.translate_with_origins(["x"])[1] == ["machine"]
    assert fake.sent == ["x", "x"]


def test_corrupt_cache_file_named(tmp_path: Path) -> None:
    path = tmp_path / "translations.sqlite"
    path.write_bytes(b"definitely not sqlite " * 100)
    with pytest.raises(CacheError) as err:
        TranslationCache(path).get_many("ns", ["x"])
    message = str(err.value)
    assert str(path) in message
    assert "delete" in message
    assert "\n" not in message


def test_real_translator_settings_change_misses(tiny_package_file: Path, tmp_path: Path) -> None:
    package = install_from_file(tiny_package_file, tmp_path / "packages")
    sentences = ["Kim Kardashian hat gesprochen.", "Die Familie feiert Weihnachten."]
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        def cached_translator(settings: TranslationSettings) -> CachedTranslator:
            namespace = cache_namespace(model_identity(package, settings))
            return CachedTranslator(Translator(package, settings), cache, namespace)

        first = cached_translator(TranslationSettings())
        out, origins = first.translate_with_origins(sentences)
        assert origins == ["machine", "machine"]
        assert first.translate_with_origins(sentences) == (out, ["cache", "cache"])

        same = cached_translator(TranslationSettings(intra_threads=2))  # speed only
        assert same.translate_with_origins(sentences)[1] == ["cache", "cache"]

        other = cached_translator(TranslationSettings(beam_size=2))
        assert other.translate_with_origins(sentences)[1] == ["machine", "machine"]


def test_cache_folder_that_is_a_plain_file_is_one_line_naming_it(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    packages = tmp_path / "packages"
    install_from_file(tiny_package_file, packages)
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "a.txt").write_text(
        "Der Rat tagte am Montag. Er sprach über die neue Brücke.\n", encoding="utf-8"
    )
    (corpus / ".cache").write_text("not a folder", encoding="utf-8")
    with pytest.raises(CacheError) as err:
        TranslationCache(corpus / ".cache" / "translations.sqlite")
    assert "\n" not in str(err.value) and "is not a directory" in str(err.value)
    result = CliRunner().invoke(cli, ["build", str(corpus), "--packages-dir", str(packages)])
    assert result.exit_code == 1
    assert result.output == (
        f"toolkit: error: {corpus}/.cache: is not a directory, but the translation cache lives "
        f"there; move it away (mv {corpus}/.cache {corpus}/.cache.old) and rerun\n"
    )
    assert (corpus / ".cache").read_text(encoding="utf-8") == "not a folder"


def test_folder_in_the_cache_files_place_is_one_line_naming_how_to_remove_it(
    tmp_path: Path,
) -> None:
    """A folder where the cache file belongs: a CacheError (one line, no traceback) whose
    command removes it (``rm -r``, as plain ``rm`` refuses a folder)."""
    (tmp_path / ".cache" / "translations.sqlite").mkdir(parents=True)
    with pytest.raises(CacheError) as err:
        TranslationCache(tmp_path / ".cache" / "translations.sqlite")
    assert str(err.value).endswith(f"rm -r {tmp_path / '.cache' / 'translations.sqlite'}")


def test_busy_or_full_cache_is_not_called_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache another process is writing, or on a full disk, is fine: the advice is to wait
    or free space (or build with --no-cache), never to delete the stored translations."""
    path = tmp_path / "translations.sqlite"
    with TranslationCache(path) as cache:
        cache.put_many("ns", [("a", "A")])
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process mid-write
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: connect(*a, **{**k, "timeout": 0.1}))
    with pytest.raises(CacheError) as err:
        TranslationCache(path).get_many("ns", ["a"])
    other.execute("ROLLBACK")
    other.close()
    assert "busy (database is locked)" in str(err.value)
    assert "rm " not in str(err.value) and "--no-cache" in str(err.value)

    with TranslationCache(path) as cache:
        pages = cache._db.execute("PRAGMA page_count").fetchone()[0]
        cache._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full"
        with pytest.raises(CacheError) as err:
            cache.put_many("ns", [(f"s{i}", "x" * 2000) for i in range(50)])
    assert "(database or disk is full); free some disk space" in str(err.value)
    assert "rm " not in str(err.value)
    with TranslationCache(path) as cache:
        assert cache.get_many("ns", ["a"]) == {"a": "A"}  # nothing was lost


@pytest.mark.parametrize("folder", ["/dev/null", "/proc"])
def test_a_cache_dir_that_cannot_hold_a_cache_is_never_told_to_move_or_remove(
    folder: str,
) -> None:
    """``--cache-dir /dev/null`` was told ``mv /dev/null /dev/null.old``, ``--cache-dir /proc``
    ``rm /proc/translations.sqlite`` (attack): the advice is another directory."""
    if not Path(folder).exists():
        pytest.skip(f"no {folder} here")
    with pytest.raises(CacheError) as err:
        TranslationCache(Path(folder) / "translations.sqlite").get_many("ns", ["a"])
    message = str(err.value)
    assert "mv " not in message and "rm " not in message, message
    assert "translate --cache-dir DIR), or --no-cache" in message


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink"])
def test_a_sqlite_sidecar_that_is_no_regular_file_is_one_line_naming_it(
    tmp_path: Path, suffix: str, kind: str
) -> None:
    # A FIFO named translations.sqlite-journal blocked the build for ever (SQLite reads it
    # looking for a hot journal); a FIFO -shm was told "delete translations.sqlite".
    cache = tmp_path / "translations.sqlite"
    with TranslationCache(cache) as first:  # closed: SQLite removes its -wal and -shm
        first.put_many("ns", [("a", "A")])
    beside = tmp_path / f"translations.sqlite{suffix}"
    beside.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(beside)
    elif kind == "directory":
        beside.mkdir()
    else:
        beside.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(CacheError) as raised:
        returns_within(
            lambda: TranslationCache(cache).close(),
            blocked="opening the cache blocked on the sidecar",
        )
    error = raised.value
    rm = "rm -r" if kind == "directory" else "rm"
    assert str(error).startswith(f"{beside}: is ") and str(error).endswith(f"{rm} {beside}")
    assert "\n" not in str(error) and cache.is_file()
