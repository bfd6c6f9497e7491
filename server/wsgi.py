"""Serve the app with waitress, the production WSGI server (``rankl-kg serve``).

With ``WEB_PROCESSES`` = 1 one process serves; above, :mod:`server.prefork` forks that many web
processes over one socket under a supervisor (docs/server/processes.md).
"""

from __future__ import annotations

import logging
import shutil
import socket
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import waitress
import waitress.server
from flask import Flask

from server import create_app
from server.config import Settings, load_settings
from server.fair_accept import ConnectionShare, ListeningServer
from server.metrics import share_between_processes
from server.prefork import Supervisor, bind_listener
from server.state import ServerState

LOGGER = logging.getLogger(__name__)


def build_app(graph_path: Path, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Create the app for ``graph_path`` and start its backend (its query workers) before
    serving."""
    app = create_app({"GRAPH_PATH": graph_path, **(overrides or {})})
    ServerState.of(app).backend.start()
    return app


def waitress_options(settings: Settings) -> dict[str, Any]:
    """waitress's threads, connection limit, idle timeout and request limits from ``settings``."""
    return {
        "threads": settings.server_threads,
        "connection_limit": settings.server_connection_limit,
        "channel_timeout": settings.server_channel_timeout_s,
        "max_request_body_size": settings.max_content_length,
        "max_request_header_size": settings.max_header_bytes + settings.max_url_chars,
        # waitress drops X-Forwarded-For unless its own single trusted_proxy sent it; with
        # TRUSTED_PROXIES the app reads the header itself, from trusted peers only
        # (server/clients.py), so waitress must pass it on
        "clear_untrusted_proxy_headers": not settings.trusted_proxies,
        "ident": "rankl-kg",
    }


def serve_socket(app: Flask, listener: socket.socket, share: ConnectionShare) -> None:
    """Serve ``app`` on an already listening socket (in a web process), accepting connections
    while this process holds the fewest (``share``)."""
    options = waitress_options(ServerState.of(app).settings)
    server = waitress.server.create_server(app, sockets=[listener], **options)
    if not isinstance(server, waitress.server.BaseWSGIServer):  # one socket gives one server
        raise TypeError(f"waitress made a {type(server).__name__} for one socket")
    # waitress annotates active_channels as one channel; it is a dict of them
    share.govern(cast(ListeningServer, server))
    server.run()


def serve(
    graph_path: Path, host: str, port: int, overrides: Mapping[str, Any] | None = None
) -> None:
    """Serve ``graph_path`` on ``host:port`` until interrupted; ``overrides`` are settings such
    as ``STORE_BACKEND`` and ``STORE_PATH`` (see :mod:`server.config`).

    Processes, threads, connection limit and idle timeout come from the settings
    (``RANKL_KG_WEB_PROCESSES``, ``RANKL_KG_SERVER_*``); the request body limit is
    ``MAX_CONTENT_LENGTH``.
    """
    settings, _ = load_settings({"GRAPH_PATH": graph_path, **(overrides or {})})
    if settings.web_process_count > 1:
        serve_forked(graph_path, host, port, settings, overrides)
        return
    app = build_app(graph_path, overrides)
    state = ServerState.of(app)
    LOGGER.info(
        "serving %s (%s) on http://%s:%d/sparql", graph_path, state.backend.name, host, port
    )
    try:
        waitress.serve(app, host=host, port=port, **waitress_options(state.settings))
    finally:
        state.backend.stop()


def serve_forked(
    graph_path: Path,
    host: str,
    port: int,
    settings: Settings,
    overrides: Mapping[str, Any] | None,
) -> None:
    """Bind, create the app once, then fork ``WEB_PROCESSES`` web processes that share it
    copy-on-write, each with its share of ``QUERY_WORKERS`` (see :mod:`server.prefork`)."""
    count = settings.web_process_count
    listener = bind_listener(host, port)
    metrics_dir = Path(tempfile.mkdtemp(prefix="rankl-kg-metrics-"))
    try:
        share_between_processes(metrics_dir)
        per_process = {"QUERY_WORKERS": settings.workers_per_web_process}
        app = create_app({"GRAPH_PATH": graph_path, **(overrides or {}), **per_process})
        LOGGER.info(
            "serving %s on http://%s:%d/sparql with %d web processes x %d query workers",
            graph_path,
            host,
            port,
            count,
            settings.workers_per_web_process,
        )
        Supervisor(app, listener, serve_socket, count).run()
    finally:
        listener.close()
        shutil.rmtree(metrics_dir, ignore_errors=True)
