"""Blueprint ``meta``: service description, VoID, example queries, /health and /metrics."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from server.backends import get_backend
from server.describe import (
    DATASET_IRI,
    ServiceLimits,
    build_service_description,
    build_void,
    count_examples,
    load_examples,
)
from server.downloads import add_dumps_to_void
from server.metrics import METRICS_MEDIA_TYPE, EndpointMetrics
from server.negotiation import GRAPH_FORMATS, pick_format

bp = Blueprint("meta", __name__)

#: Key of the :class:`ServiceInfo` in ``app.extensions``
EXTENSION_KEY = "rankl_kg_meta"
#: rdflib serializer name of each RDF format we offer
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


class ServiceInfo:
    """What the app knows about its dataset: VoID (computed on first use), examples, metrics.

    VoID counts run through the backend; computing them when first asked, not at start, keeps
    the start of a large on-disk store fast.
    """

    def __init__(self, app: Flask, examples: Graph, metrics: EndpointMetrics) -> None:
        self.app = app
        self.examples = examples
        self.example_count = count_examples(examples)
        self.metrics = metrics
        self._void: Graph | None = None
        self._void_lock = threading.Lock()

    @property
    def void(self) -> Graph:
        """The VoID description of the dataset and its dumps."""
        with self._void_lock:
            if self._void is None:
                with self.app.app_context():
                    void = build_void(get_backend().version)
                    add_dumps_to_void(self.app, void, DATASET_IRI)
                self._void = void
            return self._void


def init_app(app: Flask) -> ServiceInfo:
    """Load the examples and set up the metrics (needs the backend of ``backends.init_app``)."""
    info = ServiceInfo(app, load_examples(Path(app.config["QUERIES_DIR"])), EndpointMetrics())
    with app.app_context():
        info.metrics.triples.set(get_backend().triple_count())
    app.extensions[EXTENSION_KEY] = info
    app.after_request(count_response)
    return info


def get_service_info() -> ServiceInfo:
    """Return the :class:`ServiceInfo` of the current app."""
    info: ServiceInfo = current_app.extensions[EXTENSION_KEY]
    return info


def count_response(response: Response) -> Response:
    """Count every answered request by status (registered as an ``after_request`` hook)."""
    get_service_info().metrics.requests.labels(status=str(response.status_code)).inc()
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
    configured: str | None = current_app.config["PUBLIC_ENDPOINT_URL"]
    return configured or request.base_url.rstrip("/")


def service_description_response() -> Response:
    """Answer the endpoint URL without a query: the SPARQL 1.1 Service Description."""
    limits = ServiceLimits(
        timeout_s=float(current_app.config["QUERY_TIMEOUT_S"]),
        max_rows=int(current_app.config["MAX_RESULT_ROWS"]),
    )
    named = list(get_backend().named_graphs)
    description = build_service_description(endpoint_url(), get_service_info().void, limits, named)
    return rdf_response(description)


@bp.get("/.well-known/void")
def void() -> Response:
    """VoID description of the dataset (counts computed through the backend when first asked),
    with the ``void:sparqlEndpoint`` that answers it."""
    computed = get_service_info().void
    description = Graph()
    for prefix, namespace in computed.namespaces():
        description.bind(prefix, namespace, replace=True)
    description += computed
    description.add((DATASET_IRI, VOID.sparqlEndpoint, URIRef(sparql_endpoint_url())))
    return rdf_response(description)


def sparql_endpoint_url() -> str:
    """Return the public URL of /sparql (configured, or this server's own)."""
    configured: str | None = current_app.config["PUBLIC_ENDPOINT_URL"]
    return configured or url_for("sparql.sparql", _external=True).rstrip("/")


@bp.get("/.well-known/sparql-examples")
def sparql_examples() -> Response:
    """The competency queries as ``sh:SPARQLExecutable`` resources."""
    return rdf_response(get_service_info().examples)


@bp.get("/health")
def health() -> Response:
    """Liveness and what is being served (a remote backend that is down gives 503)."""
    backend = get_backend()
    return jsonify(
        status="ok",
        backend=backend.name,
        triples=backend.triple_count(),
        graph_version=backend.version,
        examples=get_service_info().example_count,
    )


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition of the request and query counters."""
    return Response(get_service_info().metrics.exposition(), content_type=METRICS_MEDIA_TYPE)
