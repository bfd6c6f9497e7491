"""Prometheus metrics of one app (own registry, so several apps in one process don't clash)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

#: Media type of the Prometheus text exposition format
METRICS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"


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
            "rankl_kg_graph_triples", "Triples in the served dataset", registry=self.registry
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
            "rankl_kg_cache_bytes", "Bytes held by a cache", ["cache"], registry=self.registry
        )
        #: Children bound to their labels once, so the query path does no label lookups
        self.queries_ok = self.queries.labels(outcome="ok")
        self.result_cache_hits = self.cache_hits.labels(cache="result")
        self.result_cache_misses = self.cache_misses.labels(cache="result")
        self.guard_cache_hits = self.cache_hits.labels(cache="guard")
        self.guard_cache_misses = self.cache_misses.labels(cache="guard")

    def exposition(self) -> bytes:
        """Return every metric in the Prometheus text format."""
        return generate_latest(self.registry)
