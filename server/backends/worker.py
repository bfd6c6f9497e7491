"""A query worker process: ``python -m server.backends.worker MEMORY_LIMIT_BYTES``.

Protocol over stdin/stdout (``multiprocessing.connection`` framing): the parent
(:class:`server.backends.workers.QueryWorker`) first sends a
:class:`~server.backends.workers.WorkerSetup` (the engine, and the dataset as N-Quads or the path
of an on-disk store); the worker answers ``"ready"``,
then reads :class:`QueryJob` objects and answers each with a :class:`QueryResult` or
``(error class name, message)``. A separate interpreter (not ``multiprocessing``'s spawn)
keeps it independent of the host program's ``__main__``.
"""

from __future__ import annotations

import os
import resource
import sys
import threading
import time
import traceback
from functools import partial
from multiprocessing.connection import Connection

import pyoxigraph

from server.backends.execution import QueryJob, QueryResult, execute_query
from server.backends.workers import JobExecutor, WorkerSetup
from server.errors import EndpointError, MemoryLimitError, QueryExecutionError


def result_or_error(execute: JobExecutor, job: QueryJob) -> QueryResult | tuple[str, str]:
    """Run ``job``; return its result, or ``(error class name, message)`` to send the parent.

    Errors meant for the client keep their class and message; any other failure becomes a
    :class:`QueryExecutionError` without details, and the worker lives on.
    """
    try:
        return execute(job)
    except EndpointError as error:
        return type(error).__name__, error.message
    except MemoryError:
        return MemoryLimitError.__name__, "Query exceeded the memory limit"
    except Exception:  # noqa: BLE001 (an engine failure must not kill the worker)
        traceback.print_exc()
        return QueryExecutionError.__name__, "Query execution failed"


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space (0: no cap)."""
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


#: Seconds between a worker's looks at whether its web process still exists
PARENT_CHECK_S = 0.5


def exit_with_parent() -> None:
    """End this worker within :data:`PARENT_CHECK_S` of its web process ending.

    A worker in the middle of a query reads no pipe, so a worker whose web process was
    killed would otherwise run its query to the end (or forever) as an orphan. A thread
    watches the parent, as pyoxigraph releases the GIL while it evaluates a query; the
    kernel's ``PR_SET_PDEATHSIG`` would not do, since it fires when the *thread* that started
    the worker ends (workers are started from short-lived threads, see ``start_all``).
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def open_pipes() -> tuple[Connection, Connection]:
    """Take over stdin/stdout for the protocol; stray prints go to stderr instead."""
    receiver = Connection(os.dup(sys.stdin.fileno()), writable=False)
    sender = Connection(os.dup(sys.stdout.fileno()), readable=False)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return receiver, sender


def open_executor(setup: WorkerSetup) -> JobExecutor:
    """Load or open the dataset for ``setup.engine``; return what runs one job on it."""
    if setup.engine == "rdflib":
        # imported here: oxigraph workers never pay for rdflib's SPARQL machinery
        from server.backends.rdflib_engine import execute_rdflib_query, load_dataset

        return partial(execute_rdflib_query, load_dataset(setup.nquads))
    if setup.store_path is not None:
        return partial(execute_query, pyoxigraph.Store.read_only(setup.store_path))
    store = pyoxigraph.Store()
    store.load(setup.nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    return partial(execute_query, store)


def serve_jobs(receiver: Connection, sender: Connection, memory_limit: int) -> None:
    """Load the dataset, report ready, then answer jobs until the parent closes the pipe."""
    setup: WorkerSetup = receiver.recv()
    execute = open_executor(setup)
    del setup  # the N-Quads copy is no longer needed once loaded
    limit_memory(memory_limit)
    serve_ready_executor(receiver, sender, execute)


def serve_ready_executor(receiver: Connection, sender: Connection, execute: JobExecutor) -> None:
    """Report ready, then answer jobs with ``execute`` until the parent closes the pipe."""
    sender.send("ready")
    while True:
        try:
            job = receiver.recv()
        except EOFError:
            return
        sender.send(result_or_error(execute, job))


def main() -> None:
    """Entry point of the worker process."""
    exit_with_parent()
    receiver, sender = open_pipes()
    serve_jobs(receiver, sender, int(sys.argv[1]))


if __name__ == "__main__":
    main()
