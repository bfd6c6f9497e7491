"""Namespaces of the graph: the ontology (``rko:``) and one entity namespace per kind.

Entity IRIs are ``https://w3id.org/rankl-kg/{kind}/{local_id}``; ``mint`` is the only place
that builds them, so they stay stable between builds, and every one of them can be written as a
prefixed name without escapes (``trial:NCT00321464-regimen-1``). An IRI that changed keeps
working: :func:`mint_node` also writes its old form, deprecated and replaced by the new one.
The kinds are not listed here: each builder declares its own (``Builder.kind``), and
:mod:`kg.vocabulary` reads the kinds and the prefixes from the builder registry (this module
sits below the builders, which import it).
The ``rko:`` terms are generated from the ontology into :mod:`kg.rko`.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import DCTERMS, OWL, Graph, Literal, Namespace, URIRef

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
    "PLAIN_LOCAL_NAME",
    "PRISM",
    "QUDT",
    "RKO",
    "SCHEMA",
    "UNIT",
    "VANN",
    "add_replacement",
    "content_hash",
    "legacy_iri",
    "mint",
    "mint_hashed",
    "mint_node",
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
#: A local name that needs no backslash escape in a Turtle or SPARQL prefixed name
PLAIN_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
#: Joins the segments of a path id (``NCT00321464/regimen/1``) in a local name; up to release
#: 0.1 they were joined by ``/``, which a prefixed name cannot hold without ``\/`` escapes
PATH_SEPARATOR = "-"


def mint(kind: str, local_id: str) -> URIRef:
    """Return the IRI of an entity of ``kind`` with ``local_id``.

    A node that belongs to an entity has a path id ``<entity>/<facet>/<id>`` (a trial's dose
    regimen, a review's cited work); its local name joins the segments with ``-``, so the IRI is
    a plain prefixed name in the entity's namespace.

    >>> mint("gene", "TNFSF11")
    rdflib.term.URIRef('https://w3id.org/rankl-kg/gene/TNFSF11')
    >>> mint("trial", "NCT00321464/regimen/1")
    rdflib.term.URIRef('https://w3id.org/rankl-kg/trial/NCT00321464-regimen-1')
    """
    if not KIND_PATTERN.fullmatch(kind):
        raise ValueError(f"entity kind {kind!r} is not a lower-case word (letters and '_')")
    local_name = local_id.replace("/", PATH_SEPARATOR)
    if not PLAIN_LOCAL_NAME.fullmatch(local_name):
        raise ValueError(f"{local_id!r} cannot be written as a prefixed name {kind}:{local_name}")
    return URIRef(f"{BASE_IRI}{kind}/{local_name}")


def legacy_iri(kind: str, local_id: str) -> URIRef | None:
    """Return the IRI a path id had up to release 0.1 (segments joined by ``/``), or None for a
    plain id, whose IRI never changed.

    >>> legacy_iri("trial", "NCT00321464/regimen/1")
    rdflib.term.URIRef('https://w3id.org/rankl-kg/trial/NCT00321464/regimen/1')
    """
    return URIRef(f"{BASE_IRI}{kind}/{local_id}") if "/" in local_id else None


def mint_node(graph: Graph, kind: str, local_id: str) -> URIRef:
    """Return :func:`mint`'s IRI; for a path id also keep its old IRI working in ``graph``
    (:func:`add_replacement`), so links to release 0.1 still lead somewhere."""
    node = mint(kind, local_id)
    old = legacy_iri(kind, local_id)
    if old is not None:
        add_replacement(graph, old, node)
    return node


def add_replacement(graph: Graph, old: URIRef, new: URIRef) -> None:
    """Say that ``old`` is no longer used: ``owl:deprecated true`` and ``dcterms:isReplacedBy``
    ``new`` (the OBO and Wikidata way of retiring an identifier without breaking links)."""
    graph.add((old, OWL.deprecated, Literal(True)))
    graph.add((old, DCTERMS.isReplacedBy, new))


def mint_hashed(kind: str, *parts: str) -> URIRef:
    """Return a stable IRI for a node identified by its content (assertions, quantities).

    The local name is the first 16 hex digits of the SHA-256 of the parts, so the same content
    always gets the same IRI and no blank nodes are needed.
    """
    return mint(kind, content_hash(*parts))


def content_hash(*parts: str) -> str:
    """Return the first 16 hex digits of the SHA-256 of ``parts`` (joined by a unit separator)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
