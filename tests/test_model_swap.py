"""A package reinstalled, moved or removed while a build uses it: a document's recorded
model is always the model that translated it, and the build never crashes on it."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_model_preload import GERMAN, corpus_of
from test_packages import rewrite_zip

from toolkit.config.translation import TranslationSettings
from toolkit.corpus.formats import read_meta
from toolkit.glossary.model import Glossary
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status
from toolkit.translation.hashes import file_sha256
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageInfo
from toolkit.translation.provider import ArgosProvider


def same_top_upgrade(old: Path, other: Path, out: Path) -> Path:
    """Version 2.0 of ``old``'s de->en package (``other``'s weights and tokenizer) under
    ``old``'s top directory: installing it replaces ``old`` in place."""
    with zipfile.ZipFile(other) as zf:
        parts = {n.split("/", 1)[1]: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    metadata = {"from_code": "de", "to_code": "en", "package_version": "2.0"}
    parts["metadata.json"] = json.dumps(metadata).encode()
    return rewrite_zip(old, out, replace=parts)


class MidLoadProvider(ArgosProvider):
    """Runs ``during_load`` (once) just before its model loads: after the build fixed the
    model's identity, before the translator reads a file."""

    def __init__(self, during_load: Callable[[], object], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.during_load: Callable[[], object] | None = during_load

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> Any:
        if self.during_load is not None:
            self.during_load()
            self.during_load = None
        return super()._load(package, settings)


def build(corpus: Path, provider: ArgosProvider) -> Any:
    try:
        return build_corpus(corpus, provider=provider, glossary=Glossary.empty())
    finally:
        provider.close()


def test_a_package_replaced_while_it_loads_is_never_recorded_as_the_old_version(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """Reinstalled between the identity and the load (`toolkit models install --file` run
    during a build): meta.json said version 1.0 with 2.0's model_sha256 and English from
    whichever files loaded, and status called it stale. Now the pair's documents fail with
    one line and nothing of them is written; the next build records 2.0 throughout."""
    root = tmp_path / "packages"
    installed = install_from_file(tiny_package_file, root)
    new = same_top_upgrade(tiny_package_file, tiny_nl_package_file, tmp_path / "v2.argosmodel")
    corpus = corpus_of(tmp_path / "corpus", GERMAN)
    provider = MidLoadProvider(lambda: install_from_file(new, root), packages_dir=root)
    summary = build(corpus, provider)
    assert sorted(summary.errors) == ["doc0", "doc1", "doc2"], summary.lines()
    assert all("was replaced, moved or removed" in m for m in summary.errors.values())
    assert not list((corpus / "english").glob("*.meta.json"))

    again = build(corpus, ArgosProvider(packages_dir=root))
    assert sorted(again.built) == ["doc0", "doc1", "doc2"] and not again.errors
    weights = file_sha256(installed.path / "model" / "model.bin")
    for doc in again.built:
        recorded = read_meta(corpus / "english" / f"{doc}.meta.json").translation
        assert recorded is not None
        assert (recorded.package_version, recorded.model_sha256) == ("2.0", weights)
    rows, _stray = corpus_status(corpus, root, Glossary.empty())
    assert {row.state for row in rows} == {"built"}


def test_a_package_removed_while_the_build_hashes_it_is_a_missing_model(
    tiny_package_file: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Removed between being listed and being hashed: a FileNotFoundError traceback from
    hashes.file_key (exit 1). Now its documents wait for the model, as without it, with a
    line naming the package and the fix; once it is back they are translated."""
    from toolkit.translation import packages

    root = tmp_path / "packages"
    installed = install_from_file(tiny_package_file, root)
    kept = tmp_path / "kept"
    digest = packages.file_sha256

    def removed_first(path: Path) -> str:
        if not kept.exists():
            shutil.move(installed.path, kept)
        return digest(path)

    monkeypatch.setattr(packages, "file_sha256", removed_first)
    corpus = corpus_of(tmp_path / "corpus", GERMAN)
    summary = build(corpus, ArgosProvider(packages_dir=root))
    assert sorted(summary.needs_model) == ["doc0", "doc1", "doc2"], summary.lines()
    message = summary.needs_model["doc0"]
    assert "was removed or moved while this build read it" in message
    assert installed.path.name in message and "toolkit models install" in message
    assert str(tmp_path) not in message  # recorded in the manifest: no path of this machine

    monkeypatch.setattr(packages, "file_sha256", digest)
    shutil.move(kept, installed.path)
    again = build(corpus, ArgosProvider(packages_dir=root))
    assert sorted(again.built) == ["doc0", "doc1", "doc2"], again.lines()


def test_a_package_moved_after_its_model_loaded_changes_nothing(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """The check runs as the load ends, on the loading thread: a package moved away once
    its model is in memory does not fail the documents that model translates."""
    root = tmp_path / "packages"
    installed = install_from_file(tiny_package_file, root)
    provider = ArgosProvider(packages_dir=root)
    provider.preload("de", "en")
    _settings, future = provider._loading[("de", "en")]
    future.result()  # loaded and checked
    shutil.move(installed.path, tmp_path / "moved")
    translator, info = provider.translator("de", "en")
    provider.close()
    assert len(translator.translate(["Guten Morgen."])) == 1
    assert info.package_version == "1.0"


class ChangedBackProvider(ArgosProvider):
    """Its model loads while ``new`` is installed over the package, which is then installed
    again as it was (``old``) before the load is checked: the same bytes as the identity,
    read from other files."""

    def __init__(self, old: Path, new: Path, root: Path) -> None:
        super().__init__(packages_dir=root)
        self.old, self.new, self.root = old, new, root

    def _load(self, package: PackageInfo, settings: TranslationSettings) -> Any:
        install_from_file(self.new, self.root)
        try:
            return super()._load(package, settings)
        finally:
            install_from_file(self.old, self.root)


def test_a_package_changed_and_changed_back_while_it_loads_is_caught(
    tiny_package_file: Path, tiny_nl_package_file: Path, tmp_path: Path
) -> None:
    """It matters: the model loaded is the other version's (its English differs), while the
    package on disk, hashed again after the load, matches the identity. The hash check let
    it through and meta.json recorded 1.0 with 2.0's English. The files' versions (a
    reinstall gives new inodes and change times) now show it: the documents fail as for a
    package replaced while it loads, and the next build writes 1.0's English."""
    from toolkit.translation.packages import read_installed
    from toolkit.translation.translator import Translator

    root = tmp_path / "packages"
    installed = install_from_file(tiny_package_file, root)
    new = same_top_upgrade(tiny_package_file, tiny_nl_package_file, tmp_path / "v2.argosmodel")
    provider = ChangedBackProvider(tiny_package_file, new, root)
    loaded = provider._load(installed, TranslationSettings())  # what a load in the window reads
    assert read_installed(installed.path).package_version == "1.0"  # changed back
    assert loaded.translate(GERMAN) != Translator(installed).translate(GERMAN)

    corpus = corpus_of(tmp_path / "corpus", GERMAN)
    summary = build(corpus, ChangedBackProvider(tiny_package_file, new, root))
    assert sorted(summary.errors) == ["doc0", "doc1", "doc2"], summary.lines()
    assert all("was replaced, moved or removed" in m for m in summary.errors.values())
    assert not list((corpus / "english").glob("*.meta.json"))
    again = build(corpus, ArgosProvider(packages_dir=root))
    assert sorted(again.built) == ["doc0", "doc1", "doc2"] and not again.errors
    recorded = read_meta(corpus / "english" / "doc0.meta.json").translation
    assert recorded is not None and recorded.package_version == "1.0"


def test_a_provider_that_saw_its_package_change_reads_it_again_next_build(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A library caller keeps one provider across builds. Its package reinstalled (the same
    file) after the provider identified it: that build's documents fail, as for a package
    replaced while it loads; "build again" failed the same way for ever, the provider keeping
    the identity it had pinned. It now reads the package again."""
    root = tmp_path / "packages"
    install_from_file(tiny_package_file, root)
    provider = ArgosProvider(packages_dir=root)
    assert provider.identity("de", "en") is not None
    install_from_file(tiny_package_file, root)  # new files, the same bytes
    corpus = corpus_of(tmp_path / "corpus", GERMAN)
    try:
        first = build_corpus(corpus, provider=provider, glossary=Glossary.empty())
        assert sorted(first.errors) == ["doc0", "doc1", "doc2"], first.lines()
        again = build_corpus(corpus, provider=provider, glossary=Glossary.empty())
    finally:
        provider.close()
    assert sorted(again.built) == ["doc0", "doc1", "doc2"] and not again.errors
