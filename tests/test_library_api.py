"""The toolkit used as a library: what a caller passes is read once, normalised or refused
with one line (README "Library"); nothing is lost and nothing is silently misread."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeTranslator

from toolkit.glossary.model import Glossary, GlossaryEntry
from toolkit.glossary.pin import pin_translate
from toolkit.translation.cache import CachedTranslator, NullCache
from toolkit.translation.install import install_from_file
from toolkit.translation.translator import Translator

SENTENCES = ["Kim traf Kanye West.", "Er blieb."]


def _glossary() -> Glossary:
    return Glossary.from_entries(
        [GlossaryEntry.model_validate({"term": "Kanye West", "kind": "person"})]
    )


def _entry_points(tiny: Path, tmp_path: Path) -> dict[str, object]:
    """Every translate entry point, as ``callable(sentences) -> list of English``."""
    translator = Translator(install_from_file(tiny, tmp_path / "packages"))
    cached = CachedTranslator(FakeTranslator(), NullCache(), "ns")
    return {
        "Translator.translate": translator.translate,
        "Translator.translate_scored": lambda s: translator.translate_scored(s)[0],
        "CachedTranslator.translate": cached.translate,
        "CachedTranslator.translate_with_origins": lambda s: cached.translate_with_origins(s)[0],
        "pin_translate": lambda s: [
            p.english for p in pin_translate(s, "de", _glossary(), cached.translate)
        ],
    }


def test_every_translate_entry_point_reads_any_iterable_once(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """A generator gave [] (Translator, CachedTranslator) or a TypeError (pin_translate)."""
    for name, translate in _entry_points(tiny_package_file, tmp_path).items():
        expected = translate(list(SENTENCES))  # type: ignore[operator]
        assert len(expected) == 2, name
        assert translate(s for s in SENTENCES) == expected, name  # type: ignore[operator]
        assert translate(tuple(SENTENCES)) == expected, name  # type: ignore[operator]


@pytest.mark.parametrize(
    ("bad", "error", "words"),
    [
        ("Kim traf Kanye West.", TypeError, "list of sentences, not a str"),
        (b"Hallo", TypeError, "list of sentences, not a bytes"),
        (5, TypeError, "list of sentences, not int"),
        ([None], TypeError, "sentence 0 must be a str, not NoneType"),
        (["ok", b"Hallo"], TypeError, "sentence 1 must be a str, not bytes; decode it first"),
        (["Hallo \ud800 Welt."], ValueError, "lone surrogate '\\\\ud800' at character 6"),
    ],
)
def test_every_translate_entry_point_refuses_what_is_not_sentences_in_one_line(
    tiny_package_file: Path, tmp_path: Path, bad: object, error: type, words: str
) -> None:
    """A str was translated character by character by pin_translate (20 results); bytes,
    None and a lone surrogate were tracebacks from SentencePiece or SQLite."""
    for name, translate in _entry_points(tiny_package_file, tmp_path).items():
        with pytest.raises(error, match=words) as caught:
            translate(bad)  # type: ignore[operator]
        assert "\n" not in str(caught.value), name


def _two_originals(root: Path) -> Path:
    (root / "original").mkdir(parents=True)
    text = "The council met on Monday. It agreed to build a new bridge over the river."
    (root / "original" / "bridge.txt").write_text(text, encoding="utf-8")
    (root / "original" / "road.txt").write_text(text.replace("bridge", "road"), encoding="utf-8")
    return root


def test_build_corpus_only_takes_ids_and_refuses_names_of_no_original(tmp_path: Path) -> None:
    """only=[doc id], only="x.txt" and only=["nope"] built nothing and returned exit 0;
    the CLI's --only took ids and refused unknown names (one owner now: originals_named)."""
    from toolkit import build_corpus
    from toolkit.corpus.originals import UnknownOriginal
    from toolkit.translation.provider import ArgosProvider

    root = _two_originals(tmp_path / "corpus")
    provider = ArgosProvider(cache_dir=root / ".cache")
    with pytest.raises(
        TypeError, match=r"only= takes a list of names, not a str; use only=\['road.txt'\]"
    ):
        build_corpus(root, provider=provider, only="road.txt")
    with pytest.raises(UnknownOriginal, match="nope: no original of that name") as caught:
        build_corpus(root, provider=provider, only=["nope"])
    assert caught.value.exit_code == 2
    assert not (root / "english").exists()  # refused before anything was written
    assert build_corpus(root, provider=provider, only=["bridge"]).built == ["bridge"]
    assert build_corpus(root, provider=provider, only=(n for n in ["road.txt"])).built == ["road"]


def test_cli_only_refuses_a_name_of_no_original_with_exit_2(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    root = _two_originals(tmp_path / "corpus")
    result = CliRunner().invoke(cli, ["build", str(root), "--only", "nope"])
    assert result.exit_code == 2, result.output
    assert "--only nope: no original of that name" in result.output
    result = CliRunner().invoke(cli, ["build", str(root), "--only", "bridge"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "english").iterdir())[0] == "bridge.aligned.tsv"


SOURCE = "Die Regierung hat am Montag 250 Millionen Euro für den Bau von Schulen freigegeben."
LONG = (
    "The government released 250 million euros for the construction of schools on Monday. "
    "They said this would happen soon and the mayor agreed with all of it, yes."
)


def _flags(*args: str) -> list[tuple[str, str]]:
    from toolkit.qa.checks import check_pair

    return [(f.check, f.message) for f in check_pair(*args)]  # type: ignore[arg-type]


def test_check_pair_reads_language_codes_by_the_rule_of_the_cli() -> None:
    """DE/EN and de-DE/en-GB chose the default band (0.45-2.2) and missed a 1.9x target;
    de/DE flagged an unchanged copy as untranslated."""
    from toolkit.languages import UnknownLanguage

    expected = _flags(SOURCE, LONG, "de", "en")
    assert any(check == "length" for check, _ in expected)
    assert _flags(SOURCE, LONG, "DE", "EN") == expected
    assert _flags(SOURCE, LONG, "de-DE", "en_GB") == expected
    assert _flags("Er kam um 12 Uhr.", "Er kam um 12 Uhr.", "de", "DE") == []
    with pytest.raises(UnknownLanguage, match="check_pair\\(\\): src_lang 'german': a language"):
        _flags(SOURCE, LONG, "german", "en")


def test_segment_reads_language_codes_by_the_rule_of_the_cli() -> None:
    """segment(t, "xx"|"german"|"") silently used non-German rules; extra_abbreviations
    under "DE" were accepted and ignored."""
    from toolkit import segment
    from toolkit.config.prepare import SegmentConfig
    from toolkit.languages import UnknownLanguage
    from toolkit.prepare.segment import segment as segment_with

    text = "Dr. Meier kam am 9. Februar. Er blieb."
    assert segment(text, "DE") == segment(text, "de-DE") == segment(text, "de")
    for bad in ("deu", "xx", "german", ""):
        with pytest.raises(UnknownLanguage, match="segment\\(\\): lang"):
            segment(text, bad)
    config = SegmentConfig(extra_abbreviations={"DE": ("Abt.",), "de-AT": ("Bez.",)})
    assert config.extra_abbreviations == {"de": ("Abt.", "Bez.")}
    assert segment_with("Er ist in der Abt. Finanzen. Er blieb.", "de", config) == [
        ["Er ist in der Abt. Finanzen.", "Er blieb."]
    ]
    with pytest.raises(ValueError, match="extra_abbreviations 'german': a language name"):
        SegmentConfig(extra_abbreviations={"german": ("Abt.",)})


def test_configuration_language_fields_are_normalised_or_refused() -> None:
    """BuildConfig(target_language="EN") was accepted, then every document needed a model
    de→EN; "xx" and "english" were accepted too."""
    from toolkit.config.build import BuildConfig
    from toolkit.config.prepare import LanguageIdConfig
    from toolkit.config.qa import LengthBand, QaConfig

    assert BuildConfig(target_language="EN").target_language == "en"
    assert BuildConfig(target_language="en-GB") == BuildConfig()
    assert QaConfig(language_candidates=("DE", "en", "de")).language_candidates == ("de", "en")
    assert LanguageIdConfig(candidates=("NL", "en")).candidates == ("nl", "en")
    assert LengthBand(pair="DE-en", low=0.5, high=1.5).pair == "de-en"
    for bad, words in (("xx", "unknown language code"), ("english", "name, not a code; use en")):
        with pytest.raises(ValueError, match=f"target_language '{bad}': .*{words}"):
            BuildConfig(target_language=bad)


def test_the_provider_reads_pairs_by_the_rule_of_the_cli(
    tiny_package_file: Path, tmp_path: Path
) -> None:
    """translator("DE", "en") advised `toolkit models install DE en` with de→en installed."""
    from toolkit.languages import UnknownLanguage
    from toolkit.translation.provider import ArgosProvider

    install_from_file(tiny_package_file, tmp_path / "packages")
    provider = ArgosProvider(packages_dir=tmp_path / "packages")
    translator, info = provider.translator("DE", "en-US")
    assert (info.from_code, info.to_code) == ("de", "en")
    assert translator is provider.translator("de", "en")[0]
    with pytest.raises(UnknownLanguage, match=r"from_code 'xx': .*installed model pairs: de→en"):
        provider.translator("xx", "en")


def _configs() -> list[object]:
    from toolkit.config.build import BuildConfig
    from toolkit.config.corpus import CorpusSettings
    from toolkit.config.prepare import DecodeConfig, PrepareConfig, SegmentConfig
    from toolkit.pipeline.fingerprint import config_for_file, with_corpus_settings

    decode = DecodeConfig(
        encodings={"b.txt": "cp1250", "a.txt": "latin-1"},
        legacy_encodings={"cp1252": 0.0, "cp850": 1.0},
    )
    segment = SegmentConfig(extra_abbreviations={"de": ("Abt.",), "*": ("Nr.",)})
    custom = BuildConfig(prepare=PrepareConfig(decode=decode, segment=segment))
    settings = CorpusSettings(encodings={"c.txt": "cp1252"})
    return [BuildConfig(), custom, config_for_file(with_corpus_settings(custom, settings), "c.txt")]


def test_config_mappings_are_read_only_and_no_change_leaks_into_later_defaults() -> None:
    """c.prepare.decode.legacy_encodings["cp1252"] = 99 changed c, its hash, and every
    BuildConfig() made after; DecodeConfig.encodings likewise."""
    import copy
    import pickle

    from toolkit.config.build import BuildConfig
    from toolkit.config.corpus import CorpusSettings
    from toolkit.config.prepare import DecodeConfig, SegmentConfig

    config = BuildConfig()
    before = hash(config)
    mappings = [
        config.prepare.decode.legacy_encodings,
        DecodeConfig(encodings={"a.txt": "cp1250"}).encodings,
        DecodeConfig(encodings={"a.txt": "cp1250"}).for_file("b.txt").encodings,
        SegmentConfig(extra_abbreviations={"de": ("Abt.",)}).extra_abbreviations,
        CorpusSettings(encodings={"a.txt": "cp1250"}).encodings,
        *(c.prepare.decode.encodings for c in _configs()),  # type: ignore[attr-defined]
    ]
    for mapping in mappings:
        for change in (
            lambda m: m.__setitem__("cp1252", 99.0),
            lambda m: m.update({"x": 1}),
            lambda m: m.pop(next(iter(m), "x")),
            lambda m: m.clear(),
            lambda m: m.setdefault("x", 1),
        ):
            with pytest.raises(TypeError, match="read-only; make a new configuration"):
                change(mapping)
    assert hash(config) == before
    assert BuildConfig().prepare.decode.legacy_encodings["cp1252"] == 0.0
    for made in _configs():  # process pools pickle configurations; copies stay frozen
        assert pickle.loads(pickle.dumps(made)) == made == copy.deepcopy(made)
        assert hash(pickle.loads(pickle.dumps(made))) == hash(made)


def test_read_only_mappings_serialise_byte_identically() -> None:
    """What provenance records (model_dump_json, and canonical JSON of the dump the
    fingerprint hashes) is the bytes a build wrote before the mappings were read-only:
    digests taken on main before the change."""
    import hashlib

    from toolkit.pipeline.provenance import canonical_json

    digests = [
        hashlib.sha256(
            (c.model_dump_json() + canonical_json(c.model_dump(mode="json"))).encode()  # type: ignore[attr-defined]
        ).hexdigest()[:16]
        for c in _configs()
    ]
    # Re-pinned when DecodeConfig.languages and LanguageIdConfig.document_min_confidence and
    # document_short_chars were added (the dump holds them; the fingerprint leaves them out
    # at their defaults: tests/test_language_floor.py); before: 762f55136eb61206,
    # cfacd55855f73960, dadd07104ff9a736. Re-pinned for LanguageIdConfig.document_floor
    # (left out of the fingerprint at its default too); before: 160e214a168ebde9,
    # e7eb845d5c79cb8b, a8f4d154d63f9e32. Re-pinned for LanguageIdConfig.document_min_words
    # (left out at its default too); before: e42e3e927756591e, e4fb68071d87774c,
    # ed2a139cfb878d71.
    assert digests == ["44a6ea9096b9fad2", "7deb662637095704", "c46e46e637a6587b"]


@pytest.mark.parametrize("bad", [b"Hallo Welt", None, 5, ["a", "b"], "Hallo \ud800 Welt."])
def test_text_functions_refuse_what_is_not_text_in_one_line(bad: object) -> None:
    """bytes, None, an int or a lone surrogate were tracebacks from ftfy, regex or numpy."""
    from toolkit import clean, detect_language, segment
    from toolkit.qa.checks import check_pair

    calls = {
        "clean()": lambda: clean(bad),  # type: ignore[arg-type]
        "detect_language()": lambda: detect_language(bad),  # type: ignore[arg-type]
        "segment()": lambda: segment(bad, "de"),  # type: ignore[arg-type]
        "check_pair()": lambda: check_pair(bad, "x", "de", "en"),  # type: ignore[arg-type]
    }
    for name, call in calls.items():
        with pytest.raises((TypeError, ValueError)) as caught:
            call()
        message = str(caught.value)
        assert message.startswith(f"{name}: "), message
        assert "\n" not in message
        assert ("must be a str, not" in message) or ("lone surrogate" in message)


def test_build_corpus_names_a_glossary_path_or_a_config_dict(tmp_path: Path) -> None:
    """glossary="glossary.yaml" and config={...} failed deep in the build (AttributeError)."""
    from toolkit import build_corpus
    from toolkit.translation.provider import ArgosProvider

    root = _two_originals(tmp_path / "corpus")
    provider = ArgosProvider(cache_dir=root / ".cache")
    with pytest.raises(TypeError, match=r"glossary must be a Glossary, not str; load one with"):
        build_corpus(root, provider=provider, glossary="glossary.yaml")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"config must be a BuildConfig, not dict; make one"):
        build_corpus(root, provider=provider, config={"target_language": "en"})  # type: ignore[arg-type]
    assert not (root / "english").exists()


def test_pin_translate_names_a_wrong_glossary_and_a_translate_returning_none() -> None:
    from toolkit.glossary.pin import TranslatorContractError

    with pytest.raises(TypeError, match="pin_translate\\(\\): glossary must be a Glossary, not"):
        pin_translate(["Kim traf Kanye."], "de", None, lambda s: s)  # type: ignore[arg-type]
    with pytest.raises(TranslatorContractError, match="returned 0 results for 1 inputs"):
        pin_translate(["Kim traf Kanye West."], "de", _glossary(), lambda s: None)  # type: ignore[arg-type,return-value]


def test_parse_aligned_tsv_reads_crlf_and_a_bom_as_toolkit_qa_does() -> None:
    """It said 'header must be ...' for an aligned file saved on Windows, which qa read."""
    from toolkit.corpus.formats import ALIGNED_COLUMNS, parse_aligned_tsv

    row = ("p1.s1", "1", "1", "Er kam.", "He came.", "", "machine", "-0.5")
    text = "\t".join(ALIGNED_COLUMNS) + "\n" + "\t".join(row) + "\n"
    rows = parse_aligned_tsv(text)
    assert [(r.source, r.english) for r in rows] == [("Er kam.", "He came.")]
    assert parse_aligned_tsv(text.replace("\n", "\r\n")) == rows
    assert parse_aligned_tsv("\ufeff" + text) == rows
    assert parse_aligned_tsv("\ufeff" + text.replace("\n", "\r\n")) == rows


def test_correct_of_a_document_whose_original_is_gone_says_it_is_not_rebuilt(
    tmp_path: Path,
) -> None:
    """It rebuilt nothing and exited 0 ("0 built"); with the build checking only= names it
    would have said "only bridge.txt: no original of that name"."""
    from click.testing import CliRunner

    from toolkit.cli.app import cli

    root = _two_originals(tmp_path / "corpus")
    assert CliRunner().invoke(cli, ["build", str(root)]).exit_code == 0
    (root / "original" / "bridge.txt").unlink()
    meta = str(root / "english" / "bridge.meta.json")
    args = ["correct", meta, "p1.s1", "The council met.", "--corpus", str(root)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "the correction is saved but the document is not rebuilt: its original " in result.output
    assert "bridge.txt is no longer in" in result.output
    from toolkit.corpus.corrections import corrections_path

    assert corrections_path(root, "bridge").exists()


def test_model_copy_of_a_config_validates_the_update() -> None:
    """model_copy(update={"target_language": 5, "bogus": 1}) was accepted as it stood."""
    from pydantic import ValidationError

    from toolkit.config.build import BuildConfig
    from toolkit.config.prepare import DecodeConfig

    config = BuildConfig()
    assert config.model_copy(update={"target_language": "EN"}).target_language == "en"
    with pytest.raises(ValidationError, match="bogus"):
        config.model_copy(update={"bogus": 1})
    with pytest.raises(ValidationError, match="target_language"):
        config.model_copy(update={"target_language": 5})
    copied = DecodeConfig().model_copy(update={"encodings": {"a.txt": "Windows-1252"}})
    assert copied.encodings == {"a.txt": "cp1252"}
    with pytest.raises(TypeError, match="read-only"):
        copied.encodings["b.txt"] = "cp1250"  # type: ignore[index]


def test_codes_the_toolkits_own_records_carry_pass_every_language_entry() -> None:
    """und and zxx (no language content) are in records; check_pair of such a pair must not
    fail (``toolkit qa`` of a corpus built before zxx documents became their own English)."""
    from toolkit.languages import UnknownLanguage, language_code
    from toolkit.qa.checks import check_pair

    assert check_pair("12 34 56 78", "12 34 56 78", "zxx", "en") == []
    assert check_pair("12 34 56 78", "12 34 56 78", "und", "en") == []
    with pytest.raises(UnknownLanguage, match=r"a language code is a str such as de, .*not list"):
        language_code(["de"], "lang")  # type: ignore[arg-type]
