"""A language asked by both of its codes, and two codes of one language (session 10's attack
on ``toolkit.config.languages.IDENTIFIED_AS``).

Language id answered a language asked by both codes with the Argos-only one whatever the
caller's own code: with candidates ``zh`` and ``zt`` every Chinese text was labelled
Traditional, with ``pt`` and ``pb`` every Portuguese one Brazilian. Only ``no`` (no Argos code)
yields to ``nb``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.languages import asked_codes
from toolkit.prepare.langid import detect_language

TEXTS = {
    "simplified": "政府周一公布了明年的预算。"
    "财政部长表示，预算虽然紧缩，但仍可以在学校增聘更多教师。",
    "european": "O Governo apresentou na segunda-feira o Orçamento do Estado para o próximo ano. O "
    "ministro das Finanças afirmou que o orçamento é apertado, mas permite contratar professores.",
    "norwegian": "Regjeringen la fram statsbudsjettet for neste år på mandag. "
    "Finansministeren sa at budsjettet er stramt, men at det gir rom for flere lærere i skolen.",
}


@pytest.mark.parametrize(
    ("text", "codes", "answer"),
    [
        ("simplified", ("zh", "zt", "en"), "zh"),
        ("simplified", ("zt", "zh", "en"), "zh"),
        ("simplified", ("zt", "en"), "zt"),
        ("european", ("pt", "pb", "en"), "pt"),
        ("european", ("pb", "pt", "en"), "pt"),
        ("european", ("pb", "en"), "pb"),
        ("norwegian", ("no", "nb", "en"), "nb"),
        ("norwegian", ("nb", "no", "en"), "nb"),
        ("norwegian", ("no", "en"), "no"),
    ],
)
def test_both_codes_asked_answer_the_callers_own_real_code(
    text: str, codes: tuple[str, ...], answer: str
) -> None:
    """Both codes asked (either order): the model's own code where Argos has it (``zh``,
    ``pt``: it answered ``zt``, ``pb``), ``nb`` for ``no`` (no Argos code); one code asked:
    that one."""
    assert detect_language(TEXTS[text], codes).language == answer
    assert asked_codes(codes) == asked_codes(reversed(codes))


LATIN = (
    "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam Aquitani, "
    "tertiam qui ipsorum lingua Celtae, nostra Galli appellantur.\n"
)
ENTRY = "languages: {'caesar: #1.txt': CODE}"  # YAML-quoted: ': ' and '#' in the name


def test_every_build_and_status_name_the_latin_file(tmp_path: Path) -> None:
    """A text read as Latin: the first build's needs-model line named its file in the settings
    line to write, a later build (the document current, waiting) and ``status`` said
    ``languages: {FILE: CODE}``; each names it now."""
    from toolkit.pipeline.build import build_corpus
    from toolkit.pipeline.status import corpus_status
    from toolkit.translation.provider import ArgosProvider

    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "caesar: #1.txt").write_text(LATIN, encoding="utf-8")
    for _ in range(2):
        summary = build_corpus(corpus, provider=ArgosProvider(packages_dir=tmp_path / "none"))
        assert ENTRY in summary.needs_model["caesar: #1"], summary.lines()
    (row,), _ = corpus_status(corpus, tmp_path / "none")
    assert row.state == "needs model" and ENTRY in row.message, row


def test_a_kept_latin_translation_names_its_file(tmp_path: Path) -> None:
    """Built by a la→en package of one's own, then without it: the English is kept and the
    line (pipeline.kept) names the file as the build that translates does."""
    from support.argos_package import build_argos_package

    from toolkit.pipeline.build import build_corpus
    from toolkit.pipeline.status import corpus_status
    from toolkit.translation.install import install_from_file
    from toolkit.translation.provider import ArgosProvider

    package = build_argos_package(tmp_path / "la_en.argosmodel", "la", "en", [LATIN] * 4)
    install_from_file(package, tmp_path / "packages")
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "caesar: #1.txt").write_text(LATIN, encoding="utf-8")
    built = build_corpus(corpus, provider=ArgosProvider(packages_dir=tmp_path / "packages"))
    assert built.built == ["caesar: #1"], built.lines()
    kept = build_corpus(corpus, provider=ArgosProvider(packages_dir=tmp_path / "none"))
    line = kept.needs_model["caesar: #1"]
    assert ENTRY in line and line.endswith("the English of its last build is kept"), line
    (row,), _ = corpus_status(corpus, tmp_path / "none")
    assert ENTRY in row.message, row


def test_a_sentence_read_as_no_in_a_corpus_built_into_nb_is_its_own_text(tmp_path: Path) -> None:
    """Target ``nb``, a German document with a Norwegian sentence language id reads as ``no``
    (a candidate): the sentence is in the target language, so it keeps its source; the build
    compared ``no`` with ``nb`` and translated it by the de→nb model."""
    german = (
        "Die Regierung hat am Montag den Haushalt für das nächste Jahr vorgestellt. Der "
        "Finanzminister sagte, der Haushalt sei knapp, aber er erlaube mehr Lehrer an Schulen."
    )
    text = f"{german}\n\n{TEXTS['norwegian']}\n\n{german}\n"
    record = _built(tmp_path, ("de", "nb"), german, text, ("de", "en", "no"))
    norwegian = [s for s in record.segments if s.language and s.language.language == "no"]
    assert norwegian, [(s.source, s.language) for s in record.segments]
    assert all(s.origin == "source" and s.english == s.source for s in norwegian), norwegian
    assert all(s.qa == [] for s in norwegian), norwegian  # no QA flag: not "copied as it is"
    assert {s.origin for s in record.segments if s not in norwegian} == {"machine"}


@pytest.mark.parametrize(("target", "candidate"), [("pb", "pt"), ("pt", "pb")])
def test_qa_reads_the_target_s_other_code_as_the_target(target: str, candidate: str) -> None:
    """QA's wrong-language check with the target's other code among its candidates: a
    Portuguese English side (target ``pb``, candidate ``pt``) is in the target language; it
    was flagged 'target reads as Portuguese (pt), expected Brazilian Portuguese (pb)'."""
    from toolkit.config.qa import QaConfig
    from toolkit.qa.checks import check_untranslated

    source = "Die Regierung hat am Montag den Haushalt für das nächste Jahr vorgestellt."
    config = QaConfig(language_candidates=("de", "en", candidate))
    assert check_untranslated(source, TEXTS["european"], "de", target, config) == []


def test_a_text_read_as_zh_built_into_zt_is_translated_not_copied(tmp_path: Path) -> None:
    """Target ``zt`` (Traditional Chinese), a Simplified text language id reads as ``zh`` and
    a zh→zt package installed: the text was copied as its own target text (``zh`` and ``zt``
    one language), Simplified Chinese labelled Traditional, with no flag. Both are Argos
    codes, so they are two targets; ``no``/``nb`` stays one (the test above)."""
    simplified = (
        "政府周一公布了明年的预算。财政部长表示，预算虽然紧缩，但仍可以在学校增聘更多教师。"
    )
    record = _built(tmp_path, ("zh", "zt"), simplified, simplified + "\n", ("zh", "en"))
    assert {s.origin for s in record.segments} == {"machine"}, record.segments


def test_a_pair_argos_has_no_package_of_is_never_advised_to_install(tmp_path: Path) -> None:
    """Argos's index holds each language to and from English (and es↔pt): a Traditional
    Chinese text built into ``zt`` (language id reads ``zh``) was told `toolkit models install
    zh zt`, ``de→nl`` `models install de nl`, installs that then failed. The Chinese line says
    how to have it copied, and stating ``zt`` does copy it."""
    from toolkit.config.build import BuildConfig
    from toolkit.config.languages import ARGOS_PAIRS
    from toolkit.languages import package_pairs
    from toolkit.pipeline.build import build_corpus
    from toolkit.translation.model_advice import needs_model_line
    from toolkit.translation.provider import ArgosProvider

    assert ("de", "en") in ARGOS_PAIRS and ("es", "pt") in ARGOS_PAIRS
    assert ("zh", "zt") not in ARGOS_PAIRS and ("de", "nl") not in ARGOS_PAIRS
    assert package_pairs("zh", "zt") == [("zh", "zt")]  # no ('zt', 'zt')
    for pair in (("zh", "zt"), ("pt", "pb"), ("de", "nl")):
        assert "toolkit models install " + " ".join(pair) not in needs_model_line(*pair)
    assert "models install de en" in needs_model_line("de", "en")
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    traditional = "臺灣的總統今天在臺北發表了重要的談話，這是關於經濟發展與國際關係的問題。"
    (corpus / "original" / "trad.txt").write_text(traditional + "\n", encoding="utf-8")
    provider = ArgosProvider(packages_dir=tmp_path / "none")
    config = BuildConfig(target_language="zt")
    line = build_corpus(corpus, provider=provider, config=config).needs_model["trad"]
    assert "(languages: {trad.txt: zt};" in line, line
    (corpus / "settings.yaml").write_text("languages: {trad.txt: zt}\n", encoding="utf-8")
    summary = build_corpus(corpus, provider=provider, config=config)
    assert summary.built == ["trad"], summary.lines()
    english = (corpus / "english" / "trad.en.txt").read_text(encoding="utf-8")
    assert english.startswith(traditional[:17]), english  # copied (cleaning makes "，" ",")


def _built(tmp_path, pair, training, text, candidates):  # type: ignore[no-untyped-def]
    """The record of one document ``text`` built into ``pair[1]`` with a tiny real ``pair``
    package installed (trained on ``training``) and language id asked ``candidates``; the
    build must build it."""
    from support.argos_package import build_argos_package

    from toolkit.config.build import BuildConfig
    from toolkit.config.prepare import LanguageIdConfig, PrepareConfig
    from toolkit.pipeline.build import build_corpus
    from toolkit.schema import DocumentRecord
    from toolkit.translation.install import install_from_file
    from toolkit.translation.provider import ArgosProvider

    name = "_".join(pair)
    package = build_argos_package(tmp_path / f"{name}.argosmodel", *pair, [training] * 4)
    install_from_file(package, tmp_path / "packages")
    corpus = tmp_path / "corpus"
    (corpus / "original").mkdir(parents=True)
    (corpus / "original" / "doc.txt").write_text(text, encoding="utf-8")
    languages = LanguageIdConfig(candidates=candidates)
    config = BuildConfig(target_language=pair[1], prepare=PrepareConfig(language_id=languages))
    provider = ArgosProvider(packages_dir=tmp_path / "packages")
    summary = build_corpus(corpus, provider=provider, config=config)
    assert summary.built == ["doc"], summary.lines()
    meta = (corpus / "english" / "doc.meta.json").read_text(encoding="utf-8")
    return DocumentRecord.model_validate_json(meta)
