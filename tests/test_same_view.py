"""Every command that says whether a document's English is current says it the same way,
from the same options (``status``, ``export``, the build itself).

``export`` had no ``--glossary`` / ``--no-glossary`` / ``--packages-dir``: a corpus always
built with ``--glossary OTHER`` got a "stale" warning for every exported document.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes import FakeProvider
from test_model_identity import build

from toolkit.cli.app import cli
from toolkit.config.build import BuildConfig
from toolkit.config.prepare import DecodeConfig, PrepareConfig
from toolkit.config.qa import QaConfig
from toolkit.corpus.corrections import render_corrections
from toolkit.corpus.formats import read_manifest, read_meta
from toolkit.glossary.discover import discover_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.fingerprint import recorded_fingerprint
from toolkit.pipeline.stale import OLDER_TOOLKIT, changed_settings
from toolkit.pipeline.status import corpus_status
from toolkit.prepare.inputs import prepare_config
from toolkit.translation import hashes
from toolkit.translation.install import install_from_file

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ("001_cb2e6261cd7f216a", "003_c4a4f06c737cf0af")
GERMAN = "000_de546ec99307b48e"
OTHER = "version: 1\nentries:\n  - term: Zzyzx Road\n    kind: place\n"


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two English articles, no models installed, a glossary.yaml in the corpus and
    another one (``other.yaml``) beside it."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for doc in ENGLISH:
        shutil.copy(ROOT / "corpus" / "original" / f"{doc}.txt", root / "original")
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    (tmp_path / "other.yaml").write_text(OTHER, encoding="utf-8")
    return root


def _export(corpus: Path, *options: str) -> str:
    """stderr of exporting every pair of ``corpus`` (English ones included) as TSV."""
    out = corpus.parent / "all.tsv"
    args = ["export", "--corpus", str(corpus), "--format", "tsv", "-o", str(out)]
    args += ["--include-flagged", "--include-english", *options]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stderr


@pytest.mark.parametrize("built_with", [["--glossary", "OTHER"], ["--no-glossary"]])
def test_export_checks_staleness_with_the_glossary_it_is_given(
    corpus: Path, built_with: list[str]
) -> None:
    options = [str(corpus.parent / "other.yaml") if o == "OTHER" else o for o in built_with]
    explicit = Path(options[1]) if len(options) == 2 else None
    glossary = discover_glossary(corpus, explicit, disabled=explicit is None).load()
    assert build_corpus(corpus, provider=FakeProvider(), glossary=glossary).exit_code == 0
    # Without the option: the corpus's own glossary.yaml, not what it is built with.
    assert "stale: glossary changed" in _export(corpus)
    # With the glossary it is built with: nothing is stale.
    assert "exported as last built" not in _export(corpus, *options)


def test_export_passes_its_packages_dir_to_the_staleness_check(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    seen: list[Any] = []

    def stale_documents(
        root: Path, docs: set[str], packages_dir: Any, glossary: Any, **_: Any
    ) -> dict:
        seen.append(packages_dir)
        return {}

    monkeypatch.setattr("toolkit.pipeline.status.stale_documents", stale_documents)
    _export(corpus, "--packages-dir", str(corpus.parent / "models"))
    assert seen == [corpus.parent / "models"]


def test_export_with_a_glossary_file_that_is_not_there_fails(corpus: Path) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    out = corpus.parent / "all.tsv"
    args = ["export", "--corpus", str(corpus), "--format", "tsv", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--glossary", str(corpus.parent / "typo.yaml")])
    assert result.exit_code == 1 and "typo.yaml" in result.stderr, result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "option", ["--packages-dir", "--glossary", "--no-glossary", "--max-bytes", "--encoding"]
)
def test_build_status_and_export_share_each_option(option: str) -> None:
    # One owner (the shared decorators of toolkit.cli.options): the same name, default and
    # help in every command that plans a build.
    def described(command: str) -> tuple[Any, ...]:
        (param,) = [p for p in cli.commands[command].params if option in p.opts]
        return param.name, param.default, getattr(param, "help", None)

    assert described("build") == described("status") == described("export")


# -- --max-bytes is a guard, not a setting that shapes the output -------------------------------


def _status(corpus: Path, *options: str) -> dict[str, tuple[str, str]]:
    """``toolkit status`` of ``corpus``: document -> (state, its stderr line or "")."""
    result = CliRunner().invoke(cli, ["status", str(corpus), "--format", "json", *options])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["documents"]
    return {row["document"]: (row["state"], row["message"]) for row in rows}


def _built(state: tuple[str, str]) -> bool:
    return state == ("built", "")


def test_a_corpus_always_built_with_max_bytes_is_current_for_status(corpus: Path) -> None:
    config = BuildConfig(prepare=prepare_config(max_bytes=50_000))
    assert build_corpus(corpus, provider=FakeProvider(), config=config).exit_code == 0
    # status (and export, and a plain build) plan with the default limit: nothing is stale.
    assert all(_built(state) for state in _status(corpus).values()), _status(corpus)
    assert build_corpus(corpus, provider=FakeProvider()).built == []
    # The provenance still records the limit the build read the original with.
    record = read_meta(corpus / "english" / f"{ENGLISH[0]}.meta.json")
    assert record.config is not None and record.config["prepare"]["decode"]["max_bytes"] == 50_000
    manifest = read_manifest(corpus / "manifest.jsonl")
    for doc, entry in manifest.items():  # the one invariant toolkit.pipeline.kept rests on
        meta = read_meta(corpus / "english" / f"{doc}.meta.json")
        assert recorded_fingerprint(meta, "") == entry.fingerprint


def test_a_lowered_limit_is_the_builds_error_and_status_says_it_too(corpus: Path) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    before = {p.name: p.read_bytes() for p in (corpus / "english").iterdir()}
    sizes = {doc: (corpus / "original" / f"{doc}.txt").stat().st_size for doc in ENGLISH}
    big, small = sorted(ENGLISH, key=sizes.__getitem__, reverse=True)
    limit = sizes[small]
    config = BuildConfig(prepare=prepare_config(max_bytes=limit))
    summary = build_corpus(corpus, provider=FakeProvider(), config=config)
    assert summary.exit_code == 1 and list(summary.errors) == [big], summary.lines()
    assert "over the" in summary.errors[big] and "article limit" in summary.errors[big]
    assert before == {p.name: p.read_bytes() for p in (corpus / "english").iterdir()}
    # status with the limit the build was given says the build's line (it said "built").
    given = _status(corpus, "--max-bytes", str(limit))
    assert given[big] == ("error", summary.errors[big]) and _built(given[small])
    assert all(_built(state) for state in _status(corpus).values())  # the default limit
    # export: the same question, the same options
    assert f"{big}: {summary.errors[big]}; exported" in _export(corpus, "--max-bytes", str(limit))
    assert "exported as last built" not in _export(corpus)


def test_status_names_the_setting_that_changed_and_takes_the_builds_encoding(
    corpus: Path,
) -> None:
    config = BuildConfig(prepare=prepare_config(encoding="utf-8"))
    assert build_corpus(corpus, provider=FakeProvider(), config=config).exit_code == 0
    plain = _status(corpus)
    for doc in ENGLISH:
        assert plain[doc][0] == "stale", plain
        assert plain[doc][1].startswith("stale: settings changed (prepare.decode.encoding);")
    assert all(_built(state) for state in _status(corpus, "--encoding", "UTF-8").values())
    # export: the same question, the same options
    assert "stale: settings changed (prepare.decode.encoding)" in _export(corpus)
    assert "exported as last built" not in _export(corpus, "--encoding", "utf-8")


def test_changed_settings_are_named_down_to_a_sections_fields() -> None:
    now = BuildConfig(qa=QaConfig(language_min_chars=41)).model_dump(mode="json")
    was = BuildConfig().model_dump(mode="json")
    assert changed_settings(now, was) == ["qa.language_min_chars"]
    files = {"encodings": {"a.txt": "cp1252"}}
    now = BuildConfig(prepare=PrepareConfig(decode=DecodeConfig(**files)))
    assert changed_settings(now.model_dump(mode="json"), was) == ["prepare.decode.encodings"]


def _as_an_older_toolkit_built_it(corpus: Path) -> None:
    """Rewrite the manifest's fingerprints as builds that hashed --max-bytes computed them."""
    lines = []
    for doc, entry in read_manifest(corpus / "manifest.jsonl").items():
        meta = read_meta(corpus / "english" / f"{doc}.meta.json")
        older = recorded_fingerprint(meta, "", hashing_max_bytes=True)
        assert older is not None and older != entry.fingerprint
        lines.append(entry.model_copy(update={"fingerprint": older}).model_dump_json())
    (corpus / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_corpus_of_an_older_toolkit_is_rebuilt_once_to_the_same_english(corpus: Path) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    before = {p.name: p.read_bytes() for p in (corpus / "english").iterdir()}
    _as_an_older_toolkit_built_it(corpus)
    for state in _status(corpus).values():
        assert state == ("stale", f"stale: {OLDER_TOOLKIT}; toolkit build rebuilds it"), state
    assert sorted(build_corpus(corpus, provider=FakeProvider()).built) == sorted(ENGLISH)
    assert before == {p.name: p.read_bytes() for p in (corpus / "english").iterdir()}
    assert all(_built(state) for state in _status(corpus).values())


def test_without_its_model_an_older_toolkits_english_is_kept_as_current(tmp_path: Path) -> None:
    # Only the fingerprint's layout differs: the outputs are what a build with the recorded
    # model writes, so they are kept as current (needs model, not stale: no build here could
    # ever rewrite the manifest line without the model). Anything else changed: stale.
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "original" / f"{GERMAN}.txt", root / "original")
    assert build_corpus(root, provider=FakeProvider()).built == [GERMAN]
    before = {p.name: p.read_bytes() for p in (root / "english").iterdir()}
    _as_an_older_toolkit_built_it(root)
    summary = build_corpus(root, provider=FakeProvider(("nl",)))
    assert summary.built == [] and summary.needs_model[GERMAN].endswith(
        "; the English of its last build is kept"
    )
    assert before == {p.name: p.read_bytes() for p in (root / "english").iterdir()}
    rows, _ = corpus_status(root, packages_dir=tmp_path / "no-packages")
    assert rows[0].state == "needs model"  # as the build counts it
    config = BuildConfig(qa=QaConfig(language_min_chars=41))
    summary = build_corpus(root, provider=FakeProvider(("nl",)), config=config)
    assert "kept, stale (settings changed (qa.language_min_chars); " in summary.needs_model[GERMAN]
    assert OLDER_TOOLKIT in summary.needs_model[GERMAN]


def test_export_names_a_built_document_whose_original_grew_over_the_limit(corpus: Path) -> None:
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    with (corpus / "original" / f"{ENGLISH[0]}.txt").open("r+b") as fh:
        fh.truncate(9_000_000)  # sparse: a build refuses it from its size
    warned = _export(corpus)
    assert f"{ENGLISH[0]}: original/{ENGLISH[0]}.txt: is 9.0 MB, over the 8.0 MB article" in warned
    assert "exported as last built" in warned


# -- corrections files that belong to no original ------------------------------------------------


def _stray_lines(build_lines: list[str]) -> list[str]:
    """The build's lines about corrections files, without the ``warning: `` prefix."""
    lines = [line.removeprefix("warning: ") for line in build_lines]
    return sorted(line for line in lines if "corrections/" in line)


@pytest.mark.parametrize("name", ["..", "gone", "Tab\there", ENGLISH[0].upper()])
def test_status_says_of_a_stray_corrections_file_what_the_build_says(
    corpus: Path, name: str
) -> None:
    # A corrections file whose name gives no document id ("..", a tab) was not mentioned by
    # status at all; one with no original had other words than the build's (no hint).
    assert build_corpus(corpus, provider=FakeProvider()).exit_code == 0
    (corpus / "corrections").mkdir()
    path = corpus / "corrections" / f"{name}.corrections.tsv"
    path.write_text(render_corrections([]), encoding="utf-8")
    said = _stray_lines(build_corpus(corpus, provider=FakeProvider()).lines())
    assert len(said) == 1, said
    result = CliRunner().invoke(cli, ["status", str(corpus)])
    assert result.exit_code == 0, result.output
    assert _stray_lines(result.stderr.splitlines()) == said
    report = json.loads(CliRunner().invoke(cli, ["status", str(corpus), "--format", "json"]).stdout)
    assert list(report["orphan_correction_file_problems"].values()) == said
    assert len(report["orphan_correction_files"]) == 1


# -- the model-hash memo ------------------------------------------------------------------------


@pytest.fixture
def german(tmp_path: Path, tiny_package_file: Path) -> Path:
    """The German article built with the tiny de→en package (tests/support), whose
    sentencepiece.model has since been touched: a new file version, hashed anew."""
    install_from_file(tiny_package_file, tmp_path / "packages")
    (tmp_path / "corpus" / "original").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "original" / f"{GERMAN}.txt", tmp_path / "corpus" / "original")
    assert build(tmp_path / "corpus").built == [GERMAN]
    (model,) = (tmp_path / "packages").glob("*/sentencepiece.model")
    os.utime(model, ns=(1, 1))  # the same bytes, a new mtime and ctime
    hashes._KNOWN.clear()  # what a new process knows
    return tmp_path / "corpus"


def _state(corpus: Path) -> str:
    rows, _ = corpus_status(corpus, packages_dir=corpus.parent / "packages")
    return rows[0].state


def test_status_remembers_a_model_file_it_hashed(
    german: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # status hashed a changed model file on every run until a build wrote the memo.
    assert _state(german) == "built"
    hashes._KNOWN.clear()
    with monkeypatch.context() as no_hashing:
        no_hashing.setattr(hashes, "open_regular", lambda path: pytest.fail(f"hashed {path}"))
        assert _state(german) == "built"  # every digest came from the memo status wrote


def test_status_of_a_read_only_corpus_writes_nothing_and_still_answers(
    german: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = german / ".cache" / hashes.MEMO_FILE
    before = memo.read_bytes()

    def read_only(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Read-only file system", str(path))

    monkeypatch.setattr(hashes, "atomic_write", read_only)
    assert _state(german) == "built"
    assert memo.read_bytes() == before
    # A corpus without .cache/ (never built here) gets none: status makes no folder in it.
    monkeypatch.undo()
    shutil.rmtree(german / ".cache")
    hashes._KNOWN.clear()
    assert _state(german) == "built" and not (german / ".cache").exists()


def test_status_says_why_an_original_whose_id_is_taken_is_not_built(tmp_path: Path) -> None:
    """Story.txt, story.txt and story.md share the id 'story': the build refused the two
    later ones with a line each, status called them "not built" with no reason (attack)."""
    from toolkit.pipeline.status import corpus_status

    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for name in ("Story.txt", "story.txt", "story.md"):
        (root / "original" / name).write_text(f"Die Geschichte {name} beginnt hier.\n", "utf-8")
    summary = build_corpus(root, provider=FakeProvider())
    rows, _stray = corpus_status(root, glossary=None)
    refused = {row.original: row.message for row in rows if row.state == "error"}
    assert refused == {
        rel: message for rel, message in summary.errors.items() if rel.startswith("original/")
    }
    assert len(refused) == 2 and all("same document id 'story'" in m for m in refused.values())
