"""The local backends: pyoxigraph (in memory or on disk) and rdflib, in killable workers."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyoxigraph

from server.backends.execution import QueryJob, QueryResult
from server.backends.forked import fork_worker
from server.backends.oxigraph_store import load_graph, open_disk_store
from server.backends.workers import WorkerPool, WorkerSetup
from server.config import Settings


class WorkerBackend:
    """A backend whose queries run in a :class:`WorkerPool` (deadline kill, ``RLIMIT_AS``)."""

    def __init__(
        self,
        name: str,
        setup: WorkerSetup,
        version: str,
        triples: int,
        settings: Settings,
    ) -> None:
        self.name = name
        self.version = version
        self.named_graphs = tuple(sorted(settings.extra_named_graphs))
        self._triples = triples
        self.pool = WorkerPool(
            setup, size=settings.pool_workers, memory_limit=settings.worker_memory_bytes
        )

    def start(self) -> None:
        """Start every worker now, so the first queries do not wait for them."""
        self.pool.start_all(self.pool.size)

    def stop(self) -> None:
        """Kill every worker."""
        self.pool.close()

    def triple_count(self) -> int:
        """Quads in the dataset, counted when it was loaded."""
        return self._triples

    def execute(self, job: QueryJob, timeout_s: float, queue_timeout_s: float) -> QueryResult:
        """Run ``job`` on a free worker (see :meth:`WorkerPool.execute`)."""
        return self.pool.execute(job, timeout_s, queue_timeout_s)

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for operators and fault tests)."""
        return self.pool.worker_pids()


def in_memory_backend(name: str, engine: str, settings: Settings) -> WorkerBackend:
    """Parse the graph files once here (errors name the file).

    pyoxigraph workers are forked from this process and share its store (one copy in memory,
    a replacement starts at once); rdflib workers get the dataset as N-Quads, which the web
    process keeps to start a replacement after a kill.
    """
    loaded = load_graph(settings.graph_path, settings.extra_named_graphs)
    if engine == "oxigraph":
        setup = WorkerSetup(engine=engine, fork=partial(fork_worker, loaded.store))
    else:
        nquads = loaded.store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b""
        setup = WorkerSetup(engine=engine, nquads=nquads)
    return WorkerBackend(name, setup, loaded.version, loaded.triple_count, settings)


def open_oxigraph_backend(settings: Settings) -> WorkerBackend:
    """pyoxigraph over an in-memory copy per worker, or over the store at ``STORE_PATH``.

    On disk, the web process holds no copy of the graph: it only (re)builds the store when
    the graph file changed, and each worker opens it read-only.
    """
    if settings.store_path is None:
        return in_memory_backend("oxigraph", "oxigraph", settings)
    disk = open_disk_store(
        settings.graph_path, Path(settings.store_path), settings.extra_named_graphs
    )
    setup = WorkerSetup(engine="oxigraph", store_path=str(disk.path))
    return WorkerBackend("oxigraph-disk", setup, disk.version, disk.triple_count, settings)


def open_rdflib_backend(settings: Settings) -> WorkerBackend:
    """rdflib, the reference engine, with an in-memory ``Dataset`` per worker."""
    return in_memory_backend("rdflib", "rdflib", settings)
