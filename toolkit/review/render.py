"""Side-by-side review of built documents: in the terminal, or as one static HTML page.

Both views read ``corpus/english/<doc>.meta.json`` (the full record) and show one row per
source sentence: its id, the source, the English, and what QA flagged. Glossary terms are
highlighted (the source spelling that matched, the canonical term in the English);
paragraph breaks are visible.

* :func:`render_terminal` -- two wrapped columns sized to the terminal; ANSI bold/colour
  only when asked (the CLI asks when stdout is a terminal, or with ``--color=always``).
* :func:`render_html` -- a self-contained page: inline CSS and a few lines of inline JS,
  no network, no external assets; a Content-Security-Policy allows exactly the page's own
  style and script (by hash), so nothing else could load or run even if text escaped.
  Every piece of corpus text goes through :func:`html.escape`.

Example::

    records = load_documents(Path("corpus"), ["000_de546ec99307b48e"])
    print(render_terminal(records[0], TerminalStyle(width=120, color=False)))
    write_html(Path("review.html"), load_documents(Path("corpus"), []))
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.corpus.formats import read_meta
from toolkit.corpus.paths import CorpusPaths, check_document_id, document_stem, id_problem
from toolkit.corpus.snapshot import Snapshot, read_snapshot
from toolkit.corpus.writes import write_output
from toolkit.errors import CorpusError, ToolkitError
from toolkit.prepare.clean import BIDI_CONTROLS
from toolkit.schema import DocumentRecord, GlossaryHit, Segment

META_SUFFIX = ".meta.json"
ReviewOrder = Literal["document", "confidence"]
"""Row order of a review: the document's, or least sure machine translations first."""


class ReviewError(ToolkitError):
    """A document to review cannot be found or read."""


# -- finding documents -------------------------------------------------------------------------


def resolve_document(corpus_root: Path, doc: str) -> Path:
    """The meta.json of ``doc``: a path to one, a document id, or an original's file name."""
    given = Path(doc)
    if doc.endswith(META_SUFFIX) and given.is_file():
        return given
    _require_corpus(Path(corpus_root))
    english = CorpusPaths(Path(corpus_root)).english
    if not english.is_dir():
        raise ReviewError(
            f"{english}: no such directory; build the corpus first (`toolkit build {corpus_root}`)"
        )
    for name in _candidate_ids(doc):
        candidate = english / f"{name}{META_SUFFIX}"
        if candidate.is_file():
            return candidate
    raise ReviewError(
        f"{doc}: no built document of that name in {english}; "
        f"give a document id such as {_example_id(english)} or a path to a .meta.json"
    )


def _candidate_ids(doc: str) -> list[str]:
    """The document ids ``doc`` (from the command line) may mean: the id itself, an
    original's file name, a meta.json's name; only safe ids (never a path to follow)."""
    names = (doc, document_stem(doc), doc.removesuffix(META_SUFFIX), Path(doc).name)
    found = [n for n in dict.fromkeys(names) if id_problem(n) is None]
    if not found:
        check_document_id(doc, "DOC")  # raises: say why the argument cannot be an id
    return found


def _require_corpus(root: Path) -> None:
    if not root.is_dir():
        raise ReviewError(f"{root}: no such corpus directory; give one with --corpus")


def _example_id(english: Path) -> str:
    first = next(iter(sorted(english.glob(f"*{META_SUFFIX}"))), None)
    return first.name.removesuffix(META_SUFFIX) if first else "000_abc"


def read_document(path: Path) -> DocumentRecord:
    """Read one meta.json, turning every failure into a one-line :class:`ReviewError`."""
    try:
        return read_meta(path)
    except FileNotFoundError:
        raise ReviewError(f"{path}: no such file") from None
    except OSError as exc:
        raise ReviewError(f"{path}: cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise ReviewError(
            f"{path}: not a document record ({exc.__class__.__name__}); "
            "rebuild it with `toolkit build`"
        ) from None


def load_documents(
    corpus_root: Path,
    docs: Sequence[str],
    *,
    wait: bool = False,
    on_wait: Callable[[str], None] | None = None,
    left_out: list[str] | None = None,
) -> list[DocumentRecord]:
    """The records of ``docs`` in the order given; all built documents (sorted) when empty.

    Records come from :func:`toolkit.corpus.snapshot.read_snapshot`: the last complete build, each
    document's files checked against the manifest's hashes (``wait``: wait for a running
    build first). A requested document whose files changed since the build is an error;
    with no ``docs``, such documents are left out and described in ``left_out``. A DOC
    that is a path to a ``.meta.json`` file is read from that file as it is.
    """
    root = Path(corpus_root)
    explicit = {d for d in docs if d.endswith(META_SUFFIX) and Path(d).is_file()}
    snapshot = None
    if len(explicit) < len(set(docs)) or not docs:
        _require_corpus(root)
        try:
            snapshot = read_snapshot(root, wait=wait, on_wait=on_wait)
        except CorpusError as exc:
            raise ReviewError(str(exc)) from None
    if not docs:
        assert snapshot is not None
        if left_out is not None:
            left_out += snapshot.lines()
        if not snapshot.records:
            english = CorpusPaths(root).english
            why = "; ".join(snapshot.lines()) or f"run `toolkit build {root}` first"
            raise ReviewError(f"{english}: no built documents to show; {why}")
        return list(snapshot.records)
    records = []
    for doc in docs:
        if doc in explicit:
            records.append(read_document(Path(doc)))
            continue
        assert snapshot is not None
        records.append(_snapshot_record(root, snapshot, doc))
    return records


def _snapshot_record(root: Path, snapshot: Snapshot, doc: str) -> DocumentRecord:
    for name in _candidate_ids(doc):
        if name in snapshot.changed:
            raise ReviewError(f"{name}: {snapshot.changed[name]}")
        record = snapshot.record(name)
        if record is not None:
            return record
    english = CorpusPaths(root).english
    raise ReviewError(
        f"{doc}: no built document of that name in {english}; "
        f"give a document id such as {_example_id(english)} or a path to a .meta.json"
    )


# -- bidi controls -----------------------------------------------------------------------------

_BIDI = re.compile("[" + "".join(BIDI_CONTROLS) + "]")


def visible_bidi(text: str) -> str:
    """``text`` with each bidi control shown as a visible mark, e.g. ``⟨RLO⟩``.

    Cleaning removes them from articles, but corrections and model output can still hold
    them; shown raw, ``beträgt \u202e0051\u202c Euro`` reads "1500 Euro" while the TSV and
    the model have 0051. Made visible, a reviewer sees the order the data really has.
    """
    return _BIDI.sub(lambda m: f"⟨{BIDI_CONTROLS[m.group()]}⟩", text)


# -- glossary highlighting ---------------------------------------------------------------------


@dataclass(frozen=True)
class TermSpan:
    """``text[start:end]`` is a glossary term (or the source spelling that matched one)."""

    start: int
    end: int
    hit: GlossaryHit


def term_spans(text: str, hits: Iterable[GlossaryHit], side: str) -> list[TermSpan]:
    """Where the segment's glossary hits occur in ``text``, left to right, not overlapping.

    ``side`` is ``"source"`` (look for what matched) or ``"english"`` (look for the
    canonical term). Matches are word-bounded and the longest spelling wins, like the
    glossary's own matcher, so "Kim" inside "Kim Kardashian" is one span, not two.
    """
    by_text: dict[str, GlossaryHit] = {}
    for hit in hits:
        by_text.setdefault(hit.matched if side == "source" else hit.term, hit)
    if not by_text:
        return []
    alternatives = "|".join(re.escape(t) for t in sorted(by_text, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    return [TermSpan(m.start(), m.end(), by_text[m.group()]) for m in pattern.finditer(text)]


def hit_title(hit: GlossaryHit, kinds: Mapping[str, str]) -> str:
    """Hover text of a highlighted term, e.g. ``glossary: Kim (person) · placeholder, restored``."""
    kind = kinds.get(hit.term)
    entry = f"{hit.term} ({kind})" if kind else hit.term
    plain = hit.strategy == "none" and hit.outcome == "kept"
    how = "" if plain else f" · {hit.strategy}, {hit.outcome}"
    matched = f" · matched {hit.matched!r}" if hit.matched != hit.term else ""
    return f"glossary: {entry}{matched}{how}"


def glossary_kinds(entries: Iterable[object]) -> dict[str, str]:
    """term -> kind for glossary entries (anything with ``term`` and ``kind`` attributes)."""
    return {str(e.term): str(e.kind) for e in entries if hasattr(e, "term") and hasattr(e, "kind")}


def flag_details(seg: Segment) -> list[tuple[str, str, str]]:
    """(flag, severity, message) for every QA message of ``seg``, flag by flag.

    A check can fire more than once (four numbers missing are four ``number`` messages);
    each message is listed. Flags without a QA entry (``language:fr``) are warnings.
    """
    out = []
    for flag in seg.flags:
        matching = [q for q in seg.qa if q.check == flag]
        live = [q for q in matching if q.dismissed is None]  # dismissed ones are shown apart
        if live:
            out += [(flag, q.severity, q.message) for q in live]
        elif not matching:
            out.append((flag, "warning", flag))
    # Info entries (``repaired:<strategy>``) are shown but are not flags: nothing to fix.
    out += [(q.check, q.severity, q.message) for q in seg.qa if q.severity == "info"]
    return out


def flag_text(flag: str, message: str) -> str:
    """``flag: message``, without repeating a flag the message already starts with."""
    return message if message.startswith(flag) else f"{flag}: {message}"


NEEDS_MODEL = "needs model"
"""How review marks a document (and its rows) still waiting for a translation model."""


def waits_for_model(record: DocumentRecord) -> bool:
    """True for a document the build could not translate for lack of a model."""
    return record.status == "needs-model"


def _model_pair(record: DocumentRecord) -> str:
    return f"{NEEDS_MODEL} {record.language.language}→{record.target_language}"


def source_language(record: DocumentRecord, seg: Segment) -> str:
    """The language of one source sentence (a quote may differ from its document)."""
    return seg.language.language if seg.language else record.language.language


# -- terminal ----------------------------------------------------------------------------------

_RESET = "\x1b[0m"
_TERM = "\x1b[1;36m"  # bold cyan
_ERROR = "\x1b[1;31m"
_WARNING = "\x1b[33m"
_DIM = "\x1b[2m"
_BOLD = "\x1b[1m"
_MIN_COLUMN = 12


@dataclass(frozen=True)
class TerminalStyle:
    """How :func:`render_terminal` lays out a document."""

    width: int = 100
    color: bool = False
    only_flagged: bool = False
    sort: ReviewOrder = "document"
    """``confidence``: least sure first (machine rows by ascending confidence, then the rest
    in document order), with each row's confidence shown and no paragraph rules."""


def by_confidence(segments: Sequence[Segment]) -> list[Segment]:
    """Least sure first: machine segments by ascending confidence, then every segment without
    one (source, human, unscored) in document order. Stable, so ties keep document order."""
    scored = [s for s in segments if s.origin == "machine" and s.confidence is not None]
    rest = [s for s in segments if not (s.origin == "machine" and s.confidence is not None)]
    return sorted(scored, key=lambda s: s.confidence or 0.0) + rest


def _ordered(segments: Sequence[Segment], sort: ReviewOrder) -> list[Segment]:
    return by_confidence(segments) if sort == "confidence" else list(segments)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap as ``(start, end)`` slices of ``text``, each at most ``width`` long.

    Offsets (not strings) let highlighting computed on the whole sentence carry over to the
    wrapped lines. A word longer than ``width`` is cut.
    """
    width = max(width, 1)
    lines: list[tuple[int, int]] = []
    start = end = -1
    for word in re.finditer(r"\S+", text):
        ws, we = word.span()
        if start >= 0 and we - start <= width:
            end = we
            continue
        if start >= 0:
            lines.append((start, end))
        while we - ws > width:
            lines.append((ws, ws + width))
            ws += width
        start, end = ws, we
    if start >= 0:
        lines.append((start, end))
    return lines or [(0, 0)]


def _paint(text: str, start: int, end: int, spans: Sequence[TermSpan], color: bool) -> str:
    """``text[start:end]`` with the parts inside glossary spans in bold colour."""
    if not color:
        return text[start:end]
    out, pos = [], start
    for span in spans:
        a, b = max(span.start, start), min(span.end, end)
        if a >= b:
            continue
        out += [text[pos:a], _TERM, text[a:b], _RESET]
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def _column(text: str, spans: Sequence[TermSpan], width: int, color: bool) -> list[str]:
    """A sentence wrapped to ``width`` and padded to it, highlighted."""
    return [
        _paint(text, a, b, spans, color) + " " * (width - (b - a))
        for a, b in wrap_offsets(text, width)
    ]


def _style(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


def render_terminal(record: DocumentRecord, style: TerminalStyle = TerminalStyle()) -> str:
    """One document as two wrapped columns (source | English), a rule at each paragraph."""
    color = style.color
    ids = [s.id for s in record.segments] or ["id"]
    id_width = max(len(i) for i in ids)
    column = max(_MIN_COLUMN, (style.width - id_width - 6) // 2)
    sep = _style(" │ ", _DIM, color)
    src_lang = record.language.language
    flagged = sum(1 for s in record.segments if s.flags)
    header = (
        f"== {record.document}  {src_lang}→{record.target_language}, "
        f"{len(record.segments)} segments, {flagged} flagged, "
        + (_model_pair(record) if waits_for_model(record) else f"status {record.status}")
    )
    lines = [_style(header[a:b], _BOLD, color) for a, b in wrap_offsets(header, style.width)]
    if record.message:
        message = record.message
        wrapped = wrap_offsets(message, style.width)
        lines += [_style(message[a:b], _WARNING, color) for a, b in wrapped]
    lines.append(
        " " * id_width + sep + f"source ({src_lang})".ljust(column) + sep + record.target_language
    )
    last_paragraph = None
    waiting = waits_for_model(record)
    shown = 0
    for seg in _ordered(record.segments, style.sort):
        # A row waiting for a model needs attention too: "only flagged" keeps it.
        if style.only_flagged and not seg.flags and not (waiting and seg.english is None):
            continue
        shown += 1
        if style.sort == "document" and seg.paragraph != last_paragraph:
            label = f"── ¶ {seg.paragraph} "
            rule = "─" * max(0, id_width + 6 + 2 * column - len(label))
            lines.append(_style(label + rule, _DIM, color))
            last_paragraph = seg.paragraph
        visible = visible_bidi(seg.source)
        source = _column(visible, term_spans(visible, seg.glossary, "source"), column, color)
        if seg.english is None and waiting:
            english = [_style(_model_pair(record)[:column].ljust(column), _WARNING, color)]
        elif seg.english is None:
            english = [_style("—".ljust(column), _DIM, color)]
        else:
            visible = visible_bidi(seg.english)
            english = _column(visible, term_spans(visible, seg.glossary, "english"), column, color)
        for i in range(max(len(source), len(english))):
            left = source[i] if i < len(source) else " " * column
            right = english[i] if i < len(english) else ""
            label = _style(seg.id.ljust(id_width), _DIM, color) if i == 0 else " " * id_width
            lines.append((label + sep + left + sep + right).rstrip())
        indent = " " * (id_width + 3)
        if style.sort == "confidence" and seg.origin == "machine" and seg.confidence is not None:
            lines.append(indent + _style(f"confidence {seg.confidence:.4f}", _DIM, color))
        for flag, severity, message in flag_details(seg):
            code = {"error": _ERROR, "info": _DIM}.get(severity, _WARNING)
            text = f"⚑ {flag_text(flag, message)} [{severity}]"
            for a, b in wrap_offsets(text, max(_MIN_COLUMN, style.width - len(indent))):
                lines.append(indent + _style(text[a:b], code, color))
        for q in seg.qa:  # dismissed flags stay visible, with the reviewer's reason
            if q.dismissed is not None:
                why = f"✓ {q.check} dismissed: {q.dismissed.get('reason', '')}"
                lines.append(indent + _style(why, _DIM, color))
        if seg.correction is not None:
            who = seg.correction.get("author") or "unknown"
            when = seg.correction.get("time") or "?"
            verb = "accepted" if seg.origin == "accepted" else "corrected"
            lines.append(indent + _style(f"✎ {verb} by {who}, {when}", _DIM, color))
    if style.only_flagged and not shown:
        lines.append(_style("nothing flagged in this document", _DIM, color))
    return "\n".join(lines) + "\n"


# -- HTML --------------------------------------------------------------------------------------

_CSS = """
:root { --flag: #b42318; --warn: #b54708; --term: #fff3bf; --rule: #d0d5dd; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #101828; background: #fff; }
header { position: sticky; top: 0; background: #f9fafb; border-bottom: 1px solid var(--rule);
  padding: .5rem 1rem; display: flex; gap: 1.5rem; align-items: center; z-index: 1; }
header h1 { font-size: 1.1rem; margin: 0; }
main { padding: 0 1rem 2rem; }
nav ul { columns: 2; padding-left: 1.2rem; }
section.document { margin-top: 2rem; }
h2 { font-size: 1.05rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem;
  font-size: .85rem; color: #475467; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
table.pairs { border-collapse: collapse; width: 100%; table-layout: fixed; margin-top: .5rem; }
table.pairs th { text-align: left; background: #f2f4f7; padding: .3rem .5rem; }
/* overflow: stacked combining marks must not draw over other rows */
table.pairs td { vertical-align: top; padding: .3rem .5rem; border-top: 1px solid #eaecf0;
  overflow-wrap: anywhere; overflow: hidden; }
.bidi { color: var(--flag); font-size: .75em; border: 1px solid var(--flag); border-radius: .2rem; }
col.c-id { width: 5rem; } col.c-flags { width: 16rem; }
td.sid { font-family: ui-monospace, monospace; font-size: .8rem; color: #667085; }
tr.flagged td.sid { border-left: 4px solid var(--flag); }
tr.paragraph-break td { border-top: 2px solid var(--rule); font-size: .75rem; color: #98a2b3;
  padding: .6rem .5rem .1rem; }
mark.term { background: var(--term); border-bottom: 1px dotted #a15c07; cursor: help; }
.badge { display: inline-block; font-size: .75rem; border-radius: .6rem; padding: 0 .45rem;
  margin: 0 .2rem .2rem 0; color: #fff; background: var(--warn); cursor: help; }
.badge.error { background: var(--flag); }
.badge.human { background: #027a48; }
.missing { color: #98a2b3; }
.message { color: var(--warn); }
.badge.needs-model { background: #475467; }
ul.explain { list-style: none; margin: .2rem 0 0; padding: 0; font-size: .78rem; color: #475467; }
ul.explain li.error { color: var(--flag); }
header .filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; }
tr.segment.hidden, body.filtering tr.paragraph-break, section.document.hidden { display: none; }
section.document.collapsed table.pairs, section.document.collapsed dl.provenance { display: none; }
section.document.collapsed h2::after { content: " — nothing flagged"; color: #98a2b3;
  font-weight: normal; }
""".strip()

_JS = """
(function () {
  "use strict";
  function el(id) { return document.getElementById(id); }
  var box = el("only-flagged"), check = el("filter-check"), doc = el("filter-document");
  var origin = el("filter-origin"), search = el("search"), count = el("shown-count");
  function update() {
    var q = search.value.trim().toLowerCase();
    var filtering = box.checked || check.value || doc.value || origin.value || q;
    document.body.classList.toggle("filtering", !!filtering);
    var all = 0, shown = 0;
    document.querySelectorAll("section.document").forEach(function (section) {
      var inDoc = !doc.value || section.dataset.document === doc.value;
      var visible = 0;
      section.querySelectorAll("tr.segment").forEach(function (row) {
        all += 1;
        var flags = row.dataset.flags ? row.dataset.flags.split(",") : [];
        var ok = inDoc
          && (!box.checked || row.classList.contains("flagged"))
          && (!check.value || flags.indexOf(check.value) >= 0)
          && (!origin.value || row.dataset.origin === origin.value)
          && (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
        row.classList.toggle("hidden", !ok);
        if (ok) { visible += 1; }
      });
      shown += visible;
      section.classList.toggle("hidden", !inDoc);
      section.classList.toggle("collapsed", inDoc && !!filtering && visible === 0);
    });
    count.textContent = shown + " of " + all + " rows shown";
  }
  [box, check, doc, origin].forEach(function (c) { c.addEventListener("change", update); });
  search.addEventListener("input", update);
  update();
})();
""".strip()


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _shown(text: str) -> str:
    """Escaped ``text``, each bidi control replaced by a visible ``<span class="bidi">``."""
    return _BIDI.sub(
        lambda m: f'<span class="bidi" title="bidi control U+{ord(m.group()):04X}">'
        f"⟨{BIDI_CONTROLS[m.group()]}⟩</span>",
        _e(text),
    )


def _marked(text: str, spans: Sequence[TermSpan], kinds: Mapping[str, str]) -> str:
    """Escaped ``text`` with each glossary span in a ``<mark>`` whose title names the entry,
    and bidi controls shown as visible marks (never applied)."""
    out, pos = [], 0
    for span in spans:
        out.append(_shown(text[pos : span.start]))
        title = _e(hit_title(span.hit, kinds))
        out.append(
            f'<mark class="term" data-term="{_e(span.hit.term)}" title="{title}">'
            f"{_shown(text[span.start : span.end])}</mark>"
        )
        pos = span.end
    out.append(_shown(text[pos:]))
    return "".join(out)


def _badges(seg: Segment, waiting: bool = False) -> str:
    """One badge per flag, then every QA message written out (visible without hovering)."""
    details = flag_details(seg)
    by_flag: dict[str, list[tuple[str, str]]] = {}
    for flag, severity, message in details:
        by_flag.setdefault(flag, []).append((severity, message))
    badges = []
    for flag, found in by_flag.items():
        severity = "error" if any(sev == "error" for sev, _ in found) else "warning"
        title = "; ".join(message for _, message in found)
        badges.append(
            f'<span class="badge {_e(severity)}" data-flag="{_e(flag)}" title="{_e(title)}">'
            f"{_e(flag)}</span>"
        )
    badges += [
        f'<span class="badge dismissed" data-flag="{_e(q.check)}" '
        f'title="{_e(q.message)}; dismissed: {_e(q.dismissed.get("reason", ""))}">'
        f"{_e(q.check)} dismissed: {_e(q.dismissed.get('reason', ''))}</span>"
        for q in seg.qa
        if q.dismissed is not None
    ]
    if waiting:
        badges.append(f'<span class="badge needs-model">{NEEDS_MODEL}</span>')
    if seg.correction is not None:
        who = seg.correction.get("author") or "unknown"
        when = seg.correction.get("time") or "?"
        kind = "accepted" if seg.origin == "accepted" else "human"
        title = f"{'accepted' if kind == 'accepted' else 'corrected'} by {who}, {when}"
        badges.append(f'<span class="badge {kind}" title="{_e(title)}">{kind}</span>')
    explain = "".join(
        f'<li class="{_e(severity)}">{_e(flag_text(flag, message))}</li>'
        for flag, severity, message in details
    )
    return "".join(badges) + (f'<ul class="explain">{explain}</ul>' if explain else "")


def _row(record: DocumentRecord, seg: Segment, anchor: str, kinds: Mapping[str, str]) -> str:
    waiting = waits_for_model(record) and seg.english is None
    # Rows waiting for a model count as flagged: the "only flagged" filter keeps them.
    classes = "segment flagged" if seg.flags or waiting else "segment"
    if waiting:
        classes += " needs-model"
    source = _marked(seg.source, term_spans(seg.source, seg.glossary, "source"), kinds)
    if waiting:
        english = f'<span class="missing">({_e(_model_pair(record))})</span>'
    elif seg.english is None:
        english = '<span class="missing">(no English)</span>'
    else:
        english = _marked(seg.english, term_spans(seg.english, seg.glossary, "english"), kinds)
    return (
        f'<tr class="{classes}" id="{anchor}-{_e(seg.id)}" data-segment="{_e(seg.id)}" '
        f'data-paragraph="{seg.paragraph}" data-origin="{_e(seg.origin)}" '
        f'data-flags="{_e(",".join(seg.flags))}"{_confidence_attr(seg)}>'
        f'<td class="sid">{_e(seg.id)}</td>'
        f'<td class="source" lang="{_e(source_language(record, seg))}">{source}</td>'
        f'<td class="english" lang="{_e(record.target_language)}">{english}</td>'
        f'<td class="flags">{_badges(seg, waiting)}</td></tr>'
    )


def _confidence_attr(seg: Segment) -> str:
    """``data-confidence`` and a hover title for a machine row with a model score."""
    if seg.origin != "machine" or seg.confidence is None:
        return ""
    return f' data-confidence="{seg.confidence:.4f}" title="confidence {seg.confidence:.4f}"'


def _model_line(record: DocumentRecord) -> str:
    t = record.translation
    if t is not None:
        return (
            f"{t.package} {t.package_version} ({t.from_code}→{t.to_code}, "
            f"model sha256 {t.model_sha256[:16]}…)"
        )
    if record.language.language == record.target_language:
        return "none (the source is in the target language)"
    return "none"


def _glossary_line(record: DocumentRecord) -> str:
    g = record.glossary
    if not g:
        return "(none)"
    sha = str(g.get("sha256", ""))[:16]
    return f"{g.get('path') or '(in code)'}, {g.get('entries', 0)} entries, sha256 {sha}…"


def provenance_summary(record: DocumentRecord) -> list[tuple[str, str]]:
    """(label, value) pairs: where a document came from, what shaped it, what it holds."""
    origins: dict[str, int] = {}
    for seg in record.segments:
        origins[seg.origin] = origins.get(seg.origin, 0) + 1
    paragraphs = len({s.paragraph for s in record.segments})
    flagged = sum(1 for s in record.segments if s.flags)
    inp = record.input
    lang = record.language
    return [
        ("input", f"{inp.path} ({inp.size} bytes, sha256 {inp.sha256[:16]}…)"),
        ("encoding", inp.encoding),
        ("language", f"{lang.language} ({lang.confidence:.2f}) → {record.target_language}"),
        ("status", record.status + (f": {record.message}" if record.message else "")),
        ("model", _model_line(record)),
        ("glossary", _glossary_line(record)),
        (
            "segments",
            f"{len(record.segments)} in {paragraphs} paragraphs; {flagged} flagged; "
            + ", ".join(f"{n} {origin}" for origin, n in sorted(origins.items())),
        ),
        ("boilerplate removed", str(len(record.cleaning.boilerplate))),
        ("toolkit", record.versions.get("toolkit", "?")),
    ]


def _section(
    record: DocumentRecord,
    anchor: str,
    kinds: Mapping[str, str],
    sort: ReviewOrder = "document",
) -> str:
    prov = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in provenance_summary(record))
    rows: list[str] = []
    last = None
    for seg in _ordered(record.segments, sort):
        if sort == "document" and seg.paragraph != last:
            rows.append(f'<tr class="paragraph-break"><td colspan="4">¶ {seg.paragraph}</td></tr>')
            last = seg.paragraph
        rows.append(_row(record, seg, anchor, kinds))
    message = f'<p class="message">{_e(record.message)}</p>' if record.message else ""
    return (
        f'<section class="document" id="{anchor}" data-document="{_e(record.document)}">'
        f"<h2>{_e(record.document)}</h2>{message}"
        f'<dl class="provenance">{prov}</dl>'
        '<table class="pairs">'
        '<colgroup><col class="c-id"><col><col><col class="c-flags"></colgroup>'
        f"<thead><tr><th>id</th><th>source ({_e(record.language.language)})</th>"
        f"<th>English</th><th>flags</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def render_html(
    records: Sequence[DocumentRecord],
    kinds: Mapping[str, str] | None = None,
    title: str = "Corpus review",
    sort: ReviewOrder = "document",
) -> str:
    """One self-contained page reviewing ``records``; deterministic for the same input.

    ``sort="confidence"`` lists each document's rows least sure first (see
    :func:`by_confidence`); every machine row carries ``data-confidence`` either way."""
    kinds = kinds or {}
    anchors = [f"doc-{i}" for i in range(1, len(records) + 1)]
    toc = "".join(
        f'<li><a href="#{a}">{_e(r.document)}</a> — {_e(r.language.language)}, '
        f"{len(r.segments)} segments, {sum(1 for s in r.segments if s.flags)} flagged"
        + (f", {_e(_model_pair(r))}" if waits_for_model(r) else "")
        + "</li>"
        for a, r in zip(anchors, records, strict=True)
    )
    sections = "\n".join(_section(r, a, kinds, sort) for a, r in zip(anchors, records, strict=True))
    csp = (
        f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
        "img-src 'none'; form-action 'none'; base-uri 'none'"
    )
    total = sum(len(r.segments) for r in records)
    checks = sorted({flag for r in records for seg in r.segments for flag in seg.flags})
    origins = sorted({seg.origin for r in records for seg in r.segments})
    filters = (
        '<span class="filters">'
        + _select("filter-check", "all checks", checks)
        + _select("filter-document", "all documents", [r.document for r in records])
        + _select("filter-origin", "all origins", origins)
        + '<input type="search" id="search" placeholder="search text" aria-label="search text">'
        "</span>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style></head>\n<body>\n"
        f"<header><h1>{_e(title)}</h1>"
        '<label><input type="checkbox" id="only-flagged"> only flagged rows</label>'
        f"{filters}"
        f'<span id="shown-count">{total} rows</span></header>\n'
        f'<main><nav id="toc"><h2>Documents</h2><ul>{toc}</ul></nav>\n{sections}\n</main>\n'
        f"<script>{_JS}</script>\n</body></html>\n"
    )


def _select(id_: str, everything: str, values: Sequence[str]) -> str:
    """A ``<select>`` filter: the first option (value "") shows everything."""
    options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
    return (
        f'<select id="{id_}" aria-label="{_e(everything)}">'
        f'<option value="">{_e(everything)}</option>{options}</select>'
    )


def write_html(
    path: Path,
    records: Sequence[DocumentRecord],
    kinds: Mapping[str, str] | None = None,
    title: str = "Corpus review",
    corpus_root: Path | None = None,
    sort: ReviewOrder = "document",
) -> None:
    """Write :func:`render_html` to ``path`` (:func:`toolkit.corpus.writes.write_output`:
    atomically, never into the corpus, never over a symlink or a device; ``-`` is standard
    output)."""
    roots = [corpus_root] if corpus_root is not None else []
    html = render_html(records, kinds, title, sort)
    write_output(Path(path), html.encode("utf-8"), roots)


__all__ = [
    "NEEDS_MODEL",
    "ReviewError",
    "TermSpan",
    "TerminalStyle",
    "by_confidence",
    "flag_details",
    "flag_text",
    "glossary_kinds",
    "load_documents",
    "provenance_summary",
    "read_document",
    "render_html",
    "render_terminal",
    "resolve_document",
    "source_language",
    "term_spans",
    "waits_for_model",
    "wrap_offsets",
    "write_html",
]
