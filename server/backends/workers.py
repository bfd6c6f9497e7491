"""Query worker processes, killed at the deadline and replaced: the isolation around a query.

Neither pyoxigraph nor rdflib can be interrupted in-process (docs/security.md §0.4), so every
query runs in a worker process (:mod:`server.backends.worker`). A pyoxigraph worker is forked
from the web process and shares its in-memory store copy-on-write
(:mod:`server.backends.forked`), or opens the on-disk store read-only (so workers share it
through the page cache and a kill cannot corrupt it); an rdflib worker holds its own copy;
:class:`WorkerSetup` says which. The web process sends the job over a pipe and waits until the
deadline; a worker that misses it is killed (SIGKILL) and replaced. Each worker runs under an
address-space limit, so a memory blow-up kills the worker, not the server.
"""

from __future__ import annotations

import math
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

from server.backends.execution import QueryJob, QueryResult
from server.errors import (
    EndpointError,
    MalformedQueryError,
    MemoryLimitError,
    QueryExecutionError,
    QueryTimeoutError,
    ResultTooLargeError,
    ServerBusyError,
    UnsupportedFeatureError,
)

#: The module run as a worker process (``python -m``)
WORKER_MODULE = "server.backends.worker"
#: Seconds a new worker may take to load its copy of the graph
WORKER_START_TIMEOUT_S = 120.0

#: Seconds between two checks whether a forked worker has copied too much of the shared store:
#: a check reads ``/proc/<pid>/smaps_rollup``, which walks the worker's page tables (some 2 ms
#: at x1), so checking every few dozen jobs cost a lookup 60 µs of the web process's time
WEAR_CHECK_INTERVAL_S = 5.0
#: The engines a worker can run
WORKER_ENGINES = ("oxigraph", "rdflib")
#: Seconds a client is asked to wait after its query broke the memory limit
MEMORY_LIMIT_RETRY_AFTER_S = 5
#: How a worker ends when an allocation fails under ``RLIMIT_AS``: Rust's allocation-failure
#: handler aborts the process (pyoxigraph), or Python raises MemoryError (reported in-band)
ALLOCATION_FAILURE_EXIT = -signal.SIGABRT


class WorkerProcess(Protocol):
    """What the pool needs of a worker process: a ``Popen``, or a forked worker's handle."""

    @property
    def pid(self) -> int: ...
    @property
    def returncode(self) -> int | None: ...
    def poll(self) -> int | None: ...
    def kill(self) -> None: ...
    def wait(self) -> int: ...


#: Forks a worker talking through (job pipe read end, result pipe write end) under a memory limit
WorkerForker = Callable[[int, int, int], WorkerProcess]


@dataclass(frozen=True)
class WorkerSetup:
    """What a new worker loads before its first job: an engine and where its dataset is."""

    #: One of :data:`WORKER_ENGINES`
    engine: str
    #: The dataset as N-Quads, loaded into the worker's own in-memory store
    nquads: bytes = b""
    #: An on-disk pyoxigraph store opened read-only instead (oxigraph only)
    store_path: str | None = None
    #: Or how to fork a worker from this process, which holds the in-memory store all workers
    #: share (:func:`server.backends.forked.fork_worker` over the store); never sent to a worker
    fork: WorkerForker | None = None


#: Runs one job in a worker (the engine's counterpart of :func:`execute_query`)
JobExecutor = Callable[[QueryJob], QueryResult]


#: The errors a worker may report, by class name
_REMOTE_ERRORS: dict[str, type[EndpointError]] = {
    cls.__name__: cls
    for cls in (
        MalformedQueryError,
        UnsupportedFeatureError,
        ResultTooLargeError,
        QueryExecutionError,
    )
}


def memory_limit_error(memory_limit: int) -> MemoryLimitError:
    """The 503 of a query that broke the workers' address-space limit, naming the setting."""
    return MemoryLimitError(
        f"Query exceeded the memory limit (WORKER_MEMORY_BYTES = {memory_limit} bytes, "
        f"{memory_limit / 1024**3:.3g} GiB per query worker); simplify the query or add LIMIT",
        headers={"Retry-After": str(MEMORY_LIMIT_RETRY_AFTER_S)},
    )


def worker_environment() -> dict[str, str]:
    """Return the environment of a worker: ours, with this checkout first on ``PYTHONPATH``."""
    package_root = str(Path(__file__).resolve().parents[2])
    inherited = os.environ.get("PYTHONPATH")
    search_path = package_root if not inherited else f"{package_root}{os.pathsep}{inherited}"
    return {**os.environ, "PYTHONPATH": search_path}


def start_process(
    setup: WorkerSetup, job_read: int, result_write: int, memory_limit: int
) -> WorkerProcess:
    """A worker forked by ``setup.fork``, else a new interpreter that loads the dataset."""
    if setup.fork is not None:
        return setup.fork(job_read, result_write, memory_limit)
    return subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", WORKER_MODULE, str(memory_limit)],
        stdin=job_read,
        stdout=result_write,
        env=worker_environment(),
    )


class WorkerStoppedError(QueryExecutionError):
    """The worker ended before answering, neither at the deadline nor at the memory limit."""


class QueryWorker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, setup: WorkerSetup, memory_limit: int) -> None:
        self.memory_limit = memory_limit
        self._wear_checked_at = time.monotonic()
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        self.process = start_process(setup, job_read, result_write, memory_limit)
        os.close(job_read)
        os.close(result_write)
        self.sender = Connection(job_write, readable=False)
        self.receiver = Connection(result_read, writable=False)
        # one poll object for the worker's life: Connection.poll builds a selector per call
        self._answers = select.poll()
        self._answers.register(result_read, select.POLLIN)
        try:
            if setup.fork is None:
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
        :raises MemoryLimitError: the query broke ``WORKER_MEMORY_BYTES`` (503); the worker is
            replaced
        :raises QueryExecutionError: the worker died otherwise
        """
        try:
            self.sender.send(job)
            if not self._answer_within(timeout_s):
                self.kill()
                raise QueryTimeoutError(
                    f"Query timed out after {timeout_s:g} s",
                    headers={"Retry-After": str(round(timeout_s))},
                )
            answer = self.receiver.recv()
        except (EOFError, OSError) as error:
            self.kill()
            if self.memory_limit > 0 and self.process.returncode == ALLOCATION_FAILURE_EXIT:
                raise memory_limit_error(self.memory_limit) from error
            raise WorkerStoppedError("Query execution failed (the worker stopped)") from error
        if isinstance(answer, QueryResult):
            return answer
        name, message = answer
        if name == MemoryLimitError.__name__:
            raise memory_limit_error(self.memory_limit)
        raise _REMOTE_ERRORS[name](message)

    def _answer_within(self, timeout_s: float) -> bool:
        """Whether the worker answers (or its pipe closes) within ``timeout_s``."""
        return bool(self._answers.poll(math.ceil(timeout_s * 1000)))

    def is_alive(self) -> bool:
        """Return whether the process still runs."""
        return self.process.poll() is None

    def worn_out(self) -> bool:
        """Whether a forked worker should be replaced now (checked at most every
        :data:`WEAR_CHECK_INTERVAL_S`; see ``ForkedProcess.worn_out`` in
        :mod:`server.backends.forked`)."""
        check = getattr(self.process, "worn_out", None)
        now = time.monotonic()
        if check is None or now - self._wear_checked_at < WEAR_CHECK_INTERVAL_S:
            return False
        self._wear_checked_at = now
        return bool(check())

    def kill(self) -> None:
        """SIGKILL the process and reap it."""
        self.process.kill()
        self.process.wait()
        self.sender.close()
        self.receiver.close()


class WorkerPool:
    """At most ``size`` workers; started on demand, replaced after a kill."""

    def __init__(self, setup: WorkerSetup, size: int, memory_limit: int) -> None:
        self.size = size
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
            return self._run(job, timeout_s, retries=1)
        finally:
            self._slots.release()

    def _run(self, job: QueryJob, timeout_s: float, retries: int) -> QueryResult:
        """Run ``job`` on a worker; if the worker stopped for a reason other than the deadline
        or the memory limit (killed from outside, or already dying when it took the job), run
        it again on a fresh one, within what is left of the deadline, ``retries`` times."""
        started = time.monotonic()
        worker = self._take_worker()
        try:
            return worker.run(job, timeout_s)
        except WorkerStoppedError:
            left = timeout_s - (time.monotonic() - started)
            if retries < 1 or left <= 0:
                raise
        finally:
            self._give_back(worker)
        return self._run(job, left, retries - 1)

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
        """An idle live worker, else a new one (an idle worker killed from outside, e.g. by an
        operator or the OOM killer, is replaced here instead of failing the next query)."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.is_alive():
                return worker
            self._forget(worker)
        worker = QueryWorker(self._setup, self._memory_limit)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _forget(self, worker: QueryWorker) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def _give_back(self, worker: QueryWorker) -> None:
        if worker.is_alive() and not worker.worn_out():
            self._idle.put(worker)
            return
        self._forget(worker)
