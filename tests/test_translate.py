"""Translating through a real (tiny, synthetic) Argos model with CTranslate2."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from support.argos_package import build_argos_package

from toolkit.config.translation import DECODING_FIELDS, TranslationSettings
from toolkit.schema import TranslationInfo
from toolkit.translation.identity import cache_namespace, model_identity
from toolkit.translation.install import install_from_file
from toolkit.translation.packages import PackageError, PackageInfo
from toolkit.translation.translator import WAITER_NAME, Translator, plan_chunks

SEED_DIR = Path(__file__).resolve().parents[1] / "corpus" / "original"


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]


@pytest.fixture(scope="module")
def de_en(tiny_package_file: Path, tmp_path_factory: pytest.TempPathFactory) -> PackageInfo:
    return install_from_file(tiny_package_file, tmp_path_factory.mktemp("packages"))


@pytest.fixture(scope="module")
def translator(de_en: PackageInfo) -> Translator:
    return Translator(de_en)


def german_lines() -> list[str]:
    """The German seed article split naively into lines and at '. '."""
    german = (SEED_DIR / "000_de546ec99307b48e.txt").read_text(encoding="utf-8")
    return [part for line in german.splitlines() for part in line.split(". ") if part.strip()]


def test_translates_every_sentence_deterministically(de_en: PackageInfo) -> None:
    sentences = german_lines()
    assert len(sentences) > 5
    first = Translator(de_en).translate(sentences)
    second = Translator(de_en).translate(sentences)
    assert len(first) == len(sentences)
    assert all(out.strip() for out in first)
    assert first == second
    assert first != sentences


def test_order_restored_across_chunks(de_en: PackageInfo) -> None:
    sentences = sorted(german_lines(), key=len, reverse=True)  # longest first
    one_by_one = Translator(de_en)
    expected = [one_by_one.translate([s])[0] for s in sentences]
    chunked = Translator(de_en, TranslationSettings(chunk_sentences=3, max_batch_size=64))
    assert chunked.translate(sentences) == expected
    assert len(set(expected)) > 1  # the check above could not pass by accident


def test_blank_and_duplicate_sentences(
    translator: Translator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = german_lines()[0]
    out = translator.translate(["", sentence, "   ", sentence])
    assert out[0] == "" and out[2] == ""
    assert out[1] == out[3] != ""
    monkeypatch.setattr(translator, "_model", None)  # any model call would now fail
    assert translator.translate(["", " \n"]) == ["", ""]
    assert translator.translate([]) == []


def test_progress_counts_add_up(de_en: PackageInfo) -> None:
    sentences = [*german_lines(), "", german_lines()[0]]
    calls: list[int] = []
    Translator(de_en, TranslationSettings(chunk_sentences=4)).translate(sentences, calls.append)
    assert sum(calls) == len(sentences)
    assert len(calls) > 2


class RecordingModel:
    """Wraps a ctranslate2.Translator, keeping the arguments and raw results of each call."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[dict[str, Any], list[Any]]] = []

    def translate_batch(self, batch: list[list[str]], **kwargs: Any) -> list[Any]:
        results = self.inner.translate_batch(batch, **kwargs)
        self.calls.append((kwargs, results))
        return results


def test_target_prefix_forced_and_stripped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = "__en__"
    file = build_argos_package(
        tmp_path / "prefixed.argosmodel", "de", "en", seed_texts(), target_prefix=prefix
    )
    package = install_from_file(file, tmp_path / "packages")
    assert package.target_prefix == prefix
    translator = Translator(package)
    recorder = RecordingModel(translator._model)
    monkeypatch.setattr(translator, "_model", recorder)
    sentences = german_lines()[:4]
    out = translator.translate(sentences)
    # One model call per token length (no padding); together they cover every sentence.
    assert sum(len(results) for _, results in recorder.calls) == len(set(sentences))
    for kwargs, results in recorder.calls:
        assert kwargs["target_prefix"] == [[prefix]] * len(results)
        assert all(r.result().hypotheses[0][0] == prefix for r in results)
    assert len(out) == len(sentences)
    assert not any(prefix in text for text in out)


def test_info_is_provenance(translator: Translator, de_en: PackageInfo) -> None:
    info = TranslationInfo(**translator.info)
    assert info.package == de_en.name
    assert info.model_sha256 == de_en.model_sha256
    assert info.settings["beam_size"] == 4
    assert info.settings["length_penalty"] == 0.2


def test_namespace_depends_on_decoding_only(translator: Translator) -> None:
    identity = model_identity(translator.package, translator.settings)
    other_beam = model_identity(translator.package, TranslationSettings(beam_size=2))
    other_threads = model_identity(translator.package, TranslationSettings(intra_threads=7))
    other_model = {**identity, "model_sha256": "0" * 64}
    assert cache_namespace(other_beam) != cache_namespace(identity)
    assert cache_namespace(other_model) != cache_namespace(identity)
    assert cache_namespace(other_threads) == cache_namespace(identity)


def test_namespace_of_a_weights_only_identity_is_never_used(translator: Translator) -> None:
    """Caches written while the identity hashed model.bin only are keyed by that identity;
    they may hold translations made with another tokenizer, so the namespace hashes the
    identity with the digest of every file that shapes the output, and the old key is not
    read any more (the first build after the upgrade translates again, once)."""
    import hashlib
    import json

    info = translator.info
    legacy = {
        "package": info["package"],
        "package_version": info["package_version"],
        "model_sha256": info["model_sha256"],
        "decoding": {k: info["settings"][k] for k in DECODING_FIELDS},
    }
    blob = json.dumps(legacy, sort_keys=True, separators=(",", ":")).encode()
    identity = model_identity(translator.package, translator.settings)
    assert cache_namespace(identity) != hashlib.sha256(blob).hexdigest()
    current = json.dumps({**legacy, "files_sha256": info["files_sha256"]}, sort_keys=True,
                         separators=(",", ":")).encode()  # fmt: skip
    assert cache_namespace(identity) == hashlib.sha256(current).hexdigest()


def test_plan_chunks_sorted_and_complete() -> None:
    lengths = [5, 1, 9, 3, 3, 7]
    chunks = plan_chunks(lengths, 4)
    flat = [i for chunk in chunks for i in chunk]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    assert [len(c) for c in chunks] == [4, 2]


def test_corrupt_model_named(de_en: PackageInfo, tmp_path: Path) -> None:
    broken = de_en.model_copy(update={"path": tmp_path / "broken"})
    (broken.path / "model").mkdir(parents=True)
    (broken.path / "model" / "model.bin").write_bytes(b"garbage")
    broken.sp_model_path.write_bytes(de_en.sp_model_path.read_bytes())
    with pytest.raises(PackageError, match="broken"):
        Translator(broken)


def test_a_freed_worker_gets_its_next_batch_before_the_finished_one_is_handed_over(
    de_en: PackageInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the caller stores and reports a decoded batch (the cache commits it), both
    workers decode: the next batch is submitted before the finished one is yielded."""
    translator = Translator(de_en)  # inter_threads 2: two batches in flight
    events: list[str] = []
    model = RecordingModel(translator._model)

    def submit(batch: list[list[str]], **kwargs: Any) -> list[Any]:
        events.append("submit")
        return model.translate_batch(batch, **kwargs)

    monkeypatch.setattr(translator, "_model", SimpleNamespace(translate_batch=submit))
    sentences = list(dict.fromkeys(german_lines()))
    for _ in translator.translate_stream_scored(sentences):
        events.append("yield")
    batches = events.count("submit")
    assert batches == events.count("yield") > 3  # one token length per batch
    for handed_over in range(1, batches + 1):
        before = events[: _nth(events, "yield", handed_over)]
        assert before.count("submit") == min(handed_over + 2, batches)


def _nth(items: list[str], item: str, n: int) -> int:
    """The index of the ``n``-th (1-based) ``item`` in ``items``."""
    return [i for i, x in enumerate(items) if x == item][n - 1]


class HeldFuture:
    """A CTranslate2 future whose ``result()`` blocks until ``release`` is set."""

    def __init__(self, result: Any, release: threading.Event, returned: list[int]) -> None:
        self._result, self._release, self._returned = result, release, returned

    def result(self) -> Any:
        self._release.wait()
        self._returned.append(1)
        return self._result


def test_a_stream_closed_early_waits_for_the_batches_in_flight(
    de_en: PackageInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stopped build closes the stream; no thread may still wait inside CTranslate2 when
    the interpreter exits (that aborted the process: "terminate called without an active
    exception"), so closing waits for the batches being decoded."""
    translator = Translator(de_en)
    model = translator._model
    release, returned, submitted = threading.Event(), [], []

    def submit(batch: list[list[str]], **kwargs: Any) -> list[Any]:
        results = [f.result() for f in model.translate_batch(batch, **kwargs)]
        first = not submitted
        submitted.extend(results)
        gate = threading.Event() if not first else release  # the first batch is held
        if not first:
            gate.set()
        return [HeldFuture(r, gate, returned) for r in results]

    monkeypatch.setattr(translator, "_model", SimpleNamespace(translate_batch=submit))
    stream = translator.translate_stream_scored(list(dict.fromkeys(german_lines())))
    next(stream)  # a later batch; the first is still being "decoded"
    threading.Timer(0.2, release.set).start()
    stream.close()
    assert len(returned) == len(submitted)  # every submitted batch was waited for
    assert not [t for t in threading.enumerate() if t.name == WAITER_NAME and t.is_alive()]
