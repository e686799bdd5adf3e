"""`toolkit qa` over a built corpus: per-document counts, corpus-wide inconsistency, --strict."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_meta
from toolkit.pipeline.build import build_corpus
from toolkit.qa.summary import summarize_corpus

ROOT = Path(__file__).resolve().parents[1]


def _corpus(tmp_path: Path, articles: dict[str, str]) -> Path:
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for name, text in articles.items():
        (root / "original" / name).write_text(text, encoding="utf-8")
    return root


class NumberedTranslator:
    """Translates the same sentence differently in each call: an inconsistent engine."""

    def __init__(self) -> None:
        self.calls = 0

    def translate(self, sentences: list[str], progress: object = None) -> list[str]:
        self.calls += 1
        return [f"Version {self.calls} of the sentence about the weather." for _ in sentences]


def test_summary_counts_flags_and_finds_inconsistent_translations(tmp_path: Path) -> None:
    sentence = "Das Wetter in Berlin war gestern sehr schön und warm."
    root = _corpus(tmp_path, {"a.txt": sentence, "b.txt": sentence})
    provider = FakeProvider()
    translator = NumberedTranslator()
    provider.translator_ = translator  # type: ignore[assignment]
    build_corpus(root, provider=provider, only=["a.txt"])
    build_corpus(root, provider=provider, only=["b.txt"])
    records = [read_meta(p) for p in sorted((root / "english").glob("*.meta.json"))]
    summary = summarize_corpus(records)
    assert summary.per_document["a"]["inconsistent"] == 1
    assert summary.per_document["b"]["inconsistent"] == 1
    assert summary.table()[-1][0] == "total" and summary.segments == {"a": 1, "b": 1}


def test_qa_command_table_json_and_strict(tmp_path: Path) -> None:
    root = _corpus(
        tmp_path,
        {
            "de.txt": (ROOT / "corpus" / "original" / "000_de546ec99307b48e.txt").read_text(
                "utf-8"
            ),
            "en.txt": (ROOT / "corpus" / "original" / "003_c4a4f06c737cf0af.txt").read_text(
                "utf-8"
            ),
        },
    )
    build_corpus(root, provider=FakeProvider())
    runner = CliRunner()
    table = runner.invoke(cli, ["qa", "--corpus", str(root)])
    rows = [line.split("\t") for line in table.stdout.splitlines()]
    assert rows[0][0] == "document" and rows[-1][0] == "total"
    # The fake "[en] <German>" output reads as German: every German row is untranslated.
    untranslated = rows[0].index("untranslated")
    assert int(dict((r[0], r) for r in rows)["de"][untranslated]) > 0
    assert int(dict((r[0], r) for r in rows)["en"][untranslated]) == 0
    as_json = json.loads(
        runner.invoke(cli, ["qa", "--corpus", str(root), "--format", "json"]).stdout
    )
    assert as_json["errors"] > 0 and as_json["documents"]["en"] == {}
    assert runner.invoke(cli, ["qa", "--corpus", str(root), "--strict"]).exit_code == 1
    empty = runner.invoke(cli, ["qa", "--corpus", str(tmp_path / "nothing")])
    # No such folder: it is no corpus, so "run toolkit build" would be untrue advice (959ab5f).
    assert empty.exit_code == 1 and "is not a corpus" in empty.stderr
