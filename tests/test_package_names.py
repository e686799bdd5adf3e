"""Packages folders and package versions named by what they are: a typed ``\\x1b`` and a
real ESC byte read apart in every line naming a packages folder, a loader's error text
carries no raw path (attack findings, session 9)."""

from __future__ import annotations

import json
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


def _with_version(root: Path, german: Path, name: str, version: str) -> Path:
    folder = root / name
    shutil.copytree(german, folder)
    metadata = json.loads((folder / "metadata.json").read_bytes())
    (folder / "metadata.json").write_text(json.dumps({**metadata, "package_version": version}))
    return folder


def test_a_version_is_keyed_as_written_and_escaped_only_when_shown(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """``"1.0\\u200b"`` (a zero-width space) and the typed text ``1.0\\u200b`` were both
    escaped when read, so they shared one version and one cache namespace; ``"1.0 "`` was
    shown as ``1.0``. The version is what metadata.json says; messages escape and quote it."""
    from toolkit.config.translation import TranslationSettings
    from toolkit.translation.identity import model_identity

    german = install_from_file(tiny_package_file, tmp_path / "packages").path
    root = tmp_path / "more"
    real, typed, spaced = (
        read_installed(_with_version(root, german, f"v{i}", version))
        for i, version in enumerate(("1.0\u200b", "1.0\\u200b", "1.0 "))
    )
    assert (real.package_version, typed.package_version) == ("1.0\u200b", "1.0\\u200b")
    keys = [model_identity(p, TranslationSettings()) for p in (real, typed)]
    assert keys[0] != keys[1]
    assert real.label == "translate-de_en '1.0\\u200b'" != typed.label
    assert typed.label == "translate-de_en '1.0\\\\u200b'"
    assert spaced.package_version == "1.0 " and spaced.label == "translate-de_en '1.0 '"
    assert read_installed(german).label == "translate-de_en 1.0"  # a plain version: as it is
    blank = read_installed(_with_version(root, german, "v3", "\u3000"))
    assert blank.package_version == "" and blank.label == "translate-de_en (no version)"
