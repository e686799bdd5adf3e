"""Protected spans (URLs, addresses, handles, hashtags, credit handles) through translation.

The spans go through the glossary's placeholder -> verify -> splice machinery; these tests
check that they come out byte for byte with translators that mangle them, drop their
placeholders, and through the real tiny Argos package (random weights: it garbles anything
it is given, so only the protection can keep a span intact).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.config.build import BuildConfig
from toolkit.config.glossary import GlossaryConfig, SpanConfig
from toolkit.corpus.formats import read_meta
from toolkit.glossary.model import Glossary, GlossaryEntry
from toolkit.glossary.pin import pin_translate, protect
from toolkit.glossary.spans import find_spans, missing_spans
from toolkit.pipeline.build import build_corpus
from toolkit.qa.checks import check_pair

# Real-looking news sentences (German, as scraped): each carries spans that must survive.
SENTENCES = [
    "Mehr Bilder gibt es auf https://www.instagram.com/p/C1x_Yz9/ und bei @kimkardashian.",
    "Die Kollektion ist ab Freitag auf skims.com erhältlich.",
    "Fans feierten unter dem Hashtag #MetGala2024 die Robe.",
    "Hinweise bitte an redaktion@example-news.de oder an @promiflash_de.",
    "Das Bild (Instagram / kimkardashian) zeigt die ganze Familie.",
    "Kim Kardashian postete (siehe https://de.wikipedia.org/wiki/Kim_Kardashian) ein Video.",
    "Unter #Hochzeit und #Liebe teilte Kanye West ein Foto von www.kanyewest.com/news.",
]


def spans_of(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.matched) for s in find_spans(text, SpanConfig())]


def test_finds_each_kind_and_leaves_sentence_punctuation_outside() -> None:
    assert spans_of(SENTENCES[0]) == [
        ("url", "https://www.instagram.com/p/C1x_Yz9/"),
        ("handle", "@kimkardashian"),
    ]
    assert spans_of(SENTENCES[1]) == [("url", "skims.com")]
    assert spans_of(SENTENCES[3]) == [
        ("email", "redaktion@example-news.de"),
        ("handle", "@promiflash_de"),
    ]
    assert spans_of(SENTENCES[4]) == [("credit", "Instagram / kimkardashian")]
    # A ')' closing a '(' inside the URL stays; the one closing the sentence's bracket does not.
    assert spans_of("Siehe https://x.org/wiki/Kim_(Name)).") == [
        ("url", "https://x.org/wiki/Kim_(Name)")
    ]


def test_ordinary_text_has_no_spans() -> None:
    for text in (
        "Sie wurde am 3.5.2021 Nr. 1 (#1) der Charts, z.B. in Berlin.",
        "Er zahlte 4.50 Euro, u.a. für Brot.",
        "Ich &#39;bin&#39; da.",
        "Die Antwort lautet: ja.Es regnet.",
    ):
        assert spans_of(text) == [], text


def test_disabled_or_narrowed_config() -> None:
    assert find_spans(SENTENCES[0], SpanConfig(enabled=False)) == []
    only_handles = SpanConfig(kinds=("handle",))
    assert [s.kind for s in find_spans(SENTENCES[0], only_handles)] == ["handle"]
    with pytest.raises(ValueError):
        SpanConfig(kinds=("phone",))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SpanConfig(colour="red")  # type: ignore[call-arg]


def _mangle(text: str) -> str:
    """A 'translation' that does what models do to spans: words become other words, symbols
    are spaced out, everything is lower-cased. Placeholders (ZXQ<n>) are copied through."""
    out = []
    for word in text.split(" "):
        if "ZXQ" in word:
            out.append(word)
        else:
            word = word.lower().replace("#", "# ").replace("@", "at ").replace("/", " / ")
            out.append(re.sub(r"\.(?=\w)", " . ", word))
    return "EN " + " ".join(out)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_spans_survive_a_translator_that_mangles_them(sentence: str) -> None:
    (pinned,) = pin_translate([sentence], "de", Glossary.empty(), lambda b: [_mangle(s) for s in b])
    for _, span in spans_of(sentence):
        assert span in pinned.english
    assert not pinned.lost
    assert [h.outcome for h in pinned.spans] == ["restored"] * len(spans_of(sentence))
    assert {h.strategy for h in pinned.spans} <= {"placeholder"}
    # Without protection the same translator destroys them: the test can fail.
    off = GlossaryConfig(spans=SpanConfig(enabled=False))
    (raw,) = pin_translate(
        [sentence], "de", Glossary.empty(), lambda b: [_mangle(s) for s in b], off
    )
    assert missing_spans(sentence, raw.english, SpanConfig())


def test_spans_are_spliced_when_the_translator_drops_placeholders() -> None:
    def drop(batch: list[str]) -> list[str]:
        return [" ".join(w for w in _mangle(s).split() if "ZXQ" not in w) for s in batch]

    sentence = SENTENCES[6]
    glossary = Glossary.from_entries([GlossaryEntry(term="Kanye West", kind="person")])
    (pinned,) = pin_translate([sentence], "de", glossary, drop)
    assert not pinned.lost
    for _, span in spans_of(sentence):
        assert span in pinned.english
    assert "Kanye West" in pinned.english
    assert {h.strategy for h in pinned.spans} == {"splice"}
    assert [(h.term, h.outcome) for h in pinned.hits] == [("Kanye West", "restored")]


def test_a_name_inside_a_url_stays_part_of_the_url() -> None:
    glossary = Glossary.from_entries([GlossaryEntry(term="Kim", kind="person")])
    item = protect("Kim auf https://kim.example.com/Kim heute.", "de", glossary)
    assert item.text == "ZXQ1 auf ZXQ2 heute."
    assert [m.matched for m in item.matches] == ["Kim", "https://kim.example.com/Kim"]


def test_qa_flags_a_human_correction_that_changed_a_span() -> None:
    source = SENTENCES[2]
    flags = check_pair(
        source,
        "Fans celebrated the gown under the hashtag #MetGala.",
        "de",
        "en",
        protected_missing=missing_spans(source, "… #MetGala.", SpanConfig()),
    )
    (flag,) = [f for f in flags if f.check == "protected"]
    assert flag.severity == "error" and "#MetGala2024" in flag.message


def test_spans_restored_byte_for_byte_through_the_real_tiny_package(
    tmp_path: Path, tiny_package_file: Path
) -> None:
    from toolkit.translation.install import install_from_file
    from toolkit.translation.provider import ArgosProvider

    packages = tmp_path / "packages"
    install_from_file(tiny_package_file, packages)
    text = "\n\n".join(SENTENCES) + "\n"

    def build(name: str, config: BuildConfig) -> list:
        root = tmp_path / name
        (root / "original").mkdir(parents=True)
        (root / "original" / "spans.txt").write_text(text, encoding="utf-8")
        summary = build_corpus(root, provider=ArgosProvider(packages_dir=packages), config=config)
        assert summary.built == ["spans"], summary.lines()
        return read_meta(root / "english" / "spans.meta.json").segments

    segments = build("on", BuildConfig())
    assert len(segments) == len(SENTENCES)
    for seg in segments:
        wanted = spans_of(seg.source)
        assert wanted, seg.source
        for _, span in wanted:
            assert span in (seg.english or ""), (span, seg.english)
        assert [(h.kind, h.text, h.outcome) for h in seg.protected] == [
            (kind, span, "restored") for kind, span in wanted
        ]
        assert "protected" not in seg.flags
    # The random-weight model garbles unprotected spans, so the protection is what kept them.
    off = BuildConfig(glossary=GlossaryConfig(spans=SpanConfig(enabled=False)))
    unprotected = build("off", off)
    lost = [s for s in unprotected if missing_spans(s.source, s.english or "", SpanConfig())]
    assert len(lost) >= len(SENTENCES) - 1


@pytest.mark.parametrize(
    "unit, tail",
    [
        ("a.", ""),  # a run of would-be domain labels with no known TLD
        ("a.a", "@"),  # the same, ending in an address that never comes
        (")", ""),  # a link followed by a long run of closing brackets
    ],
)
def test_span_search_takes_linear_time_on_hostile_runs(unit: str, tail: str) -> None:
    """A 5 MB single line builds (README, Hostile input), so finding spans in one long segment
    must cost linear time: one text eight times longer costs about as much CPU as eight short
    ones (quadratic backtracking or recounting would make it about eight times more). A ratio
    of CPU times, not a time limit."""
    import time

    prefix = "https://x.com/" if unit == ")" else ""

    def cpu(text: str, times: int) -> float:
        start = time.process_time()
        for _ in range(times):
            find_spans(text, SpanConfig())
        return time.process_time() - start

    short = prefix + unit * 8_000 + tail
    long = prefix + unit * 64_000 + tail
    cpu(short, 1)  # warm the compiled pattern
    ratio = min(cpu(long, 1) for _ in range(3)) / max(min(cpu(short, 8) for _ in range(3)), 1e-4)
    assert ratio < 3, f"one text 8x longer cost {ratio:.1f}x the CPU of 8 short ones"
    assert find_spans("siehe münchen.de. oder https://x.com/a_(b))).", SpanConfig()) != []


# Texts made of the pieces spans are made of, so that many hold one (or almost one).
_PIECES = [*"ab1ä.-_/@#:()w ", "www.", "https://", "ftp://", ".de", ".com", ".at", "Instagram"]
_MARKED = st.lists(st.sampled_from(_PIECES), max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_MARKED, st.sampled_from(SENTENCES), st.text(max_size=30)))
def test_the_quick_mark_check_never_hides_a_span(text: str) -> None:
    """``find_spans`` skips the full pattern on a text without "@", "#", "/", "www." or a
    ".<TLD>" (issue 19); with the check made to pass everything, the spans are the same."""
    import toolkit.glossary.spans as spans

    quick = find_spans(text, SpanConfig())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spans, "_MARKS", re.compile(""))
        assert find_spans(text, SpanConfig()) == quick


def test_a_sentence_without_marks_skips_the_full_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    """The full pattern is not run on an ordinary sentence (it ran twice per sentence of a
    build, about 0.15 ms each); it is on one with a possible span."""
    import toolkit.glossary.spans as spans

    ran: list[frozenset[str]] = []
    full = spans._pattern
    monkeypatch.setattr(spans, "_pattern", lambda kinds: ran.append(kinds) or full(kinds))
    assert find_spans("Der Kanzler kam am 3.5. nach Wien, z.B. für 4.50 Euro.", SpanConfig()) == []
    assert ran == []
    assert spans_of(SENTENCES[1]) == [("url", "skims.com")]
    assert len(ran) == 1
