// The page of `hashi serve`: no framework, no network but this server.
"use strict";

const $ = (id) => document.getElementById(id);
const TYPE_NAMES = { ORG: "company", PRODUCT: "product", PERSON: "person", PLACE: "place", TERM: "term" };

// The documents last analysed: [{id, text}]; files replace the pasted text.
let documents = [];
let fromFiles = false;
let glossaryRows = [];
let sortKey = "count", sortDir = -1;

function setStatus(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

// The request body for the documents: one pasted text is sent as text/plain
// (named "-", as `hashi annotate -` names standard input), files as JSON.
function body() {
  if (!fromFiles && documents.length === 1) {
    return { headers: { "Content-Type": "text/plain; charset=utf-8" }, body: documents[0].text };
  }
  return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(documents) };
}

async function post(path, accept) {
  const b = body();
  const response = await fetch(path, { method: "POST", headers: Object.assign({ Accept: accept }, b.headers), body: b.body });
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message = (await response.json()).error.message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function analyze() {
  if (!fromFiles) documents = [{ id: "-", text: $("text").value }];
  if (documents.every((d) => d.text.trim() === "")) { setStatus("Paste some Japanese text first."); return; }
  setStatus("Working…");
  const started = performance.now();
  try {
    const linkedOnly = $("linked-only").checked ? "&linked_only=true" : "";
    const [mentionsText, glossary] = await Promise.all([
      post("/annotate?format=jsonl" + linkedOnly, "application/x-ndjson").then((r) => r.text()),
      post("/glossary?format=json" + linkedOnly, "application/json").then((r) => r.json()),
    ]);
    const mentions = mentionsText.split("\n").filter((l) => l).map((l) => JSON.parse(l));
    showAnnotated(mentions);
    glossaryRows = glossary.entries;
    showGlossary();
    const linked = mentions.filter((m) => m.id !== null).length;
    setStatus(`${linked} linked mentions, ${mentions.length - linked} unknown, ${glossaryRows.length} glossary entries · ${Math.round(performance.now() - started)} ms`);
  } catch (e) {
    setStatus(e.message, true);
  }
}

// Each document's text with its mentions highlighted. Offsets are Unicode
// scalars: index the text as code points, not UTF-16 units.
function showAnnotated(mentions) {
  const out = $("annotated");
  out.replaceChildren();
  const byDocument = new Map();
  for (const m of mentions) {
    if (!byDocument.has(m.document)) byDocument.set(m.document, []);
    byDocument.get(m.document).push(m);
  }
  for (const doc of documents) {
    if (documents.length > 1) {
      const h = document.createElement("h3");
      h.textContent = doc.id;
      out.appendChild(h);
    }
    const chars = Array.from(doc.text);
    const list = (byDocument.get(doc.id) || []).slice().sort((a, b) => a.start - b.start);
    let at = 0;
    const block = document.createElement("div");
    for (const m of list) {
      if (m.start < at) continue;
      block.appendChild(document.createTextNode(chars.slice(at, m.start).join("")));
      block.appendChild(mentionSpan(m, chars.slice(m.start, m.end).join("")));
      at = m.end;
    }
    block.appendChild(document.createTextNode(chars.slice(at).join("")));
    out.appendChild(block);
  }
}

function mentionSpan(m, surface) {
  const span = document.createElement("span");
  const known = m.id !== null;
  const type = known ? (m.type || "TERM") : "unknown";
  span.className = "m t-" + type;
  span.dataset.en = known ? m.en : (m.guess || "");
  span.dataset.id = m.id || "";
  span.dataset.type = type;
  span.textContent = surface;
  // English inline, unless it is the surface again (Nvidia, GPU, EUV).
  const fold = (s) => s.normalize("NFKC").toLowerCase().replace(/[\s・]/g, "");
  if (!known || fold(m.en) !== fold(surface)) {
    const en = document.createElement("span");
    en.className = "en";
    en.textContent = known ? m.en : (m.guess ? m.guess + "?" : "?");
    span.appendChild(en);
  }
  span.title = known
    ? `${m.en} — ${TYPE_NAMES[m.type] || "term"} (${m.source}, ${m.match}, confidence ${m.confidence})`
    : `unknown: ${m.guess ? "guess “" + m.guess + "” from the sound" : "no guess"}`;
  span.addEventListener("click", () => { $("q").value = surface; lookup(); });
  return span;
}

// MARK: Glossary table

function visibleRows() {
  const type = $("type-filter").value;
  const minCount = Math.max(1, parseInt($("min-count").value, 10) || 1);
  return glossaryRows.filter((r) => {
    if (r.count < minCount) return false;
    if (type === "guess") return r.source === "guess";
    return !type || r.type === type;
  });
}

function showGlossary() {
  const rows = visibleRows();
  rows.sort((a, b) => {
    const x = a[sortKey], y = b[sortKey];
    const c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), sortKey === "ja" ? "ja" : "en");
    return c * sortDir || b.count - a.count;
  });
  const tbody = $("glossary").querySelector("tbody");
  tbody.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement("tr");
    if (r.source === "guess") tr.className = "guess";
    const cells = [r.ja, r.en, r.type ? TYPE_NAMES[r.type] || r.type : "unknown", String(r.count), r.romaji || "", r.source];
    cells.forEach((text, k) => {
      const td = document.createElement("td");
      if (k === 2) {
        const tag = document.createElement("span");
        tag.className = "tag t-" + (r.type || "unknown");
        tag.textContent = text;
        td.appendChild(tag);
      } else {
        td.textContent = text;
      }
      if (k === 3) td.className = "num";
      if (k === 0) td.lang = "ja";
      tr.appendChild(td);
    });
    tr.title = r.context || "";
    tbody.appendChild(tr);
  }
  $("glossary-count").textContent = glossaryRows.length ? `(${rows.length} of ${glossaryRows.length})` : "";
  for (const th of document.querySelectorAll("#glossary th")) {
    th.classList.toggle("sorted-asc", th.dataset.key === sortKey && sortDir > 0);
    th.classList.toggle("sorted-desc", th.dataset.key === sortKey && sortDir < 0);
  }
}

// Downloads ask the server for the glossary in the format, with the filters shown.
async function download(format) {
  if (!documents.length) { setStatus("Find terms first."); return; }
  const params = new URLSearchParams({ format });
  const minCount = Math.max(1, parseInt($("min-count").value, 10) || 1);
  if (minCount > 1) params.set("min_count", String(minCount));
  const type = $("type-filter").value;
  if (type) params.set("types", type);
  if ($("linked-only").checked) params.set("linked_only", "true");
  try {
    const response = await post("/glossary?" + params, "*/*");
    const blob = await response.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "glossary." + (format === "pairs" ? "txt" : format);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) {
    setStatus(e.message, true);
  }
}

// MARK: Look-up

async function lookup() {
  const q = $("q").value.trim();
  const out = $("lookup-result");
  out.replaceChildren();
  if (!q) return;
  const params = new URLSearchParams({ q });
  if ($("to").value) params.set("to", $("to").value);
  try {
    const response = await fetch("/lookup?" + params);
    const r = await response.json();
    if (!response.ok) throw new Error(r.error.message);
    if (!r.hits.length) {
      const p = document.createElement("p");
      p.textContent = `${r.query}: not found`;
      out.appendChild(p);
    }
    for (const hit of r.hits) out.appendChild(hitBlock(r, hit));
    if (r.suggestions.length) {
      const p = document.createElement("p");
      p.className = "suggest";
      p.append("Did you mean ");
      for (const s of r.suggestions) {
        const a = document.createElement("a");
        a.href = "#";
        a.textContent = s.form === (r.to === "en" ? s.en : s.ja) ? s.form : `${s.form} (${r.to === "en" ? s.en : s.ja})`;
        a.addEventListener("click", (e) => { e.preventDefault(); $("q").value = s.form; lookup(); });
        p.appendChild(a);
      }
      out.appendChild(p);
    }
  } catch (e) {
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = e.message;
    out.appendChild(p);
  }
}

function hitBlock(r, hit) {
  const div = document.createElement("div");
  div.className = "hit t-" + (hit.type || (hit.match === "guess" ? "unknown" : "TERM"));
  const answer = document.createElement("div");
  answer.className = "answer";
  answer.textContent = r.to === "en" ? hit.en : (hit.ja[0] || hit.en);
  div.appendChild(answer);
  const meta = document.createElement("div");
  meta.className = "meta";
  const how = hit.match === "guess" ? `guess from the sound (score ${hit.score})` : hit.match + (hit.matched ? " of " + hit.matched : "");
  meta.textContent = [hit.type ? TYPE_NAMES[hit.type] || hit.type : "", hit.source, how, hit.wikidata || ""].filter((x) => x).join(" · ");
  div.appendChild(meta);
  if (hit.match !== "guess") {
    const forms = document.createElement("div");
    forms.lang = "ja";
    forms.textContent = (r.to === "en" ? "ja: " + hit.ja.join(", ") : "en: " + hit.en);
    div.appendChild(forms);
  }
  return div;
}

// MARK: Input

async function readFiles(files) {
  const list = Array.from(files).filter((f) => f.size > 0);
  if (!list.length) return;
  documents = await Promise.all(list.map(async (f) => ({ id: f.name, text: await f.text() })));
  fromFiles = true;
  $("text").value = documents.map((d) => d.text).join("\n\n");
  await analyze();
}

document.addEventListener("DOMContentLoaded", () => {
  $("analyze").addEventListener("click", () => { fromFiles = false; analyze(); });
  $("text").addEventListener("input", () => { fromFiles = false; });
  $("files").addEventListener("change", (e) => readFiles(e.target.files));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) { e.preventDefault(); readFiles(e.dataTransfer.files); }
  });
  $("inline").addEventListener("change", (e) => $("annotated").classList.toggle("hide-en", !e.target.checked));
  $("linked-only").addEventListener("change", () => { if (documents.length) analyze(); });
  $("type-filter").addEventListener("change", showGlossary);
  $("min-count").addEventListener("input", showGlossary);
  for (const th of document.querySelectorAll("#glossary th")) {
    th.addEventListener("click", () => {
      if (sortKey === th.dataset.key) sortDir = -sortDir;
      else { sortKey = th.dataset.key; sortDir = th.dataset.key === "count" ? -1 : 1; }
      showGlossary();
    });
  }
  for (const b of document.querySelectorAll("#downloads button[data-format]")) {
    b.addEventListener("click", () => download(b.dataset.format));
  }
  $("lookup-form").addEventListener("submit", (e) => { e.preventDefault(); lookup(); });
});
