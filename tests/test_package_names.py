"""Packages folders and package versions named by what they are: a typed ``\\x1b`` and a
real ESC byte read apart in every line naming a packages folder, a loader's error text
carries no raw path (attack findings, session 9)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.translation.install import check_loads, install_from_file
from toolkit.translation.packages import PackageError, read_installed

TYPED = "qk\\x1b[31m"  # a backslash, x, 1, b typed in the name
REAL = "qk\x1b[31m"  # a real ESC byte


def test_models_install_and_list_tell_a_typed_escape_from_a_real_one(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    lines = {}
    for name in (TYPED, REAL):
        root = tmp_path / name
        installed = CliRunner().invoke(
            cli,
            ["models", "install", "--file", str(tiny_package_file), "--packages-dir", str(root)],
        )
        assert installed.exit_code == 0, installed.output
        listed = CliRunner().invoke(cli, ["models", "list", "--packages-dir", str(root)])
        assert listed.exit_code == 0, listed.output
        lines[name] = (installed.stdout, listed.stdout.splitlines()[1].split("\t")[-1])
    assert lines[TYPED][0] != lines[REAL][0]
    assert lines[TYPED][1] != lines[REAL][1]
    assert "qk\\\\x1b[31m" in lines[TYPED][0] and "qk\\\\x1b[31m" in lines[TYPED][1]
    assert "\x1b" not in lines[REAL][0] + lines[REAL][1]
    missing = str(tmp_path / TYPED / "x")
    empty = CliRunner().invoke(cli, ["models", "list", "--packages-dir", missing])
    assert "qk\\\\x1b[31m" in empty.stderr, empty.stderr


def test_a_package_that_does_not_load_at_install_names_no_raw_path(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """check_loads put SentencePiece's error text, the raw path in it, into its message."""
    german = install_from_file(tiny_package_file, tmp_path / "a\nb" / "packages")
    (german.path / "sentencepiece.model").write_bytes(b"not a model")
    with pytest.raises(PackageError) as refused:
        check_loads(read_installed(german.path), "package file x.argosmodel")
    assert "\n" not in str(refused.value), str(refused.value)
    assert "a\nb" not in refused.value.recorded, refused.value.recorded


def test_a_folder_of_another_pair_is_named_once(tiny_package_file: Path, tmp_path: Path) -> None:
    """check_metadata's refusal named the folder twice (a path, then quoted)."""
    german = install_from_file(tiny_package_file, tmp_path / "packages")
    other = german.path.parent / "translate-nl_en"
    shutil.move(german.path, other)
    with pytest.raises(PackageError) as refused:
        read_installed(other)
    message = str(refused.value).split(";")[0]
    assert message.count("translate-nl_en") == 1, message
