"""Count the facts of ``docs/curation/quote-only-facts.yaml`` that a build keeps only as quotes.

Each fact there has the passage of the review that states it (``text``) and a SPARQL ASK that is
true once the graph holds the fact as structure. On a built graph a fact is

- ``structured`` when its ASK is true,
- ``quote-only`` when it is not, but some ``rko:quote`` of the same review holds ``text``,
- ``absent`` when neither (the review says it, the graph does not even quote it).

Usage: ``.venv/bin/python scripts/quote_only_facts.py [GRAPH.ttl] [--markdown]`` (default graph
``dist/current/rankl-kg.ttl``). It prints one line per fact and the counts, or with
``--markdown`` the table of ``docs/curation/quote-only-facts.md``.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import yaml

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "docs" / "curation" / "quote-only-facts.yaml"
DEFAULT_GRAPH = ROOT / "dist" / "current" / "rankl-kg.ttl"
PROLOGUE = """BASE <https://w3id.org/rankl-kg/>
PREFIX rko: <https://w3id.org/rankl-kg/ontology/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
QUOTES = """PREFIX rko: <https://w3id.org/rankl-kg/ontology/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?source ?quote WHERE { ?s rko:quote ?quote ; prov:wasDerivedFrom ?source }"""
PUBLICATION = "https://w3id.org/rankl-kg/publication/"


@dataclass(frozen=True)
class Fact:
    """One fact of the curation list and its status on a graph."""

    id: str
    source: str
    kind: str
    text: str
    status: str
    remains: str


def load_store(graph: Path) -> pyoxigraph.Store:
    """Load a Turtle build into an in-memory store."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(graph), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def quotes_by_source(store: pyoxigraph.Store) -> dict[str, list[str]]:
    """Return every quote of the graph, by the id of its review."""
    quotes: dict[str, list[str]] = {}
    for solution in store.query(QUOTES):  # type: ignore[union-attr]
        source = str(solution["source"].value).removeprefix(PUBLICATION)
        quotes.setdefault(source, []).append(str(solution["quote"].value))
    return quotes


def fact_records() -> list[dict[str, Any]]:
    """The records of the curation list, as written."""
    records: list[dict[str, Any]] = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    return records


def facts_on(store: pyoxigraph.Store) -> list[Fact]:
    """Return every fact of the list with its status on the graph in ``store``."""
    quotes = quotes_by_source(store)
    facts = []
    for record in fact_records():
        if store.query(PROLOGUE + record["ask"]):
            status = "structured"
        elif any(record["text"] in quote for quote in quotes.get(record["source"], [])):
            status = "quote-only"
        else:
            status = "absent"
        facts.append(
            Fact(
                record["id"],
                record["source"],
                record["kind"],
                record["text"],
                status,
                record.get("remains", ""),
            )
        )
    return facts


def markdown(facts: list[Fact]) -> str:
    """The table of facts, one line each."""
    lines = ["| id | review | kind | passage | status | why left |", "|---|---|---|---|---|---|"]
    for fact in facts:
        text = fact.text.replace("|", "\\|")
        lines.append(
            f"| {fact.id} | {fact.source} | {fact.kind} | {text} | {fact.status} | {fact.remains} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the facts and their counts by status."""
    paths = [arg for arg in argv if not arg.startswith("--")]
    facts = facts_on(load_store(Path(paths[0]) if paths else DEFAULT_GRAPH))
    if "--markdown" in argv:
        sys.stdout.write(markdown(facts) + "\n")
        return 0
    for fact in facts:
        sys.stdout.write(f"{fact.status}\t{fact.kind}\t{fact.id}\n")
    counts = Counter(fact.status for fact in facts)
    statuses = ("quote-only", "absent", "structured")
    sys.stdout.write(", ".join(f"{counts[status]} {status}" for status in statuses) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
