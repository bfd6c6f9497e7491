"""Serve the app with waitress, the production WSGI server (``rankl-kg serve``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import waitress
from flask import Flask

from server import create_app
from server.state import ServerState

LOGGER = logging.getLogger(__name__)


def build_app(graph_path: Path, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Create the app for ``graph_path`` and start its backend (its query workers) before
    serving."""
    app = create_app({"GRAPH_PATH": graph_path, **(overrides or {})})
    ServerState.of(app).backend.start()
    return app


def serve(
    graph_path: Path, host: str, port: int, overrides: Mapping[str, Any] | None = None
) -> None:
    """Serve ``graph_path`` on ``host:port`` until interrupted; ``overrides`` are settings such
    as ``STORE_BACKEND`` and ``STORE_PATH`` (see :mod:`server.config`).

    Threads, connection limit and idle timeout come from the settings
    (``RANKL_KG_SERVER_*`` environment variables); the request body limit is
    ``MAX_CONTENT_LENGTH``.
    """
    app = build_app(graph_path, overrides)
    state = ServerState.of(app)
    settings = state.settings
    LOGGER.info(
        "serving %s (%s) on http://%s:%d/sparql", graph_path, state.backend.name, host, port
    )
    try:
        waitress.serve(
            app,
            host=host,
            port=port,
            threads=settings.server_threads,
            connection_limit=settings.server_connection_limit,
            channel_timeout=settings.server_channel_timeout_s,
            max_request_body_size=settings.max_content_length,
            max_request_header_size=settings.max_header_bytes + settings.max_url_chars,
            # waitress drops X-Forwarded-For unless its own single trusted_proxy sent it; with
            # TRUSTED_PROXIES the app reads the header itself, from trusted peers only
            # (server/clients.py), so waitress must pass it on
            clear_untrusted_proxy_headers=not settings.trusted_proxies,
            ident="rankl-kg",
        )
    finally:
        state.backend.stop()
