"""The settings of one corpus: the contents of ``corpus/settings.yaml``.

Read strictly by :func:`toolkit.corpus.settings.load_corpus_settings`; its ``encodings`` go
into :attr:`toolkit.config.prepare.DecodeConfig.encodings`, the one owner of decoding settings.
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

    def __hash__(self) -> int:  # the dict field would make pydantic's frozen hash fail
        return hash((tuple(sorted(self.encodings.items())), self.plain_text))

    def applied_to(self, decode: DecodeConfig) -> DecodeConfig:
        """``decode`` with this corpus's per-file encodings (they win) and plain-text names:
        how the build, ``add``, ``status`` and ``glossary check`` read an original."""
        if not self.encodings and not self.plain_text:
            return decode
        return decode.model_copy(
            update={
                "encodings": {**decode.encodings, **self.encodings},
                "plain_text": tuple(sorted({*decode.plain_text, *self.plain_text})),
            }
        )
