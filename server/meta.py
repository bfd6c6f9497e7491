"""Blueprint ``meta``: service description, VoID, example queries, /health and /metrics."""

from __future__ import annotations

import functools

from flask import Blueprint, Flask, Response, jsonify, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import VOID
from werkzeug.sansio.utils import get_current_url

from kg.rdf_formats import RDF_SYNTAXES
from server.describe import DATASET_IRI, ServiceLimits, build_service_description, build_void
from server.downloads import add_dumps_to_void
from server.metrics import METRICS_MEDIA_TYPE
from server.negotiation import GRAPH_FORMATS, pick_format
from server.state import ServerState, get_state

bp = Blueprint("meta", __name__)

#: rdflib serializer name of each RDF format we offer
_RDFLIB_FORMATS = {syntax.name: syntax.rdflib for syntax in RDF_SYNTAXES}


def build_void_of(app: Flask) -> Graph:
    """The VoID description of the dataset ``app`` serves and of its dumps (runs queries)."""
    with app.app_context():
        void = build_void(ServerState.of(app).backend.version)
        add_dumps_to_void(app, void, DATASET_IRI)
    return void


def init_app(app: Flask) -> None:
    """Count every answered request by status (the state's metrics)."""
    app.after_request(count_response)


def count_response(response: Response) -> Response:
    """Count every answered request by status (registered as an ``after_request`` hook)."""
    get_state().metrics.requests.labels(status=str(response.status_code)).inc()
    return response


def rdf_response(graph: Graph) -> Response:
    """Serialize ``graph`` in the format chosen by ``format=`` or Accept."""
    chosen = pick_format(GRAPH_FORMATS, request.accept_mimetypes, request.args.get("format"))
    body = graph.serialize(format=_RDFLIB_FORMATS[chosen.name], encoding="utf-8")
    response = Response(body, mimetype=chosen.media_type)
    response.vary.add("Accept")
    return response


def endpoint_url() -> str:
    """Return the public URL of /sparql (configured, or taken from the request)."""
    configured = get_state().settings.public_endpoint_url
    return configured or base_url(request.scheme, request.host, request.root_path, request.path)


@functools.lru_cache(maxsize=256)
def base_url(scheme: str, host: str, root_path: str, path: str) -> str:
    """The request URL without its query (Werkzeug's ``base_url``), remembered: building it
    decodes the URL to an IRI, some 40 µs per request for the same few values."""
    return get_current_url(scheme, host, root_path, path).rstrip("/")


def service_description_response() -> Response:
    """Answer the endpoint URL without a query: the SPARQL 1.1 Service Description."""
    state = get_state()
    limits = ServiceLimits(
        timeout_s=state.settings.query_timeout_s, max_rows=state.settings.max_result_rows
    )
    named = list(state.backend.named_graphs)
    description = build_service_description(endpoint_url(), state.service.void, limits, named)
    return rdf_response(description)


@bp.get("/.well-known/void")
def void() -> Response:
    """VoID description of the dataset (counts computed through the backend when first asked),
    with the ``void:sparqlEndpoint`` that answers it."""
    computed = get_state().service.void
    description = Graph()
    for prefix, namespace in computed.namespaces():
        description.bind(prefix, namespace, replace=True)
    description += computed
    description.add((DATASET_IRI, VOID.sparqlEndpoint, URIRef(sparql_endpoint_url())))
    return rdf_response(description)


def sparql_endpoint_url() -> str:
    """Return the public URL of /sparql (configured, or this server's own)."""
    configured = get_state().settings.public_endpoint_url
    return configured or url_for("sparql.sparql", _external=True).rstrip("/")


@bp.get("/.well-known/sparql-examples")
def sparql_examples() -> Response:
    """The competency queries as ``sh:SPARQLExecutable`` resources."""
    return rdf_response(get_state().service.examples)


@bp.get("/health")
def health() -> Response:
    """Liveness and what is being served (a remote backend that is down gives 503)."""
    state = get_state()
    backend = state.backend
    return jsonify(
        status="ok",
        backend=backend.name,
        triples=backend.triple_count(),
        graph_version=backend.version,
        examples=state.service.example_count,
    )


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition of the request and query counters."""
    return Response(get_state().metrics.exposition(), content_type=METRICS_MEDIA_TYPE)
