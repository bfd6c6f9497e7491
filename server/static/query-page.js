// The query page: YASGUI (vendored in vendor/yasgui/) on this server's /sparql, with the graph's
// prefixes, completion of its classes and properties from its VoID, and the competency
// questions from /.well-known/sparql-examples as one-click tabs. Nothing here, and nothing
// YASGUI is configured to do, reaches any host but this server: no CORS proxy, no URL
// shortener, no prefix.cc and no Linked Open Vocabularies look-ups.

/* global Yasgui */

const config = JSON.parse(document.getElementById("kg-config").textContent);
const RDFS = "http://www.w3.org/2000/01/rdf-schema#";
const VOID = "http://rdfs.org/ns/void#";
const SH = "http://www.w3.org/ns/shacl#";
const EXAMPLE_QUERY_PREDICATES = ["select", "construct", "ask", "describe"].map((p) => SH + p);
const ENDPOINT = new URL(config.endpoint, document.baseURI).href;
const prefixes = { ...config.prefixes };

const $ = (id) => document.getElementById(id);

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
function parseNTriples(text) {
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

// ---- YASGUI, kept on this server -----------------------------------------------------------

const terms = { class: [], property: [] };
let termsLoaded = null;

/** A YASQE completer of the graph's own terms of one kind (IRIs, compacted by YASQE). */
function graphTermCompleter(kind) {
  return {
    name: kind,
    get: async (_yasqe, token) => {
      await termsLoaded;
      const typed = (token && token.autocompletionString) || "";
      return terms[kind].filter((iri) => iri.startsWith(typed));
    },
  };
}

function configureYasqe() {
  const { Yasqe } = Yasgui;
  // our prefixes instead of the bundled prefix.cc list (and never prefix.cc itself)
  Yasqe.forkAutocompleter("prefixes", {
    name: "prefixes",
    get: () => Object.entries(prefixes).map(([name, iri]) => `${name}: <${iri}>`).sort(),
    persistenceId: null,
  });
  // the graph's classes and properties from VoID instead of Linked Open Vocabularies
  Yasqe.forkAutocompleter("class", graphTermCompleter("class"));
  Yasqe.forkAutocompleter("property", graphTermCompleter("property"));
  Yasqe.defaults.prefixCcApi = null;
  Yasqe.defaults.createShortLink = undefined;
}

function keepOurEndpoint(tabConfig) {
  return { ...tabConfig, requestConfig: { ...tabConfig.requestConfig, endpoint: ENDPOINT } };
}

function startYasgui() {
  configureYasqe();
  const yasgui = new Yasgui($("yasgui"), {
    persistenceId: "rankl-kg",
    corsProxy: undefined,
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: ENDPOINT }], keys: [] },
    populateFromUrl: keepOurEndpoint,
    requestConfig: { endpoint: ENDPOINT, method: "POST" },
    yasqe: { value: config.query, createShortLink: undefined, prefixCcApi: null },
    yasr: { prefixes, defaultPlugin: "table" },
  });
  // a tab restored from an old visit keeps our endpoint, whatever it was set to
  const pin = (tab) => {
    if (tab && tab.getEndpoint() !== ENDPOINT) tab.setEndpoint(ENDPOINT);
  };
  pin(yasgui.getTab());
  yasgui.on("tabSelect", (_instance, id) => pin(yasgui.getTab(id)));
  yasgui.on("queryBefore", (_instance, tab) => pin(tab));
  return yasgui;
}

/** Result links to this graph's IRIs open this server's page of the entity. */
function linkLocally(event) {
  const link = event.target.closest && event.target.closest("a.iri");
  if (link && link.href.startsWith(config.namespace)) {
    link.href = config.root + link.href.slice(config.namespace.length);
    link.removeAttribute("target");
  }
}

const yasgui = startYasgui();
$("yasgui").addEventListener("mousedown", linkLocally, true);
$("yasgui").addEventListener("keydown", linkLocally, true);
termsLoaded = loadCompletionTerms();
loadExamples();

// ---- completion terms from VoID class and property partitions ----------------------------

function compact(iri) {
  let best = null;
  for (const [prefix, namespace] of Object.entries(prefixes)) {
    if (iri.startsWith(namespace) && (!best || namespace.length > best[1].length)) best = [prefix, namespace];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : null;
}

async function loadCompletionTerms() {
  try {
    const index = bySubject(await fetchNTriples(config.void));
    const found = { class: new Set(), property: new Set() };
    for (const [, props] of index) {
      for (const part of props[VOID + "classPartition"] || []) {
        const p = index.get(`${part.type}:${part.value}`) || {};
        for (const c of p[VOID + "class"] || []) found.class.add(c.value);
      }
      for (const part of props[VOID + "propertyPartition"] || []) {
        const p = index.get(`${part.type}:${part.value}`) || {};
        for (const c of p[VOID + "property"] || []) found.property.add(c.value);
      }
    }
    for (const kind of ["class", "property"]) {
      terms[kind] = [...found[kind]].filter((iri) => compact(iri)).sort();
    }
    $("terms-status").textContent = `${terms.class.length} classes and ` +
      `${terms.property.length} properties from the graph's VoID complete after a prefix ` +
      "(Ctrl+Space).";
  } catch (error) {
    $("terms-status").textContent = `Class and property completion is unavailable: ${error.message}`;
  }
}

// ---- examples from /.well-known/sparql-examples -------------------------------------------

function withPrefixes(query) {
  const declared = new Set([...query.matchAll(/^\s*PREFIX\s+([\w-]*):/gim)].map((m) => m[1]));
  const body = query.replace(/^\s*PREFIX[^\n]*\n/gim, "");
  const used = new Set([...body.matchAll(/(?<![\w<?$])([A-Za-z][\w-]*):/g)].map((m) => m[1]));
  const missing = [...used].filter((p) => !declared.has(p) && prefixes[p]).sort();
  return missing.map((p) => `PREFIX ${p}: <${prefixes[p]}>\n`).join("") + query;
}

function openExample(example) {
  const tab = yasgui.addTab(true, {
    name: example.name,
    yasqe: { value: withPrefixes(example.query.trim() + "\n") },
    requestConfig: { ...yasgui.getTab().getRequestConfig(), endpoint: ENDPOINT },
  });
  tab.show();
  tab.query().catch(() => {});
}

async function loadExamples() {
  const list = $("examples");
  try {
    const index = bySubject(await fetchNTriples(config.examples));
    const examples = [];
    for (const [key, props] of index) {
      const query = EXAMPLE_QUERY_PREDICATES.map((p) => (props[p] || [])[0]).find(Boolean);
      const comments = props[RDFS + "comment"] || [];
      const comment = comments.find((c) => !c["xml:lang"] || c["xml:lang"] === "en") || comments[0];
      const name = key.slice(key.lastIndexOf("/") + 1);
      const form = (props[SH + "parameter"] || []).length > 0;
      if (query && comment) examples.push({ key, name, form, query: query.value, comment: comment.value });
    }
    examples.sort((a, b) => a.key.localeCompare(b.key, "en", { numeric: true }));
    list.innerHTML = "";
    for (const example of examples) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "example";
      button.textContent = example.comment;
      button.title = `${example.name}: open in a new tab and run`;
      button.addEventListener("click", () => openExample(example));
      item.appendChild(button);
      if (example.form) {
        // a question with a blank (X): its form picks the entity
        const link = document.createElement("a");
        link.href = `${config.root}questions/${encodeURIComponent(example.name)}`;
        link.className = "form-link";
        link.textContent = "ask about another entity";
        item.appendChild(link);
      }
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
