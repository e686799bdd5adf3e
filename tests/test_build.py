"""The build over the shipped corpus, with a deterministic fake translator standing in for a model.

The end-to-end build through a real Argos package lives in test_end_to_end.py; these tests pin down
the build's own logic: what is written, what is skipped, exit codes, and bad input.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeProvider

from toolkit.config.build import BuildConfig
from toolkit.corpus.formats import parse_aligned_tsv, read_manifest, read_meta
from toolkit.pipeline.build import build_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    return root


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def test_builds_all_four_seeds_with_three_files_each(corpus: Path) -> None:
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 0 and len(summary.built) == 4
    for original in (corpus / "original").iterdir():
        stem = original.stem
        for suffix in (".en.txt", ".aligned.tsv", ".meta.json"):
            assert (corpus / "english" / f"{stem}{suffix}").is_file()
        meta = read_meta(corpus / "english" / f"{stem}.meta.json")
        rows = parse_aligned_tsv(
            (corpus / "english" / f"{stem}.aligned.tsv").read_text(encoding="utf-8")
        )
        assert [r.source for r in rows] == [s.source for s in meta.segments]
        assert meta.input.sha256 and meta.input.encoding == "utf-8"
        if meta.language.language == "en":
            assert all(s.origin == "source" for s in meta.segments)
            assert meta.translation is None
        else:
            assert all(r.english.startswith("[en] ") for r in rows)
            assert meta.translation and meta.translation.package == f"fake-{meta.language.language}"
    manifest = read_manifest(corpus / "manifest.jsonl")
    assert sorted(e.language for e in manifest.values()) == ["de", "en", "en", "nl"]


def test_english_text_keeps_paragraphs_of_the_source(corpus: Path) -> None:
    build_corpus(corpus, provider=FakeProvider())
    meta = read_meta(corpus / "english" / "002_d2e9b11a68fdacb0.meta.json")
    text = (corpus / "english" / "002_d2e9b11a68fdacb0.en.txt").read_text(encoding="utf-8")
    assert len(text.strip().split("\n\n")) == len({s.paragraph for s in meta.segments})


def test_originals_are_never_modified(corpus: Path) -> None:
    before = {p.name: p.read_bytes() for p in (corpus / "original").iterdir()}
    build_corpus(corpus, provider=FakeProvider())
    assert {p.name: p.read_bytes() for p in (corpus / "original").iterdir()} == before


def test_second_build_rewrites_nothing_and_sends_nothing_to_the_model(corpus: Path) -> None:
    build_corpus(corpus, provider=FakeProvider())
    before = _snapshot(corpus)
    provider = FakeProvider()
    summary = build_corpus(corpus, provider=provider)
    assert summary.files_written == 0 and len(summary.up_to_date) == 4
    assert "nothing changed" in summary.lines()
    assert provider.translator_.sent == []
    assert _snapshot(corpus) == before


def test_rebuild_from_scratch_is_byte_identical(corpus: Path) -> None:
    build_corpus(corpus, provider=FakeProvider())
    first = {k: v[0] for k, v in _snapshot(corpus).items()}
    shutil.rmtree(corpus / "english")
    (corpus / "manifest.jsonl").unlink()
    build_corpus(corpus, provider=FakeProvider())
    assert {k: v[0] for k, v in _snapshot(corpus).items()} == first


def test_deleted_output_is_rebuilt(corpus: Path) -> None:
    build_corpus(corpus, provider=FakeProvider())
    (corpus / "english" / "001_cb2e6261cd7f216a.en.txt").unlink()
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.built == ["001_cb2e6261cd7f216a"]
    assert (corpus / "english" / "001_cb2e6261cd7f216a.en.txt").is_file()


def test_missing_model_reports_install_command_and_builds_the_rest(corpus: Path) -> None:
    summary = build_corpus(corpus, provider=FakeProvider(pairs=()))
    assert summary.exit_code == 3
    assert sorted(summary.needs_model) == ["000_de546ec99307b48e", "002_d2e9b11a68fdacb0"]
    assert "toolkit models install de en" in summary.needs_model["000_de546ec99307b48e"]
    assert len(summary.built) == 2
    assert not (corpus / "english" / "000_de546ec99307b48e.en.txt").exists()
    meta = read_meta(corpus / "english" / "000_de546ec99307b48e.meta.json")
    assert meta.status == "needs-model"
    # Once the model is there, exactly the waiting documents are built.
    summary = build_corpus(corpus, provider=FakeProvider())
    assert sorted(summary.built) == ["000_de546ec99307b48e", "002_d2e9b11a68fdacb0"]
    assert summary.exit_code == 0


def test_a_build_without_the_model_keeps_english_a_model_made(corpus: Path) -> None:
    """Building on a machine (or after an uninstall) without the de→en model must not turn
    translated documents into "needs model" and delete their English; a changed original
    is rebuilt and waits for the model (English of other bytes must not stand for it)."""
    build_corpus(corpus, provider=FakeProvider())
    english = corpus / "english"
    before = {p.name: p.read_bytes() for p in english.iterdir()}
    summary = build_corpus(corpus, provider=FakeProvider(pairs=("nl",)))
    assert summary.exit_code == 3 and summary.built == []
    assert "the English of its last build is kept" in summary.needs_model["000_de546ec99307b48e"]
    assert "toolkit models install de en" in summary.needs_model["000_de546ec99307b48e"]
    assert {p.name: p.read_bytes() for p in english.iterdir()} == before
    # With the model back, nothing needs rebuilding.
    assert build_corpus(corpus, provider=FakeProvider()).built == []
    # A changed original is not "kept": its old English described other bytes; the build says
    # that it removes it (it used to, without a word).
    original = next((corpus / "original").glob("000*"))
    original.write_text(original.read_text(encoding="utf-8") + "\nNoch ein Satz hier.\n")
    summary = build_corpus(corpus, provider=FakeProvider(pairs=("nl",)))
    assert "kept" not in summary.needs_model["000_de546ec99307b48e"]
    assert any(w.startswith(f"original/{original.name} changed since its last build")
               and "removes that build's English" in w for w in summary.warnings)  # fmt: skip
    assert not (english / "000_de546ec99307b48e.en.txt").exists()


def _correct_first_sentence(corpus: Path) -> None:
    from toolkit.corpus.corrections import LEGACY_COLUMNS

    source = read_meta(corpus / "english" / "000_de546ec99307b48e.meta.json").segments[0].source
    (corpus / "corrections").mkdir()
    (corpus / "corrections" / "000_de546ec99307b48e.corrections.tsv").write_text(
        "\t".join(LEGACY_COLUMNS) + f"\n\t{source}\tHUMAN FIX.\t\t\n", encoding="utf-8"
    )


def _hand_edit_language(corpus: Path) -> None:
    manifest = corpus / "manifest.jsonl"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"language":"de"', '"language":"fr"'),
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "change", [_correct_first_sentence, _hand_edit_language], ids=["correction", "manifest"]
)
def test_english_is_kept_without_the_model_only_if_the_model_is_the_only_difference(
    corpus: Path, change: Callable[[Path], None]
) -> None:
    """A correction made while the model is missing must not be hidden behind "kept" as if
    current: the English is kept (deleting it lost a model's work: the adversarial pass of
    session 5), named stale because of the corrections, and the build with the model applies
    them. A hand-edited manifest language must not make the document wait forever for a model
    it does not need."""
    build_corpus(corpus, provider=FakeProvider())
    english = (corpus / "english" / "000_de546ec99307b48e.en.txt").read_bytes()
    change(corpus)
    summary = build_corpus(corpus, provider=FakeProvider(pairs=("nl",)))
    if change is _correct_first_sentence:
        message = summary.needs_model["000_de546ec99307b48e"]
        assert "kept, stale (corrections changed" in message, message
        assert (corpus / "english" / "000_de546ec99307b48e.en.txt").read_bytes() == english
        summary = build_corpus(corpus, provider=FakeProvider())
        assert summary.built == ["000_de546ec99307b48e"]
        assert "HUMAN FIX." in (corpus / "english" / "000_de546ec99307b48e.en.txt").read_text(
            encoding="utf-8"
        )
    else:  # re-identified as German; the nl-only provider cannot translate it
        assert "needs model de→en" in summary.needs_model["000_de546ec99307b48e"]
        summary = build_corpus(corpus, provider=FakeProvider())
        assert summary.built == ["000_de546ec99307b48e"] and summary.exit_code == 0


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("empty.txt", b"", "is empty"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
        ("credits.txt", b"Getty Images\n\nRelated post\n", "all boilerplate"),
        ("huge.txt", b"Ein Satz. " * 2_100_000, "MB"),
    ],
)
def test_bad_input_fails_that_file_only(corpus: Path, name: str, data: bytes, needle: str) -> None:
    (corpus / "original" / name).write_bytes(data)
    summary = build_corpus(corpus, provider=FakeProvider())
    assert summary.exit_code == 1
    stem = name.rsplit(".", 1)[0]
    message = summary.errors[stem]
    assert message.startswith(f"original/{name}: ") and needle in message and "\n" not in message
    assert len(summary.built) == 4
    assert not list((corpus / "english").glob(f"{stem}.*"))
    assert not [p for p in (corpus / "english").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", b""), ("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_legacy_and_bom_encodings_build_and_are_recorded(
    corpus: Path, encoding: str, bom: bytes
) -> None:
    text = (corpus / "original" / "000_de546ec99307b48e.txt").read_text(encoding="utf-8")
    (corpus / "original" / "legacy.txt").write_bytes(bom + text.encode(encoding))
    build_corpus(corpus, provider=FakeProvider())
    meta = read_meta(corpus / "english" / "legacy.meta.json")
    reference = read_meta(corpus / "english" / "000_de546ec99307b48e.meta.json")
    assert (
        meta.input.encoding
        == {"utf-16": "utf-16", "cp1252": "cp1252", "utf-8": "utf-8-sig"}[encoding]
    )
    assert [s.source for s in meta.segments] == [s.source for s in reference.segments]


def test_unreadable_file_fails_that_file_only(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = corpus / "original" / "locked.txt"
    locked.write_text("Ein Satz.", encoding="utf-8")
    locked.chmod(0)  # enough for a normal user; root reads anyway, so also refuse in os.open
    real_open = os.open

    def open_(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    summary = build_corpus(corpus, provider=FakeProvider())
    assert (
        summary.errors["locked"]
        == "original/locked.txt: cannot be read (Permission denied); check its permissions"
    )
    assert len(summary.built) == 4


def test_changed_setting_rebuilds_every_document(corpus: Path) -> None:
    build_corpus(corpus, provider=FakeProvider())
    from toolkit.config.prepare import CleanConfig, PrepareConfig

    config = BuildConfig(prepare=PrepareConfig(clean=CleanConfig(space_before_comma=False)))
    summary = build_corpus(corpus, provider=FakeProvider(), config=config)
    assert len(summary.built) == 4


def test_process_pool_preparation_gives_the_same_outputs(corpus: Path, tmp_path: Path) -> None:
    from toolkit.pipeline.executor import LocalExecutor

    (corpus / "original" / "empty.txt").write_bytes(b"")
    other = tmp_path / "other"
    shutil.copytree(corpus, other)
    one = build_corpus(corpus, provider=FakeProvider(), executor=LocalExecutor(processes=1))
    pool = build_corpus(
        other, provider=FakeProvider(), executor=LocalExecutor(processes=2, min_parallel=1)
    )
    assert (one.built, one.errors) == (pool.built, pool.errors)
    assert "empty" in pool.errors
    for path in sorted((corpus / "english").iterdir()):
        assert (other / "english" / path.name).read_bytes() == path.read_bytes()


def test_progress_reports_each_stage_up_to_its_total(corpus: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    build_corpus(corpus, provider=FakeProvider(), progress=lambda *c: calls.append(c))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    # Repair attempts (the fake's "[en] ..." copies are flagged untranslated) report as their
    # own stage right after their pair's translation.
    assert [s for s in stages if not s.startswith("repair")] == [
        "prepare",
        "translate de→en",
        "translate nl→en",
        "qa",
    ]
    for stage in (s for s in stages if s.startswith("repair ")):
        assert stages[stages.index(stage) - 1] == stage.replace("repair", "translate")
    for stage in stages:
        counts = [(done, total) for s, done, total in calls if s == stage]
        # A translation stage shows its bar at 0 as it starts (model loading, cache lookups).
        assert counts[0][0] == (0 if stage.startswith(("translate", "repair")) else 1)
        assert all(0 <= done <= total for done, total in counts)
        assert [d for d, _ in counts] == sorted(d for d, _ in counts)
        assert counts[-1][0] == counts[-1][1]
    assert [c for c in calls if c[0] == "prepare"][-1][1:] == (4, 4)


def _built_meta(corpus: Path) -> dict[str, Any]:
    import json

    from toolkit.glossary.load import load_glossary

    build_corpus(corpus, provider=FakeProvider(), glossary=load_glossary(ROOT / "glossary.yaml"))
    metas = [json.loads(p.read_text()) for p in sorted((corpus / "english").glob("*.meta.json"))]
    return next(m for m in metas if m["status"] == "built" and m["translation"])


def test_meta_json_records_each_setting_once(corpus: Path) -> None:
    """Schema 2: the settings live under ``config`` only (schema 1 also copied the clean,
    language-id, glossary and QA settings beside it)."""
    meta = _built_meta(corpus)
    assert meta["schema_version"] == 2
    assert "language_id" not in meta and "qa" not in meta
    assert "normalization" not in meta["cleaning"] and "config" not in meta["glossary"]
    assert {"prepare", "translation", "glossary", "qa"} <= set(meta["config"])
    assert {"clean", "language_id"} <= set(meta["config"]["prepare"])


def test_a_version_1_meta_json_is_still_read(corpus: Path) -> None:
    from toolkit.schema import DocumentRecord

    meta = _built_meta(corpus)
    settings = meta["config"]
    v1 = {
        **meta,
        "schema_version": 1,
        "language_id": settings["prepare"]["language_id"],
        "qa": settings["qa"],
        "cleaning": {**meta["cleaning"], "normalization": settings["prepare"]["clean"]},
        "glossary": {**meta["glossary"], "config": settings["glossary"]},
    }
    assert DocumentRecord.model_validate(v1) == DocumentRecord.model_validate(meta)


def test_each_fingerprint_is_computed_once_per_document(corpus: Path) -> None:
    """The plan and the write step share one fingerprint per document (issue 15: it was
    computed twice), and a document already in English needs no model identity at all."""

    class CountingProvider(FakeProvider):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
            self.asked.append(from_code)
            return super().identity(from_code, to_code)

    build_corpus(corpus, provider=FakeProvider())
    provider = CountingProvider()
    summary = build_corpus(corpus, provider=provider, force=True)
    assert len(summary.built) == 4
    assert sorted(provider.asked) == ["de", "nl"]


def test_the_fingerprint_is_unchanged_by_encoding_the_configuration_once() -> None:
    """The build encodes its configuration once (it was a sixth of a no-op rebuild of 1,028
    documents); every fingerprint must stay what it was, or every corpus would rebuild (the
    hashed settings leave out --max-bytes: tests/test_same_view.py)."""
    from toolkit.glossary.model import Glossary
    from toolkit.pipeline.fingerprint import config_for_file, document_fingerprint, hashed_settings
    from toolkit.pipeline.provenance import fingerprint, versions
    from toolkit.schema import SCHEMA_VERSION

    glossary = Glossary.empty()
    base = BuildConfig()
    decode = base.prepare.decode.model_copy(update={"encodings": {"a.txt": "cp1252"}})
    per_file = base.model_copy(
        update={"prepare": base.prepare.model_copy(update={"decode": decode})}
    )
    for config in (base, config_for_file(per_file, "a.txt"), config_for_file(per_file, "b.txt")):
        for model in (None, {"package": "p", "model_sha256": "0" * 64}):
            parts = (versions(), glossary.sha256, model, "abc", SCHEMA_VERSION)
            before = fingerprint(hashed_settings(config.model_dump(mode="json")), *parts)
            assert document_fingerprint(config, glossary, model, "abc") == before
