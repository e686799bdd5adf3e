"""Reading a TMX file's pairs: each ``<tu>``'s source and target picked by ``xml:lang``.

A TMX unit may hold any number of ``<tuv>`` (de, fr and en); reading "the first is the source,
the next the target" made the French the English target of a German source, and
re-reading the toolkit's own export labelled its Dutch and English rows as German and its
human corrections as machine output. Here the source is the ``<tuv>`` in the unit's own
``srclang`` (else ``--src``, else the header's ``srclang``), the target the one in ``--tgt``;
a unit without the source language, or with other languages but not the target, is one
line naming it, never a guess. The toolkit's ``x-origin``, ``x-document`` and ``x-segment``
properties are kept: the row's origin and its id (:func:`toolkit.qa.bilingual.row_id`).

Languages compare by their primary subtag (:func:`toolkit.languages.primary_language`): an
``en-US`` source and a ``de-DE`` target are ``en`` and ``de``, as ``--src``/``--tgt`` take them.

A ``<seg>``'s text is read without its inline codes (TMX 1.4b ``<bpt>``, ``<ept>``, ``<ph>``,
``<it>``, ``<ut>`` and the ``<sub>`` flows inside them): their content is the native markup of
the document the unit came from (``&lt;b&gt;``, an image's attributes), not text, and read as
text it was checked as words and numbers (``<ph>&lt;img width="300"&gt;</ph>``: a 300 the
target "lacks"). ``<hi>`` keeps its text. Every caller says how many units held codes
(:func:`toolkit.qa.bilingual.left_out_lines`), since a file written from the pairs has them no more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.languages import primary_language
from toolkit.qa.bilingual import Pair, QaInputError, row_id, row_language, row_origin
from toolkit.qa.rtf import read_rtf

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z")
# Inline codes: native markup (and its sub-flows), left out of a segment's text.
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "x", "sub"})


def read_tmx(path: Path, data: bytes, src: str | None = None, tgt: str = "en"
             ) -> list[tuple[str, Pair]]:
    """Pairs from a TMX file (see the module's docstring for which ``<tuv>`` is which), each
    with where it was read (``<tu> number 3 (tuid 'a:b')``), for the line naming a repeated
    id (:func:`toolkit.qa.pairs.read_bilingual` refuses one, as in every format)."""
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
    default = _base(src) if src else _srclang(path, "the header", header)
    tgt = _base(tgt)
    return [(_where(n, tu), _pair(path, n, tu, default, tgt))
            for n, tu in enumerate(root.iter("tu"), start=1)]


def _where(n: int, tu: Any) -> str:
    """How a line names the ``n``-th unit: its number, and its tuid where it has one."""
    tuid = tu.get("tuid")
    return f"<tu> number {n}" + (f" (tuid {tuid!r})" if tuid else "")


def _srclang(path: Path, where: str, element: Any) -> str | None:
    """The ``srclang`` of a header or unit as a language code; None when absent or ``*all*``."""
    value = element.get("srclang") if element is not None else None
    if not value or value.strip().lower() == "*all*":
        return None
    return row_language(path, f"{where}: srclang", value)


def _base(lang: str) -> str:
    """A tag's language (``en-US`` -> ``en``); what is no language tag, as written."""
    return primary_language(lang) or lang.strip().lower()


def _text(element: Any) -> tuple[str, int, int]:
    """A ``<seg>``'s text without its inline codes, how many it held, and how many RTF
    ``\\uN`` in them were no character (dropped: :func:`toolkit.qa.rtf.read_rtf`).

    What a removed code leaves between the texts around it is read from its content (what
    CAT tools write into it: the document's own markup, escaped), by :func:`_code`:

    * a code for a space leaves that space: ``&amp;thinsp;`` a thin space (U+2009, so
      ``1<ph>&amp;thinsp;</ph>000`` is ``1\u2009000``, one number), ``&amp;nbsp;`` (with or
      without its ``;``) and ``&amp;#160;`` a no-break space, a newline or a space in the code
      (``&lt;span&gt; &lt;/span&gt;``) a space;
    * a break, a block or a standalone element (``&lt;br/&gt;``, ``&lt;/p&gt;&lt;p&gt;``,
      ``&lt;img src="x.png"/&gt;``, RTF's ``\\par``) leaves a space:
      ``sagte<ph>&lt;img .../&gt;</ph>nichts`` is ``sagte nichts``;
    * a code for nothing visible (``&amp;shy;``, ``&lt;wbr&gt;``, a zero-width character)
      leaves nothing: ``Donau<ph>&amp;shy;</ph>dampf`` is ``Donaudampf``;
    * any other code (``&lt;b&gt;``, ``&lt;sup&gt;``, an empty ``<x/>``) is formatting: it
      leaves nothing inside a word (``Bundes<x/>tag``, ``Haus<bpt/>tür<ept/>``) but a space
      where a digit meets a letter or a digit (``Seite<x/>12``, ``12<ph>&lt;b&gt;</ph>Euro``,
      ``7<ph>&lt;sup&gt;</ph>3``): no word or number goes on there. A sub- or superscript
      (``&lt;sub&gt;``, ``&lt;sup&gt;``) joins a letter and a
      digit (``CO<bpt>&lt;sub&gt;</bpt>2``, ``m<ph>&lt;sup&gt;</ph>2``: ``CO2``, ``m2``, as
      plain text spells them) but still parts two digits (``10<sup>3</sup>`` read as 103
      would be a number the target lacks). The space that ends an RTF control word
      (``{\\b }``) belongs to the control word: it is no space in the text. An ``<ept>``
      is what its ``<bpt>`` (the same ``i``) opened: RTF's ``}`` closes ``{\\sub `` too;
    * RTF's control symbols are the document's characters: ``\\'e4`` an ä (text),
      ``\\~`` a no-break space, ``\\-`` a soft hyphen (nothing visible).

    Nothing is added next to a space the text has."""
    pieces: list[str | _Code] = []
    codes, dropped = _pieces(element, pieces)
    out, between = "", list[_Code]()  # the codes since the last text
    for piece in pieces:
        if isinstance(piece, _Code):
            between.append(piece)
        elif piece:
            out += _separator(out[-1], piece[0], between) if out else ""
            out, between = out + piece, []
    return out, codes, dropped


@dataclass(frozen=True)
class _Code:
    """An inline code in a segment's pieces: what it leaves (a space character, ``""`` for
    nothing visible, None for formatting; see :func:`_text`) and whether it is a sub- or
    superscript (formatting that joins a letter and a digit)."""

    leaves: str | None
    script: bool = False
    dropped: int = 0
    """How many RTF ``\\uN`` in it were no character (:func:`toolkit.qa.rtf.read_rtf`)."""


_TAG = re.compile(r"<\s*/?\s*([a-z][\w:-]*)[^>]*>", re.IGNORECASE)
# Elements that part words: breaks, blocks, and standalone content (an image, a widget).
_PARTING = frozenset({
    "br", "p", "div", "li", "tr", "td", "th", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "dd", "dt", "dl", "table", "tbody", "thead", "blockquote", "pre", "section",
    "article", "header", "footer", "figure", "figcaption", "img", "image", "input", "embed",
    "object", "video", "audio", "iframe", "svg", "canvas", "area", "button", "select"})
_RTF_BREAK = re.compile(r"\\(?:par|line|tab)\b")
_SCRIPT = frozenset({"sub", "sup"})
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _code(code: Any) -> _Code:
    """What ``code`` (a ``<ph>``, ``<bpt>``, ...) leaves in the text, by its content: a space
    character, ``""`` (nothing visible), the characters its RTF control symbols spell
    (``\\'e4`` an ä: text), or None (formatting, marked when it is a sub- or superscript,
    HTML's ``<sub>`` or RTF's ``\\sub``); see :func:`_text`."""
    import html

    rtf = read_rtf(_RTF_BREAK.sub(" ", "".join(code.itertext())))
    content, script, dropped = rtf.text, rtf.script, rtf.dropped
    visible = html.unescape(_TAG.sub("", content))  # &nbsp (no ';') too: HTML's rule
    if rtf.spelled and visible.strip(_INVISIBLE) and visible == content:
        return _Code(content, dropped=dropped)  # the document's own text, escaped in RTF
    space = next((c for c in visible if c.isspace()), None)
    if space is not None:
        return _Code(space if space not in "\t\n\r\x0b\x0c" else " ", dropped=dropped)
    names = {name.lower() for name in _TAG.findall(content)}
    if names & _PARTING:
        return _Code(" ", dropped=dropped)
    if names - {"wbr"} or visible.strip(_INVISIBLE) or not content:  # empty, or RTF only
        return _Code(None, script or bool(names & _SCRIPT), dropped)
    return _Code("", dropped=dropped)


def _separator(before: str, after: str, between: list[_Code]) -> str:
    """What goes between the characters ``before`` and ``after`` that the codes ``between``
    stood between (see :func:`_text`)."""
    if before.isspace() or after.isspace():
        return ""
    if space := next((code.leaves for code in between if code.leaves), None):
        return space
    formatting = [code for code in between if code.leaves is None]
    if not formatting or not (before.isalnum() and after.isalnum()):
        return ""
    if before.isdecimal() and after.isdecimal():
        return " "
    digit = before.isdecimal() or after.isdecimal()
    return " " if digit and not any(code.script for code in formatting) else ""


def _pieces(element: Any, pieces: list[str | _Code], opened: dict[str, _Code] | None = None
            ) -> tuple[int, int]:
    """``element``'s texts in order into ``pieces``, each inline code as what it stands
    for (the characters an RTF code spells as text); how many codes it held, and how many
    RTF ``\\uN`` in them were no character (:attr:`_Code.dropped`). An ``<ept>``
    is read with the ``<bpt>`` of its ``i`` (``opened``): its RTF ``}`` does not say what it
    closes, so ``H{\\sub 2}O`` read ``H2 O``."""
    opened = {} if opened is None else opened
    pieces.append(element.text or "")
    codes = dropped = 0
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            pass
        elif child.tag in _CODES:
            code = _code(child)
            codes, dropped = codes + 1, dropped + code.dropped
            if child.tag == "bpt":
                opened[child.get("i", "")] = code
            elif child.tag == "ept" and (start := opened.get(child.get("i", ""))) is not None:
                code = _Code(code.leaves, code.script or start.script, code.dropped)
            text = code.leaves is not None and code.leaves.strip(_INVISIBLE).strip() != ""
            pieces.append(code.leaves if text else code)  # type: ignore[arg-type]
        else:  # <hi> (and what no TMX has): its text is the segment's
            inner = _pieces(child, pieces, opened)
            codes, dropped = codes + inner[0], dropped + inner[1]
        pieces.append(child.tail or "")
    return codes, dropped


def _pair(path: Path, n: int, tu: Any, default: str | None, tgt: str) -> Pair:
    tuid, where = tu.get("tuid"), _where(n, tu)
    segs: list[tuple[str, str, int, int]] = []
    for tuv in tu.findall("tuv"):
        seg = tuv.find("seg")
        lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
        segs.append((_base(lang), *(_text(seg) if seg is not None else ("", 0, 0))))
    if not segs:
        raise QaInputError(f"{path}: {where} has no <tuv>; each needs a source one")
    src = _srclang(path, where, tu) or default
    langs = list(dict.fromkeys(lang or "no xml:lang" for lang, *_ in segs))
    if src is None:
        raise QaInputError(f"{path}: {where} names no source language (srclang); give --src "
                           f"(it has {', '.join(langs)})")
    src_i = next((i for i, (lang, *_) in enumerate(segs) if lang == src), None)
    if src_i is None:
        raise QaInputError(f"{path}: {where} has no <tuv> in the source language {src} "
                           f"(it has {', '.join(langs)}); give --src one of those or fix the file")
    tgt_i = next((i for i, (lang, *_) in enumerate(segs) if lang == tgt and i != src_i), None)
    if tgt_i is None and len(segs) > 1:
        raise QaInputError(_no_target(path, where, src, tgt, langs))
    props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
    document = props.get("x-document") if props.get("x-segment") else None
    pid = row_id(document, props["x-segment"]) if document else tuid or str(n)
    target = tu.findall("tuv")[tgt_i] if tgt_i is not None else None
    used = [segs[src_i]] + ([segs[tgt_i]] if tgt_i is not None else [])
    codes, dropped = sum(seg[2] for seg in used), sum(seg[3] for seg in used)
    return Pair(id=pid, source=segs[src_i][1],
                target=segs[tgt_i][1] if tgt_i is not None else None,
                source_language=src, inline_codes=codes, document=document,
                control_characters=dropped,
                origin=row_origin(path, where, props.get("x-origin")),
                corrected_by=target.get("changeid") if target is not None else None,
                corrected_at=_iso(target.get("changedate")) if target is not None else None)


def _no_target(path: Path, where: str, src: str, tgt: str, langs: list[str]) -> str:
    """The line for a unit without a ``<tuv>`` in ``tgt``; when its source is in ``tgt``
    itself (an ``en-US`` to ``de-DE`` memory read with ``--tgt en``), it says so."""
    if src == tgt:
        others = ", ".join(lang for lang in langs if lang != src) or "none"
        return (f"{path}: {where} has its source in the target language {tgt} (it has "
                f"{', '.join(langs)}); give --tgt the language to check ({others}), or fix "
                "the file")
    return (f"{path}: {where} has no <tuv> in the target language {tgt} "
            f"(it has {', '.join(langs)}); give --tgt one of those or fix the file")


def _iso(tmx_date: str | None) -> str | None:
    """TMX's ``20250131T091500Z`` as ISO 8601 (``2025-01-31T09:15:00Z``, what the toolkit
    records); None when absent or not in that form."""
    match = _TMX_DATE.fullmatch(tmx_date or "")
    return "{}-{}-{}T{}:{}:{}Z".format(*match.groups()) if match else None


__all__ = ["read_tmx"]
