"""Reference: rdflib-endpoint (FastAPI + rdflib) serving ``$BENCH_GRAPH`` at /sparql (uvicorn)."""

from __future__ import annotations

import os

import rdflib
from rdflib_endpoint import SparqlEndpoint

graph = rdflib.Graph()
graph.parse(os.environ["BENCH_GRAPH"], format="nt")
app = SparqlEndpoint(
    graph=graph, path="/sparql", title="rdflib-endpoint reference", cors_enabled=False
)
