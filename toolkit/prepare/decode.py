"""Turn the bytes of an article into text, naming the encoding that was used.

Order of evidence, strongest first:

1. an encoding the user named (``--encoding``, or ``encodings:`` in ``corpus/settings.yaml``
   for one file): used as given, and a byte it cannot decode is an error naming the offset;
2. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
3. strict UTF-8 (by far the most common encoding, and unambiguous when it decodes);
4. a legacy single-byte code page, the most plausible reading (below).

Choosing a code page
--------------------
A German, Dutch or English news article that is not UTF-8 is, overwhelmingly, Windows-1252
(cp1252, a superset of Latin-1's printable range). So cp1252 is the prior, and another code
page wins only on evidence. Every candidate is a single-byte code page, so the candidate
texts line up character by character and differ only where a byte >= 0x80 decodes
differently. For each such *distinct* byte value :mod:`toolkit.prepare.codepage_score`
charges each reading a cost (its docstring has the whole table):

* a C1 control character (what Latin-1 makes of cp1252's quotes and dashes): 20;
* a letter or mark by how usual it is in de/nl/en news: 0 (``äöüßéèëê…``), 1 (other Western
  and Central European letters, common symbols, DOS box drawing) or 3 (rare letters, odd
  symbols);
* context, averaged over the byte's occurrences: an upper-case letter right after a
  lower-case one (``GrŸ§e``), a symbol inside or starting a word (``Dra¸en``, ``£ask``),
  a letter standing alone as a word (``100 ı mehr``), Mac Roman's ``ë`` read as cp1252's
  ``‘`` inside a word (``ge‘ffend``; ``don‘t`` is free).

Bytes a code page leaves undefined (cp1252: 0x81 0x8D 0x8F 0x90 0x9D) rule it out; a file
whose bytes are more than 30 % non-ASCII is no Western text at all and is refused. Charging
per distinct byte, not per occurrence, keeps a name repeated twenty times from counting as
twenty pieces of evidence. Each code page adds its prior cost (cp1252 and Latin-1 0,
ISO-8859-15, cp1250 and cp1254 0.5, the DOS code pages cp850 and cp858 (cp850 with the euro
sign) 1.5, cp437 and Mac Roman 2).
DOS text is where this matters most: ``Bürger`` is byte 0x81 there, which cp1252 leaves
undefined and Mac Roman reads as ``BÅrger``. The cheapest reading wins; on a tie the configured
order decides (cp1252 first). A reading whose *text* differs from the winner's and that
costs less than ``DecodeConfig.ambiguity_margin`` more is reported as a candidate
(``Decoded.candidates``): the build names it (``encoding guessed as cp1252 (cp1250 also
possible)``) and provenance records it. So is one that close without the Mac Roman guesses
(``Hawai‘i``, cp1252's ʻokina, is Mac Roman's ``Hawaiëi``: :meth:`ReadingCosts.guessed`).
Readings that give the same text are the same answer: a Latin-1 file without C1
characters decodes to exactly the same text under cp1252, and is reported as cp1252.
A file that reads much better as two code pages, one up to some byte and another after it
(a cp1252 article with a paragraph from a DOS program), is refused naming both and the
offset: no single code page gives its text back (:mod:`toolkit.prepare.codepage_split`);
where a single byte value is all the evidence for the second one, it is reported instead.

Measured on real UD and 10kGNAD text re-encoded in each code page: BENCHMARKS.md
("Legacy encodings"), ``benchmarks/legacy_encodings.py``.

Binary files (images, archives, PDFs, anything with NUL bytes and no UTF-16
BOM) are refused before any guessing, because a single-byte codec decodes
*every* byte string and would happily turn a PNG into "text". So are RTF documents and
HTML pages saved as ``.txt``: their markup would be translated as article text.

Example:
    >>> decode_bytes("Grüße".encode("cp1252")).encoding
    'cp1252'
    >>> decode_bytes("carrière".encode("latin-1")).text
    'carrière'
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, NamedTuple

from pydantic import BaseModel, ConfigDict

from toolkit.config.prepare import DecodeConfig
from toolkit.errors import InputError
from toolkit.prepare.codepage_score import COST_C1, ReadingCosts, high_bytes
from toolkit.prepare.codepage_split import MIXED_EVIDENCE, MIXED_GAIN, best_split
from toolkit.prepare.sniff import binary_kind, bomless_wide_codec, markup_kind

if TYPE_CHECKING:
    from pathlib import Path


class Decoded(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    encoding: str
    candidates: tuple[str, ...] = ()
    """Empty when the choice is clear; else every plausible codec, best first (``encoding``
    is the first), each giving a *different* text."""


BOMS: tuple[tuple[bytes, str], ...] = (  # the one table of byte-order marks
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

NOT_TEXT_FIX = "remove it, or give the article as a plain text file"
"""The fix for a file that is no text: right in a corpus (remove it from original/) and for
``toolkit translate``/``detect``/``clean`` (which told a user with no corpus to remove the
file "from original/")."""


MARKUP_FIX = "export it as plain text (.txt) and replace this file"
PLAIN_TEXT_SETTING = "list its name under plain_text: in corpus/settings.yaml"
"""The way out the refusal of HTML or an e-mail names (an article may quote a page or a header
block, and the sniff judges shares of the text, not intent); the single-file commands name
their ``--plain-text`` instead (:func:`toolkit.prepare.inputs.prepare_article`)."""


def plain_text_way_in(message: str, settings: Path) -> str:
    """``message`` with its way out naming ``settings``, the corpus's own settings file: a
    corpus in another folder (``toolkit build c1``) was told ``corpus/settings.yaml``."""
    return message.replace(PLAIN_TEXT_SETTING, f"list its name under plain_text: in {settings}")


def _refuse_markup(text: str) -> None:
    kind = markup_kind(text)
    if kind is not None:
        # An RTF document is never an article's plain text; HTML or an e-mail may be quoted.
        way_out = (
            ""
            if kind.startswith("an RTF")
            else f"; if it is plain text after all, {PLAIN_TEXT_SETTING}"
        )
        raise InputError(f"is {kind}, not plain text; {MARKUP_FIX}{way_out}")


def decode_bytes(
    data: bytes, config: DecodeConfig | None = None, file_name: str | None = None
) -> Decoded:
    """Decode an article's bytes; :class:`InputError` for empty, binary, markup (RTF, an
    HTML page) or undecodable input.

    ``file_name`` (the base name in ``original/``) selects a per-file codec from
    ``config.encodings``; one in ``config.plain_text`` is not sniffed for markup.
    """
    config = config or DecodeConfig()
    decoded = _decode(data, config, file_name)
    if not config.reads_as_text(file_name):
        _refuse_markup(decoded.text)
    return decoded


def _decode(data: bytes, config: DecodeConfig, file_name: str | None) -> Decoded:
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("is empty: no text to translate (add article text or remove the file)")
    if len(data) > config.max_bytes:
        raise InputError(
            f"is {len(data) / 1e6:.1f} MB, over the {config.max_bytes / 1e6:.1f} MB article limit; "
            "split it into articles or raise the limit with --max-bytes"
        )
    forced = config.forced_for(file_name)
    if forced is not None:
        return _decode_forced(data, forced, config, file_name)
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(text=data.decode(codec), encoding=codec)
            except UnicodeDecodeError as exc:
                # utf-8-sig counts from after its BOM, utf-16/32 from the file's start.
                at = exc.start + (len(bom) if codec == "utf-8-sig" else 0)
                name = "UTF-8" if codec == "utf-8-sig" else codec.upper()
                raise InputError(
                    f"starts with a {name} byte-order mark but is not valid {name} "
                    f"(byte offset {at}: 0x{data[at]:02x}); re-save it as UTF-8, or name its "
                    "encoding with --encoding or under encodings: in corpus/settings.yaml"
                ) from None
    kind = binary_kind(data)
    if kind:
        wide = bomless_wide_codec(data)
        if wide:
            raise InputError(
                f"looks like {wide.upper()} text without a byte-order mark; "
                f"pass --encoding {wide}, or re-save it as UTF-8"
            )
        raise InputError(f"looks like {kind}, not text; {NOT_TEXT_FIX}")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError as exc:
        _refuse_mostly_utf8(data, exc.start)
    return _decode_legacy(data, config)


# A well-formed UTF-8 sequence of two to four bytes (RFC 3629: no overlongs, no surrogates).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _refuse_mostly_utf8(data: bytes, first_bad: int) -> None:
    """Refuse UTF-8 text with a few bytes that are not (a cp1252 line pasted in, a cut file).

    Every single-byte reading of such a file turns each of its UTF-8 letters into two or
    three characters of mojibake (``fÃ¼r``), so guessing a code page would be silently
    wrong. It is UTF-8 when its well-formed multi-byte sequences outnumber the bytes that
    fit none: in legacy-encoded text a well-formed pair only happens by chance (``ß“`` is
    ``DF 93``) and is outnumbered by the accented letters that are not (so in none of the
    real de/nl/en documents of ``test_real_text_reencoded_decodes_byte_identical``), while
    a UTF-8 article with a few stray bytes has dozens of them.
    """
    sequences = _UTF8_SEQUENCE.findall(data)
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    well_formed, stray = len(sequences), high - sum(map(len, sequences))
    if well_formed > stray:
        which = f"{stray} bytes (the first " if stray > 1 else "1 byte ("
        raise InputError(
            f"is UTF-8 except for {which}at byte offset {first_bad}: 0x{data[first_bad]:02x}); "
            f"fix {'them' if stray > 1 else 'it'} and re-save it as UTF-8, or pass --encoding"
        )


def _decode_forced(data: bytes, codec: str, config: DecodeConfig, file_name: str | None) -> Decoded:
    """Decode with the codec the user named; a byte it cannot decode is a one-line error."""
    kind = binary_kind(data, wide=codec.startswith(("utf-16", "utf-32")))
    if kind:
        raise InputError(f"looks like {kind}, not text; {NOT_TEXT_FIX}")
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"  # the BOM is not text
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        fix = (
            "fix its entry under encodings: in corpus/settings.yaml"
            if file_name is not None and file_name in config.encodings
            else "pass another --encoding, or none to detect it"
        )
        raise InputError(
            f"does not decode as {codec} (byte offset {exc.start}: 0x{data[exc.start]:02x}); {fix}"
        ) from None
    return Decoded(text=text, encoding=codec)


# -- choosing a single-byte code page -----------------------------------------------------

_MAX_HIGH_SHARE = 0.3
_UNKNOWN_ENCODING = (
    "is neither UTF-8 nor a known single-byte encoding; re-save it as UTF-8, or name its "
    "encoding with --encoding (e.g. cp437 for DOS text with box drawing)"
)


def _decode_legacy(data: bytes, config: DecodeConfig) -> Decoded:
    """Pick the most plausible single-byte reading (cp1252 first on ties); see module doc."""
    positions = high_bytes(data)
    high = sum(len(where) for where in positions.values())
    if len(data) >= 64 and high > _MAX_HIGH_SHARE * len(data):
        # de/nl/en text is mostly ASCII in any Western code page (about 1-3 % of bytes are
        # accented letters); this is another script's code page, or not text at all.
        raise InputError(_UNKNOWN_ENCODING)
    scored: list[_Reading] = []
    costs: dict[str, ReadingCosts] = {}
    for preference, (name, prior) in enumerate(config.legacy_encodings.items()):
        text = data.decode(name, errors="replace")
        if "\ufffd" in text:
            continue  # a byte this code page leaves undefined: it is not this code page
        cost = costs[name] = ReadingCosts.of(text, positions)
        total = prior + cost.total()
        undisputed = total - cost.guessed()
        scored.append(_Reading(total, preference, codecs.lookup(name).name, text, undisputed))
    if not scored:
        raise InputError(_UNKNOWN_ENCODING)
    scored.sort(key=lambda s: (s[0], s[1]))
    best_cost, _, best_codec, best_text, _ = scored[0]
    if best_cost >= COST_C1:
        # Even the best reading has control characters: no code page explains these bytes.
        raise InputError(_UNKNOWN_ENCODING)
    candidates = _candidates(scored, config.ambiguity_margin)
    for codec in _two_code_pages(data, positions, config, costs, best_cost):
        if codec != best_codec and codec not in candidates:  # weak evidence: a word, no refusal
            candidates = (*(candidates or (best_codec,)), codec)
    return Decoded(text=best_text, encoding=best_codec, candidates=candidates)


def _two_code_pages(
    data: bytes,
    positions: dict[int, list[int]],
    config: DecodeConfig,
    costs: dict[str, ReadingCosts],
    best_cost: float,
) -> tuple[str, ...]:
    """Refuse a file that reads as one code page up to some byte and as another after it
    (:mod:`toolkit.prepare.codepage_split`); where only one distinct byte value speaks for
    the second code page, the two code pages of the cut instead, to be reported."""
    if best_cost - 2 * min(config.legacy_encodings.values()) < MIXED_GAIN:
        return ()  # each part costs at least its prior: no cut can gain MIXED_GAIN (most files)
    readings = [
        (
            codecs.lookup(name).name,
            prior,
            costs.get(name) or ReadingCosts.of(data.decode(name, errors="replace"), positions),
        )
        for name, prior in config.legacy_encodings.items()
    ]  # with the code pages that leave a byte undefined: one part may still be one of them
    split = best_split(positions, readings, best_cost)
    if split is None or split.gain < MIXED_GAIN:
        return ()
    if split.evidence < MIXED_EVIDENCE:
        return split.first, split.second
    raise InputError(
        f"reads as {split.first} before byte offset {split.offset} and as {split.second} "
        "from there: two encodings pasted into one file, and no single one gives the text "
        "back; re-save it as UTF-8"
    )


class _Reading(NamedTuple):
    """One code page's reading of a legacy file (ordered: cheapest, then preferred, first)."""

    cost: float
    preference: int
    codec: str
    text: str
    undisputed: float
    """``cost`` without the Mac Roman guesses (:meth:`ReadingCosts.guessed`)."""


def _candidates(scored: list[_Reading], margin: float) -> tuple[str, ...]:
    """The winner and every reading with a different text within ``margin``; () if none.

    Within ``margin`` with or without the Mac Roman guesses: where only where ``‘’–—`` stand
    tells Mac Roman's Dutch ``geëffend`` from cp1252's ``Hawai‘i``, the other is named.
    """
    best = scored[0]
    others: list[str] = []
    seen = {best.text}
    for reading in scored[1:]:
        if reading.text in seen:
            continue  # the same text under another name (latin-1 vs cp1252): the same answer
        seen.add(reading.text)
        close = reading.cost - best.cost < margin
        if close or reading.undisputed - best.undisputed < margin:
            others.append(reading.codec)
    return (best.codec, *others) if others else ()
