"""Test doubles shared by the build, review and export tests: a translator without a model.

``FakeTranslator`` prefixes each sentence with ``[en] `` so tests can tell machine output
from source text (QA then flags those sentences as untranslated, which review tests use
as ready-made flagged rows). ``FakeProvider`` hands it out for the pairs it is told about
and raises :class:`~toolkit.translation.packages.ModelMissingError` for the others, like a
machine without that Argos package.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from toolkit.config.translation import TranslationSettings
from toolkit.glossary.load import load_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.schema import TranslationInfo
from toolkit.translation.identity import recorded_identity
from toolkit.translation.packages import ModelMissingError


class FakeTranslator:
    """Marks each sentence so tests can tell machine output from source; counts model calls."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def translate(self, sentences: list[str], progress: Any = None) -> list[str]:
        self.sent.extend(sentences)
        if progress is not None:  # the SentenceTranslator contract: counts add up to len(sentences)
            progress(len(sentences))
        return [f"[en] {s}" for s in sentences]


class FakeProvider:
    """Like ``ArgosProvider`` for the pairs it is told about: its identity is the one its
    translations record (``recorded_identity`` of their TranslationInfo), with the settings
    the build hands over."""

    def __init__(self, pairs: tuple[str, ...] = ("de", "nl")) -> None:
        self.pairs = pairs
        self.translator_ = FakeTranslator()
        self.settings = TranslationSettings()

    def use_settings(self, settings: TranslationSettings) -> None:
        self.settings = settings

    def identity(self, from_code: str, to_code: str) -> dict[str, Any] | None:
        if from_code not in self.pairs:
            return None
        return recorded_identity(self.info(from_code, to_code), self.settings)

    def info(self, from_code: str, to_code: str) -> TranslationInfo:
        return TranslationInfo(
            package=f"fake-{from_code}",
            package_version="0",
            from_code=from_code,
            to_code=to_code,
            model_sha256="0" * 64,
            settings={},
        )

    def translator(self, from_code: str, to_code: str) -> tuple[FakeTranslator, TranslationInfo]:
        if from_code not in self.pairs:
            install = f"toolkit models install {from_code} {to_code}"
            raise ModelMissingError(f"needs model {from_code}→{to_code}: run `{install}`")
        return self.translator_, self.info(from_code, to_code)


ROOT = Path(__file__).resolve().parents[1]

INJECTION_ARTICLE = (
    'Kim Kardashian schrieb <script>alert("x")</script> und <b>fett</b> & "Anführungszeichen" '
    "in ihrem Beitrag über die Familie.\n\n"
    "Danach sprach sie mit Kanye West über die gemeinsamen Kinder und die Weihnachtsfeier.\n"
)
"""A German article whose text looks like HTML: review pages must show it as text."""


def build_shipped_corpus(root: Path, extra: dict[str, str] | None = None) -> Path:
    """Copy the shipped originals (plus ``extra`` name -> text) to ``root`` and build them
    with the fake translator and the project's glossary.yaml, copied into the corpus: the
    glossary a plain ``toolkit build`` (and so ``status`` and ``review``) finds there, so the
    documents are current."""
    shutil.copytree(ROOT / "corpus" / "original", root / "original")
    for name, text in (extra or {}).items():
        (root / "original" / name).write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "glossary.yaml", root / "glossary.yaml")
    glossary = load_glossary(root / "glossary.yaml")
    summary = build_corpus(root, provider=FakeProvider(), glossary=glossary)
    assert summary.exit_code == 0, summary.lines()
    return root
