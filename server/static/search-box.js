// The search box in every page's header: suggestions from /search as you type, chosen with the
// arrow keys and Enter (or the mouse); Enter without a choice opens the full search page.
(() => {
  "use strict";
  const form = document.getElementById("site-search");
  const input = document.getElementById("site-search-input");
  const list = document.getElementById("site-search-list");
  if (!form || !input || !list) return;
  const DELAY_MS = 150;
  const LIMIT = 8;
  let timer = null;
  let active = -1;
  let latest = 0;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(items, message) {
    list.replaceChildren();
    if (message) {
      const li = document.createElement("li");
      li.className = "message";
      li.textContent = message;
      list.append(li);
    }
    items.forEach((hit, index) => {
      const li = document.createElement("li");
      li.id = `site-search-option-${index}`;
      li.setAttribute("role", "option");
      const link = document.createElement("a");
      link.href = hit.href;
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = hit.label;
      const kind = document.createElement("span");
      kind.className = `kind-badge kind-${hit.kind}`;
      kind.textContent = hit.kind;
      const snippet = document.createElement("span");
      snippet.className = "snippet";
      snippet.textContent = hit.field === "label" ? "" : `${hit.field}: ${hit.snippet}`;
      link.append(label, " ", kind, snippet);
      li.append(link);
      list.append(li);
    });
    list.hidden = list.children.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    active = -1;
  }

  async function suggest() {
    const text = input.value.trim();
    if (!text) { close(); return; }
    const ticket = ++latest;
    const url = `${form.action}?${new URLSearchParams({ q: text, limit: String(LIMIT) })}`;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await response.json();
      if (ticket !== latest) return;  // an older answer arriving late
      if (!response.ok) { show([], body.error || `search failed (${response.status})`); return; }
      show(body.results, body.results.length ? "" : "nothing found");
    } catch (error) {
      if (ticket === latest) show([], "search is unavailable");
    }
  }

  function options() { return Array.from(list.querySelectorAll("li[role=option]")); }

  function highlight(index) {
    const all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach((li, i) => li.classList.toggle("active", i === active));
    input.setAttribute("aria-activedescendant", all[active].id);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options()[active].querySelector("a").href;
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 200));
})();
