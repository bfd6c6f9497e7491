"""The local backends: pyoxigraph (in memory or on disk) and rdflib, in killable workers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph

from server.engine import QueryJob, QueryResult, WorkerPool, WorkerSetup
from server.store import load_graph, open_disk_store


class WorkerBackend:
    """A backend whose queries run in a :class:`WorkerPool` (deadline kill, ``RLIMIT_AS``)."""

    def __init__(
        self,
        name: str,
        setup: WorkerSetup,
        version: str,
        triples: int,
        named_graphs: tuple[str, ...],
        config: Mapping[str, Any],
    ) -> None:
        self.name = name
        self.version = version
        self.named_graphs = named_graphs
        self._triples = triples
        self.pool = WorkerPool(
            setup,
            size=int(config["QUERY_WORKERS"]),
            memory_limit=int(config["WORKER_MEMORY_BYTES"]),
        )

    def triple_count(self) -> int:
        """Quads in the dataset, counted when it was loaded."""
        return self._triples

    def execute(self, job: QueryJob, timeout_s: float, queue_timeout_s: float) -> QueryResult:
        """Run ``job`` on a free worker (see :meth:`WorkerPool.execute`)."""
        return self.pool.execute(job, timeout_s, queue_timeout_s)

    def close(self) -> None:
        """Kill every worker."""
        self.pool.close()


def named_graphs_of(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The IRIs of ``EXTRA_NAMED_GRAPHS``, sorted."""
    return tuple(sorted(config.get("EXTRA_NAMED_GRAPHS") or {}))


def extra_graph_paths(config: Mapping[str, Any]) -> dict[str, Path]:
    """``EXTRA_NAMED_GRAPHS`` as graph IRI -> path."""
    return {name: Path(path) for name, path in (config.get("EXTRA_NAMED_GRAPHS") or {}).items()}


def in_memory_backend(name: str, engine: str, config: Mapping[str, Any]) -> WorkerBackend:
    """Parse the graph files once here (errors name the file); workers get them as N-Quads.

    The web process keeps only the N-Quads bytes, to start a replacement after a kill.
    """
    loaded = load_graph(Path(config["GRAPH_PATH"]), extra_graph_paths(config))
    nquads = loaded.store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b""
    setup = WorkerSetup(engine=engine, nquads=nquads)
    return WorkerBackend(
        name, setup, loaded.version, loaded.triple_count, named_graphs_of(config), config
    )


def open_oxigraph_backend(config: Mapping[str, Any]) -> WorkerBackend:
    """pyoxigraph over an in-memory copy per worker, or over the store at ``STORE_PATH``.

    On disk, the web process holds no copy of the graph: it only (re)builds the store when
    the graph file changed, and each worker opens it read-only.
    """
    store_path = config.get("STORE_PATH")
    if store_path is None:
        return in_memory_backend("oxigraph", "oxigraph", config)
    disk = open_disk_store(Path(config["GRAPH_PATH"]), Path(store_path), extra_graph_paths(config))
    setup = WorkerSetup(engine="oxigraph", store_path=str(disk.path))
    return WorkerBackend(
        "oxigraph-disk", setup, disk.version, disk.triple_count, named_graphs_of(config), config
    )


def open_rdflib_backend(config: Mapping[str, Any]) -> WorkerBackend:
    """rdflib, the reference engine, with an in-memory ``Dataset`` per worker."""
    return in_memory_backend("rdflib", "rdflib", config)
