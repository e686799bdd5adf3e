"""Package messages spell a package's file and folder one way (``packages.shown_path``, by
``folder_ref``) and name each once: archive.py showed a package file by ``shown_name`` (a
typed ``\\n`` and a line break read alike), install.py by ``quoted_name``; a link's target was
printed by ``shown_name`` and recorded with the machine's path; refusals of an installed
folder repeated it in their fix; a package type was escaped twice (session 9's notes)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from toolkit.translation.archive import validate_package_file
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageError, read_installed, shaping_files, shown_path

ODD = ["it's", "a\nb", "a\\nb", "ab\u202egpj", "tab\there"]  # quote, newline, typed \n, bidi


def _refusal(call, *args) -> PackageError:
    with pytest.raises(PackageError) as refused:
        call(*args)
    return refused.value


def _zip(path: Path, metadata: dict[str, object], top: str = "translate-de_en-1_0") -> Path:
    """A package file with ``metadata`` and empty model files (only names and metadata are
    read before extracting)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps(metadata))
        zf.writestr(f"{top}/model/model.bin", b"")
        zf.writestr(f"{top}/sentencepiece.model", b"")
    return path


@pytest.mark.parametrize("name", ODD)
def test_a_package_file_is_spelled_alike_by_check_and_install(tmp_path: Path, name: str) -> None:
    """Not a zip (archive.py) and a corrupt extract's other-pair refusal (install.py) spell
    the file the same way; a typed ``\\n`` and a line break read apart."""
    path = tmp_path / f"{name}.argosmodel"
    path.write_bytes(b"not a zip")
    checked = _refusal(validate_package_file, path)
    installed = _refusal(install_from_file, path, tmp_path / "packages")
    shown = f"package file {shown_path(path)} is not a zip archive"
    assert str(checked).startswith(shown) and str(installed).startswith(shown), str(checked)
    assert "\n" not in str(checked) and "\u202e" not in str(checked)
    assert checked.recorded.startswith(f"package file {shown_path(path.name)} ")


def test_a_typed_escape_and_a_real_one_read_apart_in_a_package_files_refusal(
    tmp_path: Path,
) -> None:
    refusals = {
        name: str(_refusal(validate_package_file, tmp_path / f"{name}.argosmodel"))
        for name in ("a\nb", "a\\nb")
    }
    assert refusals["a\nb"] != refusals["a\\nb"], refusals


def test_a_non_utf8_package_file_name_is_shown_escaped(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.argosmodel"))
    path.write_bytes(b"not a zip")
    message = str(_refusal(validate_package_file, path))
    assert "caf\\udce9.argosmodel" in message, message
    message.encode("utf-8")  # no lone surrogate reaches a terminal


def test_a_package_type_is_escaped_once(tmp_path: Path) -> None:
    """``shown_name(kind)!r`` doubled every backslash of the escape."""
    metadata = {"from_code": "de", "to_code": "en", "type": "sb\x1bd"}
    message = str(_refusal(validate_package_file, _zip(tmp_path / "p.argosmodel", metadata)))
    assert "is a 'sb\\x1bd' package, not a translation model" in message, message


@pytest.mark.parametrize("name", ODD)
@pytest.mark.parametrize("case", ["no metadata.json", "no model", "a list", "a bad code"])
def test_an_installed_folder_is_named_once(tmp_path: Path, name: str, case: str) -> None:
    """The fix repeated the folder ("...; remove FOLDER and reinstall the package"); some
    metadata refusals at read said to download a file the user may never have had."""
    folder = tmp_path / "packages" / name
    folder.mkdir(parents=True)
    metadata = {"no model": {"from_code": "de", "to_code": "en"}, "a list": [],
                "a bad code": {"from_code": "d\u202ee", "to_code": "en"}}  # fmt: skip
    if case in metadata:
        (folder / "metadata.json").write_text(json.dumps(metadata[case]))
    refused = _refusal(read_installed, folder)
    assert str(refused).count(shown_path(folder)) == 1, str(refused)
    assert str(refused).endswith("; remove this folder and reinstall the package"), str(refused)
    assert refused.recorded.count(shown_path(name)) == 1, refused.recorded


def test_a_links_target_is_shown_escaped_and_recorded_by_name(tmp_path: Path) -> None:
    """It was printed by ``shown_name`` (a typed ``\\n`` as a line break's spelling) and its
    machine path went into the line a build records."""
    outside = tmp_path / "else\\nwhere" / "target.bin"
    outside.parent.mkdir()
    outside.write_bytes(b"x")
    folder = tmp_path / "packages" / "translate-de_en-1_0"
    (folder / "model").mkdir(parents=True)
    (folder / "model" / "x.bin").symlink_to(outside)
    refused = _refusal(shaping_files, folder)
    assert f"links outside the package (to {shown_path(outside)})" in str(refused), str(refused)
    assert "else\\\\nwhere" in str(refused)
    assert "(to target.bin)" in refused.recorded and str(tmp_path) not in refused.recorded
