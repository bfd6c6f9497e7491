"""Linked data: every IRI of the graph dereferences at its own path on this server.

The IRI ``https://w3id.org/rankl-kg/{kind}/{id}`` is served at ``/{kind}/{id}`` (and ontology
terms at ``/ontology/{Term}``), so a w3id redirect can point at any deployment. A browser gets
an HTML page (:func:`server.pages.render_entity_page`); an RDF client gets the entity's
description: its own triples plus the ``rko:Assertion`` nodes that give the evidence of each
relation it takes part in. The RDF formats are those of :mod:`kg.rdf_formats`, named by their
file extension (``?format=ttl``) or any other name the table gives them.

Both are drawn from the entity's neighbourhood, fetched with CONSTRUCT queries through the
store backend (:func:`fetch_neighbourhood`) into a small in-memory store, so the pages work
over every backend, including a remote endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from flask import Blueprint, Response, abort, request
from rdflib import URIRef

from kg.build.provenance_reader import OxigraphTriples, statements_about, to_oxigraph
from kg.constants import BASE_IRI
from kg.rdf_formats import JSONLD, NTRIPLES, RDFXML, TURTLE, RdfSyntax, syntax_named
from kg.vocabulary import ENTITY_KINDS, PREFIXES
from server.page_queries import ask, construct
from server.pages import render_entity_page
from server.pages.terms import NAMING_IRIS, subject_quads

bp = Blueprint("linked_data", __name__)

HTML = "html"
HTML_MIMETYPES = ("text/html", "application/xhtml+xml")
#: The RDF formats of a description, in the order the ``Link`` header names them
RDF_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)
#: Media types offered by content negotiation, HTML first so ``*/*`` gets the page
OFFERED_MIMETYPES = [*HTML_MIMETYPES, *(syntax.media_type for syntax in RDF_FORMATS)]
KIND_PATTERN = ",".join(ENTITY_KINDS)
#: The naming predicates of the pages, as a SPARQL ``IN`` list
NAMING_IRI_LIST = ", ".join(f"<{iri}>" for iri in NAMING_IRIS)
RDF_NS = PREFIXES["rdf"]
#: Most IRIs in one query's VALUES block
VALUES_BATCH = 200


@bp.get(f"/<any({KIND_PATTERN}):kind>/<path:local_id>")
def entity(kind: str, local_id: str) -> Response:
    """Dereference an entity IRI of the graph."""
    return describe(f"{BASE_IRI}{kind}/{local_id}")


@bp.get("/ontology/<path:term>")
def ontology_term(term: str) -> Response:
    """Dereference a term of the ``rko:`` ontology."""
    return describe(f"{BASE_IRI}ontology/{term}")


@bp.get("/ontology")
def ontology() -> Response:
    """Dereference the ontology itself (its ``owl:Ontology`` header)."""
    return describe(f"{BASE_IRI}ontology")


def describe(iri: str) -> Response:
    """Answer for ``iri`` in the representation the client asked for; 404 if the graph lacks it."""
    node = named_node_or_404(iri)
    if not ask(in_graph_query(node)):
        abort(404, description=f"{iri} is not in the graph")
    representation = negotiate_format()
    store = fetch_neighbourhood(node, with_network=representation is None)
    if representation is None:
        html = render_entity_page(store, node, path_of_iri)
        response = Response(html, mimetype=HTML_MIMETYPES[0])
    else:
        triples = description_triples(store, node)
        body = pyoxigraph.serialize(
            triples, format=representation.oxigraph, prefixes=prefixes_used(triples)
        )
        response = Response(body, mimetype=representation.media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = alternate_links()
    return response


def named_node_or_404(iri: str) -> pyoxigraph.NamedNode:
    """Return the IRI as a node; a path that is no valid IRI cannot be in the graph."""
    try:
        return pyoxigraph.NamedNode(iri)
    except ValueError:
        abort(404, description=f"{iri!r} is not a valid IRI, so it is not in the graph")


def in_graph_query(node: pyoxigraph.NamedNode) -> str:
    """ASK whether the default graph uses ``node`` as subject, predicate or object."""
    return f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s {node} ?o }} UNION {{ ?s ?p {node} }} }}"


def own_triples_query(node: pyoxigraph.NamedNode) -> str:
    """CONSTRUCT the entity's triples in both directions, and every triple of the evidence
    nodes that have it as ``rdf:subject`` or ``rdf:object``."""
    evidence = f"<{RDF_NS}subject>|<{RDF_NS}object> {node}"
    return f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ VALUES ?s {{ {node} }} ?s ?p ?o }}
  UNION {{ VALUES ?o {{ {node} }} ?s ?p ?o }}
  UNION {{ ?s {evidence} . ?s ?p ?o }}
}}"""


def iri_values(iris: list[str]) -> str:
    """The IRIs as the body of a VALUES block."""
    return " ".join(f"<{iri}>" for iri in iris)


def links_query(subjects: list[str]) -> str:
    """CONSTRUCT the triples from ``subjects`` to any IRI."""
    return (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {iri_values(subjects)} }} "
        "?s ?p ?o FILTER(isIRI(?o)) }"
    )


def naming_query(subjects: list[str]) -> str:
    """CONSTRUCT the labels (and reference numbers) of ``subjects``."""
    return (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {iri_values(subjects)} }} "
        f"?s ?p ?o FILTER(?p IN ({NAMING_IRI_LIST})) }}"
    )


def batches(iris: set[str]) -> Iterable[list[str]]:
    """``iris`` sorted, in lists short enough for one query's VALUES block."""
    ordered = sorted(iris)
    return (ordered[i : i + VALUES_BATCH] for i in range(0, len(ordered), VALUES_BATCH))


def iris_in(store: pyoxigraph.Store) -> set[str]:
    """Every IRI used in ``store`` as subject, predicate or object."""
    return {
        term.value
        for quad in store
        for term in quad.triple
        if isinstance(term, pyoxigraph.NamedNode)
    }


def neighbours_of(store: pyoxigraph.Store, node: pyoxigraph.NamedNode) -> set[str]:
    """The IRIs the entity links to or is linked from (its own triples are in ``store``)."""
    found = set()
    for quad in store.quads_for_pattern(node, None, None):
        if isinstance(quad.object, pyoxigraph.NamedNode):
            found.add(quad.object.value)
    for quad in store.quads_for_pattern(None, None, node):
        if isinstance(quad.subject, pyoxigraph.NamedNode):
            found.add(quad.subject.value)
    found.discard(node.value)
    return found


def fetch_neighbourhood(node: pyoxigraph.NamedNode, with_network: bool) -> pyoxigraph.Store:
    """Fetch what the entity's representation reads, through the backend, into a small store.

    The RDF description needs only the entity's own and evidence triples. The page also needs
    the triples between two neighbours (the network's chords) and the labels of everything
    shown. Several simple queries rather than one clever one: every engine (rdflib included)
    answers a VALUES lookup fast.
    """
    store = construct(own_triples_query(node))
    if not with_network:
        return store
    neighbours = neighbours_of(store, node)
    for batch in batches(neighbours):
        links = construct(links_query(batch))
        store.extend(quad for quad in links if quad.object.value in neighbours)
    for batch in batches(iris_in(store)):
        store.extend(construct(naming_query(batch)))
    return store


def negotiate_format() -> RdfSyntax | None:
    """Return the RDF syntax asked for, or None for the HTML page, from ``?format=`` or Accept.

    ``format`` is ``html`` or any name of an offered syntax (``ttl``, ``turtle``, ``nt``…). An
    unknown value is a 400 naming the allowed ones; an Accept header that allows none of the
    offered types is a 406 listing them.
    """
    requested = request.args.get("format")
    if requested is not None:
        if requested.strip().lower() == HTML:
            return None
        syntax = syntax_named(requested, RDF_FORMATS)
        if syntax is None:
            allowed = [HTML, *(offered.extension for offered in RDF_FORMATS)]
            abort(
                400,
                description=f"query parameter 'format' must be one of "
                f"{', '.join(allowed)}; got {requested!r}",
            )
        return syntax
    if not request.headers.get("Accept"):
        return None
    best = request.accept_mimetypes.best_match(OFFERED_MIMETYPES)
    if best is None:
        abort(
            406,
            description=f"cannot answer with any type in Accept: "
            f"{request.headers['Accept']!r}; offered: "
            f"{', '.join(OFFERED_MIMETYPES)}",
        )
    return None if best in HTML_MIMETYPES else syntax_named(best, RDF_FORMATS)


def description_triples(
    store: pyoxigraph.Store, node: pyoxigraph.NamedNode
) -> list[pyoxigraph.Triple]:
    """The entity's triples as subject plus every evidence node whose subject or object it is."""
    triples = [quad.triple for quad in subject_quads(store, node)]
    for statement in statements_about(OxigraphTriples(store), URIRef(node.value)):
        evidence_node = to_oxigraph(statement)
        if not isinstance(evidence_node, pyoxigraph.Literal):
            triples.extend(quad.triple for quad in subject_quads(store, evidence_node))
    return triples


def prefixes_used(triples: list[pyoxigraph.Triple]) -> dict[str, str]:
    """The project prefixes whose namespace starts some IRI of ``triples``."""
    iris = {
        term.value
        for triple in triples
        for term in triple
        if isinstance(term, pyoxigraph.NamedNode)
    }
    return {
        prefix: namespace
        for prefix, namespace in PREFIXES.items()
        if any(iri.startswith(namespace) for iri in iris)
    }


def path_of_iri(iri: str) -> str | None:
    """The path on this server where an IRI of our namespace is served, else None."""
    if not iri.startswith(BASE_IRI):
        return None
    return f"{request.script_root}/{iri.removeprefix(BASE_IRI)}"


def alternate_links() -> str:
    """A ``Link`` header that names every other representation of the same resource."""
    links: Iterable[str] = (
        f'<{request.path}?format={syntax.extension}>; rel="alternate"; type="{syntax.media_type}"'
        for syntax in RDF_FORMATS
    )
    return ", ".join(links)
