"""A package whose metadata.json gives no version: shown as having none and keyed by what it
is -- it was read as version "0": shown so, and keyed as a package of version "0" is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.config.translation import TranslationSettings
from toolkit.translation.identity import cache_namespace, model_identity
from toolkit.translation.installed import find_package
from toolkit.translation.packages import read_installed


def _package(root: Path, folder: str, metadata: dict[str, object]) -> Path:
    """A package folder whose files only need to exist (nothing translates with it)."""
    path = root / folder
    (path / "model").mkdir(parents=True)
    (path / "model" / "model.bin").write_bytes(b"weights")
    (path / "sentencepiece.model").write_bytes(b"pieces")
    (path / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return path


@pytest.mark.parametrize("given", [{}, {"package_version": None}, {"package_version": ""},
                                   {"package_version": " \t"}])  # fmt: skip
def test_a_package_without_a_version_has_none(tmp_path: Path, given: dict[str, object]) -> None:
    root = tmp_path / "packages"
    _package(root, "translate-de_en", {"from_code": "de", "to_code": "en", **given})
    package = find_package("de", "en", root)
    assert package.package_version == ""
    assert getattr(package, "label", None) == "translate-de_en (no version)"
    result = CliRunner().invoke(cli, ["models", "install", "--if-missing", "de", "en",
                                      "--packages-dir", str(root)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "already installed (translate-de_en (no version))" in result.output
    rows = CliRunner().invoke(cli, ["models", "list", "--packages-dir", str(root)]).stdout
    assert rows.splitlines()[1].split("\t")[:4] == ["de", "en", "(no version)", "yes"]


def test_no_version_and_version_0_are_two_model_identities(tmp_path: Path) -> None:
    settings = TranslationSettings()
    none = read_installed(_package(tmp_path, "translate-de_en", {"from_code": "de",
                                                                 "to_code": "en"}))
    zero = read_installed(_package(tmp_path, "translate-de_en-0", {
        "from_code": "de", "to_code": "en", "package_version": "0"}))
    assert (none.package_version, zero.package_version) == ("", "0")
    assert model_identity(none, settings)["package_version"] == ""
    namespaces = {cache_namespace(model_identity(p, settings)) for p in (none, zero)}
    assert len(namespaces) == 2


@pytest.mark.parametrize("version", [0, 1.10, [1], {"v": 1}, True])
def test_a_version_that_is_no_string_is_refused_alike(tmp_path: Path, version: object) -> None:
    """An integer 0 was taken as version "0" (and 1.10 as "1.1": JSON keeps no float's
    spelling) while a list, an object or true was refused as "must be a string": one rule
    now, every non-string refused, saying how to write it."""
    from toolkit.translation.packages import PackageError

    _package(tmp_path, "translate-de_en", {"from_code": "de", "to_code": "en",
                                           "package_version": version})  # fmt: skip
    with pytest.raises(PackageError) as refused:
        read_installed(tmp_path / "translate-de_en")
    assert "metadata.json 'package_version' must be a string (\"1.0\") or absent" in str(
        refused.value)
