"""py3langid's model read from a decompressed copy in the user cache: the same identifier as
py3langid's own loader gives, and a copy that is corrupt, stale or cannot be written is never
used (toolkit/prepare/langid_model.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

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
