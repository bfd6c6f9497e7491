"""Fixtures of the endpoint tests: an app over a small graph, its client, a live server."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Self

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import URIRef
from waitress.server import TcpWSGIServer, create_server

from server import create_app
from server.state import ServerState
from tests.server.w3c import summarize, write_earl

DATA_DIR = Path(__file__).parent / "data"
#: A graph shaped like the build (genes, proteins, a drug, an assertion node, xrefs)
MINI_KG_PATH = DATA_DIR / "mini-kg.ttl"
#: SIB-style example queries
QUERIES_DIR = DATA_DIR / "queries"

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "GRAPH_PATH": MINI_KG_PATH,
    "QUERIES_DIR": QUERIES_DIR,
    "QUERY_WORKERS": 1,
}


def make_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Create an app over the mini graph with ``overrides``."""
    return create_app({**TEST_CONFIG, **(overrides or {})})


def close_workers(app: Flask) -> None:
    """Stop the query workers (or connections) of the backend of ``app``."""
    ServerState.of(app).backend.stop()


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """One app over the mini graph, shared by the fast tests (it is read-only)."""
    application = make_app()
    yield application
    close_workers(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the shared app."""
    return app.test_client()


class LiveServer:
    """A waitress server on 127.0.0.1 (random free port) running an app in a thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        if not isinstance(server, TcpWSGIServer):
            raise TypeError(f"expected one TCP server, got {type(server).__name__}")
        self.server = server
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def endpoint(self) -> str:
        """Return the URL of /sparql."""
        return f"http://127.0.0.1:{self.server.getsockname()[1]}/sparql"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.close()
        self.thread.join(timeout=5)
        close_workers(self.app)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """A live server over the mini graph (for real clients)."""
    with LiveServer(make_app()) as server:
        yield server


#: One-line summaries of the W3C runs, shown at the end of the pytest output
W3C_SUMMARIES = pytest.StashKey[list[str]]()


def record_summary(config: pytest.Config, line: str) -> None:
    """Keep ``line`` for the terminal summary."""
    config.stash.setdefault(W3C_SUMMARIES, []).append(line)


def collect_outcomes(config: pytest.Config, report_name: str) -> Iterator[dict[URIRef, URIRef]]:
    """Collect each test's EARL outcome; at the end write the report and keep its pass counts."""
    collected: dict[URIRef, URIRef] = {}
    yield collected
    if collected:
        path = write_earl(collected, report_name)
        record_summary(config, f"W3C {report_name} tests: {summarize(collected)} (EARL {path})")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the W3C pass counts and where the EARL reports are."""
    for line in config.stash.get(W3C_SUMMARIES, []):
        terminalreporter.write_line(line)


WEB_FIXTURE = DATA_DIR / "web-fixture.ttl"


@pytest.fixture(scope="module")
def web_app() -> Iterator[Flask]:
    """An app over the web fixture graph."""
    application = make_app({"GRAPH_PATH": WEB_FIXTURE})
    yield application
    close_workers(application)


@pytest.fixture
def web_client(web_app: Flask) -> FlaskClient:
    """A test client of the web fixture app."""
    return web_app.test_client()
