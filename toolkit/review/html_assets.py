"""The review page's inline stylesheet and script (:mod:`toolkit.review.html`): kept apart
from the rendering so each file reads as one concern. The page's Content-Security-Policy
allows exactly these two texts by their hashes; any change here changes those hashes."""

from __future__ import annotations

CSS = """
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
section.left-out { background: #fef0c7; border: 2px solid var(--warn); border-radius: .3rem;
  padding: .2rem .9rem; margin-top: 1rem; }
section.left-out h2 { border: 0; margin: .4rem 0 0; color: var(--warn); }
section.left-out ul { margin: .3rem 0 .5rem; padding-left: 1.2rem; }
.toc-stale { color: var(--warn); font-weight: 600; }
ul.explain { list-style: none; margin: .2rem 0 0; padding: 0; font-size: .78rem; color: #475467; }
ul.explain li.error { color: var(--flag); }
header .filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: center; }
tr.segment.hidden, body.filtering tr.paragraph-break, section.document.hidden { display: none; }
section.document.collapsed table.pairs, section.document.collapsed dl.provenance { display: none; }
section.document.collapsed h2::after { content: " — nothing flagged"; color: #98a2b3;
  font-weight: normal; }
""".strip()

JS = """
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


__all__ = ["CSS", "JS"]
