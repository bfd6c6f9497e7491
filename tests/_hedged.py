"""Helpers for the hedged n-ary findings: SHACL results about one node, and cutting a node loose."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.build.graph import merge
from kg.checks.shapes import load_shapes, validate_graph


def violations_at(graph: Graph, node: URIRef) -> set[str]:
    """Validate ``graph`` and return the constraint components (local names) violated at
    ``node``."""
    results = validate_graph(graph, load_shapes()).results
    return {
        str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        for result in results.subjects(RDF.type, SH.ValidationResult)
        if results.value(result, SH.focusNode) == node
    }


def without_statements(
    graph: Graph, subject: URIRef | None, predicate: URIRef, obj: URIRef | None
) -> Graph:
    """Return a copy of ``graph`` without the triples matching the pattern (``None`` matches
    anything) and without the assertion nodes that state them."""
    copy = merge(graph)
    copy.remove((subject, predicate, obj))
    for assertion in list(copy.subjects(RDF.predicate, predicate)):
        if all(
            wanted in (None, copy.value(assertion, part))
            for part, wanted in ((RDF.subject, subject), (RDF.object, obj))
        ):
            copy.remove((assertion, None, None))
    return copy
