"""The model's digest is remembered in the corpus cache: a build with nothing to do must not
read ~100 MB of weights per model, and a changed file must never keep an old digest."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from support.threads import returns_within

from toolkit.translation import hashes
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import shaping_files
from toolkit.translation.provider import ArgosProvider


class CountingSha256:
    """Stands in for ``hashlib`` in the hashes module: counts the digests computed."""

    def __init__(self) -> None:
        self.calls = 0

    def sha256(self, *args: Any) -> Any:
        self.calls += 1
        return hashlib.sha256(*args)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingSha256:
    """A fresh process's memory (nothing known) and a counting hashlib."""
    monkeypatch.setattr(hashes, "_KNOWN", {})
    counter = CountingSha256()
    monkeypatch.setattr(hashes, "hashlib", counter)
    return counter


def identity(packages: Path, cache: Path | None) -> dict[str, Any] | None:
    return ArgosProvider(packages_dir=packages, cache_dir=cache).identity("de", "en")


def test_the_digest_is_computed_once_then_read_from_the_corpus_cache(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256
) -> None:
    info = install_from_file(tiny_package_file, tmp_path / "packages")
    files = len(shaping_files(info.path))  # model.bin, config.json, vocabulary, tokenizer
    assert files >= 4
    cache = tmp_path / "corpus" / ".cache"
    first = identity(tmp_path / "packages", cache)
    assert counting.calls == files and (cache / hashes.MEMO_FILE).is_file()
    expected = hashlib.sha256((info.model_path / "model.bin").read_bytes()).hexdigest()
    assert first is not None and first["model_sha256"] == expected
    hashes._KNOWN.clear()  # a new process: only the memo file remembers
    assert identity(tmp_path / "packages", cache) == first
    assert counting.calls == files
    # --no-cache keeps no memo: the files are hashed (once per process).
    hashes._KNOWN.clear()
    assert identity(tmp_path / "packages", None) == first and counting.calls == 2 * files


def test_a_changed_model_file_is_hashed_again(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256
) -> None:
    info = install_from_file(tiny_package_file, tmp_path / "packages")
    cache = tmp_path / ".cache"
    first = identity(tmp_path / "packages", cache)
    model_bin = info.model_path / "model.bin"
    with open(model_bin, "ab") as handle:
        handle.write(b"\0")
    os.utime(model_bin, ns=(1, 1))
    hashes._KNOWN.clear()
    second = identity(tmp_path / "packages", cache)
    assert first is not None and second is not None
    assert second["model_sha256"] == hashlib.sha256(model_bin.read_bytes()).hexdigest()
    files = len(shaping_files(info.path))
    assert second["model_sha256"] != first["model_sha256"] and counting.calls == files + 1
    assert second["files_sha256"] != first["files_sha256"]
    # The memo keeps only the versions now on disk.
    memo = json.loads((cache / hashes.MEMO_FILE).read_text(encoding="utf-8"))
    assert second["model_sha256"] in [entry[5] for entry in memo["files"]]
    assert first["model_sha256"] not in [entry[5] for entry in memo["files"]]
    assert len(memo["files"]) == files


def test_a_changed_tokenizer_changes_the_identity_and_only_it_is_hashed_again(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256
) -> None:
    """The identity hashed model.bin only: a package whose sentencepiece.model changed kept
    its identity, so builds called the old English current and the translation cache served
    translations made with the old tokenizer."""
    info = install_from_file(tiny_package_file, tmp_path / "packages")
    cache = tmp_path / ".cache"
    first = identity(tmp_path / "packages", cache)
    with open(info.sp_model_path, "ab") as handle:
        handle.write(b"\0")
    hashes._KNOWN.clear()  # a new process
    second = identity(tmp_path / "packages", cache)
    assert first is not None and second is not None
    assert second["model_sha256"] == first["model_sha256"]  # the weights are the same
    assert second["files_sha256"] != first["files_sha256"]
    assert counting.calls == len(shaping_files(info.path)) + 1  # the tokenizer, again


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[]",
        b'{"files": 5}',
        b'{"version": 2, "files": [["x", 1, 2, 3, 4, "zz"], [1, 2, 3, 4, 5, 6]]}',
        b"\xff\xfe",
        b"[" * 500_000,  # nested too deep for json: RecursionError
    ],
)
def test_a_malformed_memo_is_ignored_and_rewritten(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256, content: bytes
) -> None:
    info = install_from_file(tiny_package_file, tmp_path / "packages")
    cache = tmp_path / ".cache"
    cache.mkdir()
    (cache / hashes.MEMO_FILE).write_bytes(content)
    found = identity(tmp_path / "packages", cache)
    expected = hashlib.sha256((info.model_path / "model.bin").read_bytes()).hexdigest()
    assert found is not None and found["model_sha256"] == expected
    assert json.loads((cache / hashes.MEMO_FILE).read_text(encoding="utf-8"))["files"]


def test_a_memo_entry_for_another_version_of_the_file_is_not_used(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256
) -> None:
    """A crafted memo (or one from before the file changed) naming the same path but
    another inode, mtime or size never supplies the digest."""
    info = install_from_file(tiny_package_file, tmp_path / "packages")
    model_bin = info.model_path / "model.bin"
    path, inode, mtime, ctime, size = hashes.file_key(model_bin)
    cache = tmp_path / ".cache"
    cache.mkdir()
    wrong = "0" * 64
    entries = [[path, inode + 1, mtime, ctime, size, wrong],
               [path, inode, mtime + 1, ctime, size, wrong],
               [path, inode, mtime, ctime + 1, size, wrong],
               [path, inode, mtime, ctime, size + 1, wrong]]  # fmt: skip
    memo = {"version": hashes.MEMO_VERSION, "files": entries}
    (cache / hashes.MEMO_FILE).write_text(json.dumps(memo))
    found = identity(tmp_path / "packages", cache)
    assert found is not None and found["model_sha256"] != wrong
    assert counting.calls == len(shaping_files(info.path))


def test_a_file_given_an_old_mtime_keeps_no_old_digest(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256
) -> None:
    """``cp -p`` (or ``touch -r``, an archive with fixed dates) can give a replaced model
    file the same inode, size and mtime as the one whose digest is remembered; its change
    time differs, so it is hashed again (attack finding: the old digest stayed in use)."""
    info = install_from_file(tiny_package_file, tmp_path / "packages")
    cache = tmp_path / ".cache"
    model_bin = info.model_path / "model.bin"
    first = identity(tmp_path / "packages", cache)
    stat = model_bin.stat()
    data = bytearray(model_bin.read_bytes())
    data[-1] ^= 0xFF  # same size, other weights
    with open(model_bin, "r+b") as handle:  # in place: same inode
        handle.write(data)
    os.utime(model_bin, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the old mtime back
    hashes._KNOWN.clear()
    second = identity(tmp_path / "packages", cache)
    assert first is not None and second is not None
    assert second["model_sha256"] == hashlib.sha256(bytes(data)).hexdigest()
    assert second["model_sha256"] != first["model_sha256"]


def test_the_memo_is_never_written_through_a_planted_symlink(
    tiny_package_file: Path, tmp_path: Path, counting: CountingSha256
) -> None:
    """The temporary file was a predictable name written with write_bytes, which follows a
    symlink planted there (attack finding: a file outside the corpus was overwritten)."""
    install_from_file(tiny_package_file, tmp_path / "packages")
    cache = tmp_path / ".cache"
    cache.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    for pid in range(os.getpid() - 50, os.getpid() + 50):
        (cache / f".{hashes.MEMO_FILE}.{pid}.tmp").symlink_to(victim)
    assert identity(tmp_path / "packages", cache) is not None
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert (cache / hashes.MEMO_FILE).is_file() and not (cache / hashes.MEMO_FILE).is_symlink()


def test_a_package_file_linking_outside_the_package_is_refused(tmp_path: Path) -> None:
    # A link out of the package was followed: its target's bytes became part of the model's
    # identity (a link to /proc/self/stat gave a new identity, and a full re-translation, on
    # every build). A link inside the package is the package's own file.
    from toolkit.translation.packages import PackageError

    package = tmp_path / "pkg"
    (package / "model").mkdir(parents=True)
    (package / "model" / "model.bin").write_bytes(b"weights")
    (package / "sentencepiece.model").write_bytes(b"tokenizer")
    (package / "model" / "vocab.txt").symlink_to(package / "sentencepiece.model")
    assert [rel for rel, _ in shaping_files(package)] == [
        "model/model.bin", "model/vocab.txt", "sentencepiece.model"
    ]
    (tmp_path / "outside.txt").write_text("not the package's", encoding="utf-8")
    (package / "model" / "notes").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(PackageError, match=r"model/notes links outside the package"):
        shaping_files(package)


def test_package_links_that_loop_or_live_in_a_linked_model_store(tmp_path: Path) -> None:
    # A loop made status and build crash with a traceback (resolve() raises); a model/ folder
    # that is a link to a shared store is the package's, and so is a link inside that store.
    from toolkit.translation.packages import PackageError

    store = tmp_path / "store"
    store.mkdir()
    (store / "model.bin").write_bytes(b"weights")
    (store / "alias.bin").symlink_to("model.bin")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "model").symlink_to(store)
    (package / "sentencepiece.model").write_bytes(b"tokenizer")
    assert [rel for rel, _ in shaping_files(package)] == [
        "model/alias.bin", "model/model.bin", "sentencepiece.model"
    ]
    (store / "loop").symlink_to("loop")
    with pytest.raises(PackageError, match=r"model/loop is a link that never reaches a file"):
        shaping_files(package)


SWAPPED_FOR_A_FIFO = """
import os, sys
from pathlib import Path
from toolkit.translation import identity, packages
from toolkit.translation.packages import PackageError, PackageInfo

package = Path(sys.argv[1])
listed = packages.shaping_files

def swap_after_listing(path):
    found = listed(path)
    os.remove(path / "model" / "model.bin")
    os.mkfifo(path / "model" / "model.bin")  # nobody ever writes to it
    return found

packages.shaping_files = swap_after_listing
info = PackageInfo(name="p", from_code="de", to_code="en", package_version="1", path=package)
try:
    identity.package_digest(info)
except PackageError as exc:
    print(exc)
"""


def test_a_model_file_swapped_for_a_fifo_after_listing_is_an_error_not_a_hang(
    tmp_path: Path,
) -> None:
    # shaping_files lists regular files only, but a file can change between that check and
    # the open: opening a FIFO no one writes to blocked the build forever.
    import subprocess
    import sys

    package = tmp_path / "pkg"
    (package / "model").mkdir(parents=True)
    (package / "model" / "model.bin").write_bytes(b"weights")
    (package / "sentencepiece.model").write_bytes(b"tokenizer")
    out = subprocess.run(
        [sys.executable, "-c", SWAPPED_FOR_A_FIFO, str(package)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == (
        f"{package}: model/model.bin cannot be read (a FIFO or device); reinstall the package"
    )


def test_a_fifo_in_model_is_a_package_error_not_a_hang(tmp_path: Path) -> None:
    # It was left out of the identity (status said "model changed"), and CTranslate2 then
    # blocked forever opening it: `toolkit build` hung, SIGTERM did not stop it.
    from toolkit.translation.packages import PackageError

    package = tmp_path / "pkg"
    (package / "model").mkdir(parents=True)
    (package / "model" / "model.bin").write_bytes(b"weights")
    (package / "sentencepiece.model").write_bytes(b"tokenizer")
    os.mkfifo(package / "model" / "shared_vocabulary.json")
    with pytest.raises(PackageError, match=r"model/shared_vocabulary.json is not a regular file"):
        shaping_files(package)
    os.remove(package / "model" / "shared_vocabulary.json")
    (package / "model" / "vocab.txt").symlink_to(package / "model" / "gone.txt")
    with pytest.raises(PackageError, match=r"model/vocab.txt is not a regular file"):
        shaping_files(package)
    os.remove(package / "model" / "vocab.txt")
    assert [rel for rel, _ in shaping_files(package)] == ["model/model.bin", "sentencepiece.model"]


def test_a_fifo_named_metadata_json_is_a_package_error_not_a_hang(tmp_path: Path) -> None:
    # `models list`, `status` and `build` blocked forever opening it (the build holding the
    # corpus lock; SIGTERM did not stop it) (attack finding).
    from toolkit.translation.packages import PackageError, read_installed

    package = tmp_path / "pkg"
    (package / "model").mkdir(parents=True)
    (package / "model" / "model.bin").write_bytes(b"weights")
    (package / "sentencepiece.model").write_bytes(b"tokenizer")
    os.mkfifo(package / "metadata.json")
    with pytest.raises(PackageError) as raised:
        returns_within(
            lambda: read_installed(package),
            seconds=30,
            blocked="reading the package blocked on the FIFO",
        )
    assert "unreadable metadata.json (a FIFO or device)" in str(raised.value)
