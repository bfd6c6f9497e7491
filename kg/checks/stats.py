"""Counts of a graph by class and by property."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, URIRef
from rdflib.namespace import RDF


def count_by_class(graph: Graph) -> Counter[URIRef]:
    """Return how many subjects are typed with each class."""
    return Counter(o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))


def count_by_property(graph: Graph) -> Counter[URIRef]:
    """Return how many triples use each property."""
    return Counter(p for p in graph.predicates() if isinstance(p, URIRef))
