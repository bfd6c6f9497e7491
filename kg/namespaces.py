"""Namespaces of the graph: the ontology (``rko:``) and one entity namespace per kind.

Entity IRIs are ``https://w3id.org/rankl-kg/{kind}/{local_id}``; ``mint`` is the only place
that builds them, so they stay stable between builds. The kinds are not listed here: each
builder declares its own (``Builder.kind``), and :mod:`kg.vocabulary` reads the kinds and the
prefixes from the builder registry (this module sits below the builders, which import it).
The ``rko:`` terms are generated from the ontology into :mod:`kg.rko`.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef

from kg.constants import BASE_IRI
from kg.rko import RKO

__all__ = [
    "BIBO",
    "BIOLINK",
    "BUILD_KINDS",
    "CITO",
    "KIND_PATTERN",
    "OBO",
    "OTHER_PREFIXES",
    "PRISM",
    "QUDT",
    "RKO",
    "SCHEMA",
    "UNIT",
    "VANN",
    "content_hash",
    "mint",
    "mint_hashed",
]


OBO = Namespace("http://purl.obolibrary.org/obo/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
SCHEMA = Namespace("http://schema.org/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VANN = Namespace("http://purl.org/vocab/vann/")

#: Kinds of node the build itself mints, not a table: curated assertions and quantities
BUILD_KINDS = ("assertion", "quantity")
#: Prefixes bound in every graph besides ``rko`` and the entity kinds
OTHER_PREFIXES: dict[str, str] = {
    "obo": str(OBO),
    "biolink": str(BIOLINK),
    "schema": str(SCHEMA),
    "bibo": str(BIBO),
    "cito": str(CITO),
    "prism": str(PRISM),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "vann": str(VANN),
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: What an entity kind looks like: the path segment of its IRIs and the name of its prefix
KIND_PATTERN = re.compile(r"[a-z][a-z_]*")


def mint(kind: str, local_id: str) -> URIRef:
    """Return the IRI of an entity of ``kind`` with ``local_id``.

    >>> mint("gene", "TNFSF11")
    rdflib.term.URIRef('https://w3id.org/rankl-kg/gene/TNFSF11')
    """
    if not KIND_PATTERN.fullmatch(kind):
        raise ValueError(f"entity kind {kind!r} is not a lower-case word (letters and '_')")
    return URIRef(f"{BASE_IRI}{kind}/{local_id}")


def mint_hashed(kind: str, *parts: str) -> URIRef:
    """Return a stable IRI for a node identified by its content (assertions, quantities).

    The local name is the first 16 hex digits of the SHA-256 of the parts, so the same content
    always gets the same IRI and no blank nodes are needed.
    """
    return mint(kind, content_hash(*parts))


def content_hash(*parts: str) -> str:
    """Return the first 16 hex digits of the SHA-256 of ``parts`` (joined by a unit separator)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
