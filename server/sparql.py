"""Blueprint ``sparql``: the read-only SPARQL 1.1 Protocol endpoint at ``/sparql``.

The request is read by :mod:`server.protocol`; the query then passes the guard, the result
format is negotiated, and the backend runs it (in a worker process with a deadline), unless
the same result is in the result cache (see :mod:`server.cache`).

HTTP caching: every result carries a strong ``ETag``; a GET or HEAD whose ``If-None-Match``
matches it gets 304 without a body. GET and HEAD results are ``Cache-Control: public,
max-age=CACHE_MAX_AGE_S``; POST results carry no caching header (a POST is not a cacheable
read in the SPARQL Protocol). Every result varies by ``Accept``.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, request

from server.backends.execution import QueryJob, QueryResult
from server.cache import CachedResult, ResultKey, make_etag
from server.errors import EndpointError
from server.guard import CheckedQuery
from server.meta import endpoint_url, service_description_response
from server.protocol import CACHEABLE_METHODS, ProtocolRequest, protocol_request, read_parameters
from server.state import ServerState, get_state

bp = Blueprint("sparql", __name__)


def make_job(protocol: ProtocolRequest, checked: CheckedQuery, state: ServerState) -> QueryJob:
    """Negotiate the format of a guarded query and describe the work for the engine."""
    accept = request.headers.get("Accept", "")
    chosen = state.caches.formats.pick(checked.form, accept, protocol.format)
    return QueryJob(
        query=checked.text,
        media_type=chosen.media_type,
        default_graph_uris=protocol.default_graph_uris,
        named_graph_uris=protocol.named_graph_uris,
        base_iri=endpoint_url(),
        max_rows=state.settings.max_result_rows,
        max_bytes=state.settings.max_result_bytes,
    )


def result_key(job: QueryJob, state: ServerState) -> ResultKey:
    """Return the result-cache key of ``job`` on the graph being served."""
    return ResultKey(
        graph_version=state.backend.version,
        query=job.query,
        media_type=job.media_type,
        default_graph_uris=job.default_graph_uris,
        named_graph_uris=job.named_graph_uris,
        base_iri=job.base_iri,
    )


def execute_job(job: QueryJob, state: ServerState) -> QueryResult:
    """Run ``job`` on the app's backend within the deadline (a cache miss)."""
    settings = state.settings
    return state.backend.execute(
        job, timeout_s=settings.query_timeout_s, queue_timeout_s=settings.queue_timeout_s
    )


def cached_or_executed(
    job: QueryJob, checked: CheckedQuery, state: ServerState
) -> tuple[CachedResult, bool]:
    """Return the result of ``job`` from the result cache or the backend, and whether it was
    a cache hit.

    A hit uses no worker: the client is only checked against its budgets (a client over one
    is refused even a hit) and nothing is counted against them (:meth:`ClientThrottle.check`).
    A miss runs in a worker within the client's budget; its result is stored unless the query
    is volatile (NOW(), RAND() …). Errors propagate and are never stored.
    """
    client = state.proxies.client_of(
        request.remote_addr, request.headers.getlist("X-Forwarded-For")
    )
    key = result_key(job, state)
    results = state.caches.results
    cached = results.get(key)
    if cached is not None:
        state.throttle.check(client)
        state.metrics.result_cache_hits.inc()
        return cached, True
    state.metrics.result_cache_misses.inc()
    with state.throttle.admit(client):
        result = execute_job(job, state)
    fresh = CachedResult(
        result.body, result.media_type, make_etag(key.graph_version, result.media_type, result.body)
    )
    if not checked.is_volatile:
        results.put(key, fresh)
    return fresh, False


def result_response(
    result: CachedResult, elapsed_s: float, from_cache: bool, state: ServerState
) -> Response:
    """Wrap a result with the validator, caching, negotiation, row-limit and timing headers.

    A GET or HEAD whose ``If-None-Match`` matches the ``ETag`` (weak comparison, as RFC 9110
    §13.1.2 asks) is answered 304; Werkzeug then drops the body and the content headers.
    """
    content_type = result.media_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    settings = state.settings
    headers = [("ETag", f'"{result.etag}"'), ("Vary", "Accept")]
    status = 200
    if request.method in CACHEABLE_METHODS:
        headers.append(("Cache-Control", settings.cache_control))
        if request.if_none_match.contains_weak(result.etag):
            status = 304
    headers += [
        ("X-Result-Row-Limit", str(settings.max_result_rows)),
        ("X-Query-Time-Ms", str(round(elapsed_s * 1000))),
        ("X-Cache", "hit" if from_cache else "miss"),
    ]
    # headers given to the constructor are appended; setting them one by one scans them all
    response = Response(result.body, status, headers, content_type=content_type)
    return response


def run_query(protocol: ProtocolRequest) -> Response:
    """Guard the query, answer it from the cache or a worker, count the outcome."""
    state = get_state()
    metrics = state.metrics
    started = time.monotonic()
    try:
        checked = state.caches.guard.check(
            protocol.query, state.guard_limits, protocol.default_graph_uris is not None
        )
        job = make_job(protocol, checked, state)
        result, from_cache = cached_or_executed(job, checked, state)
    except EndpointError as error:
        metrics.queries.labels(outcome=type(error).__name__).inc()
        raise
    elapsed = time.monotonic() - started
    metrics.query_seconds.observe(elapsed)
    metrics.queries_ok.inc()
    return result_response(result, elapsed, from_cache, state)


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol query operation; without a query, the service description."""
    protocol = protocol_request(read_parameters())
    if protocol is None:
        return service_description_response()
    return run_query(protocol)
