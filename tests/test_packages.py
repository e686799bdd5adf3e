"""Installing, listing, finding and validating Argos packages (real tiny packages, no network)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.packages import (
    IndexUnreachableError,
    ModelMissingError,
    PackageError,
    find_package,
    install_from_file,
    install_from_index,
    list_installed,
    packages_dir,
)


def rewrite_zip(
    source: Path,
    target: Path,
    *,
    drop: str | None = None,
    replace: dict[str, bytes] | None = None,
    top: str | None = None,
) -> Path:
    """Copy an .argosmodel: leave out members containing ``drop``, replace members by name
    suffix, and optionally rename the top directory to ``top``."""
    replace = replace or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            if drop is not None and drop in info.filename:
                continue
            data = src.read(info)
            for suffix, new in replace.items():
                if info.filename.endswith(suffix):
                    data = new
            if top is not None:
                info.filename = top + info.filename[info.filename.index("/") :]
            dst.writestr(info, data)
    return target


def test_install_list_find(tiny_package_file: Path, tmp_path: Path) -> None:
    info = install_from_file(tiny_package_file, tmp_path)
    assert (info.from_code, info.to_code, info.package_version) == ("de", "en", "1.0")
    assert info.path.parent == tmp_path
    assert info.model_path.joinpath("model.bin").is_file()
    assert info.sp_model_path.is_file()
    assert list_installed(tmp_path) == [info]
    assert find_package("de", "en", tmp_path) == info


def test_installed_by_argostranslate_in_its_layout(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argostranslate.package as argos_package
    from argostranslate import settings

    calls: list[Path] = []
    real = argos_package.install_from_path

    def spy(path: Path) -> None:
        calls.append(Path(path))
        assert Path(settings.package_data_dir) == tmp_path  # extracting into our directory
        real(path)

    monkeypatch.setattr(argos_package, "install_from_path", spy)
    translate_loaded = "argostranslate.translate" in sys.modules
    saved_dir = settings.package_data_dir

    install_from_file(tiny_package_file, tmp_path)

    assert calls == [tiny_package_file]
    assert settings.package_data_dir == saved_dir
    assert ("argostranslate.translate" in sys.modules) == translate_loaded
    seen = argos_package.get_installed_packages([tmp_path])
    assert [(p.from_code, p.to_code) for p in seen] == [("de", "en")]


def test_list_installed_reads_env(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_from_file(tiny_package_file, tmp_path / "env")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "env"))
    assert packages_dir() == tmp_path / "env"
    assert [p.from_code for p in list_installed()] == ["de"]
    assert packages_dir(tmp_path / "explicit") == tmp_path / "explicit"  # explicit wins
    assert list_installed(tmp_path / "explicit") == []


def test_two_pairs_and_newest_version_wins(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    install_from_file(tiny_package_file, tmp_path)
    install_from_file(tiny_nl_package_file, tmp_path)
    metadata = {"from_code": "de", "to_code": "en", "package_version": "1.10"}
    newer = rewrite_zip(
        tiny_package_file,
        tmp_path / "newer.argosmodel",
        replace={"metadata.json": json.dumps(metadata).encode()},
        top="translate-de_en-1_10",
    )
    install_from_file(newer, tmp_path)
    assert {(p.from_code, p.package_version) for p in list_installed(tmp_path)} == {
        ("de", "1.0"),
        ("de", "1.10"),
        ("nl", "1.0"),
    }
    assert find_package("de", "en", tmp_path).package_version == "1.10"
    assert find_package("nl", "en", tmp_path).from_code == "nl"


def test_missing_model_message_has_install_command(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError) as err:
        find_package("de", "en", tmp_path)
    message = str(err.value)
    assert "\n" not in message
    assert "`toolkit models install de en`" in message
    assert "`toolkit models install --file PATH.argosmodel`" in message


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("bad_zip", "not a zip"),
        ("no_model", "model/model.bin"),
        ("no_sentencepiece", "sentencepiece.model"),
        ("no_metadata", "metadata.json"),
        ("metadata_not_json", "metadata.json"),
        ("metadata_without_codes", "from_code"),
        ("truncated", ""),
    ],
)
def test_corrupt_package_files_rejected_before_install(
    tiny_package_file: Path, tmp_path: Path, case: str, expected: str
) -> None:
    bad = tmp_path / f"{case}.argosmodel"
    if case == "bad_zip":
        bad.write_bytes(b"this is not a zip archive")
    elif case == "no_model":
        rewrite_zip(tiny_package_file, bad, drop="/model/")
    elif case == "no_sentencepiece":
        rewrite_zip(tiny_package_file, bad, drop="sentencepiece.model")
    elif case == "no_metadata":
        rewrite_zip(tiny_package_file, bad, drop="metadata.json")
    elif case == "metadata_not_json":
        rewrite_zip(tiny_package_file, bad, replace={"metadata.json": b"{not json"})
    elif case == "metadata_without_codes":
        rewrite_zip(tiny_package_file, bad, replace={"metadata.json": b'{"to_code": "en"}'})
    elif case == "truncated":
        data = tiny_package_file.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    target = tmp_path / "packages"
    with pytest.raises(PackageError) as err:
        install_from_file(bad, target)
    message = str(err.value)
    assert str(bad) in message
    assert expected in message
    assert "\n" not in message
    assert not target.exists() or not any(target.iterdir())


def test_corrupt_installed_package_named(tiny_package_file: Path, tmp_path: Path) -> None:
    info = install_from_file(tiny_package_file, tmp_path)
    (info.model_path / "model.bin").unlink()
    with pytest.raises(PackageError, match=re.escape(str(info.path))):
        list_installed(tmp_path)
    (info.path / "metadata.json").write_text("[1, 2]")
    with pytest.raises(PackageError, match=r"metadata\.json"):
        find_package("de", "en", tmp_path)


def test_model_sha256_tracks_file_changes(tiny_package_file: Path, tmp_path: Path) -> None:
    info = install_from_file(tiny_package_file, tmp_path)
    model_bin = info.model_path / "model.bin"
    assert info.model_sha256 == hashlib.sha256(model_bin.read_bytes()).hexdigest()
    with open(model_bin, "ab") as handle:
        handle.write(b"\0")
    os.utime(model_bin, ns=(1, 1))  # a different mtime even on coarse filesystems
    assert info.model_sha256 == hashlib.sha256(model_bin.read_bytes()).hexdigest()


def test_install_from_index_offline_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argostranslate import settings

    # A closed local port: fails at once, with or without a network.
    monkeypatch.setattr(settings, "remote_package_index", "http://127.0.0.1:9/index.json")
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "index.json")
    with pytest.raises(IndexUnreachableError) as err:
        install_from_index("de", "en", tmp_path / "packages")
    message = str(err.value)
    assert "\n" not in message
    assert "toolkit models install --file" in message
