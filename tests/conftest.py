"""Shared fixtures: tiny real Argos packages, built once per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from support.argos_package import build_argos_package

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "corpus" / "original"

# A shell starts a background job (`make test &`, nohup, some CI runners) with SIGINT ignored,
# and an ignored signal stays ignored across exec: every toolkit the tests start would then
# ignore the Ctrl-C that tests/test_interrupt.py sends, as a user's own background job should.
# The tests model a user at a terminal, so the test process takes SIGINT back; a handler set in
# Python is reset to the default in each child at exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# The toolkit keeps per-user caches in $XDG_CACHE_HOME/toolkit (the language-id model's
# decompressed copy, translate's cache): the tests, and every toolkit they start, use a
# folder of their own, removed at the end, never the user's.
_USER_CACHE = tempfile.mkdtemp(prefix="toolkit-tests-xdg-cache-")
os.environ["XDG_CACHE_HOME"] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, True)

# Likewise the Argos packages: a developer's installed models (``$ARGOS_PACKAGES_DIR`` or
# argostranslate's default folder) would make "needs model" documents translatable and
# fake-translated documents stale. Every test starts from an empty packages folder; a test
# that installs packages names its own folder.
_PACKAGES = tempfile.mkdtemp(prefix="toolkit-tests-argos-packages-")
os.environ["ARGOS_PACKAGES_DIR"] = _PACKAGES
atexit.register(shutil.rmtree, _PACKAGES, True)


def seed_texts() -> list[str]:
    """The seed articles in corpus/original (training text for the tiny packages)."""
    return [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]


@pytest.fixture(scope="session")
def tiny_package_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real de->en ``.argosmodel`` (2 layers, d_model 64) trained on the seed texts."""
    out = tmp_path_factory.mktemp("argos-packages") / "translate-de_en.argosmodel"
    return build_argos_package(out, "de", "en", seed_texts())


@pytest.fixture(scope="session")
def tiny_nl_package_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real nl->en ``.argosmodel``, different weights from the de->en one."""
    out = tmp_path_factory.mktemp("argos-packages") / "translate-nl_en.argosmodel"
    return build_argos_package(out, "nl", "en", seed_texts(), seed=1)


@pytest.fixture(scope="session")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus built with the fake translator, once per session: tests copy it
    (never change it) to get a built corpus with no model installed."""
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    root = tmp_path_factory.mktemp("template") / "corpus"
    shutil.copytree(SEED_DIR, root / "original")
    assert build_corpus(root, provider=FakeProvider()).exit_code == 0
    return root


@pytest.fixture
def fake_built_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped originals built with the fake translator (all four built), no Argos
    package installed: a corpus to edit by hand (the hand-edit tests)."""
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus" / "original", root / "original")
    assert len(build_corpus(root, provider=FakeProvider()).built) == 4
    return root
