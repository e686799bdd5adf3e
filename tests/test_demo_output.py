"""``python -m toolkit.demo`` prints through stdout's one owner, and its model line says only
what is true (attack findings, session 8: ``demo | head -1`` was a BrokenPipeError
traceback, ``>&-`` an AttributeError, ``> /dev/full`` an OSError; with a model installed in
the same run the line still named it, and it claimed which articles wait before the build
had said so)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fakes import ROOT


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The shipped corpus in a fresh directory, no models, the index a closed local port."""
    shutil.copytree(ROOT / "corpus" / "original", tmp_path / "corpus" / "original")
    shutil.copytree(ROOT / "corpus" / "english", tmp_path / "corpus" / "english")
    shutil.copy(ROOT / "corpus" / "manifest.jsonl", tmp_path / "corpus" / "manifest.jsonl")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    env = dict(os.environ, PYTHONPATH=str(ROOT), ARGOS_PACKAGE_INDEX="http://127.0.0.1:9/")
    for name in ("ARGOS_PACKAGES_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env[name] = str(tmp_path / name.lower())
    return tmp_path, env


def _demo(
    clone: tuple[Path, dict[str, str]], stdout: int | None, redirect: str = ""
) -> subprocess.CompletedProcess[bytes]:
    where, env = clone
    command = f"exec {sys.executable} -m toolkit.demo {redirect}"
    return subprocess.run(
        ["sh", "-c", command],
        cwd=where,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=300,
        check=False,
    )


def _one_error(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text and "Exception ignored" not in text, text
    assert text.count("toolkit: error:") == 1, text
    return text


def test_a_reader_gone_before_the_first_line_is_one_line_and_exit_141(
    clone: tuple[Path, dict[str, str]],
) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = _demo(clone, write)
    finally:
        os.close(write)
    assert done.returncode == 141, done.stderr
    assert "standard output was closed after 0 bytes" in _one_error(done.stderr)


@pytest.mark.parametrize(
    ("redirect", "says"),
    [(">/dev/full", "cannot write"), (">&-", "standard output is closed")],
)
def test_a_full_or_closed_stdout_is_one_line_and_exit_1(
    clone: tuple[Path, dict[str, str]], redirect: str, says: str
) -> None:
    done = _demo(clone, None, redirect)
    assert done.returncode == 1, done.stderr
    assert says in _one_error(done.stderr)


def test_the_model_line_never_names_a_model_just_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    import toolkit.translation.install as install
    import toolkit.translation.installed as installed
    from toolkit.demo import install_models
    from toolkit.translation.packages import PackageError

    def find(source: str, target: str, directory: object = None) -> None:
        raise PackageError("not installed")

    def from_index(source: str, target: str) -> SimpleNamespace:
        if source == "nl":
            raise PackageError("the index has no nl→en package")
        return SimpleNamespace(name="de_en", package_version="1.0", label="de_en 1.0",
                               from_code="de", to_code="en")

    monkeypatch.setattr(installed, "find_package", find)
    monkeypatch.setattr(install, "install_from_index", from_index)
    lines: list[str] = []
    install_models(lines.append)
    assert lines == [
        "installed de_en 1.0 (de→en)",
        "models nl→en: the index has no nl→en package",
    ]


def _install_with(
    monkeypatch: pytest.MonkeyPatch, find: Callable[..., object], from_index: Callable[..., object]
) -> list[str]:
    import toolkit.translation.install as install
    import toolkit.translation.installed as installed
    from toolkit.demo import install_models

    monkeypatch.setattr(installed, "find_package", find)
    monkeypatch.setattr(install, "install_from_index", from_index)
    lines: list[str] = []
    install_models(lines.append)
    return lines


def test_one_pairs_install_error_is_that_pairs_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """de→en's error ("the index has no de→en package") was said of nl→en too, and nl→en
    was never tried."""
    from types import SimpleNamespace

    from toolkit.translation.packages import PackageError

    def find(source: str, target: str, directory: object = None) -> None:
        raise PackageError("not installed")

    def from_index(source: str, target: str) -> SimpleNamespace:
        if source == "de":
            raise PackageError("the index has no de→en package")
        return SimpleNamespace(label="nl_en 1.0", from_code="nl", to_code="en")

    assert _install_with(monkeypatch, find, from_index) == [
        "models de→en: the index has no de→en package",
        "installed nl_en 1.0 (nl→en)",
    ]


def test_a_pair_installed_but_refused_is_not_installed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo counted a tied pair (two folders of its version) as missing and installed a
    third copy, which ties all the same; ``models install --if-missing`` does not. Both ask
    installed.installed_or_refused now."""
    from types import SimpleNamespace

    from toolkit.translation.installed import TiedPackagesError

    tried: list[str] = []
    tie = TiedPackagesError("de→en 1.0 is installed 2 times, in 'a' and 'b'; move one out")

    def find(source: str, target: str, directory: object = None) -> SimpleNamespace:
        if source == "de":
            raise tie
        return SimpleNamespace(label="nl_en 1.0")

    def from_index(source: str, target: str) -> None:
        tried.append(source)

    assert _install_with(monkeypatch, find, from_index) == [f"models de→en: {tie}"]
    assert tried == []
