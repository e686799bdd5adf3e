"""py3langid's model read from a decompressed copy in the user cache: the same identifier as
py3langid's own loader gives, and a copy that is corrupt, stale or cannot be written is never
used (toolkit/prepare/langid_model.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from support.threads import returns_within

from toolkit.prepare import langid_model

TEXTS = [
    "Der Bundeskanzler sprach am Montag in Wien über die Lage.",
    "De minister sprak maandag in Den Haag over de begroting.",
    "The minister spoke on Monday about the budget.",
    "ok",
]


@pytest.fixture(scope="module")
def reference() -> Any:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def assert_same(found: Any, reference: Any) -> None:
    """Every attribute py3langid classifies with, in the same types, and the same answers."""
    assert np.array_equal(found.nb_ptc, reference.nb_ptc)
    assert found.nb_ptc.dtype == reference.nb_ptc.dtype
    assert np.array_equal(found.nb_pc, reference.nb_pc)
    assert found.nb_classes == reference.nb_classes
    for name in ("tk_nextmove", "tk_row"):
        ours, theirs = getattr(found, name), getattr(reference, name)
        assert type(ours) is type(theirs) and ours.typecode == theirs.typecode
        assert ours == theirs
    assert found.tk_output == reference.tk_output
    for text in TEXTS:
        assert found.classify(text) == reference.classify(text)


def test_the_cached_copy_gives_py3langids_own_identifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Any
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = langid_model.load_identifier()  # writes the copy
    copies = list((tmp_path / "toolkit").glob(f"{langid_model.CACHE_PREFIX}*.npz"))
    assert len(copies) == 1
    assert_same(first, reference)
    assert_same(langid_model.load_identifier(), reference)  # read from the copy


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_copy_is_ignored_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Any, damage: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langid_model.load_identifier()
    (copy,) = (tmp_path / "toolkit").glob(f"{langid_model.CACHE_PREFIX}*.npz")
    data = bytearray(copy.read_bytes())
    if damage == "flip":  # inside the weights: only the zip member's CRC32 can tell
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) // 3]
    else:
        data = bytearray(b"not a zip file at all")
    copy.write_bytes(bytes(data))
    assert langid_model._read_copy(copy) is None
    assert_same(langid_model.load_identifier(), reference)
    assert langid_model._read_copy(copy) is not None  # rewritten


def _rewritten(
    copy: Path, name: str, change: Callable[[np.ndarray], np.ndarray], save: Any = np.savez
) -> None:
    """``copy`` written again by np.savez (valid zip, valid checksums) with array ``name``
    changed: only the arrays' own checks can tell."""
    with np.load(copy, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays[name] = change(arrays[name].copy())
    with copy.open("wb") as out:
        save(out, **arrays)


def _resets_one_state_elsewhere(nextmove: np.ndarray) -> np.ndarray:
    nextmove.reshape(-1, 256)[0, langid_model.RESET] = 1
    return nextmove


def _out_of_range(nextmove: np.ndarray) -> np.ndarray:
    nextmove[1000] = 10**6  # a state the model does not have: IndexError in every walk
    return nextmove


REWRITES = {
    "reset": ("nextmove", _resets_one_state_elsewhere),
    "state-out-of-range": ("nextmove", _out_of_range),
    "feature-out-of-range": ("out_feat", lambda out: out * 0 + 10**7),
    "uint8-rows": ("nextmove", lambda nextmove: nextmove.astype(np.uint8)),  # KeyError
    "float-rows": ("nextmove_row", lambda row: row.astype(np.float32)),
    # The same arrays, deflated: a deflated member could inflate far past the file's size.
    "deflated": ("pc", lambda pc: pc, np.savez_compressed),
}


@pytest.mark.parametrize("damage", sorted(REWRITES))
def test_a_rewritten_copy_whose_arrays_fail_a_check_is_ignored_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Any, damage: str
) -> None:
    # A copy whose byte-0xFF column was not zero made every language-id process fail with
    # "install py3langid<0.5" although 0.4.0 was installed: the copy was the problem.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langid_model.load_identifier()
    (copy,) = (tmp_path / "toolkit").glob(f"{langid_model.CACHE_PREFIX}*.npz")
    _rewritten(copy, *REWRITES[damage])
    assert langid_model._read_copy(copy) is None
    assert_same(langid_model.load_identifier(), reference)
    assert langid_model._read_copy(copy) is not None  # rewritten


def test_a_copy_whose_reset_column_is_damaged_does_not_stop_language_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh process (lru caches empty): the automaton is built from the rebuilt copy.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langid_model.load_identifier()
    (copy,) = (tmp_path / "toolkit").glob(f"{langid_model.CACHE_PREFIX}*.npz")
    _rewritten(copy, "nextmove", _resets_one_state_elsewhere)
    code = "from toolkit.prepare.langid_walk import automaton; print(automaton().depth)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "6\n", "")


def _returns(call: Callable[[], Any]) -> Any:
    """``call()``, run in a thread so that a read blocked on a FIFO fails the test instead
    of hanging the suite."""
    return returns_within(call, blocked="blocked reading the user cache (a FIFO?)")


def test_a_fifo_or_symlink_as_the_copy_is_ignored_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Any
) -> None:
    # A FIFO named like the copy blocked every language-id process for ever.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = langid_model._copy_path()
    assert copy is not None
    copy.parent.mkdir(parents=True)
    os.mkfifo(copy)
    assert _returns(lambda: langid_model._read_copy(copy)) is None
    assert_same(_returns(langid_model.load_identifier), reference)
    assert copy.is_file() and not copy.is_symlink()
    elsewhere = tmp_path / "elsewhere.npz"
    copy.rename(elsewhere)
    copy.symlink_to(elsewhere)  # a good copy, but not one the cache holds: not followed
    assert langid_model._read_copy(copy) is None
    assert_same(langid_model.load_identifier(), reference)
    assert not copy.is_symlink() and langid_model._read_copy(copy) is not None


def _depth_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = langid_model._copy_path()
    assert copy is not None
    copy.parent.mkdir(parents=True)
    return copy.with_name(copy.name + ".depth")


@pytest.mark.parametrize("kind", ["fifo", "symlink", "too-long", "directory"])
def test_a_depth_file_that_is_no_small_regular_file_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # A FIFO blocked every language-id process for ever; a symlink to /dev/zero (or a 4 GB
    # sparse file) was read whole. Here each would have given the good depth 6 if read.
    path = _depth_file(tmp_path, monkeypatch)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink":
        (tmp_path / "six").write_text("6", encoding="ascii")
        path.symlink_to(tmp_path / "six")
    elif kind == "too-long":  # int() ignores the spaces: bounded reading refuses it whole
        path.write_text("6" + " " * langid_model.MAX_DEPTH_BYTES, encoding="ascii")
    else:
        path.mkdir()
    computed: list[int] = []

    def compute() -> int:
        computed.append(6)
        return 6

    assert _returns(lambda: langid_model.remembered_depth(compute, lambda d: d == 6)) == 6
    assert computed == [6]
    if kind != "directory":  # a folder cannot be replaced by a file: computed every time
        assert path.is_file() and not path.is_symlink()
        assert path.read_text(encoding="ascii") == "6"
    if kind == "symlink":
        assert (tmp_path / "six").read_text(encoding="ascii") == "6"  # the target untouched


@pytest.mark.parametrize("kept", ["7", "64"])
def test_a_kept_depth_larger_than_the_least_that_walks_right_is_computed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: str
) -> None:
    # Any depth from 6 up walks the sample right; 7 was kept for good (each walk a gather
    # longer). Only the depth the sample proves least (d passes, d - 1 fails) is kept.
    path = _depth_file(tmp_path, monkeypatch)
    path.write_text(kept, encoding="ascii")
    assert langid_model.remembered_depth(lambda: 6, lambda depth: depth >= 6) == 6
    assert path.read_text(encoding="ascii") == "6"
    assert langid_model.remembered_depth(_never, lambda depth: depth >= 6) == 6


def test_without_a_writable_cache_the_wheels_model_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reference: Any
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert_same(langid_model.load_identifier(), reference)


def test_another_model_or_py3langid_version_gets_another_copy(tmp_path: Path) -> None:
    model = Path(MODEL_DIR) / MODEL_FILE
    assert langid_model.cached_copy_path(model, "0.4.0") != langid_model.cached_copy_path(
        model, "0.4.1"
    )
    other = tmp_path / "model.npz.xz"
    other.write_bytes(model.read_bytes())
    assert langid_model.cached_copy_path(other, "0.4.0") != langid_model.cached_copy_path(
        model, "0.4.0"
    )


def _never() -> int:
    raise AssertionError("computed although a kept depth was good")


def test_the_automatons_depth_is_kept_next_to_the_copy_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    computed: list[int] = []

    def compute() -> int:
        computed.append(6)
        return 6

    assert langid_model.remembered_depth(compute, lambda depth: depth == 6) == 6
    (kept,) = (tmp_path / "toolkit").glob(f"{langid_model.CACHE_PREFIX}*.npz.depth")
    assert kept.read_text(encoding="ascii") == "6" and computed == [6]
    assert langid_model.remembered_depth(_never, lambda depth: depth == 6) == 6


@pytest.mark.parametrize("content", ["5", "0", "-3", "999", "six", "\xff\xfe"])
def test_a_kept_depth_that_fails_the_walk_check_is_computed_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    copy = langid_model._copy_path()
    assert copy is not None
    copy.parent.mkdir(parents=True)
    (copy.parent / (copy.name + ".depth")).write_text(content, encoding="latin-1")
    assert langid_model.remembered_depth(lambda: 6, lambda depth: depth == 6) == 6
    assert (copy.parent / (copy.name + ".depth")).read_text(encoding="ascii") == "6"


def test_without_a_writable_cache_the_depth_is_computed_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert langid_model.remembered_depth(lambda: 6, lambda depth: True) == 6
    assert langid_model.remembered_depth(lambda: 7, lambda depth: True) == 7


def test_the_walk_check_refuses_a_depth_one_too_small_for_the_shipped_model() -> None:
    from toolkit.prepare import langid_walk

    full, auto = langid_walk.full_identifier(), langid_walk.automaton()
    assert auto.depth == langid_walk._depth(auto.nextmove, np.asarray(full.tk_row))
    assert langid_walk._walks_as_py3langid(auto, full)
    for depth in range(1, auto.depth):
        assert not langid_walk._walks_as_py3langid(auto._replace(depth=depth), full), depth
