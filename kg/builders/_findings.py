"""Stable IRIs of n-ary findings (comparisons, adverse-event reports, regimens) of an entity."""

from __future__ import annotations

from rdflib import Graph, URIRef

from kg.namespaces import content_hash, mint_node


def finding_iri(graph: Graph, kind: str, parent_id: str, facet: str, *parts: str) -> URIRef:
    """Return a stable IRI for a finding about an entity, in the entity's namespace (its old
    IRI under the entity's, deprecated, in ``graph``).

    >>> str(finding_iri(Graph(), "drug", "denosumab", "comparison", "a"))
    'https://w3id.org/rankl-kg/drug/denosumab-comparison-ca978112ca1bbdca'
    """
    return mint_node(graph, kind, f"{parent_id}/{facet}/{content_hash(*parts)}")
