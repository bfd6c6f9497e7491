"""The remote backend: any SPARQL 1.1 endpoint by URL (Virtuoso, Fuseki, QLever, GraphDB).

Each query is POSTed with a timeout equal to the query deadline; the answer is read while
streaming under a byte cap, parsed and re-serialized with pyoxigraph, so the row and byte caps
and the formats behave as on the local backends. The remote's statuses are mapped to our
policy (docs/security.md §3): 400 stays 400 with the remote's message shortened; a timeout (ours
or the remote's, including Virtuoso's partial "anytime" answers) is 503 + Retry-After, never a
truncated 200; a refused connection is 503 "backend unavailable", never 500.

The graph version is ``REMOTE_GRAPH_VERSION`` when configured (set it to the SHA-256 of the file
loaded into the endpoint, so caches and ETags follow reloads); otherwise it is derived from the
URL and default graph, so it changes only when the configuration does.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

import pyoxigraph
import requests

from server.backends.execution import QueryJob, QueryResult, serialize_result
from server.config import Settings
from server.errors import (
    EndpointError,
    MalformedQueryError,
    QueryExecutionError,
    QueryTimeoutError,
    QueryTooLongError,
    ResultTooLargeError,
    ServerBusyError,
)

#: Media types asked of the remote for SELECT/ASK and for CONSTRUCT/DESCRIBE
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
#: The remote's wire form may be larger than ours (JSON vs TSV): its byte cap is this × ours
WIRE_EXPANSION = 4
#: Longest remote message kept in an error
MAX_REMOTE_MESSAGE = 300
#: Seconds to wait for the TCP connection, at most
CONNECT_TIMEOUT_S = 5.0
#: Seconds the triple count (asked once, for /health and metrics) may take
COUNT_TIMEOUT_S = 60.0
#: The variable Virtuoso answers an ASK query with when asked for JSON results
VIRTUOSO_ASK_VARIABLE = "__ASK_RETVAL"
#: How remote endpoints say a query ran out of time in an error body
TIMEOUT_MARKERS = ("timed out", "timeout", "s1t00", "s1tat")


class BackendUnavailableError(ServerBusyError):
    """The remote endpoint cannot be reached or answered unusably (503 + Retry-After)."""


def shorten(text: str) -> str:
    """A remote message on one line, cut to :data:`MAX_REMOTE_MESSAGE` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_REMOTE_MESSAGE else flat[: MAX_REMOTE_MESSAGE - 1] + "…"


def wants_graph(job: QueryJob) -> bool:
    """True if the job asks for an RDF graph (CONSTRUCT/DESCRIBE), not query results."""
    return pyoxigraph.QueryResultsFormat.from_media_type(job.media_type) is None


def retry_after(timeout_s: float) -> dict[str, str]:
    """A ``Retry-After`` header proportionate to the deadline."""
    return {"Retry-After": str(max(1, round(timeout_s)))}


def timeout_error(timeout_s: float) -> QueryTimeoutError:
    """The 503 of a query that ran out of time at the remote or on the way."""
    return QueryTimeoutError(
        f"Query timed out after {timeout_s:g} s", headers=retry_after(timeout_s)
    )


def error_text(response: requests.Response) -> str:
    """The start of an error body (read no further: a remote could send a huge one)."""
    start = next(response.iter_content(chunk_size=4 * MAX_REMOTE_MESSAGE), b"")
    return bytes(start).decode("utf-8", errors="replace")


def check_answer(response: requests.Response, timeout_s: float) -> None:
    """Raise the error of our policy for a remote status other than a complete 200."""
    status = response.status_code
    headers = response.headers
    anytime = headers.get("X-SQL-State") == "S1TAT" or "X-SPARQL-Anytime" in headers
    if status == 200 and not anytime:
        return
    if status in (200, 206, 504):
        raise timeout_error(timeout_s)  # a partial ("anytime") answer is never passed on
    message = shorten(error_text(response))
    if status == 400:
        raise MalformedQueryError(f"Malformed query (remote endpoint): {message}")
    if status == 413:
        raise QueryTooLongError(f"Query too long for the remote endpoint: {message}")
    if status == 422:
        raise ResultTooLargeError(f"Result too large (remote endpoint): {message}")
    if status >= 500 and any(marker in message.lower() for marker in TIMEOUT_MARKERS):
        raise timeout_error(timeout_s)
    if status == 500:
        raise QueryExecutionError(f"Query execution failed at the remote endpoint: {message}")
    raise BackendUnavailableError(
        f"Backend unavailable: the SPARQL endpoint answered {status}: {message}",
        headers=retry_after(timeout_s),
    )


def read_capped(
    response: requests.Response, job: QueryJob, deadline: float, timeout_s: float
) -> bytes:
    """Read the body while streaming; stop past the byte cap (422) or the deadline (503).

    The remote's wire form may be more verbose than ours, so its cap is
    :data:`WIRE_EXPANSION` times ``job.max_bytes``; the re-serialized result is then held to
    ``job.max_bytes`` itself.
    """
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=1 << 16):
        size += len(chunk)
        if size > job.max_bytes * WIRE_EXPANSION:
            raise ResultTooLargeError(
                f"Result exceeds {job.max_bytes} bytes; add LIMIT/OFFSET or select fewer values"
            )
        if time.monotonic() > deadline:
            raise timeout_error(timeout_s)
        chunks.append(chunk)
    return b"".join(chunks)


def media_type_of(response: requests.Response) -> str:
    """The media type of the response without parameters."""
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def relabel_blank_nodes(body: bytes) -> bytes:
    """Give the blank nodes of JSON results labels pyoxigraph accepts.

    Virtuoso labels them ``nodeID://b10001``, which is no valid blank node label; each label
    becomes ``b`` + its hex encoding (one-to-one, so equal nodes stay equal).
    """
    if b'"bnode"' not in body:
        return body
    results = json.loads(body)
    for binding in results.get("results", {}).get("bindings", []):
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = "b" + str(term["value"]).encode().hex()
    return json.dumps(results).encode()


def ask_as_boolean(
    parsed: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean,
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
    """Turn Virtuoso's answer to ASK, one row binding ``__ASK_RETVAL`` to 0 or 1, into the
    boolean result SPARQL defines; any other result is returned as it is."""
    if not isinstance(parsed, pyoxigraph.QuerySolutions) or [
        variable.value for variable in parsed.variables
    ] != [VIRTUOSO_ASK_VARIABLE]:
        return parsed
    values = [row[0] for row in parsed]
    answer = bool(values) and values[0] is not None and values[0].value not in ("0", "false")
    boolean = json.dumps({"head": {}, "boolean": answer}).encode()
    return pyoxigraph.parse_query_results(boolean, format=pyoxigraph.QueryResultsFormat.JSON)


def reserialize(body: bytes, media_type: str, job: QueryJob) -> QueryResult:
    """Parse the remote's answer with pyoxigraph and serialize it as a local backend would."""
    graph_format = pyoxigraph.RdfFormat.from_media_type(media_type)
    results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
    try:
        if wants_graph(job) and graph_format is not None:
            return serialize_result(pyoxigraph.parse(body, format=graph_format), job)
        if not wants_graph(job) and results_format is not None:
            if results_format == pyoxigraph.QueryResultsFormat.JSON:
                body = relabel_blank_nodes(body)
            parsed = pyoxigraph.parse_query_results(body, format=results_format)
            return serialize_result(ask_as_boolean(parsed), job)
    except (ValueError, SyntaxError) as error:
        raise QueryExecutionError(
            f"The remote endpoint sent an unreadable {media_type} answer: {error}"
        ) from error
    raise QueryExecutionError(
        f"The remote endpoint answered in {media_type or 'an untyped body'}, which is not "
        f"one of the formats asked for"
    )


class RemoteBackend:
    """A SPARQL 1.1 endpoint reached over HTTP, at most ``workers`` queries at a time."""

    name = "remote"
    named_graphs: tuple[str, ...] = ()

    def __init__(
        self, url: str, default_graph_uri: str | None, version: str | None, workers: int
    ) -> None:
        self.url = url
        self.default_graph_uri = default_graph_uri
        self.version = version or hashlib.sha256(f"{url} {default_graph_uri}".encode()).hexdigest()
        self._slots = threading.BoundedSemaphore(workers)
        self._triples: int | None = None

    def triple_count(self) -> int:
        """Triples in the remote's default graph, asked once."""
        if self._triples is None:
            job = QueryJob(
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-results+json"
            )
            body = self.execute(job, COUNT_TIMEOUT_S, COUNT_TIMEOUT_S).body
            rows = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
            if not isinstance(rows, pyoxigraph.QuerySolutions):
                raise QueryExecutionError("The remote endpoint did not answer the triple count")
            count = next(iter(rows))[0]
            self._triples = int(count.value) if count is not None else 0
        return self._triples

    def execute(self, job: QueryJob, timeout_s: float, queue_timeout_s: float) -> QueryResult:
        """POST ``job`` to the endpoint and re-serialize its answer (see the module doc).

        :raises ServerBusyError: ``workers`` queries are already running (503)
        """
        if not self._slots.acquire(timeout=queue_timeout_s):
            raise ServerBusyError(
                "Server busy: too many queries running", headers={"Retry-After": "30"}
            )
        try:
            return self._post(job, timeout_s)
        finally:
            self._slots.release()

    def start(self) -> None:
        """Nothing to start: the endpoint is first contacted by the first query."""

    def stop(self) -> None:
        """Nothing to release: every query uses its own connection."""

    def worker_pids(self) -> list[int]:
        """No worker processes: the remote endpoint runs the queries."""
        return []

    def _form(self, job: QueryJob) -> dict[str, list[str]]:
        """The protocol parameters: the query, and the job's dataset or our default graph."""
        if job.default_graph_uris is not None or job.named_graph_uris is not None:
            return {
                "query": [job.query],
                "default-graph-uri": list(job.default_graph_uris or ()),
                "named-graph-uri": list(job.named_graph_uris or ()),
            }
        defaults = [self.default_graph_uri] if self.default_graph_uri else []
        return {"query": [job.query], "default-graph-uri": defaults}

    def _post(self, job: QueryJob, timeout_s: float) -> QueryResult:
        deadline = time.monotonic() + timeout_s
        accept = GRAPH_ACCEPT if wants_graph(job) else RESULTS_ACCEPT
        try:
            with requests.post(
                self.url,
                data=self._form(job),
                headers={"Accept": accept},
                timeout=(min(CONNECT_TIMEOUT_S, timeout_s), timeout_s),
                stream=True,
            ) as response:
                check_answer(response, timeout_s)
                body = read_capped(response, job, deadline, timeout_s)
                media_type = media_type_of(response)
        except EndpointError:
            raise
        except requests.Timeout as error:
            raise timeout_error(timeout_s) from error
        except requests.RequestException as error:
            if time.monotonic() >= deadline:
                raise timeout_error(timeout_s) from error
            raise BackendUnavailableError(
                f"Backend unavailable: cannot reach the SPARQL endpoint {self.url}",
                headers=retry_after(timeout_s),
            ) from error
        return reserialize(body, media_type, job)


def open_remote_backend(settings: Settings) -> RemoteBackend:
    """The endpoint at ``REMOTE_ENDPOINT_URL``; it is first contacted by the first query."""
    return RemoteBackend(
        url=str(settings.remote_endpoint_url),
        default_graph_uri=settings.remote_default_graph_uri,
        version=settings.remote_graph_version,
        workers=settings.pool_workers,
    )
