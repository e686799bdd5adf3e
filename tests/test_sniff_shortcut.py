"""The markup sniff's shortcut: a text without ``<`` skips the HTML rules, which all need a tag.

``markup_kind`` runs its HTML rules (``_page_kind``) only when the text holds a ``<``; these
tests check the lemma that makes the shortcut exact: on text without ``<`` the rules find
nothing, whatever the text looks like (header lines, comments' look-alikes, entities,
``</``-free closing words). A new rule that could fire without a tag fails here.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.prepare import sniff

# Characters the rules look at, minus "<": tag and comment punctuation, header and MIME
# syntax, line ends, the RTF start, entities.
_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" \t\n\r>/!-=:;.,?\"'&#{}\\\ufeff")
    + ["html", "body", "p", "br", "div", "script", "style", "!doctype", "Content-Type:",
       "MIME-Version: 1.0", "&lt;p&gt;", "&#60;", "\n\n", "From "]
)


def _rules(text: str) -> str | None:
    lead_end = sniff._MARKUP_LEAD.match(text, 0, 4096)
    start = lead_end.end() if lead_end else 0
    return sniff._page_kind(text, start, text[start : start + 64].lower())


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_the_html_rules_find_nothing_in_text_without_a_tag(text: str) -> None:
    assert "<" not in text
    assert _rules(text) is None


def test_the_shortcut_answers_as_the_rules_on_real_text() -> None:
    """The seeds and the shipped originals (no "<" in them) and the same texts with one tag
    added: the shortcut and the rules agree on each."""
    root = Path(__file__).resolve().parents[1]
    originals = sorted((root / "corpus" / "original").iterdir())
    texts = [p.read_text(encoding="utf-8") for p in originals]
    assert texts
    for text in texts:
        assert "<" not in text and sniff.markup_kind(text) is None
        assert sniff.markup_kind(f"<p>{text}</p>") == _rules(f"<p>{text}</p>")
        page = f"<html>\n<body>\n{text}\n</body>\n</html>\n"
        assert sniff.markup_kind(page) == _rules(page) == "an HTML page"
