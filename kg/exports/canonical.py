"""Byte-stable serialisation: canonical blank-node labels, sorted triples, reproducible gzip.

The ontology needs blank nodes (``owl:oneOf`` lists, ``owl:AllDisjointClasses``), and OWL tools
require them to stay anonymous, so they are not skolemised into IRIs. Instead every export is
made from the graph with canonical blank-node labels (``rdflib.compare.to_canonical_graph``:
each label is a hash of the node's surroundings), inserted in sorted triple order. The same
triples therefore always give the same labels and the same bytes, whatever order the builders
added them in and whatever labels the parser happened to pick.
"""

from __future__ import annotations

import gzip
import io
from functools import lru_cache

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from kg.namespaces import new_graph


@lru_cache(maxsize=4)
def canonical(graph: Graph) -> Graph:
    """Return a copy of ``graph`` with canonical blank-node labels, triples added in sorted order.

    Several exports serialise the same graph (the merged graph as Turtle, N-Triples, JSON-LD ...),
    so the last few results are kept; rdflib graphs hash by identity, and the build never changes
    a graph once it is exported. Relabelling is skipped for graphs without blank nodes (the data).
    """
    relabelled = to_canonical_graph(graph) if has_blank_nodes(graph) else graph
    ordered = new_graph()
    for triple in sorted(relabelled):
        ordered.add(triple)
    return ordered


def has_blank_nodes(graph: Graph) -> bool:
    """Whether any subject or object of ``graph`` is a blank node."""
    return any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in graph)


def to_ntriples(graph: Graph) -> bytes:
    """Serialise ``graph`` as N-Triples, one sorted line per triple, canonical blank nodes."""
    text = canonical(graph).serialize(format="nt", encoding="utf-8")
    lines = sorted(line for line in text.splitlines(keepends=True) if line.strip())
    return b"".join(lines)


def gzip_bytes(content: bytes) -> bytes:
    """Gzip ``content`` reproducibly: no file name and mtime 0 in the header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(content)
    return buffer.getvalue()


def to_turtle(graph: Graph) -> bytes:
    """Serialise ``graph`` as Turtle, byte-identical for the same triples."""
    return canonical(graph).serialize(format="turtle", encoding="utf-8")
