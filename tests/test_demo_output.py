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

    def find(source: str, target: str) -> None:
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
