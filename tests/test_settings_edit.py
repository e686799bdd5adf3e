"""``toolkit add --encoding`` edits corpus/settings.yaml: every other key and comment stays.

It rewrote the file from its encodings alone when there was no block-style ``encodings:``
mapping, dropping ``plain_text:`` and ``languages:`` (the next build refused the page it
had been told was text, silently keeping its stale English).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.corpus.settings import load_corpus_settings, set_file_encoding
from toolkit.errors import CorpusError

OTHERS = [
    "# n\nplain_text: [page.txt]\nlanguages: {page.txt: de}\n",
    "# n\nplain_text:\n  - page.txt  # a page quoted\nlanguages:\n  page.txt: de\n",
    "plain_text: [page.txt]\nlanguages: {page.txt: de}",  # no final line break
    "{plain_text: [page.txt], languages: {page.txt: de}}  # all flow\n",
    "plain_text: [page.txt]\nencodings: ~  # none yet\nlanguages: {page.txt: de}\n",
    "plain_text: [page.txt]\nencodings: {a.txt: latin-1}\nlanguages: {page.txt: de}\n",
    "# n\nencodings:\n  a.txt: latin-1  # old\nplain_text: [page.txt]\nlanguages: {page.txt: de}\n",
    "plain_text: [page.txt]\nlanguages: {page.txt: de}\nencodings:",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "r"
    (root / "original").mkdir(parents=True)
    for name in ("page.txt", "a.txt", "cz.txt"):
        (root / "original" / name).write_text("x\n")
    return root


@pytest.mark.parametrize("settings", OTHERS)
@pytest.mark.parametrize("name", ["cz.txt", "a.txt"])
def test_recording_an_encoding_keeps_every_other_key_and_comment(
    corpus: Path, settings: str, name: str
) -> None:
    (corpus / "settings.yaml").write_text(settings)
    before = yaml.safe_load(settings)
    set_file_encoding(corpus, name, "cp1250")
    text = (corpus / "settings.yaml").read_text()
    after = yaml.safe_load(text)
    assert after.pop("encodings") == {**(before.pop("encodings", None) or {}), name: "cp1250"}
    assert after == before
    for line in settings.splitlines():
        if "#" in line:
            assert line[line.index("#") :] in text
    read = load_corpus_settings(corpus)
    assert read.plain_text == ("page.txt",) and read.languages == {"page.txt": "de"}


def test_an_edit_that_would_change_anything_else_writes_nothing(corpus: Path) -> None:
    settings = "{plain_text: [page.txt], }\n"  # a trailing comma: no local edit reads back
    (corpus / "settings.yaml").write_text(settings)
    with pytest.raises(CorpusError, match=r"add cz.txt: cp1250 under encodings: by hand$"):
        set_file_encoding(corpus, "cz.txt", "cp1250")
    assert (corpus / "settings.yaml").read_text() == settings


@pytest.mark.parametrize("settings", OTHERS)
@pytest.mark.parametrize("name", ["cz.txt", "a.txt"])
def test_a_windows_settings_file_keeps_its_line_endings_and_bom(
    corpus: Path, settings: str, name: str
) -> None:
    # read_text turned every CRLF into LF, so the whole file was rewritten (s7attack4).
    crlf = "\ufeff" + settings.replace("\n", "\r\n")
    (corpus / "settings.yaml").write_bytes(crlf.encode("utf-8"))
    set_file_encoding(corpus, name, "cp1250")
    data = (corpus / "settings.yaml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8")
    for line in crlf[1:].split("\r\n"):  # the lines the edit does not touch, as they were
        if line and not line.startswith("{") and "encodings" not in line and "a.txt" not in line:
            assert line + "\r\n" in text or text.endswith(line)
    assert load_corpus_settings(corpus).encodings[name] == "cp1250"
