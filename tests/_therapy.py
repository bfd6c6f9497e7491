"""SPARQL helper for the therapy tests: run a SELECT over a graph with the project's prefixes."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal

from kg.vocabulary import PREFIXES


def rows(graph: Graph, query: str) -> list[tuple[Any, ...]]:
    """Run a SELECT and return each row as a tuple: literals as Python values, IRIs as rdflib terms."""
    result = graph.query(query, initNs=PREFIXES)
    return [
        tuple(term.toPython() if isinstance(term, Literal) else term for term in row)  # type: ignore[union-attr]
        for row in result
    ]
