"""The one way tests ask a graph with SPARQL: the project's prefixes, each row as a tuple.

``select`` gives local names (the last IRI segment, or a literal's text), which is what most
content tests compare; ``rows`` gives Python values for literals and rdflib terms for IRIs (for
numbers, dates and exact IRIs); ``column`` is the set of a one-variable ``select``. Any other
conversion can be passed as ``convert`` (e.g. ``convert=str`` for full IRIs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import Graph, Literal

from kg.vocabulary import PREFIXES

#: Turns one value of a row (``None`` when unbound) into what a test compares
Convert = Callable[[Any], Any]


def local(term: object) -> str:
    """Return the last path segment of an IRI (the entity id), or the literal's text."""
    return str(term).rsplit("/", 1)[-1]


def python(term: object) -> Any:
    """Return a literal as its Python value; IRIs, blank nodes and ``None`` unchanged."""
    return term.toPython() if isinstance(term, Literal) else term


def select(graph: Graph, query: str, convert: Convert = local) -> list[tuple[Any, ...]]:
    """Run a SELECT with the project's prefixes and return each row converted by ``convert``."""
    result = graph.query(query, initNs=PREFIXES)
    return [tuple(convert(value) for value in row) for row in result]  # type: ignore[union-attr]


def rows(graph: Graph, query: str) -> list[tuple[Any, ...]]:
    """Run a SELECT: literals as Python values, IRIs as rdflib terms."""
    return select(graph, query, convert=python)


def column(graph: Graph, query: str, convert: Convert = local) -> set[Any]:
    """Run a one-variable SELECT and return its values converted by ``convert``."""
    return {row[0] for row in select(graph, query, convert)}
