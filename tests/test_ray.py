"""The Ray executor gives byte-identical outputs to a local build.

A local Ray (``num_cpus=2``) runs preparation as a Ray Data map and translation on an
actor pool, each actor loading the tiny real Argos package once. Skipped only when Ray is
not installed (``pip install '.[ray]'``; ``make test`` installs it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install '.[ray]'")

from toolkit.glossary.load import load_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.executor import LocalExecutor
from toolkit.pipeline.ray_executor import RayExecutor, RayProvider
from toolkit.translation.install import install_from_file
from toolkit.translation.provider import ArgosProvider

ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT.parent / "shared" / "data" / "10kGNAD-test.csv"


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory, tiny_package_file: Path, tiny_nl_package_file: Path
) -> Path:
    directory = tmp_path_factory.mktemp("ray-packages")
    install_from_file(tiny_package_file, directory)
    install_from_file(tiny_nl_package_file, directory)
    return directory


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[RayExecutor]:
    with RayExecutor(address=None, workers=2) as executor:
        yield executor


def _gnad_articles(n: int) -> list[str]:
    articles = []
    for line in GNAD.read_text(encoding="utf-8").splitlines():
        _label, _, text = line.partition(";")
        articles.append(text.strip().strip("'"))
        if len(articles) == n:
            break
    return articles


def _build_both(
    originals: dict[str, bytes], tmp_path: Path, packages: Path, ex: RayExecutor
) -> tuple[Path, Path]:
    roots = []
    glossary = load_glossary(ROOT / "glossary.yaml")
    for name in ("local", "ray"):
        root = tmp_path / name / "corpus"
        (root / "original").mkdir(parents=True)
        for file, data in originals.items():
            (root / "original" / file).write_bytes(data)
        if name == "local":
            provider = ArgosProvider(packages_dir=packages, cache_dir=root / ".cache")
            summary = build_corpus(
                root, provider=provider, glossary=glossary, executor=LocalExecutor()
            )
        else:
            provider = ex.provider(packages_dir=packages, cache_dir=root / ".cache")
            assert isinstance(provider, RayProvider)
            summary = build_corpus(root, provider=provider, glossary=glossary, executor=ex)
        assert summary.exit_code == 0, summary.lines()
        roots.append(root)
    return roots[0], roots[1]


def _assert_identical(local: Path, ray: Path) -> None:
    names = sorted(p.name for p in (local / "english").iterdir())
    assert names == sorted(p.name for p in (ray / "english").iterdir())
    for name in names:
        assert (local / "english" / name).read_bytes() == (ray / "english" / name).read_bytes(), (
            name
        )
    assert (local / "manifest.jsonl").read_bytes() == (ray / "manifest.jsonl").read_bytes()


def test_shipped_corpus_on_ray_is_byte_identical(
    tmp_path: Path, packages: Path, ray_executor: RayExecutor
) -> None:
    originals = {p.name: p.read_bytes() for p in sorted((ROOT / "corpus" / "original").iterdir())}
    local, ray = _build_both(originals, tmp_path, packages, ray_executor)
    _assert_identical(local, ray)
    assert len(list((ray / "english").glob("*.en.txt"))) == 4


@pytest.mark.skipif(not GNAD.exists(), reason="../shared/data/10kGNAD-test.csv is not present")
def test_two_hundred_gnad_articles_on_ray_are_byte_identical(
    tmp_path: Path, packages: Path, ray_executor: RayExecutor
) -> None:
    originals = {
        f"gnad_{i:04d}.txt": text.encode("utf-8") for i, text in enumerate(_gnad_articles(200))
    }
    local, ray = _build_both(originals, tmp_path, packages, ray_executor)
    _assert_identical(local, ray)
    assert len(list((ray / "english").glob("*.en.txt"))) == 200


def test_ray_build_reuses_the_shared_cache(
    tmp_path: Path, packages: Path, ray_executor: RayExecutor
) -> None:
    originals = {p.name: p.read_bytes() for p in sorted((ROOT / "corpus" / "original").iterdir())}
    local, _ = _build_both(originals, tmp_path, packages, ray_executor)
    shutil.rmtree(local / "english")
    (local / "manifest.jsonl").unlink()
    provider = ray_executor.provider(packages_dir=packages, cache_dir=local / ".cache")
    summary = build_corpus(
        local,
        provider=provider,
        executor=ray_executor,
        glossary=load_glossary(ROOT / "glossary.yaml"),
    )
    assert summary.sentences_translated == 0 and summary.sentences_cached > 0
