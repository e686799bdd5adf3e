"""The traps of hand-written YAML, named in one wording for both files users write: a
glossary's ``languages: [no]`` (Norwegian) or ``term: Yes`` is a yes/no value, as it is in
``settings.yaml``; and a ``settings.yaml`` entry matches an original only by its very name,
also on a case-insensitive disk (session 7's "Noticed and left alone")."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.corpus.settings import load_corpus_settings
from toolkit.errors import CorpusError
from toolkit.glossary.load import parse_glossary
from toolkit.glossary.model import GlossaryError

TRAP = "YAML reads no/off/false and yes/on/true as yes/no values: quote the word"


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("    languages: [no]\n", f"4:17: entries[0].languages[0]: Input should be a valid "
         f"string; {TRAP} (languages: ['no'])"),
        ("    aliases: [Nobu-san, On]\n", f"4:25: entries[0].aliases[1]: Input should be a "
         f"valid string; {TRAP} (aliases: ['On'])"),
        ("    note: off\n", f"4:5: entries[0].note: Input should be a valid string; {TRAP} "
         "(note: 'off')"),
        ("    aliases: [Yes]\n", f"4:15: entries[0].aliases[0]: Input should be a valid string; "
         f"{TRAP} (aliases: ['Yes'])"),
    ],
)
def test_a_glossary_word_yaml_reads_as_yes_or_no_is_named(entry: str, said: str) -> None:
    """``languages: [no]`` said only "Input should be a valid string" for what looks like
    Norwegian's code; the line now says what settings.yaml's says (one owner)."""
    text = "entries:\n  - term: Nobu\n    kind: person\n" + entry
    with pytest.raises(GlossaryError) as refused:
        parse_glossary(text.encode())
    assert str(refused.value) == f"glossary.yaml:{said}"


def test_a_glossary_yes_or_no_where_one_belongs_is_read() -> None:
    text = "entries:\n  - term: Nobu\n    kind: person\n    case_sensitive: no\n"
    assert parse_glossary(text.encode()).entries[0].case_sensitive is False
    with pytest.raises(GlossaryError) as refused:  # no quote makes "yes" a kind
        parse_glossary(b"entries:\n  - term: Nobu\n    kind: yes\n")
    assert TRAP not in str(refused.value)


@pytest.fixture
def case_insensitive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus with ``original/page.txt`` on a disk that, like macOS's or Windows', says
    ``Page.txt`` is a file too."""
    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / "page.txt").write_text("Der Rat tagte am Montag.\n", encoding="utf-8")
    is_file = Path.is_file

    def folded(path: Path) -> bool:
        if path.parent.name == "original" and path.parent.is_dir():
            return any(p.name.casefold() == path.name.casefold() and is_file(p)
                       for p in path.parent.iterdir())  # fmt: skip
        return is_file(path)

    monkeypatch.setattr(Path, "is_file", folded)
    return root


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("plain_text: [Page.txt]\n", "1:14: plain_text: 'Page.txt' is not a file in original/, "
         "but 'page.txt' is"),
        ("languages: {Page.txt: de}\n", "1:13: languages: 'Page.txt' is not a file in "
         "original/, but 'page.txt' is"),
        ("encodings: {Page.txt: cp1250}\n", "1:13: encodings: 'Page.txt' is not a file in "
         "original/, but 'page.txt' is"),
    ],
)
def test_an_entry_in_other_case_is_named_on_a_case_insensitive_disk(
    case_insensitive: Path, content: str, said: str
) -> None:
    """There ``Page.txt`` "is a file", so the entry was taken, and never applied: the build
    looks ``page.txt`` up by its very name."""
    assert (case_insensitive / "original" / "Page.txt").is_file()  # what such a disk says
    (case_insensitive / "settings.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as refused:
        load_corpus_settings(case_insensitive)
    assert str(refused.value) == f"{case_insensitive / 'settings.yaml'}:{said}; fix or remove it"


@pytest.mark.parametrize("key", ["languages: {%s: de}", "plain_text: [%s]"])
def test_an_entry_typed_in_nfd_is_named(tmp_path: Path, key: str) -> None:
    """``café.txt`` typed in NFD (copied from Finder) names no original, and was ignored with
    no word: near names are compared in one Unicode form too."""
    import unicodedata

    root = tmp_path / "corpus"
    (root / "original").mkdir(parents=True)
    (root / "original" / "café.txt").write_text("Der Rat tagte am Montag.\n", encoding="utf-8")
    entry = unicodedata.normalize("NFD", "café.txt")
    (root / "settings.yaml").write_text(key % entry + "\n", encoding="utf-8")
    with pytest.raises(CorpusError) as refused:
        load_corpus_settings(root)
    assert str(refused.value).endswith(
        "is not a file in original/, but 'café.txt' is (the same letters in another Unicode "
        "form: retype it); fix or remove it"
    )
