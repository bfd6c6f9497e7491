"""Where a publication appeared: journal, volume, issue and pages as separate literals.

Shared by the reviews (``publications``) and the works they cite (``cited_works``), so a query for
"papers in J. Clin. Oncol." or "volume 28" reads the same properties on both.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.namespaces import BIBO, PRISM


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
