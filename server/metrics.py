"""Prometheus metrics of one app (own registry, so several apps in one process don't clash).

With several web processes (:mod:`server.prefork`) the supervisor calls
:func:`share_between_processes` before the app exists: every value then lives in a per-process
file of one directory (prometheus_client's multiprocess mode), and ``/metrics``, whichever
process answers it, adds up the files of all of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

#: Media type of the Prometheus text exposition format
METRICS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: prometheus_client's variable naming the directory of the per-process files
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def share_between_processes(directory: Path) -> None:
    """Keep the metrics of every process forked from now on in ``directory`` (emptied now)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROCESS_DIR_VARIABLE] = str(directory)
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]


def forget_process(pid: int) -> None:
    """Drop the live gauges of a web process that ended (its counters keep counting)."""
    if MULTIPROCESS_DIR_VARIABLE in os.environ:
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


@dataclass
class EndpointMetrics:
    """The counters the endpoint updates, in their own registry."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "rankl_kg_http_requests",
            "HTTP requests answered, by status code",
            ["status"],
            registry=self.registry,
        )
        self.queries = Counter(
            "rankl_kg_sparql_queries",
            "SPARQL queries, by outcome (ok or error class)",
            ["outcome"],
            registry=self.registry,
        )
        self.query_seconds = Histogram(
            "rankl_kg_sparql_query_seconds",
            "Wall time of answered SPARQL queries",
            registry=self.registry,
        )
        self.triples = Gauge(
            "rankl_kg_graph_triples",
            "Triples in the served dataset",
            registry=self.registry,
            multiprocess_mode="max",
        )
        self.cache_hits = Counter(
            "rankl_kg_cache_hits",
            "Lookups answered from a cache (result: serialized results; guard: query analyses)",
            ["cache"],
            registry=self.registry,
        )
        self.cache_misses = Counter(
            "rankl_kg_cache_misses",
            "Lookups a cache could not answer",
            ["cache"],
            registry=self.registry,
        )
        self.cache_bytes = Gauge(
            "rankl_kg_cache_bytes",
            "Bytes held by a cache (summed over the web processes)",
            ["cache"],
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        #: Children bound to their labels once, so the query path does no label lookups
        self.queries_ok = self.queries.labels(outcome="ok")
        self.result_cache_hits = self.cache_hits.labels(cache="result")
        self.result_cache_misses = self.cache_misses.labels(cache="result")
        self.guard_cache_hits = self.cache_hits.labels(cache="guard")
        self.guard_cache_misses = self.cache_misses.labels(cache="guard")

    def exposition(self) -> bytes:
        """Return every metric in the Prometheus text format (of every web process)."""
        directory = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
        if directory is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=directory)  # type: ignore[no-untyped-call]
        return generate_latest(merged)
