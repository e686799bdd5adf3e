"""What a build may remove: never most of the corpus's English at once without being told
(``--allow-removal``), and never a document's English because its original became something
the build refuses to read (a symlink, a folder): every command says the same of such a name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolkit.cli.app import cli
from toolkit.corpus.formats import read_manifest
from toolkit.errors import CorpusError
from toolkit.pipeline.build import build_corpus
from toolkit.pipeline.status import corpus_status
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


def _build(root: Path, **options: Any) -> BuildSummary:
    return build_corpus(root, provider=ArgosProvider(cache_dir=root / ".cache"), **options)


def _add(root: Path, *files: Path) -> list[str]:
    """``toolkit add``'s arguments for ``files``."""
    return ["add", "--corpus", str(root), *map(str, files)]


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


SYMLINK = (
    "skipped (a symlink, never followed: it may point anywhere; replace it with the file "
    "itself): original/{}; the English of its last build is kept"
    " (to drop the document instead, delete it or move it out of original/, then build)"
)


def test_an_original_replaced_by_a_link_or_a_folder_keeps_its_english(
    corpus: Path, tmp_path: Path
) -> None:
    """A symlink (here to a copy outside the corpus), a symlink loop and a folder in place of
    built originals: status said "no original (deleted?)", the build "skipped (symlink)",
    and removed their English. Now the English is kept, and build, status, review and export
    say the build's one line, with the fix."""
    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus
    from toolkit.pipeline.status import stale_documents

    before = _english(corpus)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(_article("bridge"), encoding="utf-8")
    (corpus / "original" / "bridge.txt").unlink()
    (corpus / "original" / "bridge.txt").symlink_to(outside)
    (corpus / "original" / "budget.txt").unlink()
    (corpus / "original" / "budget.txt").symlink_to("budget.txt")  # a loop
    (corpus / "original" / "harbour.txt").unlink()
    (corpus / "original" / "harbour.txt").mkdir()
    folder = (
        "skipped (a folder: sub-folders are not read, a document is a file directly in "
        "original/; move its articles up into original/ to build them): "
        "original/harbour.txt; the English of its last build is kept"
        " (to drop the document instead, delete it or move it out of original/, then build)"
    )
    lines = {"bridge": SYMLINK.format("bridge.txt"), "budget": SYMLINK.format("budget.txt")}
    lines["harbour"] = folder
    summary = _build(corpus)
    assert summary.gone == [] and summary.exit_code == 0
    assert set(lines.values()) <= set(summary.lines())
    assert _english(corpus) == before
    assert sorted(read_manifest(corpus / "manifest.jsonl")) == sorted(TOPICS)
    rows, _stray = corpus_status(corpus)
    shown = {r.document: (r.state, r.message) for r in rows if r.state != "built"}
    assert shown == {doc: ("skipped", line) for doc, line in lines.items()}
    assert stale_documents(corpus, set(TOPICS)) == lines  # what review marks NOT CURRENT
    everything = ExportOptions(include_flagged=True, include_same_language=True)
    stats = export_corpus(corpus, "tsv", tmp_path / "all.tsv", everything)
    assert stats.documents == 6 and not stats.documents_changed
    for doc, line in lines.items():
        assert any(x.startswith(f"warning: {doc}: {line}; exported as last built")
                   for x in stats.lines())  # fmt: skip
    assert not any("never built" in line for line in stats.lines())
    # The fix named: the file itself in place of the link. Nothing was lost.
    (corpus / "original" / "bridge.txt").unlink()
    (corpus / "original" / "bridge.txt").write_text(_article("bridge"), encoding="utf-8")
    assert "bridge" in _build(corpus).up_to_date


def test_a_name_the_build_never_read_is_listed_by_status_as_the_build_says(
    corpus: Path, tmp_path: Path
) -> None:
    """A new symlink, a hidden file and a link with a line break in its name: the build
    named them, status listed none of them (and export said "`toolkit status` says why")."""
    (corpus / "original" / "new.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "original" / ".draft.txt").write_text(_article("draft"), encoding="utf-8")
    (corpus / "original" / "odd\nname.txt").symlink_to("/dev/zero")
    unread = [line for line in _build(corpus).lines() if line.startswith("skipped")]
    rows, _stray = corpus_status(corpus)
    said = [r.message for r in rows if r.state == "skipped"]
    assert sorted(said) == sorted(unread) and len(said) == 3
    assert "skipped (a symlink, never followed: it may point anywhere; replace it with the " \
        "file itself): original/odd\\nname.txt" in said  # fmt: skip
    assert {r.document for r in rows if r.state == "skipped"} == {"new", ".draft.txt",
                                                                   "odd\\nname.txt"}  # fmt: skip


def test_an_article_swapped_for_a_link_while_the_build_reads_is_not_followed(
    corpus: Path, tmp_path: Path
) -> None:
    """Another terminal replaces an article by a symlink after the build listed original/:
    the build followed it (reading, and translating, a file outside the corpus). Now that
    document fails with one line and keeps its English."""
    from toolkit._faults import set_hook

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE-7f3a is what this file says.\n", encoding="utf-8")
    target = corpus / "original" / "bridge.txt"

    def swap(point: str) -> None:
        if point == "prepare" and not target.is_symlink():
            target.unlink()
            target.symlink_to(secret)

    set_hook(swap)
    try:
        summary = _build(corpus)
    finally:
        set_hook(None)
    assert summary.exit_code == 1 and summary.gone == []
    assert summary.errors["bridge"].startswith("original/bridge.txt: became a symlink while")
    outputs = b"".join(p.read_bytes() for p in (corpus / "english").iterdir())
    assert b"TOP-SECRET" not in outputs and b"bridge" in outputs


def test_add_over_a_link_says_what_is_in_the_way_and_adds_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    """The fix named for a link is the file itself in its place; ``toolkit add`` of that file
    said "already exists with different content; rename the new file", and had added the
    files given before it. Now it names the link, and adds none or all."""
    (corpus / "original" / "bridge.txt").unlink()
    (corpus / "original" / "bridge.txt").symlink_to(tmp_path / "nowhere.txt")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for topic in ("aardvark", "bridge"):
        (incoming / f"{topic}.txt").write_text(_article(topic), encoding="utf-8")
    args = _add(corpus, incoming / "aardvark.txt", incoming / "bridge.txt")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.endswith(
        f"{incoming / 'bridge.txt'}: original/bridge.txt already exists as a symlink, which the "
        "build never reads; remove it, then add the file again (nothing was added)\n"
    )
    assert not (corpus / "original" / "aardvark.txt").exists()
    (corpus / "original" / "bridge.txt").unlink()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 built, 1 up to date" in result.output  # bridge's kept English is current again
    assert (corpus / "original" / "aardvark.txt").is_file()


def test_add_of_two_files_with_one_name_adds_neither(corpus: Path, tmp_path: Path) -> None:
    """``a/zoo.txt`` and ``b/zoo.txt`` are both ``original/zoo.txt``: the first was added and
    the second refused; checked before anything is copied now."""
    for folder, topic in (("a", "zoo"), ("b", "park")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "zoo.txt").write_text(_article(topic), encoding="utf-8")
    result = CliRunner().invoke(cli, _add(corpus, tmp_path / "a/zoo.txt", tmp_path / "b/zoo.txt"))
    assert result.exit_code == 1
    assert "same name as" in result.output and "(nothing was added)" in result.output
    assert not (corpus / "original" / "zoo.txt").exists()
