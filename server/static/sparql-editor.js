// A small SPARQL editor: a textarea (native undo, selection, IME, screen readers) under a
// highlighted copy of its text, with a completion list. No libraries, so it works offline.

const KEYWORDS = new Set(`a as asc ask base bind by clear construct copy create data default
delete describe desc distinct drop exists filter from graph group having in insert into limit load
minus move named not offset optional order prefix reduced select service silent to undef union
using values where with true false`.split(/\s+/));
const FUNCTIONS = new Set(`abs avg bnode bound ceil coalesce concat contains count datatype day
encode_for_uri floor group_concat hours if iri isblank isiri isliteral isnumeric isuri lang
langmatches lcase max md5 min minutes month now rand regex replace round sameterm sample seconds
sha1 sha256 sha512 str strafter strbefore strdt strends strlang strlen strstarts struuid substr
sum timezone tz ucase uri uuid year`.split(/\s+/));
const COMPLETION_KEYWORDS = ["SELECT", "DISTINCT", "WHERE", "FILTER", "OPTIONAL", "UNION",
  "MINUS", "BIND", "VALUES", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "CONSTRUCT",
  "DESCRIBE", "ASK", "PREFIX", "GROUP_CONCAT", "COUNT", "STRSTARTS", "CONTAINS", "REGEX",
  "LANG", "STR", "NOT EXISTS"];

// Token rules, tried in order at each position; the first that matches wins.
const RULES = [
  ["comment", /#[^\n]*/y],
  ["string", /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/y],
  ["iri", /<[^<>"{}|^`\\\s]*>/y],
  ["variable", /[?$][\p{L}\p{N}_]+/uy],
  ["pname", /(?:[\p{L}][\p{L}\p{N}_.-]*)?:(?:[\p{L}\p{N}_:%-]|\\.|\.(?=[\p{L}\p{N}_:%-]))*/uy],
  ["number", /[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)/y],
  ["langtag", /@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*/y],
  ["word", /[\p{L}_][\p{L}\p{N}_]*/uy],
  ["space", /\s+/y],
];

/** Split SPARQL text into [type, text] tokens covering all of it. */
export function tokenize(text) {
  const tokens = [];
  let position = 0;
  while (position < text.length) {
    let matched = null;
    for (const [type, rule] of RULES) {
      rule.lastIndex = position;
      const match = rule.exec(text);
      if (match && match[0].length > 0) {
        matched = [type, match[0]];
        break;
      }
    }
    if (!matched) matched = ["punct", text[position]];
    if (matched[0] === "word") {
      const lower = matched[1].toLowerCase();
      matched[0] = KEYWORDS.has(lower) ? "keyword" : FUNCTIONS.has(lower) ? "function" : "word";
    }
    tokens.push(matched);
    position += matched[1].length;
  }
  return tokens;
}

export function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

/** The PREFIX declarations of a query, as prefix -> namespace. */
export function declaredPrefixes(text) {
  const found = {};
  for (const match of text.matchAll(/^\s*PREFIX\s+([\w.-]*):\s*<([^>]*)>/gim)) found[match[1]] = match[2];
  return found;
}

/** Prefixes used in prefixed names of the query, outside strings, IRIs and comments. */
export function usedPrefixes(text) {
  const used = new Set();
  for (const [type, value] of tokenize(text)) {
    if (type === "pname") used.add(value.slice(0, value.indexOf(":")));
  }
  return used;
}

/**
 * Add a PREFIX line for every known prefix the query uses but does not declare.
 * Returns the new text and the prefixes that were added.
 */
export function addMissingPrefixes(text, known) {
  const declared = declaredPrefixes(text);
  const missing = [...usedPrefixes(text)].filter((p) => !(p in declared) && p in known).sort();
  if (missing.length === 0) return { text, added: [] };
  const lines = missing.map((p) => `PREFIX ${p}: <${known[p]}>\n`).join("");
  const lastDeclaration = [...text.matchAll(/^\s*PREFIX\s+[\w.-]*:\s*<[^>]*>[^\n]*\n?/gim)].pop();
  const at = lastDeclaration ? lastDeclaration.index + lastDeclaration[0].length : 0;
  return { text: text.slice(0, at) + lines + text.slice(at), added: missing };
}

/** The editor: keeps the highlight layer and the completion list in step with the textarea. */
export class SparqlEditor {
  constructor(root, { prefixes, onRun }) {
    this.root = root;
    this.textarea = root.querySelector("textarea");
    this.highlight = root.querySelector("pre code");
    this.list = root.querySelector(".completion");
    this.prefixes = { ...prefixes };
    this.terms = [];
    this.onRun = onRun;
    this.items = [];
    this.selected = 0;
    this.textarea.addEventListener("input", () => { this.render(); this.complete(false); });
    this.textarea.addEventListener("scroll", () => this.syncScroll());
    this.textarea.addEventListener("keydown", (event) => this.onKey(event));
    this.textarea.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    this.list.addEventListener("mousedown", (event) => {
      const item = event.target.closest("li");
      if (item) { event.preventDefault(); this.accept(Number(item.dataset.index)); }
    });
    this.render();
  }

  get value() { return this.textarea.value; }

  set value(text) { this.textarea.value = text; this.render(); }

  /** Classes and properties offered for completion: [{name, iri, detail}]. */
  setTerms(terms) { this.terms = terms; }

  addPrefixes(prefixes) { Object.assign(this.prefixes, prefixes); }

  render() {
    const html = tokenize(this.textarea.value)
      .map(([type, text]) => type === "space" || type === "word"
        ? escapeHtml(text) : `<span class="tok-${type}">${escapeHtml(text)}</span>`)
      .join("");
    this.highlight.innerHTML = html + "\n";
    this.syncScroll();
  }

  syncScroll() {
    const pre = this.highlight.parentElement;
    pre.scrollTop = this.textarea.scrollTop;
    pre.scrollLeft = this.textarea.scrollLeft;
  }

  onKey(event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      this.close();
      this.onRun();
      return;
    }
    if (event.ctrlKey && event.key === " ") {
      event.preventDefault();
      this.complete(true);
      return;
    }
    if (this.list.hidden) return;  // Tab stays free to leave the editor
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };
    if (event.key in moves) {
      event.preventDefault();
      this.select(Math.max(0, Math.min(this.items.length - 1, this.selected + moves[event.key])));
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      this.accept(this.selected);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  }

  /** The word being typed before the caret: a prefixed name, a variable or a keyword. */
  currentWord() {
    const before = this.textarea.value.slice(0, this.textarea.selectionStart);
    const match = before.match(/[?$]?[\p{L}\p{N}_.:-]*$/u);
    return match ? match[0] : "";
  }

  candidates(word, explicit) {
    if (word.startsWith("?") || word.startsWith("$")) {
      const names = new Set(this.textarea.value.match(/[?$][\p{L}\p{N}_]+/gu) || []);
      names.delete(word);
      return [...names].sort().filter((v) => v.slice(1).startsWith(word.slice(1)))
        .map((v) => ({ name: v, detail: "variable" }));
    }
    const lower = word.toLowerCase();
    if (word.includes(":")) {
      const before = this.textarea.value.slice(0, this.textarea.selectionStart - word.length);
      const wantsClass = /(?:\ba|rdf:type)\s+$/.test(before);
      return this.terms.filter((t) => t.name.toLowerCase().startsWith(lower)
        && (!wantsClass || t.kind === "class"));
    }
    if (!explicit && word.length < 2) return [];
    const prefixes = Object.keys(this.prefixes).sort()
      .filter((p) => p.toLowerCase().startsWith(lower))
      .map((p) => ({ name: `${p}:`, detail: this.prefixes[p], reopen: true }));
    const keywords = COMPLETION_KEYWORDS.filter((k) => k.toLowerCase().startsWith(lower))
      .map((k) => ({ name: k, detail: "keyword" }));
    return [...prefixes, ...keywords];
  }

  complete(explicit) {
    const word = this.currentWord();
    this.items = this.candidates(word, explicit).slice(0, 200);
    if (this.items.length === 0 || (this.items.length === 1 && this.items[0].name === word)) {
      this.close();
      return;
    }
    this.list.innerHTML = this.items.map((item, index) =>
      `<li role="option" data-index="${index}"><span class="name">${escapeHtml(item.name)}</span>` +
      `<span class="detail">${escapeHtml(item.detail || "")}</span></li>`).join("");
    this.list.hidden = false;
    this.select(0);
    this.place();
  }

  select(index) {
    this.selected = index;
    this.list.querySelectorAll("li").forEach((li, i) => {
      li.setAttribute("aria-selected", String(i === index));
      if (i === index) li.scrollIntoView({ block: "nearest" });
    });
  }

  accept(index) {
    const item = this.items[index];
    if (!item) return;
    const word = this.currentWord();
    const caret = this.textarea.selectionStart;
    this.textarea.setRangeText(item.name, caret - word.length, caret, "end");
    this.close();
    if (item.name.includes(":") && !item.name.startsWith("?")) this.declareUsedPrefixes();
    this.render();
    this.textarea.focus();
    if (item.reopen) this.complete(true);
  }

  /** Declare any known prefix the query uses, keeping the caret on the same character. */
  declareUsedPrefixes() {
    const caret = this.textarea.selectionStart;
    const { text, added } = addMissingPrefixes(this.textarea.value, this.prefixes);
    if (added.length === 0) return [];
    const shift = text.length - this.textarea.value.length;
    this.textarea.value = text;
    this.textarea.setSelectionRange(caret + shift, caret + shift);
    this.render();
    return added;
  }

  close() { this.list.hidden = true; this.items = []; }

  /** Put the completion list under the caret (monospace text, no wrapping). */
  place() {
    const style = getComputedStyle(this.textarea);
    const probe = document.createElement("span");
    probe.textContent = "0".repeat(20);
    this.highlight.appendChild(probe);
    const charWidth = probe.getBoundingClientRect().width / 20;
    probe.remove();
    const lineHeight = parseFloat(style.lineHeight);
    const lines = this.textarea.value.slice(0, this.textarea.selectionStart).split("\n");
    const column = lines[lines.length - 1].length;
    const left = parseFloat(style.paddingLeft) + column * charWidth - this.textarea.scrollLeft;
    const top = parseFloat(style.paddingTop) + lines.length * lineHeight - this.textarea.scrollTop;
    this.list.style.left = `${Math.max(0, Math.min(left, this.root.clientWidth - 290))}px`;
    this.list.style.top = `${top + 2}px`;
  }
}
