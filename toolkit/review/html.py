"""A review as one self-contained HTML page: inline CSS and a few lines of inline JS, no
network, no external assets; a Content-Security-Policy allows exactly the page's own style
and script (by hash), so nothing else could load or run even if text escaped. Every piece
of corpus text goes through :func:`html.escape`.

Example::

    write_html(Path("review.html"), load_documents(Path("corpus"), []))
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from toolkit.corpus.writes import write_output
from toolkit.plural import plural
from toolkit.prepare.clean import BIDI_CONTROLS
from toolkit.review.rows import (
    BIDI,
    NEEDS_MODEL,
    REMOVED,
    ReviewOrder,
    TermSpan,
    flag_details,
    flag_text,
    hit_title,
    model_pair,
    ordered,
    removed_label,
    term_spans,
    waits_for_model,
    with_removed,
)
from toolkit.review.stale import NOT_CURRENT, UNKNOWN, stale_note
from toolkit.schema import BoilerplateHit, DocumentRecord, Segment

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
.missing { color: #98a2b3; } tr.removed td { color: #98a2b3; text-decoration: line-through; }
.message { color: var(--warn); }
.badge.needs-model { background: #475467; }
.stale { background: #fef0c7; border: 2px solid var(--warn); border-radius: .3rem;
  padding: .4rem .7rem; font-weight: 600; }
.toc-stale { color: var(--warn); font-weight: 600; }
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
    return BIDI.sub(
        lambda m: (
            f'<span class="bidi" title="bidi control U+{ord(m.group()):04X}">'
            f"⟨{BIDI_CONTROLS[m.group()]}⟩</span>"
        ),
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
        english = f'<span class="missing">({_e(model_pair(record))})</span>'
    elif seg.english is None:
        english = '<span class="missing">(no English)</span>'
    else:
        english = _marked(seg.english, term_spans(seg.english, seg.glossary, "english"), kinds)
    return (
        f'<tr class="{classes}" id="{anchor}-{_e(seg.id)}" data-segment="{_e(seg.id)}" '
        f'data-paragraph="{seg.paragraph}" data-origin="{_e(seg.origin)}" '
        f'data-flags="{_e(",".join(seg.flags))}"{_confidence_attr(seg)}>'
        f'<td class="sid">{_e(seg.id)}</td>'
        f'<td class="source" lang="{_e(record.language_of(seg))}">{source}</td>'
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


def _banner(text: str) -> str:
    """A warning no reader can miss: over a document a build would now write differently,
    or over the page when that could not be told."""
    return f'<p class="stale" role="alert">⚠ {_e(text)}</p>' if text else ""


def _section(
    record: DocumentRecord,
    anchor: str,
    kinds: Mapping[str, str],
    sort: ReviewOrder = "document",
    stale: str = "",
) -> str:
    prov = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in provenance_summary(record))
    rows: list[str] = []
    last = None
    for seg in with_removed(record, ordered(record.segments, sort), sort):
        if isinstance(seg, BoilerplateHit):  # removed by the build, marked, never hidden
            rows.append(f'<tr class="removed"><td class="sid">{REMOVED}</td><td class="source">'
                        f"{_shown(seg.text)}</td><td>—</td><td>{_e(removed_label(seg))}</td></tr>")
        elif sort == "document" and seg.paragraph != last:
            rows.append(f'<tr class="paragraph-break"><td colspan="4">¶ {seg.paragraph}</td></tr>')
            last = seg.paragraph
        if isinstance(seg, Segment):
            rows.append(_row(record, seg, anchor, kinds))
    message = f'<p class="message">{_e(record.message)}</p>' if record.message else ""
    banner = _banner(f"{NOT_CURRENT}: {stale_note(stale)}" if stale else "")
    return (
        f'<section class="document" id="{anchor}" data-document="{_e(record.document)}"'
        f'{" data-stale" if stale else ""}>'
        f"<h2>{_e(record.document)}</h2>{banner}{message}"
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
    stale: Mapping[str, str] | None = None,
) -> str:
    """One self-contained page reviewing ``records``; deterministic for the same input.

    ``sort="confidence"`` lists each document's rows least sure first (see
    :func:`by_confidence`); every machine row carries ``data-confidence`` either way.
    ``stale`` (:func:`toolkit.review.stale.review_staleness`): a banner on each document a
    build would now write differently, marked in the contents too."""
    kinds, stale = kinds or {}, stale or {}
    anchors = [f"doc-{i}" for i in range(1, len(records) + 1)]
    toc = "".join(
        f'<li><a href="#{a}">{_e(r.document)}</a> — {_e(r.language.language)}, '
        f"{plural(len(r.segments), 'segment')}, {sum(1 for s in r.segments if s.flags)} flagged"
        + (f", {_e(model_pair(r))}" if waits_for_model(r) else "")
        + (f', <span class="toc-stale">{NOT_CURRENT}</span>' if r.document in stale else "")
        + "</li>"
        for a, r in zip(anchors, records, strict=True)
    )
    sections = "\n".join(
        _section(r, a, kinds, sort, stale.get(r.document, ""))
        for a, r in zip(anchors, records, strict=True)
    )
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
        f"<main>{_banner(stale.get(UNKNOWN, ''))}"
        f'<nav id="toc"><h2>Documents</h2><ul>{toc}</ul></nav>\n{sections}\n</main>\n'
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
    stale: Mapping[str, str] | None = None,
    inputs: Sequence[Path] = (),
) -> None:
    """Write :func:`render_html` to ``path`` (:func:`toolkit.corpus.writes.write_output`:
    atomically, never into the corpus, never over a symlink, a device or one of ``inputs``;
    ``-`` is standard output)."""
    roots = [corpus_root] if corpus_root is not None else []
    html = render_html(records, kinds, title, sort, stale)
    write_output(Path(path), html.encode("utf-8"), roots, inputs)


__all__ = ["provenance_summary", "render_html", "write_html"]
