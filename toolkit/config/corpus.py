"""The settings of one corpus: the contents of ``corpus/settings.yaml``.

Read strictly by :func:`toolkit.corpus.settings.load_corpus_settings`; its ``encodings``,
``plain_text`` and ``languages`` go into :class:`toolkit.config.prepare.DecodeConfig`, the one
owner of the per-file settings (recorded in each document's provenance and fingerprint).
"""

from __future__ import annotations

from pydantic import Field

from toolkit.config.base import ConfigModel
from toolkit.config.prepare import DecodeConfig


class CorpusSettings(ConfigModel):
    """The contents of ``corpus/settings.yaml``."""

    encodings: dict[str, str] = Field(
        default_factory=dict, description="original file name -> codec used to decode it"
    )
    plain_text: tuple[str, ...] = ()
    """Original file names read as plain text though they look like markup."""
    languages: dict[str, str] = Field(
        default_factory=dict,
        description="original file name -> its language, stated instead of language id "
        "(a text too short to tell)",
    )

    def __hash__(self) -> int:  # the dict field would make pydantic's frozen hash fail
        return hash(
            (
                tuple(sorted(self.encodings.items())),
                self.plain_text,
                tuple(sorted(self.languages.items())),
            )
        )

    def applied_to(self, decode: DecodeConfig) -> DecodeConfig:
        """``decode`` with this corpus's per-file encodings (they win), plain-text names and
        stated languages: how the build, ``add``, ``status`` and ``glossary check`` read an
        original."""
        if not self.encodings and not self.plain_text and not self.languages:
            return decode
        return decode.model_copy(
            update={
                "encodings": {**decode.encodings, **self.encodings},
                "plain_text": tuple(sorted({*decode.plain_text, *self.plain_text})),
                "languages": {**decode.languages, **self.languages},
            }
        )
