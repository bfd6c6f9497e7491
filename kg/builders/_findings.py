"""Stable IRIs of n-ary findings (comparisons, adverse-event reports, regimens) under an entity."""

from __future__ import annotations

from rdflib import URIRef

from kg.namespaces import content_hash, mint


def finding_iri(kind: str, parent_id: str, facet: str, *parts: str) -> URIRef:
    """Return a stable IRI for a finding about an entity, under the entity's IRI.

    >>> str(finding_iri("drug", "denosumab", "comparison", "a"))
    'https://w3id.org/rankl-kg/drug/denosumab/comparison/ca978112ca1bbdca'
    """
    return mint(kind, f"{parent_id}/{facet}/{content_hash(*parts)}")
