"""The way out of the markup sniff: ``plain_text:`` in ``corpus/settings.yaml`` names
originals that are plain text though they look like markup (an article quoting a page).

The sniff judges how much of a text is markup, not why it is there; a file it refuses that
is an article after all is built once its name is listed, and only that document rebuilds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.config.prepare import DecodeConfig
from toolkit.corpus.formats import read_meta
from toolkit.corpus.settings import load_corpus_settings
from toolkit.errors import CorpusError, InputError
from toolkit.pipeline.build import build_corpus
from toolkit.prepare.decode import decode_bytes

# English (no model needed): a tutorial whose lines are mostly the markup it teaches.
TUTORIAL = (
    "<p>A paragraph starts with p.</p>\n<b>Bold text uses b.</b>\n"
    "The council's web team wrote this guide for new editors.\n"
)
PLAIN = "The council met on Monday. It approved the budget for the new school year.\n"
WAY_OUT = "if it is plain text after all, list its name under plain_text: in corpus/settings.yaml"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / "tutorial.txt").write_text(TUTORIAL)
    (root / "original" / "council.txt").write_text(PLAIN)
    return root


def test_the_refusal_names_the_way_out_and_the_setting_builds_only_that_file(
    corpus: Path,
) -> None:
    first = build_corpus(corpus, provider=FakeProvider())
    lines = "\n".join(first.lines())
    assert "original/tutorial.txt: is part of an HTML page, not plain text; " in lines
    assert WAY_OUT.replace("corpus/settings.yaml", str(corpus / "settings.yaml")) in lines
    council = (corpus / "english" / "council.meta.json").read_bytes()
    (corpus / "settings.yaml").write_text("plain_text:\n  - tutorial.txt\n")
    summary = build_corpus(corpus, provider=FakeProvider())
    # council's fingerprint is unchanged: an empty plain_text is not hashed.
    assert summary.built == ["tutorial"] and summary.up_to_date == ["council"]
    meta = read_meta(corpus / "english" / "tutorial.meta.json")
    assert meta.config is not None
    assert meta.config["prepare"]["decode"]["plain_text"] == ["tutorial.txt"]
    assert "<p>A paragraph" in meta.segments[0].source
    assert (corpus / "english" / "council.meta.json").read_bytes() == council
    again = build_corpus(corpus, provider=FakeProvider())
    assert again.built == [] and "nothing changed" in again.lines()


def test_decode_skips_the_sniff_only_for_a_listed_name() -> None:
    config = DecodeConfig(plain_text=("tutorial.txt",))
    assert decode_bytes(TUTORIAL.encode(), config, "tutorial.txt").text == TUTORIAL
    with pytest.raises(InputError, match=WAY_OUT):
        decode_bytes(TUTORIAL.encode(), config, "other.txt")
    # An RTF document is never plain text: its refusal offers no way out.
    with pytest.raises(InputError) as err:
        decode_bytes(b"{\\rtf1\\ansi Hallo}", config, "other.txt")
    assert "plain_text" not in str(err.value)


def test_a_name_listed_before_toolkit_add_lets_the_file_in(corpus: Path, tmp_path: Path) -> None:
    new = tmp_path / "guide.txt"
    new.write_text(TUTORIAL.replace("guide", "second guide"))
    runner = CliRunner()
    refused = runner.invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert refused.exit_code != 0 and "plain_text:" in refused.stderr
    (corpus / "settings.yaml").write_text("plain_text:\n  - guide.txt\n")
    added = runner.invoke(cli, ["add", "--corpus", str(corpus), str(new)])
    assert added.exit_code == 0, added.stderr
    assert (corpus / "original" / "guide.txt").read_text() == new.read_text()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("plain_text: tutorial.txt\n", "'plain_text' must list file names"),
        ("plain_text:\n  - ../council.txt\n", "plain_text: '../council.txt': give a file name"),
        ("plain_text:\n  - 3\n", "plain_text: 3: give a file name"),
        ("plaintext:\n  - tutorial.txt\n", "known keys: encodings, plain_text"),
        # --plain-text's internal marker made every original plain text.
        ("plain_text: ['*']\n", "plain_text: '*' is not a file name: list each file"),
        # Near names were taken silently and never applied: the line names the file meant.
        ("plain_text: [Tutorial.txt]\n", "'Tutorial.txt' is not a file in original/, but "
         "'tutorial.txt' is"),
        ("plain_text: [tutorial]\n", "'tutorial' is not a file in original/, but 'tutorial.txt'"),
        ("plain_text: ['tutorial.txt ']\n", "'tutorial.txt ' is not a file in original/, but"),
        ("languages: {Council.txt: en}\n", "languages: 'Council.txt' is not a file in original/, "
         "but 'council.txt' is"),
        ("encodings: {council: cp1250}\n", "encodings: 'council' is not a file in original/, "
         "but 'council.txt' is"),
        # YAML reads Norwegian's code (and yes/on/off/true/false) as a yes/no value: the line
        # said "give a language code" for what looks like one (s7attack4); it says to quote it.
        ("languages: {council.txt: no}\n", "quote the word (x.txt: 'no')"),
        ("languages:\n  council.txt: On\n", "quote the word (x.txt: 'no')"),
        ("plain_text: [off]\n", "quote the word (x.txt: 'no')"),
    ],
)
def test_a_bad_plain_text_entry_is_one_line_naming_the_file(
    corpus: Path, content: str, needle: str
) -> None:
    (corpus / "settings.yaml").write_text(content)
    with pytest.raises(CorpusError) as err:
        load_corpus_settings(corpus)
    assert str(err.value).startswith(str(corpus / "settings.yaml")) and needle in str(err.value)


def test_corpora_built_before_the_setting_are_not_rebuilt() -> None:
    # Builds before plain_text recorded no such field: an empty one is not hashed, so their
    # fingerprints still match and nothing rebuilds; a listed name is hashed.
    from toolkit.config.build import BuildConfig
    from toolkit.pipeline.fingerprint import encoded_settings

    config = BuildConfig()
    assert "plain_text" not in encoded_settings(config)
    decode = config.prepare.decode.model_copy(update={"plain_text": ("a.txt",)})
    prepare = config.prepare.model_copy(update={"decode": decode})
    listed = config.model_copy(update={"prepare": prepare})
    assert '"plain_text":["a.txt"]' in encoded_settings(listed).replace(" ", "")


@pytest.mark.parametrize("command", ["clean", "detect", "segment", "translate"])
def test_single_file_commands_take_plain_text(command: str, tmp_path: Path) -> None:
    article = tmp_path / "tutorial.txt"
    article.write_text(TUTORIAL)
    runner = CliRunner()
    extra = ["--packages-dir", str(tmp_path / "none"), "-q"] if command == "translate" else []
    refused = runner.invoke(cli, [command, *extra, str(article)])
    assert refused.exit_code == 1
    assert "if it is plain text after all, pass --plain-text" in refused.stderr
    assert "settings.yaml" not in refused.stderr  # no corpus here
    read = runner.invoke(cli, [command, *extra, "--plain-text", str(article)])
    assert read.exit_code == 0, read.stderr
    assert command == "detect" or "<p>A paragraph" in read.stdout


def test_glossary_check_reads_a_listed_original_as_the_build_does(
    corpus: Path, tmp_path: Path
) -> None:
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("version: 1\nentries:\n  - term: council\n    kind: organization\n")
    (corpus / "settings.yaml").write_text("plain_text:\n  - tutorial.txt\n")
    args = ["glossary", "check", "--glossary", str(glossary), "--corpus", str(corpus)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "HTML" not in result.output
