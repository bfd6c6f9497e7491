// Question forms: an entity picker over /entities?q=&kind= (labels and synonyms of the graph),
// and a copy button for the SPARQL. Without JavaScript the field takes a CURIE or an IRI.

const DELAY_MS = 150;

function picker(box) {
  const input = box.querySelector("input");
  const list = box.querySelector("ul");
  const chosen = box.parentElement.querySelector(".chosen");
  let timer = null;
  let options = [];
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function pick(option) {
    input.value = option.curie;
    if (chosen) chosen.textContent = option.label;
    close();
  }

  function highlight(index) {
    active = index;
    list.querySelectorAll("li").forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
  }

  async function lookUp() {
    const url = new URL(box.dataset.entities, document.baseURI);
    url.searchParams.set("q", input.value.includes(":") ? "" : input.value);
    if (box.dataset.kind) url.searchParams.set("kind", box.dataset.kind);
    const response = await fetch(url);
    if (!response.ok) return;
    options = await response.json();
    list.innerHTML = "";
    options.forEach((option, index) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = `${list.id}-${index}`;
      const label = document.createElement("span");
      label.textContent = option.label;
      const curie = document.createElement("span");
      curie.className = "curie";
      curie.textContent = option.curie;
      item.append(label, curie);
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        pick(option);
      });
      list.appendChild(item);
    });
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
    active = -1;
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, DELAY_MS);
  });
  input.addEventListener("focus", () => {
    if (!input.value) lookUp();
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown") highlight(Math.min(active + 1, options.length - 1));
    else if (event.key === "ArrowUp") highlight(Math.max(active - 1, 0));
    else if (event.key === "Escape") close();
    else if (event.key === "Enter" && active >= 0) pick(options[active]);
    else return;
    event.preventDefault();
  });
}

document.querySelectorAll(".entity-picker").forEach(picker);

const copy = document.getElementById("copy-sparql");
if (copy) {
  copy.addEventListener("click", async () => {
    const status = document.getElementById("copy-status");
    try {
      await navigator.clipboard.writeText(document.getElementById("sparql").textContent);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Select the text below and copy it.";
    }
  });
}
