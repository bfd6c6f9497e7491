"""Serve the app with waitress, the production WSGI server (``rankl-kg serve``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import waitress
from flask import Flask

from server import create_app
from server.backends import get_backend
from server.backends.local import WorkerBackend

LOGGER = logging.getLogger(__name__)


def build_app(graph_path: Path, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Create the app for ``graph_path`` and start its query workers (if the backend has
    any) before serving."""
    app = create_app({"GRAPH_PATH": graph_path, **(overrides or {})})
    with app.app_context():
        backend = get_backend()
    if isinstance(backend, WorkerBackend):
        backend.pool.start_all(int(app.config["QUERY_WORKERS"]))
    return app


def serve(
    graph_path: Path, host: str, port: int, overrides: Mapping[str, Any] | None = None
) -> None:
    """Serve ``graph_path`` on ``host:port`` until interrupted; ``overrides`` are settings such
    as ``STORE_BACKEND`` and ``STORE_PATH`` (see :mod:`server.config`).

    Threads, connection limit and idle timeout come from the app configuration
    (``RANKL_KG_SERVER_*`` environment variables); the request body limit is Flask's
    ``MAX_CONTENT_LENGTH``.
    """
    app = build_app(graph_path, overrides)
    with app.app_context():
        backend_name = get_backend().name
    LOGGER.info("serving %s (%s) on http://%s:%d/sparql", graph_path, backend_name, host, port)
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=int(app.config["SERVER_THREADS"]),
        connection_limit=int(app.config["SERVER_CONNECTION_LIMIT"]),
        channel_timeout=int(app.config["SERVER_CHANNEL_TIMEOUT_S"]),
        max_request_body_size=int(app.config["MAX_CONTENT_LENGTH"]),
        max_request_header_size=int(app.config["MAX_HEADER_BYTES"])
        + int(app.config["MAX_URL_CHARS"]),
        ident="rankl-kg",
    )
