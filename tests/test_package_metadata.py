"""What a package's metadata.json may say, and what installing it may touch: the folder a
package goes to follows from its metadata, and installing never removes another pair."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_packages import installed_state, rewrite_zip, top_of

from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageError, find_package, list_installed


def test_a_package_whose_folder_names_another_pair_is_refused(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """An nl→en file whose folder is `translate-de_en-1_0` replaced the installed de→en
    model ('installed translate-nl_en 1.0 (nl→en) in .../translate-de_en-1_0')."""
    root = tmp_path / "packages"
    german = install_from_file(tiny_package_file, root)
    before = installed_state(german.path)
    posing = rewrite_zip(
        tiny_nl_package_file, tmp_path / "nl.argosmodel", top=top_of(tiny_package_file)
    )
    with pytest.raises(PackageError, match="names another language pair than its metadata"):
        install_from_file(posing, root)
    assert find_package("de", "en", root).path == german.path
    assert installed_state(german.path) == before


def test_installing_never_removes_a_package_of_another_pair(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """Folder names that are not Argos's own (`my-model`) are kept as they are; an nl→en
    package in the folder of the installed de→en one is refused, not swapped in."""
    root = tmp_path / "packages"
    german = install_from_file(rewrite_zip(tiny_package_file, tmp_path / "a", top="my-model"), root)
    before = installed_state(german.path)
    dutch = rewrite_zip(tiny_nl_package_file, tmp_path / "b", top="my-model")
    with pytest.raises(PackageError) as refused:
        install_from_file(dutch, root)
    assert "would replace the de→en package" in str(refused.value)
    assert "\n" not in str(refused.value)
    assert [(p.from_code, p.to_code) for p in list_installed(root)] == [("de", "en")]
    assert installed_state(german.path) == before
    # The same pair in that folder is an upgrade, as before.
    assert install_from_file(tmp_path / "a", root).path == german.path


HOSTILE_METADATA = {
    "a version of 500,000 digits": b'{"from_code":"de","to_code":"en","package_version":"1.'
    + b"9" * 500_000
    + b'"}',
    "an integer of 500,000 digits": b'{"from_code":"de","to_code":"en","package_version":'
    + b"9" * 500_000
    + b"}",
    "nesting 100,000 deep": b'{"from_code":"de","to_code":"en","x":'
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
    "a version that is a list": b'{"from_code":"de","to_code":"en","package_version":[1]}',
    "a version that is NaN": b'{"from_code":"de","to_code":"en","package_version":NaN}',
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_METADATA))
def test_hostile_metadata_is_one_line_at_install_and_at_read(
    tiny_package_file: Path, tmp_path: Path, kind: str
) -> None:
    """A 500,000-digit version installed, then `models list`, `translate` and `status` died
    with ValueError (Python's 4,300-digit limit); metadata nested 100,000 deep was a
    RecursionError traceback at install. Both are one line, at install and for a package
    already installed."""
    data = HOSTILE_METADATA[kind]
    replace = {"metadata.json": data}
    hostile = rewrite_zip(tiny_package_file, tmp_path / "h.argosmodel", replace=replace)
    root = tmp_path / "packages"
    with pytest.raises(PackageError) as refused:
        install_from_file(hostile, root)
    assert "metadata.json" in str(refused.value) and "\n" not in str(refused.value)
    assert list_installed(root) == []
    installed = install_from_file(tiny_package_file, root)
    (installed.path / "metadata.json").write_bytes(data)
    with pytest.raises(PackageError) as unreadable:
        list_installed(root)
    message = str(unreadable.value)
    assert "metadata.json" in message and str(installed.path) in message and "\n" not in message
