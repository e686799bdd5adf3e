// The review workbench page: plain JavaScript, no build step, no network besides this server.
// Every text from the corpus is put into the page with text nodes (never as markup), so an
// article carrying <script> or <img onerror> shows as text and runs nothing.
"use strict";

(function () {
  const token = new URLSearchParams(location.search).get("token") || "";
  const $ = (sel) => document.querySelector(sel);
  const state = {
    doc: null, // the document shown: {id, rows, checks, ...}
    current: null, // id of the current row
    editing: null, // id of the row being edited
    dismissing: null, // id of the row with an open dismiss form
    undo: [], // [{doc, row}] of this page's actions, last on top
    busy: false,
  };

  // -- helpers ---------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function say(text, isError) {
    const msg = $("#msg");
    msg.textContent = text;
    msg.classList.toggle("error", Boolean(isError));
  }

  async function api(path, body) {
    const options = { headers: { "X-Toolkit-Token": token }, credentials: "same-origin" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: response.statusText }; }
    if (!response.ok) {
      const err = new Error(data.error || `HTTP ${response.status}`);
      err.status = response.status;
      throw err;
    }
    return data;
  }

  // -- lock banner -----------------------------------------------------------------------------

  async function pollLock() {
    try {
      const { lock } = await api("/api/status");
      const banner = $("#lock");
      banner.hidden = !lock;
      banner.textContent = lock ? `corpus is being written by ${lock}; saves wait for it` : "";
    } catch (e) { /* the next poll tries again */ }
  }

  // -- overview --------------------------------------------------------------------------------

  // A document a build would now write differently (the server asks the build's own plan).
  const NOT_CURRENT = "NOT CURRENT";

  function showStale(banner, text) {
    banner.hidden = !text;
    banner.textContent = text ? `⚠ ${text}` : "";
  }

  // A warning section's list: the server's lines, as text; hidden when there are none.
  function showLines(section, lines) {
    const list = lines || [];
    section.querySelector("ul").replaceChildren(...list.map((line) => el("li", { text: line })));
    section.hidden = !list.length;
  }

  async function showOverview() {
    state.doc = null;
    $("#docview").hidden = true;
    const data = await api("/api/overview");
    $("#corpus-name").textContent = data.corpus;
    const body = $("#docs tbody");
    body.replaceChildren();
    const stale = data.documents.filter((d) => d.stale).length;
    showStale($("#overview-stale"), data.stale_unknown || (stale
      ? `${stale} of ${data.documents.length} documents ${NOT_CURRENT} (marked below): a build would now write them differently. Each is ${data.stale_note}.`
      : ""));
    // The originals with no English at all (never built, failed): the server's one line, as
    // `review --html` says it, so the list never reads as the whole corpus when it is not.
    showLines($("#left-out"), data.left_out);
    // Correction rows whose sentence is in no row: the build's lines, never applied.
    showLines($("#orphans"), data.orphans);
    for (const d of data.documents) {
      if (d.unreadable !== undefined) {
        // Its record cannot be read: the one-line reason, as the terminal review says it,
        // across the columns it has no value for (blank counts read as an empty document).
        body.append(el("tr", { "data-doc": d.id, class: "unreadable" },
          el("td", { text: d.id }),
          el("td", { class: "state", colspan: 6, text: `cannot be read: ${d.unreadable}` })));
        continue;
      }
      const link = el("a", { href: `#doc=${encodeURIComponent(d.id)}`, text: d.id });
      // Rows whose English is their source text (an English document) have nothing to
      // review: they count neither as reviewed nor towards the bar.
      const own = (d.rows || 0) - (d.to_review ?? d.rows ?? 0);
      const progress = d.to_review === 0 && d.rows
        ? el("span", { class: "nothing", text: "nothing to review (its own English)" })
        : el("progress", { max: d.to_review || 1, value: d.reviewed || 0 });
      progress.title = `${d.reviewed || 0} of ${d.to_review ?? 0} rows reviewed`
        + (own ? `; ${own} ${own === 1 ? "is" : "are"} its own English, nothing to review` : "");
      const status = d.status + (d.message ? `: ${d.message}` : "");
      body.append(el("tr", { "data-doc": d.id, class: d.stale ? "stale" : "" },
        el("td", {}, link), el("td", { text: d.language || "" }),
        el("td", { class: "state", text: d.stale ? `${NOT_CURRENT}: ${d.stale} (${status})` : status }),
        el("td", { text: String(d.rows ?? "") }),
        // null: English typed by hand that no QA has read (status's ?)
        el("td", d.flagged === null
          ? { text: "?", title: "not counted: no QA has read the English typed by hand" }
          : { text: String(d.flagged ?? "") }),
        el("td", { text: d.to_review === 0 && d.rows ? "–" : String(d.reviewed ?? "") }),
        el("td", {}, progress)));
    }
    $("#overview").hidden = false;
    document.title = "toolkit review workbench";
  }

  // -- document view ---------------------------------------------------------------------------

  async function showDocument(id) {
    const data = await api(`/api/document/${encodeURIComponent(id)}`);
    const sameDoc = state.doc && state.doc.id === data.id;
    state.doc = data;
    if (!sameDoc) { state.current = null; state.editing = null; state.dismissing = null; }
    $("#overview").hidden = true;
    $("#doc-title").textContent = `${data.id} (${data.language}, ${data.stale ? NOT_CURRENT : data.status})`;
    showStale($("#doc-stale"), data.stale ? `${NOT_CURRENT}: ${data.stale}; ${data.stale_note}.` : data.stale_unknown);
    showLines($("#doc-orphans"), data.orphans);
    const select = $("#f-check");
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: "any" }));
    for (const c of data.checks) select.append(el("option", { value: c, text: c }));
    select.value = data.checks.includes(chosen) ? chosen : "";
    $("#docview").hidden = false;
    document.title = `${data.id} · review workbench`;
    render();
  }

  function activeFlags(row) {
    return row.qa.filter((q) => !q.dismissed && row.flags.includes(q.check));
  }

  function visibleRows() {
    const check = $("#f-check").value;
    const origin = $("#f-origin").value;
    const st = $("#f-state").value;
    const needle = $("#search").value.trim().toLowerCase();
    let rows = state.doc.rows.filter((r) => {
      if (check && !r.qa.some((q) => q.check === check)) return false;
      if (origin && r.origin !== origin) return false;
      if (st === "flagged" && !r.flagged) return false;
      if (st === "unreviewed" && (r.reviewed || r.own_english)) return false;
      if (st === "reviewed" && !r.reviewed) return false;
      if (st === "dismissed" && !r.qa.some((q) => q.dismissed)) return false;
      if (needle) {
        const text = r.source.map((p) => p.t).join("") + "\n" + r.text;
        if (!text.toLowerCase().includes(needle)) return false;
      }
      return true;
    });
    if ($("#sort").value === "flagged") {
      rows = rows.map((r, i) => [r, i]).sort((a, b) =>
        b[0].flagged - a[0].flagged || a[1] - b[1]).map((x) => x[0]);
    }
    return rows;
  }

  function pieces(list) {
    const span = el("span", { class: "text" });
    for (const p of list) {
      span.append(p.term ? el("mark", { class: "term", title: p.term, text: p.t }) : p.t);
    }
    return span;
  }

  function diffView(ops) {
    const span = el("span", { class: "diff", title: "word diff against the machine English" });
    for (const [op, text] of ops) {
      if (op === "=") span.append(text);
      else span.append(el(op === "+" ? "ins" : "del", { text }));
    }
    return span;
  }

  function englishCell(row) {
    const td = el("td", { class: "english" });
    if (state.editing === row.id) {
      const area = el("textarea", { class: "edit", "aria-label": "corrected English" });
      area.value = row.text;
      area.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); save(row, area.value); }
        else if (ev.key === "Escape") { ev.preventDefault(); cancel(); }
      });
      td.append(area, el("div", {},
        el("button", { type: "button", class: "save", onclick: () => save(row, area.value) }, "Save (Ctrl-Enter)"),
        " ", el("button", { type: "button", onclick: cancel }, "Cancel (Esc)")));
      setTimeout(() => { area.focus(); area.setSelectionRange(area.value.length, area.value.length); }, 0);
      return td;
    }
    td.append(pieces(row.english));
    if (row.diff) td.append(el("div", { class: "diffbox" }, el("span", { class: "by", text: "against the machine English:" }), diffView(row.diff)));
    if (row.by) {
      const who = row.origin === "accepted" ? "accepted" : "corrected";
      td.append(el("span", { class: "by", text: `${who} by ${row.by.author || "unknown"} ${row.by.time || ""}` }));
    }
    return td;
  }

  function qaCell(row) {
    const td = el("td", { class: "qa" });
    const list = el("ul", { class: "qa" });
    for (const q of row.qa) {
      const li = el("li", { class: q.dismissed ? "dismissed" : q.severity, "data-check": q.check },
        el("span", { class: "check", text: q.check }), ": ",
        q.message.startsWith(`${q.check}: `) ? q.message.slice(q.check.length + 2) : q.message);
      if (q.dismissed) {
        li.append(el("span", { class: "by" }, "dismissed: ",
          el("span", { class: "reason", text: q.dismissed.reason || "" }),
          ` (${q.dismissed.author || "unknown"})`));
      }
      list.append(li);
    }
    td.append(list);
    if (state.dismissing === row.id) td.append(dismissForm(row));
    return td;
  }

  function dismissForm(row) {
    const flags = activeFlags(row);
    const select = el("select", { class: "dismiss-check", "aria-label": "flag to dismiss" });
    for (const q of flags) select.append(el("option", { value: q.check, text: q.check }));
    const reason = el("input", { type: "text", class: "dismiss-reason", placeholder: "reason (why it is a false alarm)", "aria-label": "reason" });
    const submit = () => dismiss(row, select.value, reason.value);
    const form = el("form", { class: "dismiss" }, select, reason,
      el("div", {}, el("button", { type: "submit" }, "Dismiss"), " ",
        el("button", { type: "button", onclick: cancel }, "Cancel")));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); submit(); });
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") { ev.preventDefault(); cancel(); }
      else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); submit(); }
    });
    setTimeout(() => reason.focus(), 0);
    return form;
  }

  function actionCell(row) {
    const td = el("td", { class: "act" });
    td.append(el("span", { class: `badge ${row.origin}`, text: row.origin }));
    td.append(el("button", { type: "button", class: "edit-btn", onclick: () => startEdit(row.id) }, "Edit (e)"));
    if (acceptable(row)) {
      td.append(el("button", { type: "button", class: "accept-btn", onclick: () => accept(row) }, "Accept (a)"));
    }
    if (activeFlags(row).length) {
      td.append(el("button", { type: "button", class: "dismiss-btn", onclick: () => startDismiss(row.id) }, "Dismiss (d)"));
    }
    return td;
  }

  function rowElement(row) {
    const tr = el("tr", {
      class: "row" + (row.flagged ? " flagged" : "") + (row.id === state.current ? " current" : ""),
      "data-id": row.id, "data-origin": row.origin,
    },
    el("td", { class: "id", text: row.id }),
    el("td", { class: "source" }, pieces(row.source)),
    englishCell(row), qaCell(row), actionCell(row));
    tr.addEventListener("click", (ev) => {
      if (ev.target.closest("button, textarea, input, select, form")) return;
      setCurrent(row.id, false);
    });
    return tr;
  }

  // A paragraph the build removed (boilerplate): never translated, not a row to act on;
  // shown where it was (after the rows when sorted), as terminal and HTML review show it.
  function removedElement(hit) {
    return el("tr", { class: "removed" },
      el("td", { class: "id", text: "removed" }), el("td", { class: "source", text: hit.text }),
      el("td", { text: "—" }), el("td", { class: "qa", text: hit.label }), el("td"));
  }

  function render() {
    const body = $("#rows tbody");
    const rows = visibleRows();
    const byDocOrder = $("#sort").value === "doc";
    const index = new Map(state.doc.rows.map((r, i) => [r.id, i]));
    // Where each removed paragraph goes: before the row it preceded (or the next one shown).
    let removed = (state.doc.removed || []).map((h) => ({ hit: h,
      at: byDocOrder && index.has(h.before) ? index.get(h.before) : Infinity }));
    body.replaceChildren();
    let paragraph = null;
    for (const row of rows) {
      if (byDocOrder && paragraph !== null && row.paragraph !== paragraph) {
        body.append(el("tr", { class: "para", "aria-hidden": "true" }, el("td", { colspan: 5 })));
      }
      paragraph = row.paragraph;
      const here = index.get(row.id);
      for (const r of removed.filter((x) => x.at <= here)) body.append(removedElement(r.hit));
      removed = removed.filter((x) => x.at > here);
      body.append(rowElement(row));
    }
    for (const r of removed) body.append(removedElement(r.hit));
    $("#shown").textContent = countLine(rows.length);
    $("#undo-btn").disabled = state.undo.length === 0;
  }

  // "14 of 14 rows shown · 14 flagged · 0 reviewed · 3 paragraphs removed (boilerplate)";
  // "... · 16 its own English (nothing to review)" for rows whose English is their source.
  function countLine(shown) {
    const flagged = state.doc.rows.filter((r) => r.flagged).length;
    const reviewed = state.doc.rows.filter((r) => r.reviewed).length;
    const own = state.doc.rows.filter((r) => r.own_english).length;
    const removed = (state.doc.removed || []).length;
    return `${shown} of ${state.doc.rows.length} rows shown · ${flagged} flagged · ${reviewed} reviewed`
      + (own ? ` · ${own} its own English (nothing to review)` : "")
      + (removed ? ` · ${removed} paragraph${removed === 1 ? "" : "s"} removed (boilerplate)` : "");
  }

  function replaceRow(row) {
    const i = state.doc.rows.findIndex((r) => r.sha === row.sha);
    if (i >= 0) state.doc.rows[i] = row;
    const old = document.querySelector(`#rows tr.row[data-id="${CSS.escape(row.id)}"]`);
    if (old) old.replaceWith(rowElement(row));
    else render();
    $("#shown").textContent = countLine(document.querySelectorAll("#rows tr.row").length);
    $("#undo-btn").disabled = state.undo.length === 0;
  }

  function rowById(id) { return state.doc && state.doc.rows.find((r) => r.id === id); }

  function setCurrent(id, scroll) {
    state.current = id;
    for (const tr of document.querySelectorAll("#rows tr.row.current")) tr.classList.remove("current");
    const tr = document.querySelector(`#rows tr.row[data-id="${CSS.escape(id)}"]`);
    if (tr) {
      tr.classList.add("current");
      if (scroll) tr.scrollIntoView({ block: "center" });
    }
  }

  function move(step, onlyFlagged) {
    if (!state.doc) return;
    const rows = visibleRows().filter((r) => !onlyFlagged || r.flagged);
    if (!rows.length) { say(onlyFlagged ? "no flagged rows shown" : "no rows shown"); return; }
    const all = visibleRows();
    const at = all.findIndex((r) => r.id === state.current);
    let target;
    if (step > 0) target = rows.find((r) => all.indexOf(r) > at) || null;
    else target = [...rows].reverse().find((r) => at < 0 || all.indexOf(r) < at) || null;
    if (!target) { say(step > 0 ? "last row" : "first row"); return; }
    setCurrent(target.id, true);
  }

  // -- actions ---------------------------------------------------------------------------------

  function cancel() {
    const had = state.editing || state.dismissing;
    state.editing = null;
    state.dismissing = null;
    if (had) { const row = rowById(had); if (row) replaceRow(row); setCurrent(had, false); }
  }

  function startEdit(id) {
    if (!rowById(id)) return;
    cancel();
    setCurrent(id, false);
    state.editing = id;
    replaceRow(rowById(id));
    setCurrent(id, false);
  }

  function startDismiss(id) {
    const row = rowById(id);
    if (!row) return;
    if (!activeFlags(row).length) { say(`${id}: no flag to dismiss`); return; }
    cancel();
    state.dismissing = id;
    replaceRow(row);
    setCurrent(id, false);
  }

  async function send(row, action, extra, label) {
    if (state.busy) { say("still saving the last change…"); return false; }
    state.busy = true;
    say(`${label} ${row.id}…`);
    const docId = state.doc.id;
    try {
      const { row: fresh, stale } = await api("/api/action", { doc: docId, row: row.id, action, version: row.version, ...extra });
      if (action !== "undo") state.undo.push({ doc: docId, row: row.id });
      state.editing = null;
      state.dismissing = null;
      if (state.doc && state.doc.id === docId && (state.doc.stale || stale)) {
        // The save rebuilt a stale document (every row may have changed), or the rebuild
        // left it not current (its English kept): show all rows and the banner's reason.
        await showDocument(docId);
        setCurrent(fresh.id, false);
        $("#undo-btn").disabled = state.undo.length === 0;
      } else if (state.doc && state.doc.id === docId) { replaceRow(fresh); setCurrent(fresh.id, false); }
      const done = { saving: "saved", accepting: "accepted", dismissing: "dismissed", undoing: "undone" };
      const still = stale ? `; the document is still ${NOT_CURRENT} (the banner says why), so it may not show yet` : "";
      say(`${row.id}: ${done[label] || "done"}${still}`, Boolean(stale));
      return true;
    } catch (e) {
      if (e.status === 409) {
        // Someone saved this row first: show theirs, keep ours in the message, write nothing.
        state.editing = null;
        state.dismissing = null;
        await showDocument(docId);
        const mine = extra.english ? ` Your unsaved text: ${extra.english}` : "";
        say(`conflict: ${e.message}.${mine}`, true);
      } else {
        say(e.message, true);
      }
      return false;
    } finally {
      state.busy = false;
    }
  }

  function save(row, text) {
    if (!text.trim()) { say("the English is empty; press Esc to cancel", true); return; }
    return send(row, "correct", { english: text }, "saving");
  }

  // The server's rule (corpus.actions.acceptable), sent with each row: one owner.
  function acceptable(row) {
    return row.acceptable === true;
  }

  function accept(row) {
    if (!acceptable(row)) { say(`${row.id}: nothing to accept (${row.origin})`); return; }
    return send(row, "accept", {}, "accepting");
  }

  function dismiss(row, check, reason) {
    if (!reason.trim()) { say("give a reason for the dismissal", true); return; }
    return send(row, "dismiss", { check, reason }, "dismissing");
  }

  async function undo() {
    const last = state.undo.pop();
    if (!last) { say("nothing to undo"); return; }
    if (!state.doc || state.doc.id !== last.doc) { location.hash = `doc=${encodeURIComponent(last.doc)}`; await showDocument(last.doc); }
    const row = rowById(last.row);
    if (!row) { say(`${last.row}: row is gone`, true); return; }
    if (!(await send(row, "undo", {}, "undoing"))) state.undo.push(last);
    $("#undo-btn").disabled = state.undo.length === 0;
  }

  // -- keys ------------------------------------------------------------------------------------

  function onKey(ev) {
    if (ev.target.closest && ev.target.closest("textarea, input, select")) {
      if (ev.key === "Escape" && ev.target.id === "search") ev.target.blur();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const help = $("#help");
    if (ev.key === "?") { help.hidden = !help.hidden; ev.preventDefault(); return; }
    if (ev.key === "Escape") { help.hidden = true; cancel(); return; }
    if (!state.doc) return;
    const row = rowById(state.current);
    switch (ev.key) {
      case "j": move(1, false); break;
      case "k": move(-1, false); break;
      case "n": move(1, true); break;
      case "p": move(-1, true); break;
      case "e": if (row) startEdit(row.id); else say("choose a row first (j, n or a click)"); break;
      case "a": if (row) accept(row); else say("choose a row first (j, n or a click)"); break;
      case "d": if (row) startDismiss(row.id); else say("choose a row first (j, n or a click)"); break;
      case "u": undo(); break;
      case "/": $("#search").focus(); break;
      default: return;
    }
    ev.preventDefault();
  }

  // -- wiring ----------------------------------------------------------------------------------

  async function route() {
    $("#help").hidden = true;
    const match = /^#doc=(.+)$/.exec(location.hash);
    try {
      if (match) await showDocument(decodeURIComponent(match[1]));
      else await showOverview();
    } catch (e) {
      say(e.message, true);
    }
  }

  function start() {
    document.addEventListener("keydown", onKey);
    window.addEventListener("hashchange", route);
    for (const id of ["#sort", "#f-check", "#f-origin", "#f-state"]) $(id).addEventListener("change", render);
    $("#search").addEventListener("input", render);
    $("#undo-btn").addEventListener("click", undo);
    $("#help-btn").addEventListener("click", () => { $("#help").hidden = !$("#help").hidden; });
    $("#back").addEventListener("click", (ev) => { ev.preventDefault(); location.hash = ""; });
    $("#home").addEventListener("click", (ev) => { ev.preventDefault(); location.hash = ""; });
    if (!token) say("no session token in the URL: open the URL the server printed", true);
    pollLock();
    setInterval(pollLock, 2000);
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
