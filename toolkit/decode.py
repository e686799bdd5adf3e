"""Turn the bytes of an article into text, naming the encoding that was used.

Order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. strict UTF-8 (by far the most common encoding, and unambiguous when it decodes);
3. a legacy single-byte encoding (cp1252, latin-1, ...) chosen by charset-normalizer,
   a maintained detector that scores candidate decodings by how plausible the
   resulting text is, instead of a hand-written heuristic.

Binary files (images, archives, PDFs, anything with NUL bytes and no UTF-16
BOM) are refused before any guessing, because a single-byte codec decodes
*every* byte string and would happily turn a PNG into "text".

Example:
    >>> decode_bytes("Grüße".encode("cp1252")).encoding
    'cp1252'
"""

from __future__ import annotations

import codecs

from pydantic import BaseModel, ConfigDict

from toolkit.errors import InputError


class DecodeConfig(BaseModel):
    """Decoding settings, recorded in provenance."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = 8_000_000
    """A news article is a few kB; anything past this is almost surely a dump or the wrong file."""
    legacy_encodings: tuple[str, ...] = ("cp1252", "latin_1", "iso8859_15", "cp1250", "mac_roman")
    """Single-byte codecs the detector may choose from, in order of preference on ties."""


class Decoded(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    encoding: str


_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.argosmodel)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)


def _binary_kind(data: bytes) -> str | None:
    """A human name for the kind of binary file, or None if the bytes may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    # Control bytes other than tab/newline/carriage return/form feed are rare in text
    # in any encoding; more than 10% of them means this is not an article.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.10:
        return "binary data (control bytes)"
    return None


def decode_bytes(data: bytes, config: DecodeConfig | None = None) -> Decoded:
    """Decode an article's bytes; :class:`InputError` for empty, binary or undecodable input."""
    config = config or DecodeConfig()
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("is empty; nothing to build (add article text or remove the file)")
    if len(data) > config.max_bytes:
        raise InputError(
            f"is {len(data) / 1e6:.1f} MB, over the {config.max_bytes / 1e6:.1f} MB article limit; "
            "split it into articles or raise the limit with --max-bytes"
        )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(text=data.decode(codec), encoding=codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(byte {exc.start}); re-save it as UTF-8"
                ) from None
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"looks like {kind}, not text; remove it from original/")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, config)


def _decode_legacy(data: bytes, config: DecodeConfig) -> Decoded:
    from charset_normalizer import from_bytes

    results = from_bytes(
        data,
        cp_isolation=list(config.legacy_encodings),
        preemptive_behaviour=False,
        explain=False,
    )
    best = results.best()
    if best is None:
        raise InputError("is neither UTF-8 nor a known single-byte encoding; re-save it as UTF-8")
    # Single-byte codecs often decode a text identically (cp1252 and cp1250 agree on
    # German umlauts); on such ties the configured order decides, cp1252 first.
    best_text = str(best)
    tied = {
        codecs.lookup(e).name
        for r in results
        if str(r) == best_text
        for e in r.could_be_from_charset
    }
    preferred = [codecs.lookup(e).name for e in config.legacy_encodings]
    encoding = next((e for e in preferred if e in tied), codecs.lookup(best.encoding).name)
    return Decoded(text=data.decode(encoding), encoding=encoding)
