"""Adversarial checks of legacy-encoding overrides: odd codec names and settings.yaml rewrites.

Each test reproduces a problem found by using the tool as a user or an attacker would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes import FakeProvider

from toolkit.cli.app import cli
from toolkit.config.prepare import DecodeConfig, codec_name
from toolkit.corpus.formats import read_meta
from toolkit.corpus.settings import load_corpus_settings
from toolkit.errors import InputError
from toolkit.pipeline.build import build_corpus
from toolkit.prepare.decode import decode_bytes

TEXT = "Der Pfad C:\\new\\x41 führt zu Hélène.\n"


@pytest.mark.parametrize(
    "name", ["undefined", "unicode_escape", "raw_unicode_escape", "idna", "punycode"]
)
def test_codecs_that_are_not_file_encodings_are_refused(name: str, tmp_path: Path) -> None:
    """``undefined`` and ``punycode`` crashed with a traceback; ``unicode_escape`` silently
    turned the text ``\\n`` into a line break; IDNA is for host names, not articles."""
    with pytest.raises(ValueError, match="unknown encoding"):
        codec_name(name)
    article = tmp_path / "a.txt"
    article.write_bytes(TEXT.encode("utf-8"))
    result = CliRunner().invoke(cli, ["clean", "--encoding", name, str(article)])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "unknown encoding" in result.stderr
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (corpus / "settings.yaml").write_text(f"encodings:\n  a.txt: {name}\n")
    build = CliRunner().invoke(cli, ["build", str(corpus), "-q"])
    assert build.exit_code == 1 and "Traceback" not in build.output
    assert build.stderr.count("\n") == 1 and "unknown encoding" in build.stderr


def test_a_very_long_codec_name_is_not_echoed_in_full(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_bytes(TEXT.encode("utf-8"))
    result = CliRunner().invoke(cli, ["clean", "--encoding", "x" * 10_000, str(article)])
    assert result.exit_code == 2
    assert "unknown encoding" in result.stderr and len(result.stderr) < 300


SETTINGS = (
    "# Notes: prague.txt came from the Czech desk; checked by Anna.\n"
    "encodings:\n"
    "  prague.txt: cp1250   # confirmed with the sender\n"
    "  # old.txt is latin-1 but decodes the same as cp1252\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / "prague.txt").write_bytes(
        "The orchestra played Dvořák in the city hall today.\n".encode("cp1250")
    )
    return root


def test_add_encoding_keeps_the_users_comments(corpus: Path, tmp_path: Path) -> None:
    """``toolkit add --encoding`` rewrote settings.yaml from its parsed content and silently
    dropped every comment the user had written there."""
    (corpus / "settings.yaml").write_text(SETTINGS)
    new = tmp_path / "brno.txt"
    new.write_bytes("The orchestra played Janáček in the city hall today.\n".encode("cp1250"))
    result = CliRunner().invoke(
        cli, ["add", "--corpus", str(corpus), "--encoding", "cp1250", str(new)]
    )
    assert result.exit_code == 0, result.stderr
    text = (corpus / "settings.yaml").read_text()
    for line in SETTINGS.splitlines():
        assert line in text
    assert load_corpus_settings(corpus).encodings == {"prague.txt": "cp1250", "brno.txt": "cp1250"}


@pytest.mark.parametrize(
    "settings",
    [
        SETTINGS,
        "# only a comment\n",
        "# a comment\nencodings: {prague.txt: cp1250}  # flow style\n",
        "# a comment\nencodings:\n",
        "encodings:\n    prague.txt: cp1250 # four spaces\n",
    ],
)
def test_changing_an_entry_keeps_comments_and_other_entries(corpus: Path, settings: str) -> None:
    from toolkit.corpus.settings import set_file_encoding

    (corpus / "settings.yaml").write_text(settings)
    (corpus / "original" / "x\u202e.txt").write_bytes(b"abc\n")
    set_file_encoding(corpus, "prague.txt", "latin-1")
    set_file_encoding(corpus, "x\u202e.txt", "cp1252")
    text = (corpus / "settings.yaml").read_text()
    for line in settings.splitlines():
        if "#" in line:
            assert line[line.index("#") :] in text
    assert load_corpus_settings(corpus).encodings == {
        "prague.txt": "iso8859-1",
        "x\u202e.txt": "cp1252",
    }
    summary = build_corpus(corpus, provider=FakeProvider())  # the build reads it, too
    assert read_meta(corpus / "english" / "prague.meta.json").input.encoding == "iso8859-1"
    # A bidi control in a file name gives no safe document id: reported, never built.
    assert list(summary.errors) == ["original/x\u202e.txt"]
    assert "rename the file" in summary.errors["original/x\u202e.txt"]


@pytest.mark.parametrize("name", ["a\x85b.txt", "a\u2028b.txt", "a\nb.txt", "x" * 200 + ".txt"])
def test_add_encoding_for_odd_file_names_leaves_a_readable_settings_file(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    """YAML folds NEL and LS inside a quoted key into a space: the written settings.yaml named
    a file that does not exist and every later build stopped with an error."""
    (corpus / "settings.yaml").write_text(SETTINGS)
    new = tmp_path / name
    new.write_bytes("The orchestra played Janáček in the city hall today.\n".encode("cp1250"))
    result = CliRunner().invoke(
        cli, ["add", "--corpus", str(corpus), "--encoding", "cp1250", str(new)]
    )
    if not name.startswith("x"):  # a line break in a name gives no safe document id
        assert result.exit_code == 1 and "rename the file" in result.stderr
        assert load_corpus_settings(corpus).encodings == {"prague.txt": "cp1250"}
        return
    assert result.exit_code == 0, result.stderr
    assert load_corpus_settings(corpus).encodings == {"prague.txt": "cp1250", name: "cp1250"}
    rebuild = CliRunner().invoke(cli, ["build", str(corpus), "-q"])
    assert rebuild.exit_code == 0, rebuild.stderr


def test_utf8_article_with_a_few_legacy_bytes_is_refused_not_turned_into_mojibake() -> None:
    """A UTF-8 article with a cp1252 sentence pasted in (or one stray byte) was decoded as a
    single-byte code page: every UTF-8 umlaut became mojibake (``fÃ¼r``, ``fÌr``), with no
    warning at all. Real 10kGNAD/UD documents, each with a cp1252 sentence of another."""
    from test_encodings import _shared_documents

    docs = _shared_documents()
    refused = tried = 0
    for i, doc in enumerate(docs):
        other = docs[(i + 7) % len(docs)]
        extra = [s for s in other.split(". ") if any("\x80" <= ch <= "\xff" for ch in s)]
        if not extra or not any(ch >= "\x80" for ch in doc):
            continue
        try:
            pasted = (extra[0] + ".").encode("cp1252")
        except UnicodeEncodeError:
            continue
        tried += 1
        try:
            decode_bytes(doc.encode("utf-8") + b"\n\n" + pasted)
        except InputError as err:
            # or, where the UTF-8 part has few multi-byte letters, as two encodings pasted
            # together (toolkit.prepare.codepage_split): refused either way, in one line
            message = str(err)
            assert "is UTF-8 except for" in message or "two encodings pasted" in message
            assert "\n" not in message
            refused += 1
    assert tried >= 1000
    assert refused >= 0.95 * tried
    with pytest.raises(InputError, match=r"is UTF-8 except for 1 byte \(at byte offset 22: 0xff\)"):
        decode_bytes("Hélène und Zoë besu".encode() + b"\xff" + "chten Köln.".encode())


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_names_the_encoding_to_pass(codec: str) -> None:
    """UTF-16 without a BOM was called 'binary data (NUL bytes); remove it from original/':
    the fix it named would throw the article away. It now names the --encoding that reads it."""
    from test_encodings import _shared_documents

    doc = next(d for d in _shared_documents() if "ü" in d)
    data = doc.encode(codec)
    with pytest.raises(InputError) as err:
        decode_bytes(data)
    assert str(err.value) == (
        f"looks like {codec.upper()} text without a byte-order mark; "
        f"pass --encoding {codec}, or re-save it as UTF-8"
    )
    assert decode_bytes(data, DecodeConfig(encoding=codec)).text == doc
    with pytest.raises(InputError, match="binary data"):  # real binary data is still binary
        decode_bytes(bytes(range(256)) * 8)
