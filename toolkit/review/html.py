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
from toolkit.languages import NO_LANGUAGE, needs_no_model
from toolkit.plural import plural
from toolkit.prepare.clean import BIDI_CONTROLS
from toolkit.qa.flags import SEVERITY
from toolkit.qa.summary import flagged_segments, is_flagged
from toolkit.review.html_assets import CSS as _CSS
from toolkit.review.html_assets import JS as _JS
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
from toolkit.review.stale import NOT_CURRENT, UNKNOWN, stale_note, state_fields
from toolkit.schema import BoilerplateHit, DocumentRecord, Segment


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
    classes = "segment flagged" if is_flagged(seg) or waiting else "segment"
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
    from toolkit.translation.folders import shown_version

    t = record.translation
    if t is not None:
        return (
            f"{t.package} {shown_version(t.package_version)} ({t.from_code}→{t.to_code}, "
            f"model sha256 {t.model_sha256[:16]}…)"
        )
    if record.language.language == NO_LANGUAGE:
        return "none (no language content: the source is its own translation)"
    if needs_no_model(record.language.language, record.target_language):
        return "none (the source is in the target language)"  # no into nb too
    return "none"


def _glossary_line(record: DocumentRecord) -> str:
    g = record.glossary
    if not g:
        return "(none)"
    sha = str(g.get("sha256", ""))[:16]
    return f"{g.get('path') or '(in code)'}, {g.get('entries', 0)} entries, sha256 {sha}…"


def provenance_summary(
    record: DocumentRecord, state: tuple[str, str] | None = None
) -> list[tuple[str, str]]:
    """(label, value) pairs: where a document came from, what shaped it, what it holds;
    its status as ``toolkit status`` says it (``state``:
    :func:`~toolkit.review.stale.review_states`; the record's without)."""
    origins: dict[str, int] = {}
    for seg in record.segments:
        origins[seg.origin] = origins.get(seg.origin, 0) + 1
    paragraphs = len({s.paragraph for s in record.segments})
    flagged = flagged_segments(record.segments)  # as qa and status count them
    inp = record.input
    lang = record.language
    shown = state_fields(record, {record.document: state} if state else {})
    return [
        ("input", f"{inp.path} ({inp.size} bytes, sha256 {inp.sha256[:16]}…)"),
        ("encoding", inp.encoding),
        ("language", f"{lang.language} ({lang.confidence:.2f}) → {record.target_language}"),
        ("status", shown["status"] + (f": {shown['message']}" if shown["message"] else "")),
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


def _left_out(lines: Sequence[str]) -> str:
    """The notice at the top of a page that does not show the whole corpus: each document
    left out and why (changed since the build, being built now, never built or failed),
    so the page never reads as complete when it is not."""
    if not lines:
        return ""
    items = "".join(f"<li>{_shown(line)}</li>" for line in lines)
    return (
        '<section class="left-out" id="left-out" role="alert">'
        "<h2>⚠ Not in this review</h2><ul>" + items + "</ul></section>"
    )


def _section(
    record: DocumentRecord,
    anchor: str,
    kinds: Mapping[str, str],
    sort: ReviewOrder = "document",
    stale: str = "",
    state: tuple[str, str] | None = None,
) -> str:
    summary = provenance_summary(record, state)
    prov = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in summary)
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
    left_out: Sequence[str] = (),
    states: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """One self-contained page reviewing ``records``; deterministic for the same input.

    ``sort="confidence"`` lists each document's rows least sure first (see
    :func:`by_confidence`); every machine row carries ``data-confidence`` either way.
    ``stale`` (:func:`toolkit.review.stale.review_staleness`): a banner on each document a
    build would now write differently, marked in the contents too. ``left_out``: one line
    per document not shown and why (:func:`toolkit.review.documents.load_documents`), in a
    notice above the contents. ``states``: each document's state as ``toolkit status`` says
    it (:func:`toolkit.review.stale.review_states`), in its provenance."""
    kinds, stale, states = kinds or {}, stale or {}, states or {}
    anchors = [f"doc-{i}" for i in range(1, len(records) + 1)]
    toc = _toc(records, anchors, stale)
    sections = "\n".join(
        _section(r, a, kinds, sort, stale.get(r.document, ""), states.get(r.document))
        for a, r in zip(anchors, records, strict=True)
    )
    csp = (
        f"default-src 'none'; style-src {_csp_hash(_CSS)}; script-src {_csp_hash(_JS)}; "
        "img-src 'none'; form-action 'none'; base-uri 'none'"
    )
    total = sum(len(r.segments) for r in records)
    raised = {flag for r in records for seg in r.segments for flag in seg.flags}
    checks = [c for c in SEVERITY if c in raised] + sorted(raised - set(SEVERITY))  # its order
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
        f"<main>{_banner(stale.get(UNKNOWN, ''))}{_left_out(left_out)}"
        f'<nav id="toc"><h2>Documents</h2><ul>{toc}</ul></nav>\n{sections}\n</main>\n'
        f"<script>{_JS}</script>\n</body></html>\n"
    )


def _toc(
    records: Sequence[DocumentRecord], anchors: Sequence[str], stale: Mapping[str, str]
) -> str:
    """The contents: each document with its counts (flagged ones as qa counts them)."""
    return "".join(
        f'<li><a href="#{a}">{_e(r.document)}</a> — {_e(r.language.language)}, '
        f"{plural(len(r.segments), 'segment')}, {flagged_segments(r.segments)} flagged"
        + (f", {_e(model_pair(r))}" if waits_for_model(r) else "")
        + (f', <span class="toc-stale">{NOT_CURRENT}</span>' if r.document in stale else "")
        + "</li>"
        for a, r in zip(anchors, records, strict=True)
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
    left_out: Sequence[str] = (),
    states: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """Write :func:`render_html` to ``path`` (:func:`toolkit.corpus.writes.write_output`:
    atomically, never into the corpus, never over a symlink, a device or one of ``inputs``;
    ``-`` is standard output)."""
    roots = [corpus_root] if corpus_root is not None else []
    html = render_html(records, kinds, title, sort, stale, left_out, states)
    write_output(Path(path), html.encode("utf-8"), roots, inputs)


__all__ = ["provenance_summary", "render_html", "write_html"]
