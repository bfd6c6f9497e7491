"""Blueprint ``sparql``: the read-only SPARQL 1.1 Protocol endpoint at ``/sparql``.

Parameters are read as the protocol defines them (GET ``query=``, POST form, POST
``application/sparql-query``); the query then passes the guard, the result format is
negotiated, and the engine runs it in a worker process with a deadline, unless the same
result is in the result cache (see :mod:`server.cache`).

HTTP caching: every result carries a strong ``ETag``; a GET or HEAD whose ``If-None-Match``
matches it gets 304 without a body. GET and HEAD results are ``Cache-Control: public,
max-age=CACHE_MAX_AGE_S``; POST results carry no caching header (a POST is not a cacheable
read in the SPARQL Protocol). Every result varies by ``Accept``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from flask.blueprints import BlueprintSetupState
from werkzeug.datastructures import MultiDict

from server.backends import get_backend
from server.backends.local import WorkerBackend
from server.cache import (
    CachedResult,
    FormatCache,
    GuardCache,
    ResultCache,
    ResultKey,
    make_etag,
)
from server.engine import QueryJob, QueryResult, WorkerPool
from server.errors import (
    EndpointError,
    MalformedQueryError,
    MissingQueryError,
    ReadOnlyError,
    UnsupportedMediaTypeError,
)
from server.guard import CheckedQuery, GuardLimits
from server.meta import EXTENSION_KEY as SERVICE_INFO_KEY
from server.meta import ServiceInfo, endpoint_url, service_description_response
from server.metrics import EndpointMetrics
from server.store import get_graph_version
from server.throttle import ClientBudget, ClientThrottle

bp = Blueprint("sparql", __name__)

#: Key of the :class:`ClientThrottle` in ``app.extensions``
THROTTLE_KEY = "rankl_kg_throttle"
#: Key of the :class:`QueryState` in ``app.extensions``
QUERY_STATE_KEY = "rankl_kg_query_state"
#: Methods whose results HTTP caches may store and revalidate
CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
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


@dataclass(frozen=True)
class QuerySettings:
    """The query settings of one app, read from its configuration once rather than per query."""

    limits: GuardLimits
    max_rows: int
    max_bytes: int
    timeout_s: float
    queue_timeout_s: float
    #: ``Cache-Control`` of GET and HEAD results
    cache_control: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> QuerySettings:
        """Read the settings from an app configuration (already checked by ``check_config``)."""
        return cls(
            limits=GuardLimits(int(config["MAX_QUERY_CHARS"]), int(config["MAX_NESTING"])),
            max_rows=int(config["MAX_RESULT_ROWS"]),
            max_bytes=int(config["MAX_RESULT_BYTES"]),
            timeout_s=float(config["QUERY_TIMEOUT_S"]),
            queue_timeout_s=float(config["QUEUE_TIMEOUT_S"]),
            cache_control=f"public, max-age={int(config['CACHE_MAX_AGE_S'])}",
        )


@dataclass(frozen=True)
class QueryState:
    """What answering a query needs besides the request: settings, caches, metrics."""

    settings: QuerySettings
    results: ResultCache
    guard: GuardCache
    formats: FormatCache
    metrics: EndpointMetrics


@bp.record_once
def create_query_state(setup: BlueprintSetupState) -> None:
    """Create the settings and caches of an app when the blueprint is registered on it.

    Needs the metrics created by ``meta.init_app``; the cache sizes are exported as gauges
    read at scrape time, so the query path does not update them.
    """
    app = setup.app
    service_info: ServiceInfo = app.extensions[SERVICE_INFO_KEY]
    metrics = service_info.metrics
    state = QueryState(
        settings=QuerySettings.from_config(app.config),
        results=ResultCache(
            int(app.config["RESULT_CACHE_BYTES"]),
            float(app.config["RESULT_CACHE_MAX_ENTRY_FRACTION"]),
        ),
        guard=GuardCache(
            int(app.config["GUARD_CACHE_BYTES"]),
            hits=metrics.guard_cache_hits,
            misses=metrics.guard_cache_misses,
        ),
        formats=FormatCache(),
        metrics=metrics,
    )
    metrics.cache_bytes.labels(cache="result").set_function(lambda: state.results.bytes_used)
    metrics.cache_bytes.labels(cache="guard").set_function(lambda: state.guard.entries.bytes_used)
    app.extensions[QUERY_STATE_KEY] = state


def get_query_state() -> QueryState:
    """Return the :class:`QueryState` of the current app."""
    state: QueryState = current_app.extensions[QUERY_STATE_KEY]
    return state


def init_app(app: Flask) -> None:
    """Create the per-client throttle (the backend, opened by ``backends.init_app``, runs the
    queries)."""
    app.extensions[THROTTLE_KEY] = ClientThrottle(
        ClientBudget(
            max_concurrent=int(app.config["CLIENT_MAX_CONCURRENT"]),
            query_seconds_per_minute=float(app.config["CLIENT_QUERY_SECONDS_PER_MINUTE"]),
            errors_per_minute=int(app.config["CLIENT_ERRORS_PER_MINUTE"]),
        )
    )


def get_worker_pool() -> WorkerPool:
    """Return the worker pool of the current app's local backend (for operators and tests).

    :raises TypeError: the app serves from a remote endpoint, which has no workers
    """
    backend = get_backend()
    if not isinstance(backend, WorkerBackend):
        raise TypeError(f"the {backend.name} backend has no worker pool")
    return backend.pool


def read_parameters() -> MultiDict[str, str]:
    """Return the protocol parameters; refuse POST bodies the protocol does not define.

    :raises UnsupportedMediaTypeError: POST with a media type other than form or query (415)
    :raises ReadOnlyError: an ``application/sparql-update`` body (403)
    """
    if request.method in CACHEABLE_METHODS:
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


def make_job(protocol: ProtocolRequest, checked: CheckedQuery, state: QueryState) -> QueryJob:
    """Negotiate the format of a guarded query and describe the work for the engine."""
    accept = request.headers.get("Accept", "")
    chosen = state.formats.pick(checked.form, accept, protocol.format)
    settings = state.settings
    return QueryJob(
        query=checked.text,
        media_type=chosen.media_type,
        default_graph_uris=protocol.default_graph_uris,
        named_graph_uris=protocol.named_graph_uris,
        base_iri=endpoint_url(),
        max_rows=settings.max_rows,
        max_bytes=settings.max_bytes,
    )


def result_key(job: QueryJob) -> ResultKey:
    """Return the result-cache key of ``job`` on the graph being served."""
    return ResultKey(
        graph_version=get_graph_version(),
        query=job.query,
        media_type=job.media_type,
        default_graph_uris=job.default_graph_uris,
        named_graph_uris=job.named_graph_uris,
        base_iri=job.base_iri,
    )


def execute_job(job: QueryJob, settings: QuerySettings) -> QueryResult:
    """Run ``job`` on the app's backend within the deadline (a cache miss)."""
    return get_backend().execute(
        job, timeout_s=settings.timeout_s, queue_timeout_s=settings.queue_timeout_s
    )


def answer_job(
    job: QueryJob, checked: CheckedQuery, state: QueryState
) -> tuple[CachedResult, bool]:
    """Return the result of ``job`` and whether it came from the result cache.

    A hit uses no worker: the client is only checked against its budgets (a client over one
    is refused even a hit) and nothing is counted against them (:meth:`ClientThrottle.check`).
    A miss runs in a worker within the client's budget; its result is stored unless the query
    is volatile (NOW(), RAND() …). Errors propagate and are never stored.
    """
    throttle: ClientThrottle = current_app.extensions[THROTTLE_KEY]
    client = request.remote_addr or "unknown"
    key = result_key(job)
    cached = state.results.get(key)
    if cached is not None:
        throttle.check(client)
        state.metrics.result_cache_hits.inc()
        return cached, True
    state.metrics.result_cache_misses.inc()
    with throttle.admit(client):
        result = execute_job(job, state.settings)
    fresh = CachedResult(
        result.body, result.media_type, make_etag(key.graph_version, result.media_type, result.body)
    )
    if not checked.is_volatile:
        state.results.put(key, fresh)
    return fresh, False


def result_response(
    result: CachedResult, elapsed_s: float, from_cache: bool, settings: QuerySettings
) -> Response:
    """Wrap a result with the validator, caching, negotiation, row-limit and timing headers.

    A GET or HEAD whose ``If-None-Match`` matches the ``ETag`` (weak comparison, as RFC 9110
    §13.1.2 asks) is answered 304; Werkzeug then drops the body and the content headers.
    """
    content_type = result.media_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = Response(result.body, content_type=content_type)
    headers = response.headers
    headers["ETag"] = f'"{result.etag}"'
    headers["Vary"] = "Accept"
    if request.method in CACHEABLE_METHODS:
        headers["Cache-Control"] = settings.cache_control
        if request.if_none_match.contains_weak(result.etag):
            response.status_code = 304
    headers["X-Result-Row-Limit"] = str(settings.max_rows)
    headers["X-Query-Time-Ms"] = str(round(elapsed_s * 1000))
    headers["X-Cache"] = "hit" if from_cache else "miss"
    return response


def run_query(protocol: ProtocolRequest) -> Response:
    """Guard the query, answer it from the cache or a worker, count the outcome."""
    state = get_query_state()
    metrics = state.metrics
    started = time.monotonic()
    try:
        checked = state.guard.check(
            protocol.query, state.settings.limits, protocol.default_graph_uris is not None
        )
        job = make_job(protocol, checked, state)
        result, from_cache = answer_job(job, checked, state)
    except EndpointError as error:
        metrics.queries.labels(outcome=type(error).__name__).inc()
        raise
    elapsed = time.monotonic() - started
    metrics.query_seconds.observe(elapsed)
    metrics.queries_ok.inc()
    return result_response(result, elapsed, from_cache, state.settings)


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the service description."""
    protocol = protocol_request(read_parameters())
    if protocol is None:
        return service_description_response()
    return run_query(protocol)
