"""Glossary: loading errors with positions, the shipped glossary, matching, and pinning.

Pinning is tested with deterministic fake translators that each mistreat placeholders in one
known way; whatever they do, every pinned term must reach the English count for count, or
the segment must be flagged lost.
"""

from __future__ import annotations

import itertools
import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.config.glossary import LOST_FLAG, GlossaryConfig
from toolkit.glossary.load import load_glossary, parse_glossary
from toolkit.glossary.match import canonicalize_english, find_matches, verify_terms
from toolkit.glossary.model import Glossary, GlossaryEntry, GlossaryError
from toolkit.glossary.pin import Pinned, TranslatorContractError, pin_translate, protect, restore

ROOT = Path(__file__).resolve().parents[1]
ARTICLE_LANGUAGES = {"000": "de", "001": "en", "002": "nl", "003": "en"}  # per the corpus README
PREFIX = GlossaryConfig().placeholder_prefix
PLACEHOLDER = re.compile(rf"{PREFIX}\d+")

Translate = Callable[[list[str]], list[str]]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    return message


def position(message: str) -> tuple[int, int]:
    found = re.search(r"glossary\.yaml:(\d+):(\d+): ", message)
    assert found, message
    return int(found.group(1)), int(found.group(2))


def make(*entries: dict[str, object]) -> Glossary:
    return Glossary.from_entries([GlossaryEntry.model_validate(e) for e in entries])


# --------------------------------------------------------------------------- loading errors


GOOD = """\
version: 1
entries:
  - term: Skims
    aliases: [SKIMS, SKIMs]
    kind: brand
  - term: Kim Kardashian
    kind: person
"""


def test_valid_file_loads_with_sha256(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, GOOD)
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["Skims", "Kim Kardashian"]
    assert glossary.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert glossary.entries[0].case_sensitive is True
    assert glossary.entries[0].languages is None


def test_languages_take_region_tags_and_any_case_like_from(tmp_path: Path) -> None:
    """``de-DE`` in a glossary names German, as ``--from de-DE`` and a TMX ``xml:lang`` do:
    the entry is matched in a German document (it used to refuse the whole file)."""
    text = "entries:\n  - term: North\n    kind: person\n    languages: [de-DE, DE, nl_NL]\n"
    glossary = load_glossary(write(tmp_path, text))
    assert glossary.entries[0].languages == ["de", "nl"]
    assert matched("Die kleine North lacht.", "de", glossary) == ["North"]
    assert matched("Little North laughs.", "en", glossary) == []


def test_a_language_name_gets_the_advice_from_gives(tmp_path: Path) -> None:
    text = "entries:\n  - term: North\n    kind: person\n    languages: [german]\n"
    message = load_error(tmp_path, text)
    assert position(message)[0] == 4
    assert "'german': a language name, not a code; use de" in message
    assert "installed model pairs" not in message  # a glossary asks no models


def test_malformed_yaml_names_line_and_column(tmp_path: Path) -> None:
    text = "entries:\n  - term: Skims\n    kind: [brand\n"
    message = load_error(tmp_path, text)
    line, _ = position(message)
    assert line >= 3
    assert "invalid YAML" in message


@pytest.mark.parametrize(
    ("text", "line", "column", "needles"),
    [
        pytest.param(
            "entries:\n  - term: Skims\n   kind: brand\n", 3, None, (), id="bad-indentation"
        ),
        pytest.param(
            GOOD + "  - kind: brand\n    aliases: [X]\n",
            8,
            5,
            ("entries[2].term", "required"),
            id="missing-term-points-at-the-entry",
        ),
        pytest.param(
            GOOD + "  - term: Vogue\n    kind: publication\n    case_sensitive: sometimes\n",
            10,
            5,
            ("case_sensitive",),
            id="wrong-type-points-at-the-field",
        ),
        pytest.param(
            "entries:\n  - term: Skims\n    kind: brand\n    aliases:\n      - SKIMS\n      - 42\n",
            6,
            9,
            ("aliases[1]",),
            id="wrong-alias-item-type",
        ),
        pytest.param(
            "entries:\n  - term: Skims\n    kind: brnd\n", 3, 5, ("'person'",), id="unknown-kind"
        ),
        pytest.param(
            "entries:\n  - term: Skims\n    kind: brand\n    alias: [X]\n",
            4,
            5,
            ("alias",),
            id="unknown-field",
        ),
        pytest.param(
            "entries:\n  - term: North\n    kind: person\n    languages: [de, German]\n",
            4,
            None,
            ("German",),
            id="bad-language-code",
        ),
        pytest.param(
            "entries:\n  - term: Skims\n    kind: brand\n    aliases: [SKIMS, SKIMS]\n",
            4,
            None,
            (),
            id="alias-repeated-inside-one-entry",
        ),
        pytest.param(
            "entries:\n  - term: Skims\n    kind: brand\n    term: X\n",
            4,
            5,
            ("duplicate key",),
            id="duplicate-mapping-key",
        ),
    ],
)
def test_a_mistake_is_one_line_at_its_place(
    tmp_path: Path, text: str, line: int, column: int | None, needles: tuple[str, ...]
) -> None:
    """Each mistake is one line ``glossary.yaml:LINE:COL: ...`` pointing at the culprit
    (``column`` None: only the line is pinned) and naming it."""
    message = load_error(tmp_path, text)
    assert position(message)[0] == line
    assert column is None or position(message)[1] == column
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize(
    ("extra", "line", "owner_line"),
    [
        pytest.param("  - term: Skims\n    kind: brand\n", 8, 3, id="duplicate-term"),
        pytest.param(
            "  - term: Skims Shop\n    kind: brand\n    aliases: [SKIMs]\n",
            10,
            4,
            id="alias-claimed-twice",
        ),
        pytest.param(
            "  - term: Kim\n    kind: person\n    aliases: [Kim  Kardashian]\n",
            10,
            6,
            id="alias-equal-to-another-term",
        ),
        pytest.param(
            "  - term: skims\n    kind: other\n    case_sensitive: false\n",
            8,
            3,
            id="case-insensitive-entry-collides-with-case-variant",
        ),
    ],
)
def test_a_spelling_claimed_twice_names_both_lines(
    tmp_path: Path, extra: str, line: int, owner_line: int
) -> None:
    """The error points at the second claim and names the line of the first."""
    message = load_error(tmp_path, GOOD + extra)
    assert position(message)[0] == line
    assert f"line {owner_line}" in message


def test_case_sensitive_entries_may_differ_only_in_case(tmp_path: Path) -> None:
    text = "entries:\n  - term: US\n    kind: place\n  - term: Us\n    kind: publication\n"
    glossary = load_glossary(write(tmp_path, text))
    assert [m.term for m in find_matches("US and Us", "en", glossary)] == ["US", "Us"]


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        pytest.param(
            "entries:\n  - term: Skims\n    kind: brand\n    note: 2024-13-01\n",
            (4, 11),
            "'2024-13-01' cannot be read as a date",
            id="impossible-date",
        ),
        pytest.param(
            "version: " + "1" * 5000 + "\nentries: []\n",
            (1, 10),
            "cannot be read as an integer",
            id="5000-digit-integer",
        ),
    ],
)
def test_a_value_python_cannot_build_is_a_one_line_error(
    tmp_path: Path, text: str, where: tuple[int, int], needle: str
) -> None:
    """YAML reads these as a date and an integer, which Python refuses with ValueError (it
    escaped as a traceback); now they are refused at their place, the value shortened."""
    message = load_error(tmp_path, text)
    assert position(message) == where
    assert needle in message and "quote it" in message
    assert len(message) < 300


def test_anchor_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    message = load_error(tmp_path, "\n".join(lines) + "\nentries: []\n")
    assert position(message) == (1, 4)
    assert "anchor" in message


def test_plain_alias_is_refused(tmp_path: Path) -> None:
    text = "entries:\n  - term: Skims\n    kind: &k brand\n  - term: Vogue\n    kind: *k\n"
    message = load_error(tmp_path, text)
    assert position(message)[0] == 3


def test_python_tag_is_refused_and_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"entries: !!python/object/apply:os.system ['touch {marker}']\n"
    message = load_error(tmp_path, text)
    assert position(message) == (1, 10)
    assert "python/object" in message
    assert not marker.exists()


def test_custom_tag_is_refused(tmp_path: Path) -> None:
    message = load_error(tmp_path, "entries:\n  - term: !upper skims\n    kind: brand\n")
    assert position(message)[0] == 2


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    text = GOOD + "#" * 1_000_001 + "\n"
    message = load_error(tmp_path, text)
    assert "limit" in message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    message = load_error(tmp_path, "entries: " + "[" * 200 + "]" * 200 + "\n")
    assert "deeper" in message


def test_empty_file_wrong_top_level_multiple_documents(tmp_path: Path) -> None:
    assert "empty" in load_error(tmp_path, "# nothing\n")
    assert position(load_error(tmp_path, "- term: Skims\n")) == (1, 1)
    assert position(load_error(tmp_path, GOOD + "---\nentries: []\n"))[0] == 8


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"entries:\n  - term: Sk\xefms\n")
    with pytest.raises(GlossaryError, match=r"glossary\.yaml:2:13: not UTF-8"):
        load_glossary(path)


def test_parse_glossary_names_the_given_source() -> None:
    glossary = parse_glossary(GOOD.encode(), "inline.yaml")
    assert glossary.path == "inline.yaml"
    with pytest.raises(GlossaryError, match=r"^inline\.yaml:3:5: "):
        parse_glossary(b"entries:\n  - term: X\n    kind: nope\n", "inline.yaml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read"):
        load_glossary(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- shipped glossary


def articles() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "corpus" / "original").glob("*.txt"))
    assert len(paths) == 4
    return [(ARTICLE_LANGUAGES[p.name[:3]], p.read_text(encoding="utf-8")) for p in paths]


def shipped() -> Glossary:
    return load_glossary(ROOT / "glossary.yaml")


def test_shipped_glossary_loads_and_every_entry_is_used() -> None:
    glossary = shipped()
    assert glossary.version == 1
    used = {m.term for lang, text in articles() for m in find_matches(text, lang, glossary)}
    unused = [e.term for e in glossary.entries if e.term not in used]
    assert unused == []


def test_shipped_glossary_covers_the_names_in_the_articles() -> None:
    terms = {e.term for e in shipped().entries}
    for name in ("Kim Kardashian", "Kanye West", "Skims", "KKW Beauty", "In Touch", "Malibu"):
        assert name in terms


def test_shipped_glossary_ye_is_separate_and_strict() -> None:
    glossary = shipped()
    found = find_matches("Ye said yes; ye olde YE. Yeezy and Ye's song", "en", glossary)
    assert [(m.matched, m.term) for m in found] == [("Ye", "Ye"), ("Yeezy", "Yeezy"), ("Ye", "Ye")]
    text, hits = canonicalize_english("Ye has since deleted the posts.", glossary)
    assert text == "Ye has since deleted the posts."
    assert [h.outcome for h in hits] == ["kept"]


def test_shipped_glossary_children_names_only_outside_english() -> None:
    glossary = shipped()
    sentence = "North, Saint und Psalm"
    assert [m.term for m in find_matches(sentence, "de", glossary)] == ["North", "Saint", "Psalm"]
    assert find_matches("North of the city, Saint Paul", "en", glossary) == []


def test_shipped_glossary_identity_roundtrip_on_articles() -> None:
    glossary = shipped()
    for lang, text in articles():
        sentences = [line for line in text.splitlines() if line.strip()]
        calls: list[int] = []

        def identity(batch: list[str], calls: list[int] = calls) -> list[str]:
            calls.append(len(batch))
            return list(batch)

        pinned = pin_translate(sentences, lang, glossary, identity)
        expected = [canonicalize_english(s, glossary)[0] if lang == "en" else s for s in sentences]
        if lang != "en":
            assert [p.english for p in pinned] == expected
        assert len(calls) == 1
        assert not any(p.lost for p in pinned)


# --------------------------------------------------------------------------- matching


@pytest.fixture
def small() -> Glossary:
    return make(
        {"term": "Kim", "kind": "person"},
        {"term": "Kim Kardashian", "kind": "person"},
        {"term": "Kanye West", "kind": "person"},
        {"term": "Skims", "aliases": ["SKIMS", "SKIMs"], "kind": "brand"},
        {"term": "Nobu", "kind": "venue", "case_sensitive": False},
        {"term": "North", "kind": "person", "languages": ["de", "nl"]},
        {"term": "Instagram", "kind": "platform"},
        {"term": "Ñandú", "kind": "other", "case_sensitive": False},
    )


def matched(text: str, lang: str, glossary: Glossary) -> list[str]:
    return [m.matched for m in find_matches(text, lang, glossary)]


def test_a_term_in_letters_newer_than_pythons_unicode_tables_is_accepted_and_matched() -> None:
    """U+31350 is a CJK Extension H letter (Unicode 15.0): Python 3.11's unicodedata calls it
    unassigned, so the spelling check refused a term the regex matcher finds."""
    name = "\U00031350\U00031351"
    glossary = Glossary.from_entries([GlossaryEntry(term=name, kind="person")])
    found = find_matches(f"Gestern kam {name} nach Wien.", "de", glossary)
    assert [m.entry.term for m in found] == [name]
    with pytest.raises(ValueError, match="at least one letter or digit"):
        GlossaryEntry(term="\U000e0001", kind="person")  # a tag character: still refused


def test_word_boundaries(small: Glossary) -> None:
    text = "Kimberly, Kim's, Kim’s, ÄKim, Kimé, _Kim, Kim2, North8, Instagram-Präsenz"
    assert matched(text, "de", small) == ["Kim", "Kim", "Instagram"]


def test_longest_match_first_and_non_overlapping(small: Glossary) -> None:
    found = find_matches("Kim Kardashian und Kim; Kim Kardashians", "de", small)
    assert [(m.matched, m.term) for m in found] == [
        ("Kim Kardashian", "Kim Kardashian"),
        ("Kim", "Kim"),
        ("Kim", "Kim"),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert [m.start for m in found] == [0, 19, 24]


def test_longest_match_wins_across_case_modes() -> None:
    # Case-sensitive and case-insensitive spellings sit in different trie branches; the
    # longest must win whichever branch the regex tries first.
    for handle in ("kimkardashian", "Kimkardashian"):
        glossary = make(
            {"term": "kim", "kind": "handle", "case_sensitive": False},
            {"term": "kim kimkardashian west", "kind": "handle", "case_sensitive": False},
            {"term": f"kim {handle}", "kind": "handle"},
        )
        found = find_matches(f"kim {handle} said, KIM", "en", glossary)
        assert [m.matched for m in found] == [f"kim {handle}", "KIM"]


def test_whitespace_inside_a_term_may_vary(small: Glossary) -> None:
    assert matched("mit Kanye\u00a0West und Kanye  West", "de", small) == [
        "Kanye\u00a0West",
        "Kanye  West",
    ]


def test_case_sensitive_and_insensitive_entries(small: Glossary) -> None:
    assert matched("KIM, kim, SKIMS, skims, SKIMs, NOBU, nobu, ñANDÚ", "de", small) == [
        "SKIMS",
        "SKIMs",
        "NOBU",
        "nobu",
        "ñANDÚ",
    ]
    assert {m.term for m in find_matches("NOBU SKIMs", "de", small)} == {"Nobu", "Skims"}


def test_language_filter(small: Glossary) -> None:
    assert matched("North", "de", small) == ["North"]
    assert matched("North", "de-AT", small) == ["North"]
    assert matched("North", "en", small) == []


def test_empty_glossary_matches_nothing() -> None:
    assert find_matches("Kim Kardashian", "de", Glossary.empty()) == []


def test_from_entries_rejects_collisions() -> None:
    with pytest.raises(GlossaryError, match="SKIMS"):
        make(
            {"term": "Skims", "aliases": ["SKIMS"], "kind": "brand"},
            {"term": "SKIMS", "kind": "brand"},
        )


# --------------------------------------------------------------------------- verify / english


def test_verify_terms(small: Glossary) -> None:
    source = "Kim traf Kim Kardashian und SKIMs."
    assert verify_terms(source, "Kim met Kim Kardashian and Skims.", "de", small) == []
    assert verify_terms(source, "Kim met Kardashian and Skims.", "de", small) == ["Kim Kardashian"]
    assert verify_terms(source, "Kim met Kim Kardashian and SKIMs.", "de", small) == ["Skims"]
    assert verify_terms("Kim und Kim", "Kim and her", "de", small) == ["Kim"]
    # more occurrences in the target are fine (genitives the source matcher skips)
    assert verify_terms("Kims Kim", "Kim's Kim", "de", small) == []


def test_canonicalize_english(small: Glossary) -> None:
    text, hits = canonicalize_english("The SKIMs founder Kim Kardashian, at nobu.", small)
    assert text == "The Skims founder Kim Kardashian, at Nobu."
    assert [(h.term, h.matched, h.strategy, h.outcome) for h in hits] == [
        ("Skims", "SKIMs", "rewrite", "rewritten"),
        ("Kim Kardashian", "Kim Kardashian", "none", "kept"),
        ("Nobu", "nobu", "rewrite", "rewritten"),
    ]
    off = GlossaryConfig(rewrite_english_aliases=False)
    text, hits = canonicalize_english("The SKIMs founder", small, off)
    assert text == "The SKIMs founder"
    assert [h.outcome for h in hits] == ["kept"]


# --------------------------------------------------------------------------- protect / restore


def test_protected_string_is_a_stable_cache_key(small: Glossary) -> None:
    sentence = "Kim Kardashian traf Kanye West."
    first = protect(sentence, "de", small).text
    assert first == protect(sentence, "de", small).text
    assert "Kim" not in first and "Kanye" not in first
    bigger = make(
        *[e.model_dump() for e in small.entries],
        {"term": "Malibu", "kind": "place"},
    )
    assert protect(sentence, "de", bigger).text == first
    renamed = make(
        *[e.model_dump() for e in small.entries if e.term != "Kanye West"],
        {"term": "Ye", "aliases": ["Kanye West"], "kind": "person"},
    )
    assert protect(sentence, "de", renamed).text == first
    more = make(*[e.model_dump() for e in small.entries], {"term": "traf", "kind": "other"})
    assert protect(sentence, "de", more).text != first


def test_placeholders_are_numbered_in_source_order(small: Glossary) -> None:
    item = protect("Kim und Kim Kardashian", "de", small)
    assert PLACEHOLDER.findall(item.text) == [f"{PREFIX}1", f"{PREFIX}2"]
    assert restore(f"{PREFIX}2 and {PREFIX}1", item) == "Kim Kardashian and Kim"


def test_sentence_with_placeholder_like_text_is_not_protected_with_placeholders(
    small: Glossary,
) -> None:
    sentence = f"Kim und {PREFIX}1"
    item = protect(sentence, "de", small)
    assert not item.usable
    pinned = pin_translate([sentence], "de", small, lambda batch: list(batch))
    assert pinned[0].english == sentence
    assert [h.strategy for h in pinned[0].hits] == ["splice"]


WORDS = st.text(alphabet="abcdeé ßÄKk.,-'’0123", min_size=0, max_size=12)
TERMS = st.sampled_from(["Kim", "Kim Kardashian", "Kanye West", "Instagram", "Nobu", "North"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(WORDS, TERMS), max_size=8), st.sampled_from(["de", "en"]))
def test_property_protect_identity_restore_roundtrip(chunks: list[str], lang: str) -> None:
    glossary = make(
        {"term": "Kim", "kind": "person"},
        {"term": "Kim Kardashian", "kind": "person"},
        {"term": "Kanye West", "kind": "person"},
        {"term": "Instagram", "kind": "platform"},
        {"term": "Nobu", "kind": "venue"},
        {"term": "North", "kind": "person", "languages": ["de"]},
    )
    sentence = " ".join(chunks)
    item = protect(sentence, lang, glossary)
    assert restore(item.text, item) == sentence
    assert len(PLACEHOLDER.findall(item.text)) == len(item.matches)
    pinned = pin_translate([sentence], lang, glossary, lambda batch: list(batch))
    assert pinned[0].english == sentence
    assert not pinned[0].lost


# --------------------------------------------------------------------------- pin_translate


SENTENCES = [
    "Kim Kardashian traf Kanye West in Nobu.",
    "Ohne Namen geht es auch.",
    "North und Kim posten auf Instagram.",
    "Kim.",
]


def term_counts(text: str, terms: list[str]) -> dict[str, int]:
    """Independent of the module: count whole-word occurrences, longest terms first."""
    counts: dict[str, int] = {}
    for term in sorted(set(terms), key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])")
        counts[term] = len(pattern.findall(text))
        text = pattern.sub(" ", text)
    return counts


def check_never_silent(sentences: list[str], pinned: list, glossary: Glossary) -> None:
    assert len(pinned) == len(sentences)
    for sentence, result in zip(sentences, pinned, strict=True):
        terms = [m.term for m in find_matches(sentence, "de", glossary)]
        assert [h.term for h in result.hits] == terms
        assert PREFIX.lower() not in result.english.lower()
        if result.lost:
            assert LOST_FLAG in result.flags
            continue
        have = term_counts(result.english, terms)
        for term in set(terms):
            assert have[term] == terms.count(term), (sentence, result.english)


def recorder(fn: Callable[[str], str]) -> tuple[Translate, list[list[str]]]:
    calls: list[list[str]] = []

    def translate(batch: list[str]) -> list[str]:
        calls.append(list(batch))
        return [fn(text) for text in batch]

    return translate, calls


def on_placeholders(fn: Callable[[re.Match[str]], str]) -> Callable[[str], str]:
    """A fake model that is the identity except for what ``fn`` does to placeholders."""
    return lambda text: PLACEHOLDER.sub(fn, text)


def drop_after_first(text: str) -> str:
    found = PLACEHOLDER.search(text)
    return text if found is None else text[: found.end()]


def swap_two(text: str) -> str:
    found = PLACEHOLDER.findall(text)
    if len(found) < 2:
        return text
    a, b = found[0], found[1]
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


MISTREATMENTS: dict[str, Callable[[str], str]] = {
    "drop": on_placeholders(lambda m: ""),
    "duplicate": on_placeholders(lambda m: f"{m.group()} {m.group()}"),
    "lower-case": on_placeholders(lambda m: m.group().lower()),
    "title-case": on_placeholders(lambda m: m.group().title()),
    "inflect": on_placeholders(lambda m: m.group() + "s"),
    "split-token": on_placeholders(lambda m: m.group()[:2] + " " + m.group()[2:]),
    "glued": on_placeholders(lambda m: "ab" + m.group()),
    "renumber": on_placeholders(lambda m: m.group() + "0"),
    "extra-mangled-copy": on_placeholders(lambda m: f"{m.group()} ({m.group().lower()})"),
    "drop-after-first": drop_after_first,
}


@pytest.mark.parametrize("name", sorted(MISTREATMENTS))
def test_mistreated_placeholders_are_spliced(small: Glossary, name: str) -> None:
    fn = MISTREATMENTS[name]
    translate, calls = recorder(fn)
    pinned = pin_translate(SENTENCES, "de", small, translate)
    check_never_silent(SENTENCES, pinned, small)
    assert len(calls) == 2  # one batch for all sentences, one for all spliced pieces
    assert not any(PLACEHOLDER.search(text) for text in calls[1])
    for sentence, result in zip(SENTENCES, pinned, strict=True):
        if result.hits and sentence != "Kim.":
            assert {h.strategy for h in result.hits} == {"splice"}
            assert {h.outcome for h in result.hits} == {"restored"}
            assert result.english == sentence  # identity pieces, source-order terms
    assert pinned[1].hits == [] and pinned[1].english == SENTENCES[1]


def test_identity_translator_round_trips(small: Glossary) -> None:
    translate, calls = recorder(lambda text: text)
    pinned = pin_translate(SENTENCES, "de", small, translate)
    assert [p.english for p in pinned] == SENTENCES
    assert len(calls) == 1
    assert {h.strategy for p in pinned[:3] for h in p.hits} == {"placeholder"}
    # a sentence made only of terms and punctuation never reaches the model
    assert "Kim." not in calls[0] and f"{PREFIX}1." not in calls[0]
    check_never_silent(SENTENCES, pinned, small)


def test_reordered_placeholders_are_restored_in_place(small: Glossary) -> None:
    translate, calls = recorder(swap_two)
    pinned = pin_translate([SENTENCES[0]], "de", small, translate)
    assert pinned[0].english == "Kanye West traf Kim Kardashian in Nobu."
    assert len(calls) == 1


def test_sentence_split_in_two_keeps_placeholders(small: Glossary) -> None:
    translate, _ = recorder(lambda text: text.replace(" traf ", ". Sie traf "))
    pinned = pin_translate([SENTENCES[0]], "de", small, translate)
    assert pinned[0].english == "Kim Kardashian. Sie traf Kanye West in Nobu."
    assert {h.strategy for h in pinned[0].hits} == {"placeholder"}


def test_word_translator_with_aliases(small: Glossary) -> None:
    table = {"traf": "met", "und": "and", "in": "at", "posten": "post", "auf": "on"}

    def model(text: str) -> str:
        return " ".join(table.get(word, word) for word in text.split(" "))

    sentences = ["SKIMs und Kim traf Kanye West in NOBU"]
    pinned = pin_translate(sentences, "de", small, recorder(model)[0])
    assert pinned[0].english == "Skims and Kim met Kanye West at Nobu"
    assert [(h.matched, h.outcome) for h in pinned[0].hits] == [
        ("SKIMs", "restored"),
        ("Kim", "restored"),
        ("Kanye West", "restored"),
        ("NOBU", "restored"),
    ]


def test_splice_that_still_fails_is_flagged_lost(small: Glossary) -> None:
    def model(text: str) -> str:
        if PLACEHOLDER.search(text):
            return ""  # first pass: everything lost
        return "Kardashian " + text  # pieces fuse with the preceding "Kim"

    sentences = ["Dann sagte Kim etwas."]
    pinned = pin_translate(sentences, "de", small, recorder(model)[0])
    assert pinned[0].lost
    assert pinned[0].flags == [LOST_FLAG]
    assert [h.outcome for h in pinned[0].hits] == ["lost"]
    assert "Kim" in (pinned[0].problem or "")


def test_the_lost_flag_is_spelled_once_in_the_package() -> None:
    """Builds, repair and corrections name the flag through LOST_FLAG, so they cannot drift
    apart; the string itself is part of the corpus format and stays as it is."""
    literal = re.compile(r"""["']glossary-lost["']""")
    spelled = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "toolkit").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if literal.search(line)
    ]
    assert len(spelled) == 1, spelled
    assert spelled[0].startswith("toolkit/config/glossary.py:")
    assert LOST_FLAG == "glossary-lost"


def test_empty_piece_translation_is_flagged(small: Glossary) -> None:
    def model(text: str) -> str:
        return "" if PLACEHOLDER.search(text) or "Ende" in text else text

    pinned = pin_translate(["Kim kam, Ende gut."], "de", small, recorder(model)[0])
    assert pinned[0].lost
    assert pinned[0].english.startswith("Kim")
    assert pinned[0].problem and "nothing" in pinned[0].problem


def test_translator_returning_wrong_count_is_an_error(small: Glossary) -> None:
    with pytest.raises(TranslatorContractError, match="2 inputs"):
        pin_translate(SENTENCES[:2], "de", small, lambda batch: batch[:1])


def test_no_call_without_input(small: Glossary) -> None:
    translate, calls = recorder(lambda text: text)
    assert pin_translate([], "de", small, translate) == []
    assert pin_translate(["Kim."], "de", small, translate)[0].english == "Kim."
    assert calls == []


def test_provenance_records_the_file(tmp_path: Path) -> None:
    glossary = load_glossary(write(tmp_path, GOOD))
    record = glossary.provenance()
    assert record["sha256"] == glossary.sha256
    assert record["entries"] == 2
    assert "config" not in record  # recorded once, under the meta.json's config


# -- memory per hit (issue 14) ----------------------------------------------------------------

HITS = 20_000
BYTES_PER_HIT = 400
"""Peak bound. Measured with tracemalloc at 20,000 hits: ~280 bytes per hit pinned through
placeholders or by splicing, ~90 rewriting English, 0 verifying; before the fix 750-970
(a GlossaryHit of its own, ~550 bytes, for each hit, plus copies of every piece)."""


def _per_hit(run: Callable[[], object]) -> tuple[float, float]:
    """(peak, retained) bytes per hit that ``run`` allocates, traced by tracemalloc; its
    result is alive when measured. Deterministic: it counts allocations, not time."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = run()  # noqa: F841 -- kept alive: "retained" includes the result
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - base) / HITS, (current - base) / HITS


def test_memory_per_glossary_hit_is_bounded() -> None:
    glossary = load_glossary(ROOT / "glossary.yaml")
    german = "Der Bericht nennt " + "Kim und " * HITS + "Nord."
    english = "The report names " + "SKIMs and " * HITS + "North."

    def mark(batch: list[str]) -> list[str]:
        return [f"[en] {text}" for text in batch]

    def lose_one(batch: list[str]) -> list[str]:  # the model drops a placeholder: splice
        return [text.replace(f"{PREFIX}1 ", "", 1) for text in batch]

    for warm_up in (mark, lose_one):  # compiled patterns and caches are not per hit
        pin_translate(["Kim und Kim."], "de", glossary, warm_up)
    canonicalize_english("SKIMs and North.", glossary)

    pinned: list[list[Pinned]] = []
    runs = {
        "placeholder": lambda: pinned.append(pin_translate([german], "de", glossary, mark)),
        "splice": lambda: pin_translate([german], "de", glossary, lose_one),
        "english": lambda: canonicalize_english(english, glossary),
        "verify": lambda: verify_terms(german, german, "de", glossary),
    }
    for name, run in runs.items():
        peak, retained = _per_hit(run)
        assert peak < BYTES_PER_HIT, (name, peak)
        assert retained < 64, (name, retained)  # a reference per hit, a few bytes of text
    (result,) = pinned[0]
    assert len(result.hits) == HITS and {h.outcome for h in result.hits} == {"restored"}
