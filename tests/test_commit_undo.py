"""Undoing a commit never loses bytes (session 10's reviewer and attacker): a backup that
could not be put back kept its temporary name, which the next build deletes; an output typed
into after the commit renamed it was overwritten by the undo; an exception other than an
OSError or CorpusError from the commit's check left the renames standing; a target staged
twice was checked against the build's own first bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.corpus import undo
from toolkit.corpus.writes import _TEMP_NAME, CorpusWriteError, StagedWrites
from toolkit.errors import CorpusError


def _temp_names(folder: Path) -> list[str]:
    """Names the next build's clean-up (``remove_temp_files``) would delete."""
    return [p.name for p in folder.iterdir() if _TEMP_NAME.match(p.name)]


def _two(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a\n", encoding="utf-8")
    b.write_text("old b\n", encoding="utf-8")
    return a, b


def _commit(a: Path, b: Path, verify) -> None:  # type: ignore[no-untyped-def]
    writes = StagedWrites()
    writes.write_if_changed(a, b"new a\n")
    writes.write_if_changed(b, b"new b\n")
    writes.commit(verify)


def test_an_output_typed_into_after_its_rename_is_kept_by_the_undo(tmp_path: Path) -> None:
    a, b = _two(tmp_path)

    def edit_a_then_refuse(backups: dict[Path, Path | None]) -> None:
        with a.open("a", encoding="utf-8") as out:
            out.write("MY EDIT\n")
        raise CorpusError("b.txt changed while the build ran")

    with pytest.raises(CorpusWriteError, match=r"a.txt .changed since this build wrote it"):
        _commit(a, b, edit_a_then_refuse)
    assert a.read_text(encoding="utf-8") == "new a\nMY EDIT\n"
    assert (tmp_path / "a.txt.before-build").read_text(encoding="utf-8") == "old a\n"
    assert b.read_text(encoding="utf-8") == "old b\n"
    assert _temp_names(tmp_path) == []


def test_a_backup_that_cannot_be_put_back_leaves_its_temporary_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _two(tmp_path)
    replace = os.replace

    def refuse_a(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == a:
            raise PermissionError(13, "Permission denied")
        replace(src, dst)

    def refuse(backups: dict[Path, Path | None]) -> None:
        monkeypatch.setattr(undo.os, "replace", refuse_a)
        raise CorpusError("changed while the build ran")

    with pytest.raises(CorpusWriteError, match=r"a.txt .could not be put back.*a.txt.before-build"):
        _commit(a, b, refuse)
    assert (tmp_path / "a.txt.before-build").read_text(encoding="utf-8") == "old a\n"
    assert _temp_names(tmp_path) == []  # nothing of the user's under a temporary name


def test_any_exception_from_the_check_undoes_the_renames(tmp_path: Path) -> None:
    a, b = _two(tmp_path)

    def broken(backups: dict[Path, Path | None]) -> None:
        raise RuntimeError("a bug in the check")

    with pytest.raises(RuntimeError, match="a bug"):
        _commit(a, b, broken)
    assert (a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")) == ("old a\n", "old b\n")
    assert _temp_names(tmp_path) == []


def test_a_target_staged_twice_is_checked_against_what_it_held_before_the_build(
    tmp_path: Path,
) -> None:
    a, _b = _two(tmp_path)
    seen: dict[Path, bytes] = {}

    def look(backups: dict[Path, Path | None]) -> None:
        backup = backups[a]
        assert backup is not None
        seen[a] = backup.read_bytes()

    writes = StagedWrites()
    writes.write_if_changed(a, b"first\n")
    writes.write_if_changed(a, b"second\n")
    writes.commit(look)
    assert seen[a] == b"old a\n" and a.read_bytes() == b"second\n"
