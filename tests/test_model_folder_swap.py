"""A package swapped by renaming folders while its model loads: another copy of the same
version (other weights) moved in, or a symlinked packages folder retargeted, and all put
back before the load is checked. No file of the package changed (the same inodes, times and
bytes), so the file versions let it through: the build wrote the other copy's English under
this copy's identity, and the translation cache kept it, so even a forced rebuild wrote it
again. The folders' versions (``identity.folder_versions``) now show the swap."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_model_preload import GERMAN, corpus_of
from test_model_swap import build
from test_packages import rewrite_zip

from toolkit.config.translation import TranslationSettings
from toolkit.glossary.model import Glossary
from toolkit.pipeline.build import build_corpus
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageInfo
from toolkit.translation.provider import ArgosProvider

RENAME = "import os, sys\nfor a, b in zip(sys.argv[1::2], sys.argv[2::2]): os.replace(a, b)"
RELINK = (
    "import os, sys\nnew = sys.argv[2] + '.new'\n"
    "os.symlink(sys.argv[1], new)\nos.replace(new, sys.argv[2])"
)
Swap = tuple[Any, ...]


def other_copy(de: Path, nl: Path, out: Path) -> Path:
    """``de``'s package, name and version, with ``nl``'s weights and tokenizer."""
    with zipfile.ZipFile(nl) as zf:
        parts = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    with zipfile.ZipFile(de) as zf:
        meta = next(n for n in zf.namelist() if n.endswith("metadata.json"))
        parts["metadata.json"] = zf.read(meta)
    assert json.loads(parts["metadata.json"])["package_version"] == "1.0"
    return rewrite_zip(de, out, replace=parts)


def run(script: str, *args: Path) -> None:
    """Another process does it, as a user's `mv` during the build would."""
    subprocess.run([sys.executable, "-c", script, *map(str, args)], check=True)


class SwapProvider(ArgosProvider):
    """Has another process run ``swap`` as its model starts loading and ``back`` once it
    loaded (every load, as a user who keeps swapping)."""

    def __init__(self, swap: tuple[str, ...], back: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.swap, self.back = swap, back

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> Any:
        run(*self.swap)
        try:
            return super()._load(package, settings)
        finally:
            run(*self.back)


def swaps(kind: str, tmp: Path, de: Path, nl: Path) -> tuple[Path, Swap, Swap]:
    """(packages folder, swap, back) for ``kind``: the package's folder, the packages folder,
    or the symlink that is the packages folder."""
    real, elsewhere = tmp / "packages-a", tmp / "packages-b"
    mine = install_from_file(de, real).path
    other = install_from_file(other_copy(de, nl, tmp / "other.argosmodel"), elsewhere).path
    assert mine.name == other.name
    hold = tmp / "hold"
    if kind == "package folder":
        return real, (RENAME, mine, hold, other, mine), (RENAME, mine, other, hold, mine)
    if kind == "packages folder":
        return real, (RENAME, real, hold, elsewhere, real), (RENAME, real, elsewhere, hold, real)
    link = tmp / "packages"
    link.symlink_to(real)
    return link, (RELINK, elsewhere, link), (RELINK, real, link)


@pytest.mark.parametrize("kind", ["package folder", "packages folder", "symlink"])
def test_a_package_swapped_by_renaming_folders_while_it_loads_is_caught(
    kind: str, tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    root, swap, back = swaps(kind, tmp_path, tiny_package_file, tiny_nl_package_file)
    honest = corpus_of(tmp_path / "honest", GERMAN)
    assert build(honest, ArgosProvider(packages_dir=root)).built
    corpus = corpus_of(tmp_path / "corpus", GERMAN)
    cache = corpus / ".cache"
    summary = build(corpus, SwapProvider(swap, back, packages_dir=root, cache_dir=cache))
    assert sorted(summary.errors) == ["doc0", "doc1", "doc2"], summary.lines()
    assert all("was replaced, moved or removed" in m for m in summary.errors.values())
    assert not list((corpus / "english").glob("*.meta.json"))
    # Nothing of the other copy reached the cache: a forced rebuild writes this copy's English.
    again = build_corpus(
        corpus,
        provider=ArgosProvider(packages_dir=root, cache_dir=cache),
        glossary=Glossary.empty(),
        force=True,
    )
    assert sorted(again.built) == ["doc0", "doc1", "doc2"], again.lines()
    for doc in again.built:
        english = f"english/{doc}.en.txt"
        assert (corpus / english).read_text() == (honest / english).read_text()
