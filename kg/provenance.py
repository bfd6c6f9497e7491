"""The provenance model: every curated triple also becomes an evidence-bearing rdf:Statement.

For a curated triple ``s p o`` read from a review, the graph holds the triple itself (so simple
queries work) and a node ``assertion:<hash>`` typed ``rdf:Statement`` and ``rko:Assertion`` with
``rdf:subject s``, ``rdf:predicate p``, ``rdf:object o``, ``prov:wasDerivedFrom`` the review,
``rko:section``, ``rko:quote`` and one ``rko:citedReference`` per reference number the review
cites for it. The cited works are nodes ``publication/<review>/ref/<n>`` with their number.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from kg.content import Evidence
from kg.namespaces import CITO, RKO, mint, mint_hashed


def publication_iri(publication_id: str) -> URIRef:
    """Return the IRI of a source review."""
    return mint("publication", publication_id)


def cited_reference_iri(publication_id: str, number: int) -> URIRef:
    """Return the IRI of entry ``number`` of a review's reference list."""
    return mint("publication", f"{publication_id}/ref/{number}")


def add_assertion(graph: Graph, subject: URIRef, predicate: URIRef, obj: Node, evidence: Evidence) -> URIRef:
    """Add ``subject predicate obj`` and its evidence; return the assertion node."""
    graph.add((subject, predicate, obj))
    node = mint_hashed("assertion", subject, predicate, obj.n3(), evidence.source, evidence.quote)
    source = publication_iri(evidence.source)
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.type, RKO.Assertion))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    graph.add((node, PROV.wasDerivedFrom, source))
    graph.add((node, RKO.section, Literal(evidence.section)))
    graph.add((node, RKO.quote, Literal(evidence.quote)))
    for number in evidence.refs:
        cited = cited_reference_iri(evidence.source, number)
        graph.add((node, RKO.citedReference, cited))
        graph.add((cited, RDF.type, RKO.Publication))
        graph.add((cited, RKO.referenceNumber, Literal(number, datatype=XSD.positiveInteger)))
        graph.add((source, CITO.cites, cited))
    return node
