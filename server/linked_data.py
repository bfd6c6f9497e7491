"""Linked data: every IRI of the graph dereferences at its own path on this server.

The IRI ``https://w3id.org/rankl-kg/{kind}/{id}`` is served at ``/{kind}/{id}`` (and ontology
terms at ``/ontology/{Term}``), so a w3id redirect can point at any deployment. A browser gets
an HTML page (:func:`server.web.build_entity_page`, drawn by ``templates/entity.html``); an RDF client
gets the entity's description: its own triples plus the ``rko:Assertion`` nodes that give the
evidence of each relation it takes part in.

Both are drawn from the entity's neighbourhood, fetched with CONSTRUCT queries through the
store backend (:func:`fetch_neighbourhood`) into a small in-memory store, so the pages work
over every backend, including a remote endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from flask import Blueprint, Response, abort, render_template, request

from kg.constants import BASE_IRI
from kg.namespaces import ENTITY_KINDS, PREFIXES
from server.backends import ask, construct
from server.web import LABEL_IRIS, RKO_NS, build_entity_page, evidence_nodes, subject_quads

bp = Blueprint("linked_data", __name__)

HTML_MIMETYPE = "text/html"
#: ``?format=`` value -> (media type, pyoxigraph serialisation)
RDF_FORMATS: dict[str, tuple[str, pyoxigraph.RdfFormat]] = {
    "ttl": ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
}
#: Media types offered by content negotiation, HTML first so ``*/*`` gets the page
OFFERED_MIMETYPES = [HTML_MIMETYPE, "application/xhtml+xml"] + [
    mimetype for mimetype, _ in RDF_FORMATS.values()
]
FORMAT_BY_MIMETYPE = {mimetype: name for name, (mimetype, _) in RDF_FORMATS.items()}
FORMAT_BY_MIMETYPE["application/xhtml+xml"] = "html"
FORMAT_BY_MIMETYPE[HTML_MIMETYPE] = "html"
#: Other names of the formats, as the /sparql endpoint spells them
FORMAT_ALIASES = {"turtle": "ttl", "ntriples": "nt", "rdfxml": "rdf", "json-ld": "jsonld"}
KIND_PATTERN = ",".join(ENTITY_KINDS)
#: What the pages show by name: labels, and the numbers of cited references
NAMING_IRIS = ", ".join(f"<{iri}>" for iri in (*LABEL_IRIS, f"{RKO_NS}referenceNumber"))
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
    store = fetch_neighbourhood(node, with_network=representation == "html")
    if representation == "html":
        page = build_entity_page(store, node, path_of_iri)
        response = Response(render_template("entity.html", page=page), mimetype=HTML_MIMETYPE)
    else:
        mimetype, rdf_format = RDF_FORMATS[representation]
        triples = description_triples(store, node)
        body = pyoxigraph.serialize(triples, format=rdf_format, prefixes=prefixes_used(triples))
        response = Response(body, mimetype=mimetype)
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
        f"?s ?p ?o FILTER(?p IN ({NAMING_IRIS})) }}"
    )


def batches(iris: set[str]) -> Iterable[list[str]]:
    """``iris`` sorted, in lists short enough for one query's VALUES block."""
    ordered = sorted(iris)
    return (ordered[i : i + VALUES_BATCH] for i in range(0, len(ordered), VALUES_BATCH))


def iris_in(store: pyoxigraph.Store) -> set[str]:
    """Every IRI used in ``store`` as subject, predicate or object."""
    return {
        term.value for quad in store for term in quad.triple
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


def negotiate_format() -> str:
    """Return ``html`` or a key of :data:`RDF_FORMATS`, from ``?format=`` or the Accept header.

    An unknown ``format`` value is a 400 naming the allowed ones; an Accept header that allows
    none of the offered types is a 406 listing them.
    """
    requested = request.args.get("format")
    if requested is not None:
        requested = FORMAT_ALIASES.get(requested, requested)
        allowed = ["html", *RDF_FORMATS]
        if requested not in allowed:
            abort(
                400,
                description=f"query parameter 'format' must be one of "
                f"{', '.join(allowed)}; got {requested!r}",
            )
        return requested
    if not request.headers.get("Accept"):
        return "html"
    best = request.accept_mimetypes.best_match(OFFERED_MIMETYPES)
    if best is None:
        abort(
            406,
            description=f"cannot answer with any type in Accept: "
            f"{request.headers['Accept']!r}; offered: "
            f"{', '.join(OFFERED_MIMETYPES)}",
        )
    return FORMAT_BY_MIMETYPE[best]


def description_triples(
    store: pyoxigraph.Store, node: pyoxigraph.NamedNode
) -> list[pyoxigraph.Triple]:
    """The entity's triples as subject plus every evidence node whose subject or object it is."""
    triples = [quad.triple for quad in subject_quads(store, node)]
    for assertion in evidence_nodes(store, node):
        triples.extend(quad.triple for quad in subject_quads(store, assertion))
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
        f'<{request.path}?format={name}>; rel="alternate"; type="{mimetype}"'
        for name, (mimetype, _) in RDF_FORMATS.items()
    )
    return ", ".join(links)
