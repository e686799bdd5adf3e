"""Reading a TMX file's pairs: each ``<tu>``'s source and target picked by ``xml:lang``.

A TMX unit may hold any number of ``<tuv>`` (de, fr and en); reading "the first is the source,
the next the target" made the French the English target of a German source, and
re-reading the toolkit's own export labelled its Dutch and English rows as German and its
human corrections as machine output. Here the source is the ``<tuv>`` in the unit's own
``srclang`` (else ``--src``, else the header's ``srclang``), the target the one in ``--tgt``;
a unit without the source language, or with other languages but not the target, is one
line naming it, never a guess. The toolkit's ``x-origin``, ``x-document`` and ``x-segment``
properties are kept: the row's origin and its id (:func:`toolkit.qa.bilingual.row_id`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from toolkit.qa.bilingual import Pair, QaInputError, row_id, row_language, row_origin

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z")


def read_tmx(path: Path, data: bytes, src: str | None = None, tgt: str = "en") -> list[Pair]:
    """Pairs from a TMX file (see the module's docstring for which ``<tuv>`` is which)."""
    try:
        from lxml import etree
    except ImportError as err:
        raise QaInputError(f"{path}: reading TMX needs lxml; run: pip install lxml") from err

    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as err:
        raise QaInputError(f"{path}: not well-formed TMX ({err}); fix the XML") from err
    if root.tag != "tmx":
        raise QaInputError(f"{path}: root element is <{root.tag}>, not <tmx>; is this TMX?")
    header = root.find("header")
    default = src or _srclang(path, "the header", header)
    return [_pair(path, n, tu, default, tgt) for n, tu in enumerate(root.iter("tu"), start=1)]


def _srclang(path: Path, where: str, element: Any) -> str | None:
    """The ``srclang`` of a header or unit as a language code; None when absent or ``*all*``."""
    value = element.get("srclang") if element is not None else None
    if not value or value.strip().lower() == "*all*":
        return None
    return row_language(path, f"{where}: srclang", value)


def _base(lang: str) -> str:
    return lang.strip().lower().replace("_", "-").split("-")[0]


def _pair(path: Path, n: int, tu: Any, default: str | None, tgt: str) -> Pair:
    tuid = tu.get("tuid")
    where = f"<tu> number {n}" + (f" (tuid {tuid!r})" if tuid else "")
    segs: list[tuple[str, str]] = []
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
        segs.append((_base(lang), "".join(seg.itertext()) if seg is not None else ""))
    if not segs:
        raise QaInputError(f"{path}: {where} has no <tuv>; each needs a source one")
    src = _srclang(path, where, tu) or default
    have = ", ".join(dict.fromkeys(lang or "no xml:lang" for lang, _ in segs))
    if src is None:
        raise QaInputError(f"{path}: {where} names no source language (srclang); give --src "
                           f"(it has {have})")
    src_i = next((i for i, (lang, _) in enumerate(segs) if lang == src), None)
    if src_i is None:
        raise QaInputError(f"{path}: {where} has no <tuv> in the source language {src} "
                           f"(it has {have}); give --src one of those or fix the file")
    tgt_i = next((i for i, (lang, _) in enumerate(segs) if lang == tgt and i != src_i), None)
    if tgt_i is None and len(segs) > 1:
        raise QaInputError(f"{path}: {where} has no <tuv> in the target language {tgt} "
                           f"(it has {have}); give --tgt one of those or fix the file")
    props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
    if props.get("x-document") and props.get("x-segment"):
        pid = row_id(props["x-document"], props["x-segment"])
    else:
        pid = tuid or str(n)
    target = tu.findall("tuv")[tgt_i] if tgt_i is not None else None
    return Pair(id=pid, source=segs[src_i][1],
                target=segs[tgt_i][1] if tgt_i is not None else None,
                source_language=src, origin=row_origin(path, where, props.get("x-origin")),
                corrected_by=target.get("changeid") if target is not None else None,
                corrected_at=_iso(target.get("changedate")) if target is not None else None)


def _iso(tmx_date: str | None) -> str | None:
    """TMX's ``20250131T091500Z`` as ISO 8601 (``2025-01-31T09:15:00Z``, what the toolkit
    records); None when absent or not in that form."""
    match = _TMX_DATE.fullmatch(tmx_date or "")
    return "{}-{}-{}T{}:{}:{}Z".format(*match.groups()) if match else None


__all__ = ["read_tmx"]
