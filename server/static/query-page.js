// The query page: examples and completion terms from the server's own descriptions, running a
// query against /sparql, the results table, timing and downloads.

import { SparqlEditor, addMissingPrefixes } from "./sparql-editor.js";

const config = JSON.parse(document.getElementById("kg-config").textContent);
const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS = "http://www.w3.org/2000/01/rdf-schema#";
const VOID = "http://rdfs.org/ns/void#";
const SH = "http://www.w3.org/ns/shacl#";
const EXAMPLE_QUERY_PREDICATES = ["select", "construct", "ask", "describe"].map((p) => SH + p);
const MAX_SHOWN_ROWS = 1000;
const DOWNLOADS = {
  bindings: [["JSON", "application/sparql-results+json", "json"], ["CSV", "text/csv", "csv"],
    ["TSV", "text/tab-separated-values", "tsv"], ["XML", "application/sparql-results+xml", "srx"]],
  graph: [["Turtle", "text/turtle", "ttl"], ["N-Triples", "application/n-triples", "nt"],
    ["JSON-LD", "application/ld+json", "jsonld"], ["RDF/XML", "application/rdf+xml", "rdf"]],
};

const $ = (id) => document.getElementById(id);
const status = $("status");
let lastRun = null;

const editor = new SparqlEditor($("editor"), { prefixes: config.prefixes, onRun: run });
$("run").addEventListener("click", run);
loadCompletionTerms();
loadExamples();

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

// ---- N-Triples, the format asked of /.well-known/* (simple to read without a library) ------

const NT_TERM = /<([^>]*)>|(_:\S+)|"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?/y;

function unescapeNt(text) {
  const json = text.replace(/\\U([0-9a-fA-F]{8})/g,
    (_, hex) => String.fromCodePoint(parseInt(hex, 16))).replace(/\\'/g, "'");
  return JSON.parse(`"${json}"`);
}

function readNtTerm(line, position) {
  NT_TERM.lastIndex = position;
  const m = NT_TERM.exec(line);
  if (!m) throw new Error(`cannot read N-Triples term at column ${position + 1}: ${line}`);
  let term;
  if (m[1] !== undefined) term = { type: "uri", value: m[1] };
  else if (m[2] !== undefined) term = { type: "bnode", value: m[2].slice(2) };
  else term = { type: "literal", value: unescapeNt(m[3]), "xml:lang": m[4], datatype: m[5] };
  let next = NT_TERM.lastIndex;
  while (line[next] === " " || line[next] === "\t") next += 1;
  return [term, next];
}

/** Parse N-Triples into [subject, predicate, object] term triples (SPARQL JSON term shape). */
export function parseNTriples(text) {
  const triples = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [s, afterS] = readNtTerm(line, 0);
    const [p, afterP] = readNtTerm(line, afterS);
    const [o] = readNtTerm(line, afterP);
    triples.push([s, p, o]);
  }
  return triples;
}

/** Index triples by subject key, then predicate IRI. */
function bySubject(triples) {
  const index = new Map();
  for (const [s, p, o] of triples) {
    const key = `${s.type}:${s.value}`;
    if (!index.has(key)) index.set(key, {});
    (index.get(key)[p.value] ||= []).push(o);
  }
  return index;
}

async function fetchNTriples(url) {
  const response = await fetch(url, { headers: { Accept: "application/n-triples" } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("application/n-triples")) {
    throw new Error(`${url} did not answer in N-Triples (got ${type || "no type"})`);
  }
  return parseNTriples(await response.text());
}

// ---- completion terms from VoID class and property partitions ----------------------------

function compact(iri) {
  let best = null;
  for (const [prefix, namespace] of Object.entries(editor.prefixes)) {
    if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) best = [prefix, namespace];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : null;
}

async function loadCompletionTerms() {
  try {
    const index = bySubject(await fetchNTriples(config.void));
    const counts = new Map();
    const note = (iri, kind, count) => {
      const key = `${kind} ${iri}`;
      counts.set(key, Math.max(counts.get(key) || 0, count));
    };
    for (const [, props] of index) {
      for (const part of props[VOID + "classPartition"] || []) {
        const p = index.get(`${part.type}:${part.value}`) || {};
        for (const c of p[VOID + "class"] || []) note(c.value, "class", Number((p[VOID + "entities"] || [{}])[0].value || 0));
      }
      for (const part of props[VOID + "propertyPartition"] || []) {
        const p = index.get(`${part.type}:${part.value}`) || {};
        for (const c of p[VOID + "property"] || []) note(c.value, "property", Number((p[VOID + "triples"] || [{}])[0].value || 0));
      }
    }
    const terms = [];
    for (const [key, count] of counts) {
      const [kind, iri] = [key.slice(0, key.indexOf(" ")), key.slice(key.indexOf(" ") + 1)];
      const name = compact(iri);
      if (name) terms.push({ name, iri, detail: `${kind} · ${count.toLocaleString("en")}`, kind });
    }
    terms.sort((a, b) => a.name.localeCompare(b.name));
    editor.setTerms(terms);
    $("terms-status").textContent = `${terms.filter((t) => t.kind === "class").length} classes and ` +
      `${terms.filter((t) => t.kind === "property").length} properties from the graph's VoID`;
  } catch (error) {
    $("terms-status").textContent = `Class and property completion is unavailable: ${error.message}`;
  }
}

// ---- examples from /.well-known/sparql-examples -------------------------------------------

async function loadExamples() {
  const list = $("examples");
  try {
    const index = bySubject(await fetchNTriples(config.examples));
    const examples = [];
    for (const [key, props] of index) {
      const query = EXAMPLE_QUERY_PREDICATES.map((p) => (props[p] || [])[0]).find(Boolean);
      const comments = props[RDFS + "comment"] || [];
      const comment = comments.find((c) => !c["xml:lang"] || c["xml:lang"] === "en") || comments[0];
      if (query && comment) examples.push({ key, query: query.value, comment: comment.value });
      for (const declaration of props[SH + "declare"] || []) {
        const d = index.get(`${declaration.type}:${declaration.value}`) || {};
        const prefix = (d[SH + "prefix"] || [])[0];
        const namespace = (d[SH + "namespace"] || [])[0];
        if (prefix && namespace) editor.addPrefixes({ [prefix.value]: namespace.value });
      }
    }
    examples.sort((a, b) => a.key.localeCompare(b.key, "en", { numeric: true }));
    list.innerHTML = "";
    for (const example of examples) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "example";
      button.textContent = example.comment;
      button.title = "Load this query and run it";
      button.addEventListener("click", () => {
        editor.value = addMissingPrefixes(example.query.trim() + "\n", editor.prefixes).text;
        run();
      });
      item.appendChild(button);
      list.appendChild(item);
    }
    if (examples.length === 0) list.innerHTML = "<li class=\"status\">The server lists no example queries.</li>";
  } catch (error) {
    list.innerHTML = "";
    const item = document.createElement("li");
    item.className = "status error";
    item.textContent = `Examples are unavailable: ${error.message}`;
    list.appendChild(item);
  }
}

// ---- running a query ---------------------------------------------------------------------

/** SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword after the prologue. */
export function queryForm(text) {
  const stripped = text.replace(/#[^\n]*/g, " ").replace(/<[^>\s]*>/g, " ")
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, " ");
  const match = stripped.match(/\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i);
  return match ? match[1].toUpperCase() : "SELECT";
}

async function post(query, accept) {
  return fetch(config.endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: accept },
    body: new URLSearchParams({ query }),
  });
}

async function run() {
  const added = editor.declareUsedPrefixes();
  const query = editor.value;
  const form = queryForm(query);
  const kind = form === "SELECT" || form === "ASK" ? "bindings" : "graph";
  const accept = kind === "bindings" ? "application/sparql-results+json" : "application/n-triples";
  $("run").disabled = true;
  setStatus("Running…");
  const started = performance.now();
  try {
    const response = await post(query, accept);
    const body = await response.text();
    const elapsed = Math.round(performance.now() - started);
    if (!response.ok) {
      setStatus(`The server answered ${response.status} ${response.statusText} after ${elapsed} ms:\n${body}`, true);
      return;
    }
    lastRun = { query, kind };
    const summary = kind === "bindings" ? showBindings(JSON.parse(body)) : showTriples(parseNTriples(body));
    const truncated = response.headers.get("X-Result-Truncated") ? " (cut off at the server's row limit)" : "";
    const note = added.length ? ` · declared ${added.map((p) => p + ":").join(" ")}` : "";
    const serverMs = response.headers.get("X-Query-Time-Ms");
    const timing = `${elapsed.toLocaleString("en")} ms` + (serverMs ? ` (query ${serverMs} ms on the server)` : "");
    setStatus(`${summary}${truncated} in ${timing}${note}`);
    showDownloads(kind);
    history.replaceState(null, "", `?query=${encodeURIComponent(query)}`);
  } catch (error) {
    setStatus(`The query could not be run: ${error.message}`, true);
  } finally {
    $("run").disabled = false;
  }
}

// ---- results -----------------------------------------------------------------------------

function termCell(term) {
  const cell = document.createElement("td");
  if (!term) return cell;
  if (term.type === "uri") {
    const link = document.createElement("a");
    const local = term.value.startsWith(config.namespace);
    link.href = local ? config.root + term.value.slice(config.namespace.length) : term.value;
    if (!local) link.rel = "noopener";
    link.textContent = compact(term.value) || term.value;
    link.title = term.value;
    cell.appendChild(link);
  } else if (term.type === "bnode") {
    cell.textContent = `_:${term.value}`;
  } else {
    cell.appendChild(document.createTextNode(term.value));
    const note = term["xml:lang"] || (term.datatype && (compact(term.datatype) || term.datatype));
    if (note && note !== "xsd:string") {
      const span = document.createElement("span");
      span.className = "note";
      span.textContent = ` ${note}`;
      cell.appendChild(span);
    }
  }
  return cell;
}

function fillTable(header, rows) {
  const table = $("results");
  table.innerHTML = "";
  const head = table.createTHead().insertRow();
  for (const name of ["#", ...header]) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  rows.slice(0, MAX_SHOWN_ROWS).forEach((cells, index) => {
    const row = body.insertRow();
    const number = row.insertCell();
    number.className = "row-number";
    number.textContent = String(index + 1);
    for (const term of cells) row.appendChild(termCell(term));
  });
}

function rowsText(count, noun) {
  const shown = count > MAX_SHOWN_ROWS ? ` (first ${MAX_SHOWN_ROWS.toLocaleString("en")} shown; download for all)` : "";
  return `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}${shown}`;
}

function showBindings(results) {
  if ("boolean" in results) {
    fillTable(["answer"], [[{ type: "literal", value: String(results.boolean) }]]);
    return `ASK: ${results.boolean}`;
  }
  const vars = results.head.vars;
  fillTable(vars.map((v) => `?${v}`), results.results.bindings.map((b) => vars.map((v) => b[v])));
  return rowsText(results.results.bindings.length, "row");
}

function showTriples(triples) {
  fillTable(["subject", "predicate", "object"], triples);
  return rowsText(triples.length, "triple");
}

// ---- downloads ---------------------------------------------------------------------------

function showDownloads(kind) {
  const box = $("downloads");
  box.hidden = false;
  box.querySelectorAll("button").forEach((b) => b.remove());
  for (const [label, mimetype, extension] of DOWNLOADS[kind]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.dataset.format = extension;
    button.addEventListener("click", () => download(mimetype, extension));
    box.appendChild(button);
  }
}

async function download(mimetype, extension) {
  if (!lastRun) return;
  const response = await post(lastRun.query, mimetype);
  if (!response.ok) {
    setStatus(`Download failed: ${response.status} ${await response.text()}`, true);
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `rankl-kg-results.${extension}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
