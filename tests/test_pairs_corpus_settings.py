"""A pairs file checked beside a corpus is checked with the corpus's recorded QA settings
(``qa`` in each built document's config: checks switched off, length bands, slack), by
``qa PAIRS``, ``export --pairs`` and the workbench alike, through the one reader of its
recorded check settings (:mod:`toolkit.qa.corpus_settings`): they used the default
``QaConfig``, flagging ``length`` where the corpus's builds check no length."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.hand_edits import reseal

from toolkit.cli.app import cli
from toolkit.config.build import BuildConfig
from toolkit.config.qa import PAIR_CHECKS, QaConfig
from toolkit.qa.corpus_settings import corpus_settings

ORIGINALS = Path(__file__).resolve().parents[1] / "corpus" / "original"
DOCS = ("000_de546ec99307b48e", "001_cb2e6261cd7f216a")
# Row 1 is three times its source's length: flagged `length` by the default settings.
PAIRS = ("id\tsource\ttarget\n"
         "1\tDas Haus ist rot.\tThe house is red, and it is a very large house with many "
         "windows, doors and a garden.\n"
         "2\tDas ist gut.\tThis is good.\n")
NO_LENGTH = QaConfig(checks=tuple(c for c in PAIR_CHECKS if c != "length"))


def _built(root: Path, qa: QaConfig = QaConfig()) -> Path:  # noqa: B008 -- frozen
    from fakes import FakeProvider

    from toolkit.pipeline.build import build_corpus

    (root / "original").mkdir(parents=True)
    for doc in DOCS:
        shutil.copy(ORIGINALS / f"{doc}.txt", root / "original")
    assert build_corpus(root, provider=FakeProvider(), config=BuildConfig(qa=qa)).exit_code == 0
    return root


@pytest.fixture
def no_length(tmp_path: Path) -> Path:
    return _built(tmp_path / "narrow", NO_LENGTH)


@pytest.fixture
def defaults(tmp_path: Path) -> Path:
    return _built(tmp_path / "corpus")


def _pairs(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.tsv"
    path.write_text(PAIRS, encoding="utf-8")
    return path


def _beside(root: Path, pairs: Path, *command: str) -> Result:
    args = [*command, str(pairs), "--src", "de", "--no-glossary", "--corpus", str(root)]
    return CliRunner().invoke(cli, args)


def test_qa_pairs_beside_a_corpus_checks_with_its_recorded_qa_settings(
    tmp_path: Path, no_length: Path
) -> None:
    pairs = _pairs(tmp_path)
    result = _beside(no_length, pairs, "qa")
    assert result.exit_code == 0, result.output
    assert f"{no_length}: QA checked with the settings its builds record: checks off: length" \
        in result.output
    assert "2 pairs, 0 flagged" in result.output
    # Beside no corpus, the defaults: the long target is flagged.
    result = _beside(tmp_path / "none", pairs, "qa")
    assert "1\twarning\tlength" in result.output and "QA checked with" not in result.output


def test_export_pairs_beside_a_corpus_leaves_out_what_its_qa_settings_flag(
    tmp_path: Path, no_length: Path, defaults: Path
) -> None:
    pairs = _pairs(tmp_path)
    args = ("export", "--format", "tsv", "-o", "-", "--pairs")
    assert "excluded" not in _beside(no_length, pairs, *args).output
    assert "excluded 1 flagged segment" in _beside(defaults, pairs, *args).output


def test_the_workbench_checks_a_pairs_file_with_the_corpus_qa_settings(
    tmp_path: Path, no_length: Path
) -> None:
    from toolkit.corpus.corrections import ReviewState
    from toolkit.glossary.model import Glossary
    from toolkit.review.workbench.pairs import served_record

    settings = corpus_settings(no_length)
    assert settings.qa == NO_LENGTH
    record = served_record(_pairs(tmp_path), "de", "en", Glossary.empty(), ReviewState(),
                           settings=settings)
    assert [s.flags for s in record.segments] == [[], []]


def test_no_corpus_and_no_readable_built_document_each_say_the_defaults_apply(
    tmp_path: Path, no_length: Path
) -> None:
    """Attack 10d: a --corpus that does not exist, and one whose built documents all changed
    since the build (none resealed: no settings read), checked with the defaults silently."""
    pairs = _pairs(tmp_path)
    result = _beside(tmp_path / "none", pairs, "qa")
    assert f"{tmp_path / 'none'}: no such corpus; pairs checked with the default QA and " \
        "protected-span settings" in result.output
    for doc in DOCS:  # hand edits, not resealed: the snapshot reads neither record
        meta = no_length / "english" / f"{doc}.meta.json"
        meta.write_text(meta.read_text(encoding="utf-8") + " ", encoding="utf-8")
    result = _beside(no_length, pairs, "qa")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "default QA" in line]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"toolkit: {no_length}: none of its built documents could be "
                               f"read for the settings its builds record (2 changed since the "
                               f"build; {DOCS[0]}: ")
    assert "1\twarning\tlength" in result.output  # the defaults, as the line says


def _record_qa(root: Path, doc: str, **changed: object) -> Path:
    """Change a built document's recorded ``qa`` settings and its manifest hash (as a hand
    edit of both, or a newer toolkit's build, leaves them): the document stays built."""
    meta_path = root / "english" / f"{doc}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["config"]["qa"].update(changed)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    reseal(root, meta_path.name)
    return meta_path


@pytest.mark.parametrize("command", [("qa",), ("export", "--format", "tsv", "-o", "-", "--pairs")])
def test_documents_built_with_different_qa_settings_are_one_line(
    tmp_path: Path, defaults: Path, command: tuple[str, ...]
) -> None:
    _record_qa(defaults, DOCS[1], length_slack_chars=40)
    result = _beside(defaults, _pairs(tmp_path), *command)
    assert result.exit_code == 1, result.output
    assert f"toolkit: error: {defaults}: its documents were built with different QA settings " \
           f"({DOCS[0]}: length_slack_chars=12; {DOCS[1]}: length_slack_chars=40); rebuild " \
           "them with one (toolkit build) so a pairs file is checked as the corpus is" \
           in result.output


@pytest.mark.parametrize(("changed", "why"), [
    ({"length_slack_chars": "many"},
     "qa.length_slack_chars: Input should be a valid integer"),
    ({"newer_setting": 1}, "qa.newer_setting: Extra inputs are not permitted"),
])
def test_recorded_qa_settings_this_toolkit_cannot_read_are_one_line_naming_the_file(
    tmp_path: Path, defaults: Path, changed: dict[str, object], why: str
) -> None:
    meta = _record_qa(defaults, DOCS[0], **changed)
    result = _beside(defaults, _pairs(tmp_path), "qa")
    assert result.exit_code == 1, result.output
    assert f"toolkit: error: {meta}: records QA settings this toolkit cannot read ({why}" \
        in result.output
    assert "Traceback" not in result.output


def test_qa_settings_that_check_alike_are_alike(tmp_path: Path, defaults: Path) -> None:
    # The order of checks, a pairs file's unread confidence threshold: the same checks.
    _record_qa(defaults, DOCS[0], checks=list(reversed(PAIR_CHECKS)))
    _record_qa(defaults, DOCS[1], low_confidence_threshold=-1.5)
    result = _beside(defaults, _pairs(tmp_path), "qa")
    assert result.exit_code == 0, result.output
    assert "different QA settings" not in result.output and "QA checked with" not in result.output
    assert "1\twarning\tlength" in result.output


def test_review_serve_pairs_takes_corpus_as_qa_and_export_do(
    tmp_path: Path, no_length: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "--serve on it, or on --corpus ...? give one of them": the workbench read ./corpus only.
    import toolkit.review.workbench.launch as launch

    served: list[object] = []
    monkeypatch.setattr(launch, "serve", lambda store, **_: served.append(store))
    glossary = "version: 1\nentries:\n  - term: Skims\n    kind: brand\n"
    (no_length / "glossary.yaml").write_text(glossary, encoding="utf-8")
    pairs = _pairs(tmp_path)
    with pairs.open("a", encoding="utf-8") as rows:
        rows.write("3\tSkims verkauft heute.\tThe company sells today.\n")
    monkeypatch.chdir(tmp_path)  # no ./corpus here
    result = CliRunner().invoke(cli, ["review", "--serve", str(pairs), "--src", "de",
                                      "--corpus", str(no_length)])
    assert result.exit_code == 0, result.output
    assert f"{no_length}: QA checked with the settings its builds record: checks off: length" \
        in result.output
    (store,) = served
    assert store.settings == corpus_settings(no_length)  # type: ignore[attr-defined]
    record = store._record(pairs.name)  # type: ignore[attr-defined]
    assert [s.flags for s in record.segments] == [[], [], ["glossary"]]


DEFAULTS_LINE = "pairs checked with the default QA and protected-span settings"


@pytest.mark.parametrize("command", ["qa", "export"])
def test_the_defaults_line_is_said_of_a_corpus_given_or_there_not_of_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """Attack 10e: pairs checked beside an empty directory or a fresh ``toolkit init``
    corpus (nothing built) got the defaults with no line. The line is said when --corpus was
    given, or a corpus (a manifest) is there with no settings read; never for a standalone
    pairs file beside the default ``./corpus`` that is not there (or not built)."""
    monkeypatch.chdir(tmp_path)
    pairs = _pairs(tmp_path)
    export = ["--format", "moses", "-o", "out/m"] if command == "export" else []
    verb = ["export", "--pairs"] if command == "export" else ["qa"]

    def said(*corpus: str) -> bool:
        args = [*verb, str(pairs), "--src", "de", "--no-glossary", *export, *corpus]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return DEFAULTS_LINE in result.output

    assert not said()  # no ./corpus: a standalone pairs file
    (tmp_path / "empty").mkdir()
    assert said("--corpus", "empty")
    assert CliRunner().invoke(cli, ["init", "corpus"]).exit_code == 0
    assert not said()  # a fresh init as the default ./corpus: nothing built, no line
    assert said("--corpus", "corpus")  # named: the line says why
    (tmp_path / "corpus" / "manifest.jsonl").write_text("", encoding="utf-8")
    assert said()  # a corpus is there (a manifest), none of its settings read
