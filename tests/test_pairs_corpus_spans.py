"""A pairs file checked beside a corpus is checked with the corpus's protected-span settings
(``glossary.spans``, as its builds record them), by ``qa PAIRS``, ``export --pairs`` and the
workbench alike: they used the default kinds, flagging ``protected`` what the corpus's builds
never protect."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.hand_edits import reseal

from toolkit.cli.app import cli
from toolkit.config.build import BuildConfig
from toolkit.config.glossary import GlossaryConfig, SpanConfig
from toolkit.qa.corpus_settings import CheckSettings, corpus_settings
from toolkit.qa.pairs import QaInputError

ORIGINAL = Path(__file__).resolve().parents[1] / "corpus" / "original" / "000_de546ec99307b48e.txt"
# Row 1 lost a handle (protected by default, not by a corpus protecting URLs only), row 2 a URL.
PAIRS = ("id\tsource\ttarget\n"
         "1\tFolgt @kimkardashian heute.\tFollow Kim today.\n"
         "2\tMehr auf https://example.org/wahl heute.\tMore at example.org today.\n")


def _built(root: Path, spans: SpanConfig) -> Path:
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    (root / "original").mkdir(parents=True)
    shutil.copy(ORIGINAL, root / "original")
    config = BuildConfig(glossary=GlossaryConfig(spans=spans))
    assert build_corpus(root, provider=FakeProvider(), config=config).exit_code == 0
    return root


@pytest.fixture
def urls_only(tmp_path: Path) -> Path:
    return _built(tmp_path / "corpus", SpanConfig(kinds=("url",)))


def _pairs(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS, encoding="utf-8")
    return path


def test_qa_pairs_beside_a_corpus_checks_the_spans_its_builds_protect(
    tmp_path: Path, urls_only: Path
) -> None:
    pairs = _pairs(tmp_path)
    args = ["qa", str(pairs), "--src", "de", "--no-glossary", "--corpus"]
    result = CliRunner().invoke(cli, [*args, str(urls_only)])
    assert result.exit_code == 0, result.output
    assert f"{urls_only}: protected spans checked as its builds record them: url" in result.output
    assert "2\terror\tprotected" in result.output and "1\terror\tprotected" not in result.output
    # Beside no corpus, the defaults: the handle is protected too.
    result = CliRunner().invoke(cli, [*args, str(tmp_path / "none")])
    assert "1\terror\tprotected" in result.output and "checked as its builds" not in result.output


def test_export_pairs_beside_a_corpus_leaves_out_what_its_spans_flag(
    tmp_path: Path, urls_only: Path
) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["export", "--pairs", str(_pairs(tmp_path)), "--src", "de",
                                      "--corpus", str(urls_only), "--no-glossary", "--format",
                                      "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "excluded 1 flagged segment" in result.output
    assert '"segment": "1"' in out.read_text(encoding="utf-8")


def test_the_workbench_checks_a_pairs_file_with_the_corpus_spans(
    tmp_path: Path, urls_only: Path
) -> None:
    from toolkit.corpus.corrections import ReviewState
    from toolkit.glossary.model import Glossary
    from toolkit.review.workbench.pairs import served_record

    settings = corpus_settings(urls_only)
    assert settings.spans == SpanConfig(kinds=("url",))
    record = served_record(_pairs(tmp_path), "de", "en", Glossary.empty(), ReviewState(),
                           settings=settings)
    assert [("protected" in s.flags) for s in record.segments] == [False, True]


def test_no_corpus_or_an_unbuilt_one_is_the_defaults(tmp_path: Path) -> None:
    missing = tmp_path / "missing"  # the defaults, and why (attack 10d: said nothing)
    assert corpus_settings(missing) == CheckSettings(defaulted=f"{missing}: no such corpus")
    assert corpus_settings(missing, given=False) == CheckSettings()  # the default ./corpus
    (tmp_path / "c" / "original").mkdir(parents=True)  # attack 10e: said nothing
    unbuilt = CheckSettings(defaulted=f"{tmp_path / 'c'}: no corpus built there (no manifest)")
    assert corpus_settings(tmp_path / "c") == unbuilt
    assert corpus_settings(tmp_path / "c", given=False) == CheckSettings()


def test_documents_built_with_different_spans_are_one_line(
    tmp_path: Path, urls_only: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A corpus whose builds disagree (the last build of one document used other settings):
    # which one a pairs file is checked by would be a guess.
    from toolkit.corpus import snapshot

    real = snapshot.read_snapshot(urls_only)
    (record,) = real.records
    config = dict(record.config or {})
    config["glossary"] = {**config["glossary"], "spans": {"enabled": False, "kinds": ["url"]}}
    other = record.model_copy(update={"document": "zweiter", "config": config})
    monkeypatch.setattr(snapshot, "read_snapshot", lambda root, **_: real.__class__(
        **{**real.__dict__, "records": [record, other]}))
    with pytest.raises(QaInputError) as err:
        corpus_settings(urls_only)
    assert str(err.value) == (
        f"{urls_only}: its documents were built with different protected-span settings "
        f"({record.document}: url; zweiter: none); rebuild them with one (toolkit build) so a "
        "pairs file is checked as the corpus is")


# The attacker's findings: settings recorded in a meta.json are read from a file, untrusted.
DOCS = ("000_de546ec99307b48e", "001_cb2e6261cd7f216a")


@pytest.fixture
def two_built(tmp_path: Path) -> Path:
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for doc in DOCS:
        shutil.copy(ORIGINAL.with_name(f"{doc}.txt"), root / "original")
    assert build_corpus(root, provider=FakeProvider()).exit_code == 0
    return root


def _record_spans(root: Path, doc: str, spans: object) -> Path:
    """Set a built document's recorded ``glossary.spans`` and its manifest hash (as a hand
    edit of both, or a newer toolkit's build, leaves them): the document stays built."""
    meta_path = root / "english" / f"{doc}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["config"]["glossary"]["spans"] = spans
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    reseal(root, meta_path.name)
    return meta_path


def _beside(root: Path, pairs: Path, *command: str) -> Result:
    args = [*command, str(pairs), "--src", "de", "--no-glossary", "--corpus", str(root)]
    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize(("spans", "why"), [
    ({"enabled": True, "kinds": ["url", "bogus"]},
     "glossary.spans.kinds.1: Input should be 'url', 'email', 'handle', 'hashtag' or 'credit'"),
    ("off", "glossary.spans: Input should be a valid dictionary"),
    ({"enabled": True, "x": 1}, "glossary.spans.x: Extra inputs are not permitted"),
])
@pytest.mark.parametrize("command", [("qa",), ("export", "--format", "tsv", "-o", "-", "--pairs")])
def test_recorded_spans_this_toolkit_cannot_read_are_one_line_naming_the_file(
    tmp_path: Path, two_built: Path, spans: object, why: str, command: tuple[str, ...]
) -> None:
    # A pydantic ValidationError traceback: an unknown kind, "off", a newer toolkit's key.
    meta = _record_spans(two_built, DOCS[1], spans)
    result = _beside(two_built, _pairs(tmp_path), *command)
    assert result.exit_code == 1, result.output
    assert f"toolkit: error: {meta}: records protected-span settings this toolkit cannot " \
           f"read ({why}" in result.output
    assert f"rebuild {DOCS[1]} (toolkit build), or check the pairs file beside another " \
           "corpus (--corpus DIR)" in result.output
    assert "Traceback" not in result.output and "ValidationError" not in result.output


def test_the_workbench_refuses_unreadable_recorded_spans_before_serving(
    tmp_path: Path, two_built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.review.workbench.launch import run_workbench

    _record_spans(two_built, DOCS[0], {"enabled": "maybe"})
    pairs = _pairs(tmp_path)
    monkeypatch.chdir(tmp_path)  # review --serve PAIRS reads ./corpus
    with pytest.raises(QaInputError, match=rf"corpus/english/{DOCS[0]}.meta.json: .* cannot "
                       r"read \(glossary.spans.enabled: Input should be a valid boolean"):
        run_workbench(pairs, host="127.0.0.1", port=0, packages_dir=None, glossary_path=None,
                      author="t", echo=print, languages=("de", "en"), no_glossary=True)


@pytest.mark.parametrize(("one", "other"), [
    ({"enabled": False, "kinds": ["url"]}, {"enabled": False}),
    ({"kinds": ["email", "url"]}, {"kinds": ["url", "email", "url"]}),
    ({"kinds": []}, {"enabled": False}),
])
def test_settings_that_protect_alike_are_alike(
    tmp_path: Path, two_built: Path, one: object, other: object
) -> None:
    # "built with different protected-span settings (000...: none; 001...: none)", untrue.
    _record_spans(two_built, DOCS[0], one)
    _record_spans(two_built, DOCS[1], other)
    result = _beside(two_built, _pairs(tmp_path), "qa")
    assert result.exit_code == 0, result.output
    assert "different protected-span settings" not in result.output


def test_different_settings_name_what_each_protects(tmp_path: Path, two_built: Path) -> None:
    _record_spans(two_built, DOCS[0], {"kinds": ["email", "url"]})
    _record_spans(two_built, DOCS[1], {"kinds": ["url", "url"]})
    result = _beside(two_built, _pairs(tmp_path), "qa")
    assert result.exit_code == 1
    assert f"different protected-span settings ({DOCS[0]}: url, email; {DOCS[1]}: url)" \
        in result.output


def test_the_default_kinds_in_another_order_are_the_defaults(
    tmp_path: Path, two_built: Path
) -> None:
    for doc in DOCS:
        _record_spans(two_built, doc, {"kinds": ["credit", "hashtag", "handle", "email", "url"]})
    result = _beside(two_built, _pairs(tmp_path), "qa")
    assert result.exit_code == 0, result.output
    assert "checked as its builds record them" not in result.output
