"""What a build may remove: never most of the corpus's English at once without being told
(``--allow-removal``), and never a document's English because its original became something
the build refuses to read (a symlink, a folder): every command says the same of such a name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_manifest
from toolkit.errors import CorpusError
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.summary import BuildSummary
from toolkit.translation.provider import ArgosProvider

TOPICS = ("bridge", "budget", "harbour", "library", "market", "school")


def _article(topic: str) -> str:
    return (
        f"The council met on Monday to discuss the {topic}. It agreed to spend more money "
        f"on the {topic} next year, and the mayor welcomed the decision.\n"
    )


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus of six built English articles (no translation model needed)."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-packages"))
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    for topic in TOPICS:
        (root / "original" / f"{topic}.txt").write_text(_article(topic), encoding="utf-8")
    assert _build(root).built == list(TOPICS)
    return root


def _build(root: Path, **options: bool) -> BuildSummary:
    return build_corpus(root, provider=ArgosProvider(cache_dir=root / ".cache"), **options)


def _english(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "english").iterdir())


def test_an_emptied_original_folder_refilled_by_add_removes_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """original/ emptied by mistake, then given one article with ``toolkit add``: the next
    build deleted the English of the five others, exit 0. Refused now, naming how many, the
    folder and the flag; with the flag they go."""
    before = _english(corpus)
    for path in (corpus / "original").iterdir():
        path.unlink()
    new = tmp_path / "zoo.txt"
    new.write_text(_article("zoo"), encoding="utf-8")
    added = CliRunner().invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert added.exit_code == 0, added.output
    result = CliRunner().invoke(cli, ["build", str(corpus)])
    assert result.exit_code == 1
    assert result.output == (
        f"toolkit: error: {corpus / 'original'}: holds the original of only 1 of the corpus's "
        "7 built documents; nothing was removed: a build removes the English of at most half "
        "of them at once (restore the originals, or run toolkit build --allow-removal to "
        "remove the English of 6 on purpose)\n"
    )
    assert _english(corpus) == sorted([*before, "zoo.aligned.tsv", "zoo.en.txt", "zoo.meta.json"])
    assert len(read_manifest(corpus / "manifest.jsonl")) == 7
    result = CliRunner().invoke(cli, ["build", str(corpus), "--allow-removal"])
    assert result.exit_code == 0, result.output
    assert "removed the English of 6 documents whose original is gone" in result.output
    assert _english(corpus) == ["zoo.aligned.tsv", "zoo.en.txt", "zoo.meta.json"]


def test_deleting_a_few_originals_needs_no_flag_and_most_of_them_does(corpus: Path) -> None:
    for topic in TOPICS[:3]:  # half of them: removed, as any deleted original's English is
        (corpus / "original" / f"{topic}.txt").unlink()
    assert sorted(_build(corpus).gone) == sorted(TOPICS[:3])
    (corpus / "original" / f"{TOPICS[3]}.txt").unlink()
    (corpus / "original" / f"{TOPICS[4]}.txt").unlink()  # 2 of the 3 left: refused
    with pytest.raises(CorpusError, match="holds the original of only 1 of the corpus's 3 built"):
        _build(corpus)
    assert len(read_manifest(corpus / "manifest.jsonl")) == 3
    assert sorted(_build(corpus, allow_removal=True).gone) == sorted(TOPICS[3:5])


def test_renaming_most_articles_is_refused_with_the_way_out_named(corpus: Path) -> None:
    for topic in TOPICS[:4]:
        (corpus / "original" / f"{topic}.txt").rename(corpus / "original" / f"2024-{topic}.txt")
    with pytest.raises(CorpusError, match=r"only 2 of the corpus's 6 .*--allow-removal"):
        _build(corpus)
    assert len(read_manifest(corpus / "manifest.jsonl")) == 6
    summary = _build(corpus, allow_removal=True)
    assert sorted(summary.gone) == sorted(TOPICS[:4]) and summary.exit_code == 0
    assert len(read_manifest(corpus / "manifest.jsonl")) == 6
