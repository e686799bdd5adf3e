"""Settings of the model-free stages: decode, clean, language id, segment.

All of them are recorded verbatim in each document's provenance and hashed into its
fingerprint (:mod:`toolkit.pipeline.provenance`), so changing one rebuilds what it affects.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator

from toolkit.config.base import ConfigModel
from toolkit.config.codes import language_field, language_fields, stated_language
from toolkit.config.languages import CANDIDATES

# Text codecs in Python's sense that no article file is written in: ``undefined`` always
# raises, ``unicode_escape`` would turn the text ``\n`` into a line break, IDNA and Punycode
# encode host names (and raise plain UnicodeError, not UnicodeDecodeError, on other text).
_NOT_FILE_ENCODINGS = frozenset(
    {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode"}
)


@lru_cache(maxsize=64)
def _single_byte_codec(name: str) -> bool:
    """Whether ``name`` is a known codec that reads every byte as one character (remembered:
    a configuration is validated again on every ``model_copy``)."""
    codec_name(name)
    return len(bytes(range(256)).decode(name, errors="replace")) == 256


@lru_cache(maxsize=1024)
def codec_name(name: str) -> str:
    """The canonical Python name of a text codec (``Windows-1252`` -> ``cp1252``).

    Raises ``ValueError`` with a one-line message listing a few valid names for anything
    that is not a text encoding (``rot13`` and ``base64`` are codecs, but not of text).
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError):
        info = None
    if (
        info is None
        or not getattr(info, "_is_text_encoding", True)
        or info.name in _NOT_FILE_ENCODINGS
    ):
        shown = repr(name) if len(name) <= 40 else repr(name[:40]) + "..."  # a 10 kB name
        raise ValueError(
            f"unknown encoding {shown}; use a codec name such as utf-8, cp1252, latin-1, "
            "iso-8859-15, cp1250, cp850, utf-16"
        )
    return info.name


class DecodeConfig(ConfigModel):
    """Decoding settings (:mod:`toolkit.prepare.decode`).

    ``encoding`` forces one codec for every article (``--encoding``); ``encodings`` forces
    one per original file name (``encodings:`` in ``corpus/settings.yaml``) and wins over
    ``encoding``. A build records, per document, only that document's own entry (see
    :meth:`for_file`), so changing one file's entry rebuilds exactly that file.
    """

    max_bytes: int = 8_000_000
    """A news article is a few kB; anything past this is almost surely a dump or the wrong file."""
    legacy_encodings: dict[str, float] = Field(
        default_factory=lambda: {
            "cp1252": 0.0,
            "latin_1": 0.0,
            "iso8859_15": 0.5,
            "cp1250": 0.5,
            "cp1254": 0.5,
            "cp850": 1.5,
            "cp858": 1.5,
            "cp437": 2.0,
            "mac_roman": 2.0,
        }
    )
    """Single-byte code pages the scorer may choose from -> prior cost (added to the reading's
    cost; cp1252 is the prior for de/nl/en news), in order of preference on ties."""
    ambiguity_margin: float = 2.0
    """A reading with different text within this cost of the winner is reported as possible."""
    encoding: str | None = None
    """Decode every article with this codec (``--encoding``); no guessing."""
    encodings: dict[str, str] = Field(
        default_factory=dict,
        description="original file name -> codec (corpus/settings.yaml); wins over 'encoding'",
    )
    plain_text: tuple[str, ...] = ()
    """Original file names read as plain text though they look like markup (``plain_text:``
    in ``corpus/settings.yaml``): an article that quotes a page, which the sniff refuses.
    ``"*"`` stands for every file (``--plain-text`` of the single-file commands)."""
    languages: dict[str, str] = Field(
        default_factory=dict,
        description="original file name -> its language, stated by the user (corpus/settings.yaml "
        "'languages:'); used instead of language id, as --from is",
    )

    @field_validator("encoding")
    @classmethod
    def _known_codec(cls, value: str | None) -> str | None:
        return None if value is None else codec_name(value)

    @field_validator("encodings")
    @classmethod
    def _known_codecs(cls, value: dict[str, str]) -> dict[str, str]:
        return {name: codec_name(codec) for name, codec in value.items()}

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: dict[str, str]) -> dict[str, str]:
        return {name: stated_language(code, f"languages: {name}") for name, code in value.items()}

    @field_validator("legacy_encodings")
    @classmethod
    def _single_byte(cls, value: dict[str, float]) -> dict[str, float]:
        for name in value:
            if not _single_byte_codec(name):
                raise ValueError(f"legacy_encodings: {name!r} is not a single-byte code page")
        return value

    def __hash__(self) -> int:  # the dict field would make pydantic's frozen hash fail
        return hash(
            (
                self.max_bytes,
                tuple(self.legacy_encodings.items()),
                self.ambiguity_margin,
                self.encoding,
                tuple(sorted(self.encodings.items())),
                self.plain_text,
                tuple(sorted(self.languages.items())),
            )
        )

    def forced_for(self, file_name: str | None) -> str | None:
        """The codec the user named for this file (its own entry first), or None to detect."""
        if file_name is not None and file_name in self.encodings:
            return self.encodings[file_name]
        return self.encoding

    def reads_as_text(self, file_name: str | None) -> bool:
        """Whether the user named this file plain text (``plain_text:``): no markup sniff."""
        return file_name is not None and bool({file_name, "*"} & set(self.plain_text))

    def for_file(self, file_name: str) -> DecodeConfig:
        """This configuration as it concerns one file: ``encodings``, ``plain_text`` and
        ``languages`` cut to its own entries."""
        own = {file_name: self.encodings[file_name]} if file_name in self.encodings else {}
        text = (file_name,) if self.reads_as_text(file_name) else ()
        stated = {file_name: self.languages[file_name]} if file_name in self.languages else {}
        if own == self.encodings and text == self.plain_text and stated == self.languages:
            return self
        return self.model_copy(update={"encodings": own, "plain_text": text, "languages": stated})


class CleanConfig(ConfigModel):
    """Cleaning settings (:mod:`toolkit.prepare.clean`); the ftfy part becomes an explicit
    ``ftfy.TextFixerConfig`` there (:func:`toolkit.prepare.clean.ftfy_config`).

    Quotes are *not* uncurled by default: „…“ and “…” are part of a news
    article's typography and the translation model has seen them in training.
    """

    unescape_html: Literal["auto"] | bool = "auto"
    uncurl_quotes: bool = False
    fix_latin_ligatures: bool = True
    fix_character_width: bool = True
    normalization: Literal["NFC", "NFKC", "NFD", "NFKD"] | None = "NFC"
    max_decode_length: int = 1_000_000
    space_before_comma: bool = True
    """Remove the stray space in "Romulus , een" (a common copy-paste artefact)."""
    max_combining_marks: int = Field(default=8, ge=1)
    """Longest run of combining marks kept on one base character; longer runs are cut.

    Real writing stacks few marks (Vietnamese two, Devanagari and Hebrew pointing three or
    four, in NFC fewer still); "Zalgo" text stacks hundreds, which draw over whole pages
    of a review. Eight keeps every real stack and cuts the abuse.
    """


DOCUMENT_MIN_CONFIDENCE = 0.5
DOCUMENT_SHORT_CHARS = 200
DOCUMENT_FLOOR = 0.3
DOCUMENT_MIN_WORDS = 0.6
"""The defaults of :attr:`LanguageIdConfig.document_min_confidence`, ``document_short_chars``,
``document_floor`` and ``document_min_words`` (a fingerprint leaves them out at their
defaults: adding the settings rebuilt nothing)."""


class LanguageIdConfig(ConfigModel):
    """Settings for language identification (:mod:`toolkit.prepare.langid`).

    ``candidates`` limits the sentence-level check to languages a news corpus
    plausibly mixes (and are the languages the pool names a sentence among, with its
    document's); the document-level guess always considers every language py3langid
    knows, so that an Italian article is reported as ``it``.
    """

    candidates: tuple[str, ...] = CANDIDATES

    @field_validator("candidates")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return language_fields(value, "candidates")

    sentence_min_chars: int = Field(
        default=40,
        description="Below this length py3langid's confidence alone is too little evidence: "
        "a shorter sentence is flagged only with a function word of the other language in "
        "support (toolkit.prepare.langid_words.switches).",
    )
    sentence_min_confidence: float = Field(
        default=0.95,
        description="py3langid reading another language at this confidence is a vote for "
        "flagging a sentence (two on a sentence of sentence_min_chars or more), and the pool "
        "agreeing at this confidence one more (toolkit.prepare.langid_words.switches).",
    )
    sentence_pool_weight: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="fastText's share of the pool that names a sentence's language "
        "(fastText^w x py3langid^(1-w) over the candidates; toolkit.prepare.langid_pool). "
        "0.3 was chosen on UD dev sentences; held-out UD sentences measure it (BENCHMARKS.md).",
    )
    document_min_confidence: float = Field(
        default=DOCUMENT_MIN_CONFIDENCE,
        ge=0.0,
        le=1.0,
        description="A document read as another language than the target below this "
        "confidence (a text too short to tell: 'Ok.' read as lg at 0.03) is not sent to a "
        "model: its error line names how to state its language. No 10kGNAD article scores "
        "under 0.99 (benchmarks/language_floor.py, BENCHMARKS.md).",
    )
    document_short_chars: int = Field(
        default=DOCUMENT_SHORT_CHARS,
        ge=0,
        description="document_min_confidence judges only documents of fewer letters than "
        "this (letters, not characters: a table of figures gives language id as little as a "
        "sentence): confidence also falls on a long text of few distinct words "
        "(prepare.document.letter_count; BENCHMARKS.md).",
    )
    document_floor: float = Field(
        default=DOCUMENT_FLOOR,
        ge=0.0,
        le=1.0,
        description="A document of any length read as another language than the target "
        "below this confidence (a list of names read as nn at 0.23) is not sent to a model "
        "either; a long text is judged by its words each counted once (a sentence repeated "
        "80,000 times reads as de at 0.02: prepare.document.judged_confidence). Measured "
        "on UD documents, lists of names and tables (benchmarks/language_floor.py).",
    )
    document_min_words: float = Field(
        default=DOCUMENT_MIN_WORDS,
        ge=0.0,
        le=1.0,
        description="A document read as a language outside the toolkit's (not one of "
        "config.languages.LANGUAGE_NAMES) whose characters, spaces aside, are less than this "
        "share letters of words of 3 letters or more (figures, a table: a DAX closing-price "
        "list read as vo at 0.60 is 0.52) is not sent to a model either, whatever its "
        "confidence (long tables read as vo at 0.7-0.99), unless a model installed here "
        "translates the language it reads as. 10kGNAD articles score 0.78 and "
        "more, UD documents of 2+ sentences 0.72 (prepare.document.word_share; BENCHMARKS.md).",
    )
    given_min_confidence: float = Field(
        default=0.99,
        description="A language given by the caller (--from) that language id contradicts "
        "with this confidence is reported and every segment flagged 'source-language'.",
    )


class SegmentConfig(ConfigModel):
    """Settings of the segmenter (:mod:`toolkit.prepare.segment`).

    ``extra_abbreviations`` maps an ISO language code (normalised: ``DE``, ``de-DE`` ->
    ``de``; or ``"*"`` for every language) to abbreviations, written with their final
    period (``"Abt."``), that never end a sentence.
    """

    extra_abbreviations: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="language code or '*' -> abbreviations like 'Abt.' that never end a sentence",
    )

    @field_validator("extra_abbreviations")
    @classmethod
    def _one_word_each(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        merged: dict[str, tuple[str, ...]] = {}
        for lang, items in value.items():
            # A key by the one rule of language codes ("DE", "de-DE" -> "de"; it was ignored).
            code = lang if lang == "*" else language_field(lang, "extra_abbreviations")
            merged[code] = (*merged.get(code, ()), *items)
            for item in items:
                if not item.rstrip(".") or any(c.isspace() for c in item):
                    raise ValueError(
                        f"extra_abbreviations[{lang!r}]: {item!r} must be one word such as "
                        "'Abt.' (multi-word ones like 'z. B.' are covered by the initials rule)"
                    )
        return merged

    def __hash__(self) -> int:  # the dict field would make pydantic's frozen hash fail
        return hash(tuple(sorted(self.extra_abbreviations.items())))


class PrepareConfig(ConfigModel):
    """Settings of every model-free stage (:mod:`toolkit.prepare.document`).

    The target language is not here: it drives translation and QA, so
    :class:`toolkit.config.build.BuildConfig` owns it.
    """

    decode: DecodeConfig = DecodeConfig()
    clean: CleanConfig = CleanConfig()
    language_id: LanguageIdConfig = LanguageIdConfig()
    segment: SegmentConfig = SegmentConfig()
