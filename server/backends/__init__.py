"""Store backends: where the endpoint's queries are answered, behind one small interface.

- ``oxigraph`` (default): pyoxigraph in worker processes, over an in-memory copy of the graph
  or, with ``STORE_PATH``, a persistent on-disk store the workers open read-only;
- ``rdflib``: the reference engine (rdflib ``Dataset``) in the same killable workers;
- ``remote``: any SPARQL 1.1 endpoint by URL (``REMOTE_ENDPOINT_URL``: Virtuoso, Fuseki,
  QLever, GraphDB), its answers re-serialized by pyoxigraph.

Every backend returns complete results in the negotiated media type under the same row and
byte caps and raises the same :mod:`server.errors` classes; the query guard runs before any of
them. The pages run their own queries through :func:`select`, :func:`ask` and
:func:`construct`, so they work over every backend.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pyoxigraph
from flask import Flask, current_app

from server.engine import QueryJob, QueryResult

#: Key of the :class:`Backend` in ``app.extensions``
EXTENSION_KEY = "rankl_kg_backend"
#: Wire formats of the pages' own queries
_RESULTS_MEDIA_TYPE = "application/sparql-results+json"
_GRAPH_MEDIA_TYPE = "application/n-triples"


class Backend(Protocol):
    """What the endpoint and the pages need from a store."""

    #: ``oxigraph``, ``oxigraph-disk``, ``rdflib`` or ``remote``
    name: str
    #: Identifies the served graph for caches and ETags (SHA-256 of the graph file locally)
    version: str
    #: IRIs of the named graphs besides the default graph (for the service description)
    named_graphs: tuple[str, ...]

    def triple_count(self) -> int:
        """Quads in the dataset."""
        ...

    def execute(self, job: QueryJob, timeout_s: float, queue_timeout_s: float) -> QueryResult:
        """Answer ``job`` completely in ``job.media_type`` within ``timeout_s``.

        :raises server.errors.EndpointError: 400 malformed, 422 over a cap, 503 timeout/busy
        """
        ...

    def close(self) -> None:
        """Release workers and connections."""
        ...


def open_backend(config: Mapping[str, Any]) -> Backend:
    """Open the backend named by ``STORE_BACKEND`` (settings already checked)."""
    # imported here: each backend module imports only what its engine needs
    from server.backends.local import open_oxigraph_backend, open_rdflib_backend
    from server.backends.remote import open_remote_backend

    name = config["STORE_BACKEND"]
    if name == "remote":
        return open_remote_backend(config)
    if name == "rdflib":
        return open_rdflib_backend(config)
    return open_oxigraph_backend(config)


def init_app(app: Flask) -> Backend:
    """Open the configured backend and keep it in ``app.extensions``."""
    backend = open_backend(app.config)
    app.extensions[EXTENSION_KEY] = backend
    return backend


def get_backend() -> Backend:
    """Return the backend of the current app (needs an app context)."""
    backend: Backend = current_app.extensions[EXTENSION_KEY]
    return backend


def page_query(query: str, media_type: str) -> QueryResult:
    """Run one of our own queries under the app's deadline and caps."""
    config = current_app.config
    job = QueryJob(
        query=query,
        media_type=media_type,
        max_rows=int(config["MAX_RESULT_ROWS"]),
        max_bytes=int(config["MAX_RESULT_BYTES"]),
    )
    return get_backend().execute(
        job,
        timeout_s=float(config["QUERY_TIMEOUT_S"]),
        queue_timeout_s=float(config["QUEUE_TIMEOUT_S"]),
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
