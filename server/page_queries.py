"""The pages' own queries (VoID counts, entity pages), run on the backend like any other.

They go through the same backend, deadline and caps as the endpoint's queries, so the pages
work over every backend.
"""

from __future__ import annotations

import pyoxigraph

from server.backends.execution import QueryJob, QueryResult
from server.state import get_state

#: Wire formats of the pages' own queries
_RESULTS_MEDIA_TYPE = "application/sparql-results+json"
_GRAPH_MEDIA_TYPE = "application/n-triples"


def page_query(query: str, media_type: str) -> QueryResult:
    """Run one of our own queries under the app's deadline and caps."""
    state = get_state()
    settings = state.settings
    job = QueryJob(
        query=query,
        media_type=media_type,
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_result_bytes,
    )
    return state.backend.execute(
        job, timeout_s=settings.query_timeout_s, queue_timeout_s=settings.queue_timeout_s
    )


def select(query: str) -> pyoxigraph.QuerySolutions:
    """Run a SELECT query of ours on the backend and return its rows."""
    body = page_query(query, _RESULTS_MEDIA_TYPE).body
    solutions = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TypeError(f"expected a SELECT query, got {query!r}")
    return solutions


def ask(query: str) -> bool:
    """Run an ASK query of ours on the backend."""
    body = page_query(query, _RESULTS_MEDIA_TYPE).body
    answer = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    if not isinstance(answer, pyoxigraph.QueryBoolean):
        raise TypeError(f"expected an ASK query, got {query!r}")
    return bool(answer)


def construct(query: str) -> pyoxigraph.Store:
    """Run a CONSTRUCT query of ours; return its triples as a small in-memory store."""
    body = page_query(query, _GRAPH_MEDIA_TYPE).body
    store = pyoxigraph.Store()
    store.load(body, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store
