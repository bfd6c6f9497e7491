"""What the backend battery shares: the backends (each as an app over a graph file) and how to
ask them.

``tests/server/test_backends.py`` runs the protocol behaviours over the fixture release and
``tests/content/test_backends_answers.py`` the competency answers over the real build, both on
every backend of ``BACKENDS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bench.endpoints import VIRTUOSO_GRAPH, start_virtuoso, virtuoso_available
from tests.server.conftest import LiveServer, close_workers, make_app

#: Wide per-client budgets: the battery is one client sending many queries
BATTERY_SETTINGS: dict[str, Any] = {
    "CLIENT_QUERY_SECONDS_PER_MINUTE": 100_000.0,
    "CLIENT_ERRORS_PER_MINUTE": 100_000,
    "CLIENT_MAX_CONCURRENT": 16,
    #: rdflib's two known slow queries are killed at it, so keep it short
    "QUERY_TIMEOUT_S": 10.0,
}
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
ACCEPT = f"{JSON_RESULTS}, {NTRIPLES}"
LIVE_SERVER_TIMEOUT_S = 3.0
#: How much of Virtuoso's memory the test instance may use (8 KB buffers)
VIRTUOSO_BUFFERS = 20_000

#: The backends of the battery; the remote and Virtuoso ones start real servers on 127.0.0.1
BACKENDS = [
    pytest.param("oxigraph-memory"),
    pytest.param("oxigraph-disk"),
    pytest.param("rdflib"),
    pytest.param("remote", marks=pytest.mark.integration),
    pytest.param("virtuoso", marks=pytest.mark.integration),
]


def remote_app(url: str, extra: dict[str, Any] | None = None) -> Flask:
    """An app whose queries go to the SPARQL endpoint at ``url``."""
    settings = {"STORE_BACKEND": "remote", "REMOTE_ENDPOINT_URL": url, **BATTERY_SETTINGS}
    return make_app({**settings, **(extra or {})})


@contextmanager
def backend_app_over(
    name: str, graph_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An app serving ``graph_file`` on the backend ``name`` (one of ``BACKENDS``), stopped on
    exit; skips the test if Virtuoso is not installed."""
    local = {"GRAPH_PATH": graph_file, **BATTERY_SETTINGS}
    if name == "remote":
        served = make_app({**local, "QUERY_WORKERS": 2, "QUERY_TIMEOUT_S": LIVE_SERVER_TIMEOUT_S})
        try:
            with LiveServer(served) as live:
                app = remote_app(live.endpoint)
                yield app
                close_workers(app)
        finally:
            close_workers(served)
        return
    if name == "virtuoso":
        if not virtuoso_available():
            pytest.skip("virtuoso-t/isql-vt not installed (scripts/install-system-deps.sh)")
        directory = tmp_path_factory.mktemp("virtuoso")
        endpoint, _ = start_virtuoso(graph_file, directory, VIRTUOSO_BUFFERS)
        try:
            app = remote_app(endpoint.url, {"REMOTE_DEFAULT_GRAPH_URI": VIRTUOSO_GRAPH})
            yield app
            close_workers(app)
        finally:
            endpoint.stop()
        return
    settings = {
        "oxigraph-memory": {},
        "oxigraph-disk": {"STORE_PATH": str(tmp_path_factory.mktemp("store") / "oxigraph")},
        "rdflib": {"STORE_BACKEND": "rdflib"},
    }[name]
    app = make_app({**local, **settings})
    yield app
    close_workers(app)


def ask_endpoint(client: FlaskClient, query: str, accept: str = ACCEPT) -> Any:
    """POST ``query`` to /sparql as a form."""
    return client.post("/sparql", data={"query": query}, headers={"Accept": accept})
