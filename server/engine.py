"""Query execution in worker processes that are killed at the deadline.

Neither pyoxigraph nor rdflib can be interrupted in-process (SECURITY-NOTES §0.4), so every
query runs in a worker process. A worker holds its own in-memory copy of the dataset, or opens
the on-disk pyoxigraph store read-only (so workers share it through the page cache and a kill
cannot corrupt it); :class:`WorkerSetup` says which. The web process sends the job over a pipe
and waits until the deadline; a worker that misses it is killed (SIGKILL) and replaced. Each
worker runs under an address-space limit, so a memory blow-up kills the worker, not the server.
The whole result is serialized in the worker before a status is chosen: a timeout is never a
truncated 200 (SECURITY-NOTES T15).

:func:`execute_query` is the pure, process-free core (store + job -> result); the pool is the
isolation around it.
"""

from __future__ import annotations

import io
import os
import queue
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from server.errors import (
    EndpointError,
    MalformedQueryError,
    QueryExecutionError,
    QueryTimeoutError,
    ResultTooLargeError,
    ServerBusyError,
    UnsupportedFeatureError,
)

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

#: Seconds a new worker may take to load its copy of the graph
WORKER_START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs to answer one query."""

    query: str
    media_type: str
    #: Protocol dataset (``default-graph-uri``/``named-graph-uri``); ``None`` = the store's own
    default_graph_uris: tuple[str, ...] | None = None
    named_graph_uris: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int = 100_000
    max_bytes: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class QueryResult:
    """A complete serialized result."""

    body: bytes
    media_type: str


#: A query result as pyoxigraph gives it, or parsed back from another engine's answer
AnyResult = (
    pyoxigraph.QuerySolutions
    | pyoxigraph.QueryBoolean
    | pyoxigraph.QueryTriples
    | pyoxigraph.QuadParser
)

#: The engines a worker can run
WORKER_ENGINES = ("oxigraph", "rdflib")


@dataclass(frozen=True)
class WorkerSetup:
    """What a new worker loads before its first job: an engine and where its dataset is."""

    #: One of :data:`WORKER_ENGINES`
    engine: str
    #: The dataset as N-Quads, loaded into the worker's own in-memory store
    nquads: bytes = b""
    #: An on-disk pyoxigraph store opened read-only instead (oxigraph only)
    store_path: str | None = None


#: Runs one job in a worker (the engine's counterpart of :func:`execute_query`)
JobExecutor = Callable[[QueryJob], QueryResult]


class CappedLineSink(io.BytesIO):
    """A binary buffer that refuses more than ``max_lines`` lines or ``max_bytes`` bytes.

    Line-based formats (TSV results, N-Triples) have one row or triple per line, so counting
    lines counts rows while the serializer streams; raising from ``write`` stops the query.
    Over a cap the client gets 422 naming the cap, never a truncated 200 (issue 7, T14).
    """

    def __init__(self, max_lines: int, max_bytes: int, row_limit: int) -> None:
        super().__init__()
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.row_limit = row_limit
        self.line_count = 0

    def write(self, data: ReadableBuffer, /) -> int:
        """Append ``data``; raise :class:`ResultTooLargeError` past a cap."""
        written = super().write(data)
        self.line_count += bytes(data).count(b"\n")
        if self.tell() > self.max_bytes:
            raise ResultTooLargeError(
                f"Result exceeds {self.max_bytes} bytes; add LIMIT/OFFSET or select fewer values"
            )
        if self.line_count > self.max_lines:
            raise ResultTooLargeError(f"Result exceeds {self.row_limit} rows; add LIMIT/OFFSET")
        return written


def serialize_solutions(solutions: pyoxigraph.QuerySolutions, job: QueryJob) -> QueryResult:
    """Serialize SELECT rows (TSV is the capped wire form, then converted if needed)."""
    sink = CappedLineSink(job.max_rows + 1, job.max_bytes, job.max_rows)  # +1: TSV header
    solutions.serialize(sink, format=pyoxigraph.QueryResultsFormat.TSV)
    tsv = sink.getvalue()
    wanted = pyoxigraph.QueryResultsFormat.from_media_type(job.media_type)
    if wanted == pyoxigraph.QueryResultsFormat.TSV:
        body = tsv
    else:
        reparsed = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
        body = reparsed.serialize(format=wanted) or b""
    return QueryResult(body, job.media_type)


def serialize_triples(
    triples: pyoxigraph.QueryTriples | pyoxigraph.QuadParser, job: QueryJob
) -> QueryResult:
    """Serialize CONSTRUCT/DESCRIBE triples (N-Triples is the capped wire form)."""
    sink = CappedLineSink(job.max_rows, job.max_bytes, job.max_rows)
    pyoxigraph.serialize(triples, sink, format=pyoxigraph.RdfFormat.N_TRIPLES)
    ntriples = sink.getvalue()
    wanted = pyoxigraph.RdfFormat.from_media_type(job.media_type)
    if wanted == pyoxigraph.RdfFormat.N_TRIPLES:
        body = ntriples
    else:
        parsed = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        body = pyoxigraph.serialize(parsed, format=wanted) or b""
    return QueryResult(body, job.media_type)


def graph_iri(uri: str, parameter: str) -> pyoxigraph.NamedNode:
    """Return ``uri`` as a graph name (400 naming the parameter if it is not an IRI)."""
    try:
        return pyoxigraph.NamedNode(uri)
    except ValueError as error:
        raise MalformedQueryError(f"Invalid {parameter} {uri!r}: {error}") from error


def run_on_store(
    store: pyoxigraph.Store, job: QueryJob
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """Evaluate the query; a protocol dataset replaces the store's default and named graphs."""
    protocol_dataset = job.default_graph_uris is not None or job.named_graph_uris is not None
    if not protocol_dataset:
        return store.query(job.query, base_iri=job.base_iri)
    default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
    default_graph = [graph_iri(uri, "default-graph-uri") for uri in job.default_graph_uris or ()]
    named_graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode]
    named_graphs = [graph_iri(uri, "named-graph-uri") for uri in job.named_graph_uris or ()]
    return store.query(
        job.query, base_iri=job.base_iri, default_graph=default_graph, named_graphs=named_graphs
    )


def execute_query(store: pyoxigraph.Store, job: QueryJob) -> QueryResult:
    """Run ``job`` on ``store`` and serialize the result in ``job.media_type``.

    :raises MalformedQueryError: the parser's message, with line:column (400)
    :raises ResultTooLargeError: more than ``job.max_rows`` rows or ``job.max_bytes`` (422)
    """
    try:
        return serialize_result(run_on_store(store, job), job)
    except SyntaxError as error:
        raise MalformedQueryError(f"Malformed query: {error}") from error
    except RuntimeError as error:
        raise UnsupportedFeatureError(f"Query uses an unsupported feature: {error}") from error


def serialize_result(result: AnyResult, job: QueryJob) -> QueryResult:
    """Serialize any query result in ``job.media_type`` (evaluation happens while streaming)."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        format_ = pyoxigraph.QueryResultsFormat.from_media_type(job.media_type)
        return QueryResult(result.serialize(format=format_) or b"", job.media_type)
    if isinstance(result, pyoxigraph.QuerySolutions):
        return serialize_solutions(result, job)
    return serialize_triples(result, job)


# --- worker processes -------------------------------------------------------------------


def answer_job(execute: JobExecutor, job: QueryJob) -> QueryResult | tuple[str, str]:
    """Return the result, or ``(error class name, message)`` for errors meant for the client."""
    try:
        return execute(job)
    except EndpointError as error:
        return type(error).__name__, error.message
    except MemoryError:
        return QueryExecutionError.__name__, "Query exceeded the memory limit"
    except Exception:  # noqa: BLE001 (an engine failure must not kill the worker)
        traceback.print_exc()
        return QueryExecutionError.__name__, "Query execution failed"


_REMOTE_ERRORS: dict[str, type[EndpointError]] = {
    cls.__name__: cls
    for cls in (
        MalformedQueryError,
        UnsupportedFeatureError,
        ResultTooLargeError,
        QueryExecutionError,
    )
}


def worker_environment() -> dict[str, str]:
    """Return the environment of a worker: ours, with this checkout first on ``PYTHONPATH``."""
    package_root = str(Path(__file__).resolve().parent.parent)
    inherited = os.environ.get("PYTHONPATH")
    search_path = package_root if not inherited else f"{package_root}{os.pathsep}{inherited}"
    return {**os.environ, "PYTHONPATH": search_path}


class QueryWorker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, setup: WorkerSetup, memory_limit: int) -> None:
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        self.process = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
            [sys.executable, "-m", "server.worker", str(memory_limit)],
            stdin=job_read,
            stdout=result_write,
            env=worker_environment(),
        )
        os.close(job_read)
        os.close(result_write)
        self.sender = Connection(job_write, readable=False)
        self.receiver = Connection(result_read, writable=False)
        try:
            self.sender.send(setup)
            ready = self.receiver.poll(WORKER_START_TIMEOUT_S) and self.receiver.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise QueryExecutionError("Query worker failed to start")

    def run(self, job: QueryJob, timeout_s: float) -> QueryResult:
        """Send ``job`` and wait for the answer until ``timeout_s``.

        :raises QueryTimeoutError: the deadline passed; the worker is killed
        :raises QueryExecutionError: the worker died (e.g. memory limit)
        """
        try:
            self.sender.send(job)
            if not self.receiver.poll(timeout_s):
                self.kill()
                raise QueryTimeoutError(
                    f"Query timed out after {timeout_s:g} s",
                    headers={"Retry-After": str(round(timeout_s))},
                )
            answer = self.receiver.recv()
        except (EOFError, OSError) as error:
            self.kill()
            raise QueryExecutionError(
                "Query execution failed (the worker stopped; the query may exceed the memory limit)"
            ) from error
        if isinstance(answer, QueryResult):
            return answer
        name, message = answer
        raise _REMOTE_ERRORS[name](message)

    def is_alive(self) -> bool:
        """Return whether the process still runs."""
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and reap it."""
        self.process.kill()
        self.process.wait()
        self.sender.close()
        self.receiver.close()


class WorkerPool:
    """At most ``size`` workers; started on demand, replaced after a kill."""

    def __init__(self, setup: WorkerSetup, size: int, memory_limit: int) -> None:
        self._setup = setup
        self._memory_limit = memory_limit
        self._idle: queue.LifoQueue[QueryWorker] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._workers: set[QueryWorker] = set()

    def execute(self, job: QueryJob, timeout_s: float, queue_timeout_s: float) -> QueryResult:
        """Run ``job`` on a free worker.

        :raises ServerBusyError: no worker became free within ``queue_timeout_s`` (503)
        """
        if not self._slots.acquire(timeout=queue_timeout_s):
            raise ServerBusyError(
                "Server busy: too many queries running", headers={"Retry-After": "30"}
            )
        try:
            worker = self._take_worker()
            try:
                return worker.run(job, timeout_s)
            finally:
                self._give_back(worker)
        finally:
            self._slots.release()

    def start_all(self, count: int) -> None:
        """Start ``count`` workers ahead of the first query (a server calls this at start), all
        at once: each spends most of its start importing modules and opening the store."""
        with ThreadPoolExecutor(max_workers=max(count, 1)) as starting:
            started = list(starting.map(lambda _: self._take_worker(), range(count)))
        for worker in started:
            self._give_back(worker)

    def worker_pids(self) -> list[int]:
        """Return the process ids of the running workers (for operators and fault tests)."""
        with self._lock:
            return sorted(worker.process.pid for worker in self._workers if worker.is_alive())

    def close(self) -> None:
        """Kill every worker."""
        with self._lock:
            workers, self._workers = self._workers, set()
        for worker in workers:
            worker.kill()

    def _take_worker(self) -> QueryWorker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            worker = QueryWorker(self._setup, self._memory_limit)
            with self._lock:
                self._workers.add(worker)
            return worker

    def _give_back(self, worker: QueryWorker) -> None:
        if worker.is_alive():
            self._idle.put(worker)
            return
        with self._lock:
            self._workers.discard(worker)
