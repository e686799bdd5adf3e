"""Rendering export units as TMX 1.4b, Moses line-aligned text, JSONL and TSV (see
:mod:`toolkit.export` for what each holds)."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from toolkit._version import __version__
from toolkit.corpus.formats import C1, LINE_SEPARATORS, TSV_COLUMNS, render_tsv_table
from toolkit.export.units import Unit
from toolkit.qa.bilingual import row_id

CREATION_TOOL = "newskit-toolkit"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, surrogates, U+FFFE/F).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What str.splitlines() breaks on: a Moses line must contain none of them (a line break
# inside a sentence becomes a space; a unit holding a LINE_SEPARATOR is never written).
_LINE_BREAKS = re.compile(f"[\r\n\x0b\x0c\x1c-\x1e{LINE_SEPARATORS}]+")
_SEPARATOR = re.compile(f"[{LINE_SEPARATORS}]")


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _tmx_date(iso: str | None) -> str | None:
    """ISO-8601 (``2025-01-31T09:15:00Z``) -> TMX's ``20250131T091500Z``; None if unparseable."""
    if not iso:
        return None
    try:
        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def render_tmx(units: Sequence[Unit]) -> str:
    """A TMX 1.4b document with one ``<tu>`` per unit."""
    tmx = ET.Element("tmx", version="1.4")
    ET.SubElement(
        tmx,
        "header",
        {
            "creationtool": CREATION_TOOL,
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "newskit-aligned-corpus",
            "adminlang": "en",
            "srclang": "*all*",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(tmx, "body")
    for u in units:
        tuid = row_id(u.document, u.segment)  # the id every reader gives the row
        tu = ET.SubElement(body, "tu", tuid=tuid, srclang=u.source_language)
        props = [
            ("x-document", u.document),
            ("x-segment", u.segment),
            ("x-origin", u.origin),
            ("x-flags", ",".join(u.flags)),
            ("x-dismissed", "; ".join(f"{check}: {why}" for check, why in u.dismissed)),
            ("x-package", u.package or ""),
            ("x-input-sha256", u.input_sha256),
            ("x-confidence", "" if u.confidence is None else f"{u.confidence:.4f}"),
        ]
        for kind, value in props:
            if value:
                ET.SubElement(tu, "prop", type=kind).text = _xml_text(value)
        source = ET.SubElement(tu, "tuv", {_XML_LANG: u.source_language})
        ET.SubElement(source, "seg").text = _xml_text(u.source)
        target = ET.SubElement(tu, "tuv", {_XML_LANG: u.target_language})
        changed = _tmx_date(u.corrected_at)
        if u.corrected_by:
            target.set("changeid", _xml_text(u.corrected_by))
        if changed:
            target.set("changedate", changed)
        ET.SubElement(target, "seg").text = _xml_text(u.target)
    ET.indent(tmx, space="  ")
    # XML parsers turn a literal CR (and CR LF) into LF; a character reference keeps it. A
    # bidi control is one too: the same text parsed back, but no raw RLO to reorder what a
    # terminal or an editor shows of the file (``&#x202e;``). So is a C1 control (a pairs
    # file's kept mojibake, written with --include-flagged): XML discourages them raw, XML
    # 1.1 readers take a raw NEL for a line end (and refuse the others raw), a terminal
    # takes U+009B for the start of an escape; ``&#x85;`` parses back as the character.
    # U+2028 too (XML 1.1 reads it as a line end like NEL): every LINE_SEPARATOR is one.
    body_text = ET.tostring(tmx, encoding="unicode").translate(_xml_references())
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body_text + "\n"


def _xml_references() -> dict[int, str]:
    """The characters :func:`render_tmx` writes as character references."""
    from toolkit.prepare.clean import BIDI_CONTROLS

    referenced = (*C1, *LINE_SEPARATORS, *BIDI_CONTROLS)
    return {ord("\r"): "&#13;", **{ord(c): f"&#x{ord(c):x};" for c in referenced}}


def one_line(text: str) -> str:
    """``text`` with every kind of line break replaced by a space (for line-aligned files)."""
    return _LINE_BREAKS.sub(" ", text)


def moses_units(units: Sequence[Unit]) -> tuple[list[Unit], list[Unit]]:
    """The units a Moses export writes, and those it leaves out: those whose source or
    target holds one of the :data:`LINE_SEPARATORS`. Raw, a reader that splits lines at it
    (Python's ``splitlines``) reads one line more on one side and every later pair
    misaligned; as a space (what a line break inside a sentence becomes), the ``…`` a NEL
    stands for, or the line a separator ends, was changed with no word. Other C1 characters
    are written raw: no reader of line-aligned text breaks a line at them, and plain text
    has no escape for them."""
    kept, left_out = [], []
    for u in units:
        held = _SEPARATOR.search(u.source) or _SEPARATOR.search(u.target)
        (left_out if held else kept).append(u)
    return kept, left_out


def render_moses(units: Sequence[Unit]) -> dict[str, tuple[str, str]]:
    """``{"de-en": (source lines, target lines)}``: one pair of line-aligned texts per pair
    (of units :func:`moses_units` keeps: a line separator here would become a space)."""
    by_pair: dict[str, tuple[list[str], list[str]]] = {}
    for u in units:
        src, tgt = by_pair.setdefault(u.pair, ([], []))
        src.append(one_line(u.source))
        tgt.append(one_line(u.target))
    return {
        pair: ("".join(s + "\n" for s in src), "".join(t + "\n" for t in tgt))
        for pair, (src, tgt) in sorted(by_pair.items())
    }


def unit_json(u: Unit) -> dict[str, object]:
    """One JSONL object."""
    return {
        "document": u.document,
        "segment": u.segment,
        "source_language": u.source_language,
        "target_language": u.target_language,
        "source": u.source,
        "target": u.target,
        "origin": u.origin,
        "flags": list(u.flags),
        "confidence": u.confidence,
        "correction": (
            {"author": u.corrected_by, "time": u.corrected_at}
            if u.origin in ("human", "accepted")
            else None
        ),
        "dismissed": [{"check": check, "reason": why} for check, why in u.dismissed],
        "provenance": {
            "input": u.input_path,
            "input_sha256": u.input_sha256,
            "meta": f"english/{u.document}.meta.json" if u.document else None,
            "package": u.package,
        },
    }


def render_jsonl(units: Sequence[Unit]) -> str:
    """One JSON object per line. Besides what ``json`` escapes, U+0085/U+2028/U+2029 are
    escaped too, so splitting the file with ``str.splitlines`` still gives one object a line,
    and so are bidi controls (``\\u202e``: the same text parsed back, but no raw RLO to
    reorder what a terminal or an editor shows of the line), and C1 control characters
    (U+0080-U+009F, NEL among them: a pairs file's kept mojibake, ``\\u009b``, written with
    ``--include-flagged``; raw, a terminal takes ``\\x9b`` for the start of an escape)."""
    from toolkit.prepare.clean import BIDI_CONTROLS

    escaped = {ord(c): f"\\u{ord(c):04x}" for c in (*C1, *LINE_SEPARATORS, *BIDI_CONTROLS)}
    return "".join(
        json.dumps(unit_json(u), ensure_ascii=False).translate(escaped) + "\n" for u in units
    )


def render_tsv(units: Sequence[Unit]) -> str:
    """A header row (:data:`TSV_COLUMNS`), then one row per unit, escaped like the aligned TSV
    (:func:`toolkit.corpus.formats.tsv_escape`: C1 and line separators too, so a reader
    splitting lines with ``str.splitlines`` gets one row a line)."""
    rows = (
        (
            u.document,
            u.segment,
            u.source_language,
            u.target_language,
            u.source,
            u.target,
            u.origin,
            ",".join(u.flags),
        )
        for u in units
    )
    return render_tsv_table(TSV_COLUMNS, rows)


__all__ = [
    "LINE_SEPARATORS",
    "TSV_COLUMNS",
    "moses_units",
    "one_line",
    "render_jsonl",
    "render_moses",
    "render_tmx",
    "render_tsv",
    "unit_json",
]
