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
import re
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from kg.vocabulary import PREFIXES, new_graph


def canonical(graph: Graph) -> Graph:
    """Return a copy of ``graph`` with canonical blank-node labels, triples added in sorted order
    (rdflib's Turtle serialiser writes objects in the order the store holds them)."""
    ordered = new_graph()
    for triple in sorted(relabelled(graph)):
        ordered.add(triple)
    return ordered


def relabelled(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The triples of ``graph``, those with blank nodes relabelled canonically.

    Only the triples that touch a blank node go through ``to_canonical_graph`` (a few hundred
    ontology axioms instead of the whole graph, which costs seconds): a label hashes the triples
    its node is in, so the rest cannot change it, and the labels remain a function of the triples.
    """
    with_blank_nodes, without = new_graph(), []
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            with_blank_nodes.add(triple)
        else:
            without.append(triple)
    if not with_blank_nodes:
        return without
    return [*to_canonical_graph(with_blank_nodes), *without]


@lru_cache(maxsize=4)
def relabelled_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with canonical blank-node labels, in no particular order: for
    serialisations whose output is sorted afterwards (N-Triples lines, JSON-LD nodes), which
    need not pay for sorting the rdflib terms.

    Several exports serialise the same graph (the merged graph as N-Triples, Turtle and JSON-LD),
    so the last few results are kept (here and in :func:`to_ntriples`); rdflib graphs hash by
    identity, and the build never changes a graph once it is exported."""
    copy = new_graph()
    for triple in relabelled(graph):
        copy.add(triple)
    return copy


@lru_cache(maxsize=4)
def to_ntriples(graph: Graph) -> bytes:
    """Serialise ``graph`` as N-Triples, one sorted line per triple, canonical blank nodes."""
    text = relabelled_graph(graph).serialize(format="nt", encoding="utf-8")
    lines = sorted(line for line in text.splitlines(keepends=True) if line.strip())
    return b"".join(lines)


def gzip_bytes(content: bytes) -> bytes:
    """Gzip ``content`` reproducibly: no file name and mtime 0 in the header."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(content)
    return buffer.getvalue()


def to_turtle(graph: Graph) -> bytes:
    """Serialise ``graph`` as Turtle, byte-identical for the same triples: the sorted N-Triples
    lines written by pyoxigraph with the project's prefixes, each subject once with its
    predicates grouped (rdflib's pretty serialiser takes about a second per 20,000 triples;
    this about 50 ms). Blank nodes keep their canonical labels."""
    output = io.BytesIO()
    triples = [quad.triple for quad in ox.parse(to_ntriples(graph), format=ox.RdfFormat.N_TRIPLES)]
    ox.serialize(triples, output, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    # pyoxigraph writes the prefixes in its own order: write them sorted by name instead
    body = b"".join(
        line
        for line in output.getvalue().splitlines(keepends=True)
        if not line.startswith(b"@prefix ")
    )
    header = "".join(
        f"@prefix {name}: <{namespace}> .\n" for name, namespace in sorted(PREFIXES.items())
    )
    return header.encode("utf-8") + b"\n" + unescaped_names(body)


#: A prefixed name pyoxigraph wrote with ``\/`` escapes (``trial:NCT00321464\/regimen\/1``)
ESCAPED_NAME = re.compile(
    rb"(?<![^\s(\[,;])([a-z][a-z_]*):((?:[A-Za-z0-9_.\-]|\\/)*\\/(?:[A-Za-z0-9_.\-]|\\/)*)"
)


def unescaped_names(body: bytes) -> bytes:
    """Write prefixed names that hold ``\\/`` escapes as full IRIs.

    Every entity IRI is a plain prefixed name; only the deprecated IRIs of release 0.1
    (``trial/NCT00321464/regimen/1``) hold slashes. pyoxigraph abbreviates them with escapes,
    valid Turtle 1.1 that Virtuoso 7 and other parsers read as an IRI with backslashes."""
    return ESCAPED_NAME.sub(
        lambda match: (
            b"<" + PREFIXES[match[1].decode()].encode() + match[2].replace(b"\\/", b"/") + b">"
        ),
        body,
    )


def to_nested_turtle(graph: Graph) -> bytes:
    """Serialise ``graph`` as Turtle with anonymous blank nodes nested (``[ … ]``, lists as
    ``( … )``), for the ontology file people read: OWL restrictions and lists stay legible."""
    return canonical(graph).serialize(format="turtle", encoding="utf-8")
