"""SPARQL helpers for the biology tests: run a query over the real graph and collect local names."""

from __future__ import annotations

from rdflib import Graph

PREFIXES = """
PREFIX rko: <https://w3id.org/rankl-kg/ontology/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX gene: <https://w3id.org/rankl-kg/gene/>
PREFIX protein: <https://w3id.org/rankl-kg/protein/>
PREFIX cell: <https://w3id.org/rankl-kg/cell/>
PREFIX anatomy: <https://w3id.org/rankl-kg/anatomy/>
PREFIX disease: <https://w3id.org/rankl-kg/disease/>
PREFIX process: <https://w3id.org/rankl-kg/process/>
PREFIX chemical: <https://w3id.org/rankl-kg/chemical/>
PREFIX publication: <https://w3id.org/rankl-kg/publication/>
"""


def local(term: object) -> str:
    """Return the last path segment of an IRI (the entity id), or the literal's text."""
    return str(term).rsplit("/", 1)[-1]


def select(graph: Graph, query: str) -> list[tuple[str, ...]]:
    """Run a SELECT and return each row as a tuple of local names."""
    return [tuple(local(value) for value in row) for row in graph.query(PREFIXES + query)]  # type: ignore[union-attr]


def column(graph: Graph, query: str) -> set[str]:
    """Run a one-variable SELECT and return its values as local names."""
    return {row[0] for row in select(graph, query)}
