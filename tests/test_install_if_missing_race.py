"""`models install --if-missing` run while another install of the pair is under way: it
looked for the pair before taking the install lock, so three runs at once (--file de 1.0,
another de 1.0, de 1.1) all found it missing and all installed (the second copy replaced
the first, 1.1 was added). The check is now made under the lock."""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_model_folder_swap import other_copy
from test_packages import rewrite_zip

from toolkit import _faults
from toolkit.cli.models import _install_file
from toolkit.config.translation import InstallLimits
from toolkit.translation import install
from toolkit.translation.installed import scan_installed

HANG = 300
"""Seconds before a wait that should never be that long fails the test (not a speed limit)."""


def version_of(package_file: Path, version: str, out: Path) -> Path:
    """``package_file``'s package as ``version``, in the folder Argos names for it."""
    with zipfile.ZipFile(package_file) as zf:
        meta = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("metadata.json"))))
    meta["package_version"] = version
    top = f"translate-de_en-{version.replace('.', '_')}"
    return rewrite_zip(
        package_file, out, replace={"metadata.json": json.dumps(meta).encode()}, top=top
    )


@pytest.mark.parametrize("second", ["another 1.0", "1.1"])
def test_if_missing_waiting_for_another_install_of_its_pair_installs_nothing(
    second: str,
    tiny_package_file: Path,
    tiny_nl_package_file: Path,
    tmp_path: Path,
    monkeypatch: Any,
    capsys: Any,
) -> None:
    root = tmp_path / "packages"
    if second == "1.1":
        other = version_of(tiny_package_file, "1.1", tmp_path / "v11.argosmodel")
    else:
        other = other_copy(tiny_package_file, tiny_nl_package_file, tmp_path / "b.argosmodel")
    checked, release, waiting = threading.Event(), threading.Event(), threading.Event()

    def hook(name: str) -> None:  # the first install waits, checked, before its rename
        if name == "install.checked" and not checked.is_set():
            checked.set()
            release.wait(HANG)

    lock = install._install_lock

    def announced_lock(where: Path) -> Any:  # the second run has reached the lock
        if checked.is_set():
            waiting.set()
        return lock(where)

    monkeypatch.setattr(install, "_install_lock", announced_lock)
    _faults.set_hook(hook)
    try:
        first = threading.Thread(
            target=_install_file, args=(tiny_package_file, root, InstallLimits(), [])
        )
        first.start()
        assert checked.wait(HANG), "the first install never reached its check"
        late = threading.Thread(target=_install_file, args=(other, root, InstallLimits(), []))
        late.start()
        assert waiting.wait(HANG), "the second install never reached the lock"
        release.set()
        first.join()
        late.join()
    finally:
        _faults.set_hook(None)
    packages, broken = scan_installed(root)
    assert not broken
    weights = install.install_from_file(tiny_package_file, tmp_path / "alone").model_sha256
    assert [(p.path.name, p.package_version, p.model_sha256) for p in packages] == [
        ("translate-de_en-1_0", "1.0", weights)
    ]
    assert "de→en: already installed (translate-de_en 1.0)" in capsys.readouterr().out
