"""Blueprint ``sparql``: the read-only SPARQL 1.1 Protocol endpoint at ``/sparql``.

Parameters are read as the protocol defines them (GET ``query=``, POST form, POST
``application/sparql-query``); the query then passes the guard, the result format is
negotiated, and the engine runs it in a worker process with a deadline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph
from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.datastructures import MultiDict

from server.engine import QueryJob, QueryResult, WorkerPool
from server.errors import (
    EndpointError,
    MalformedQueryError,
    MissingQueryError,
    ReadOnlyError,
    UnsupportedMediaTypeError,
)
from server.guard import GuardLimits, check_query
from server.meta import endpoint_url, get_service_info, service_description_response
from server.negotiation import formats_for, pick_format
from server.store import get_loaded_graph
from server.throttle import ClientBudget, ClientThrottle

bp = Blueprint("sparql", __name__)

#: Key of the :class:`WorkerPool` in ``app.extensions``
EXTENSION_KEY = "rankl_kg_workers"
#: Key of the :class:`ClientThrottle` in ``app.extensions``
THROTTLE_KEY = "rankl_kg_throttle"
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
QUERY_MEDIA_TYPE = "application/sparql-query"
UPDATE_MEDIA_TYPE = "application/sparql-update"
READ_ONLY_MESSAGE = "This endpoint is read-only: SPARQL Update is not accepted"


@dataclass(frozen=True)
class ProtocolRequest:
    """The SPARQL Protocol parameters of one request."""

    query: str
    default_graph_uris: tuple[str, ...] | None
    named_graph_uris: tuple[str, ...] | None
    format: str | None


def init_app(app: Flask) -> WorkerPool:
    """Create the worker pool over a copy of the loaded dataset (workers start on demand)
    and the per-client throttle."""
    with app.app_context():
        dataset = get_loaded_graph().store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    pool = WorkerPool(
        dataset or b"",
        size=int(app.config["QUERY_WORKERS"]),
        memory_limit=int(app.config["WORKER_MEMORY_BYTES"]),
    )
    app.extensions[EXTENSION_KEY] = pool
    app.extensions[THROTTLE_KEY] = ClientThrottle(
        ClientBudget(
            max_concurrent=int(app.config["CLIENT_MAX_CONCURRENT"]),
            query_seconds_per_minute=float(app.config["CLIENT_QUERY_SECONDS_PER_MINUTE"]),
            errors_per_minute=int(app.config["CLIENT_ERRORS_PER_MINUTE"]),
        )
    )
    return pool


def get_worker_pool() -> WorkerPool:
    """Return the worker pool of the current app."""
    pool: WorkerPool = current_app.extensions[EXTENSION_KEY]
    return pool


def read_parameters() -> MultiDict[str, str]:
    """Return the protocol parameters; refuse POST bodies the protocol does not define.

    :raises UnsupportedMediaTypeError: POST with a media type other than form or query (415)
    :raises ReadOnlyError: an ``application/sparql-update`` body (403)
    """
    if request.method == "GET":
        return MultiDict(request.args)
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if media_type == UPDATE_MEDIA_TYPE:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    if media_type not in (FORM_MEDIA_TYPE, QUERY_MEDIA_TYPE):
        raise UnsupportedMediaTypeError(
            f"Unsupported Content-Type: {media_type or '(none)'}; "
            f"send {FORM_MEDIA_TYPE} or {QUERY_MEDIA_TYPE}"
        )
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"Unsupported charset: {charset}; send UTF-8")
    parameters = MultiDict(request.args)
    if media_type == FORM_MEDIA_TYPE:
        parameters.update(request.form)
    else:
        parameters.add("query", decode_utf8(request.get_data(cache=False)))
    return parameters


def decode_utf8(body: bytes) -> str:
    """Decode a query body strictly as UTF-8 (400 naming the byte offset otherwise)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedQueryError(
            f"Malformed query: the body is not UTF-8 (byte {error.start})"
        ) from error


def protocol_request(parameters: MultiDict[str, str]) -> ProtocolRequest | None:
    """Return the query parameters, or ``None`` if there is no query (service description).

    :raises ReadOnlyError: an ``update`` parameter (403)
    :raises MissingQueryError: ``query`` given more than once (400)
    """
    if "update" in parameters:
        raise ReadOnlyError(READ_ONLY_MESSAGE)
    queries = parameters.getlist("query")
    if not queries:
        return None
    if len(queries) > 1:
        raise MissingQueryError(f"Give exactly one 'query' parameter, got {len(queries)}")
    default_graphs = tuple(parameters.getlist("default-graph-uri"))
    named_graphs = tuple(parameters.getlist("named-graph-uri"))
    protocol_dataset = bool(default_graphs or named_graphs)
    return ProtocolRequest(
        query=queries[0],
        default_graph_uris=default_graphs if protocol_dataset else None,
        named_graph_uris=named_graphs if protocol_dataset else None,
        format=parameters.get("format"),
    )


def make_job(protocol: ProtocolRequest) -> QueryJob:
    """Guard the query, negotiate the format and describe the work for the engine."""
    config = current_app.config
    limits = GuardLimits(int(config["MAX_QUERY_CHARS"]), int(config["MAX_NESTING"]))
    checked = check_query(protocol.query, limits, protocol.default_graph_uris is not None)
    chosen = pick_format(formats_for(checked.form), request.accept_mimetypes, protocol.format)
    return QueryJob(
        query=checked.text,
        media_type=chosen.media_type,
        default_graph_uris=protocol.default_graph_uris,
        named_graph_uris=protocol.named_graph_uris,
        base_iri=endpoint_url(),
        max_rows=int(config["MAX_RESULT_ROWS"]),
        max_bytes=int(config["MAX_RESULT_BYTES"]),
    )


def result_response(result: QueryResult, elapsed_s: float) -> Response:
    """Wrap a result with the negotiation, caching, row-limit and timing headers."""
    content_type = result.media_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = Response(result.body, content_type=content_type)
    response.vary.add("Accept")
    if request.method == "GET":
        response.cache_control.public = True
        response.cache_control.max_age = int(current_app.config["CACHE_MAX_AGE_S"])
    response.headers["X-Result-Row-Limit"] = str(current_app.config["MAX_RESULT_ROWS"])
    response.headers["X-Query-Time-Ms"] = str(round(elapsed_s * 1000))
    return response


def run_query(protocol: ProtocolRequest) -> Response:
    """Guard the query, run it in a worker within the client's budget, count the outcome."""
    metrics = get_service_info().metrics
    started = time.monotonic()
    throttle: ClientThrottle = current_app.extensions[THROTTLE_KEY]
    try:
        job = make_job(protocol)
        with throttle.admit(request.remote_addr or "unknown"):
            result = get_worker_pool().execute(
                job,
                timeout_s=float(current_app.config["QUERY_TIMEOUT_S"]),
                queue_timeout_s=float(current_app.config["QUEUE_TIMEOUT_S"]),
            )
    except EndpointError as error:
        metrics.queries.labels(outcome=type(error).__name__).inc()
        raise
    elapsed = time.monotonic() - started
    metrics.query_seconds.observe(elapsed)
    metrics.queries.labels(outcome="ok").inc()
    return result_response(result, elapsed)


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the service description."""
    protocol = protocol_request(read_parameters())
    if protocol is None:
        return service_description_response()
    return run_query(protocol)
