"""Where a publication appeared and who wrote it, in printed order.

The journal, volume, issue and pages are separate literals. Shared by the reviews
(``publications``) and the works they cite (``cited_works``), so a query for "papers in J. Clin.
Oncol.", "volume 28" or "first author" reads the same properties on both.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg.namespaces import BIBO, PRISM, add_replacement


def add_venue(
    graph: Graph,
    node: URIRef,
    journal: str | None,
    volume: str | None,
    issue: str | None,
    pages: str | None,
) -> None:
    """Add the journal name (``prism:publicationName``) and BIBO volume, issue and pages given."""
    for predicate, value in (
        (PRISM.publicationName, journal),
        (BIBO.volume, volume),
        (BIBO.issue, issue),
        (BIBO.pages, pages),
    ):
        if value:
            graph.add((node, predicate, Literal(value)))


def add_authors(graph: Graph, node: URIRef, authors: list[str]) -> None:
    """Add each author as ``dcterms:creator`` (for "works by X") and the printed order as a
    ``bibo:authorList``: an ``rdf:Seq`` node ``<work>-authors`` whose ``rdf:_1`` is the first
    author, ``rdf:_2`` the second, and so on (``?work bibo:authorList/rdf:_1 ?firstAuthor``).

    The sequence node is an IRI, not a blank node: the data holds no blank nodes, so IRIs stay
    stable and the exports need no relabelling. Its IRI of release 0.1, ``<work>/authors`` (of
    the work's IRI then), stays deprecated.
    """
    if not authors:
        return
    sequence = URIRef(f"{node}-authors")
    work_before = graph.value(predicate=DCTERMS.isReplacedBy, object=node) or node
    add_replacement(graph, URIRef(f"{work_before}/authors"), sequence)
    graph.add((node, BIBO.authorList, sequence))
    graph.add((sequence, RDF.type, RDF.Seq))
    for position, author in enumerate(authors, start=1):
        graph.add((node, DCTERMS.creator, Literal(author)))
        graph.add((sequence, URIRef(f"{RDF}_{position}"), Literal(author)))
