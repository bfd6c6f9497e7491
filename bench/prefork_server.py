"""A design prototype measured by bench/cold_path.py: several web processes on one port.

    .venv/bin/python -m bench.prefork_server GRAPH PORT PROCESSES [inprocess]

The parent binds the listening socket and forks ``PROCESSES`` children before any app exists;
each child creates its own app (settings from ``RANKL_KG_*``, its own query workers, caches and
throttle) and serves the inherited socket with waitress, so the kernel spreads connections
over the children and no single GIL serializes the HTTP, guard and serialisation work. The
parent waits and stops the children on SIGTERM. A prototype for measurement only: the
per-client budgets are per child here (a client gets PROCESSES times its budget).

With ``inprocess`` the parent also loads the graph into one pyoxigraph store before forking
(the children share it copy-on-write) and each child answers queries in the request's own
thread, with no worker process: the ceiling of a design whose deadline and memory limit are
kept by a watchdog that replaces the process (not implemented here: no deadline, no memory
limit, so it only measures what such a design could reach).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from functools import partial
from pathlib import Path

import pyoxigraph
import waitress

from server import create_app
from server.backends.execution import QueryJob, QueryResult, execute_query
from server.backends.oxigraph_store import load_graph
from server.state import ServerState
from server.wsgi import build_app


def in_process(
    store: pyoxigraph.Store, job: QueryJob, timeout_s: float, queue_timeout_s: float
) -> QueryResult:
    """Answer ``job`` in the calling thread (no deadline: the prototype's ceiling)."""
    return execute_query(store, job)


def serve_child(graph: Path, listener: socket.socket, store: pyoxigraph.Store | None) -> None:
    """Create an app and serve ``listener`` until killed."""
    if store is None:
        app = build_app(graph)
    else:
        app = create_app({"GRAPH_PATH": graph})  # its workers never start: never asked
        setattr(ServerState.of(app).backend, "execute", partial(in_process, store))  # noqa: B010
    settings = ServerState.of(app).settings
    try:
        waitress.serve(
            app,
            sockets=[listener],
            threads=settings.server_threads,
            connection_limit=settings.server_connection_limit,
            channel_timeout=settings.server_channel_timeout_s,
            max_request_body_size=settings.max_content_length,
            max_request_header_size=settings.max_header_bytes + settings.max_url_chars,
            ident="rankl-kg",
            _quiet=True,
        )
    finally:
        ServerState.of(app).backend.stop()


def main() -> None:
    graph, port, processes = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    store = load_graph(graph).store if sys.argv[4:] == ["inprocess"] else None
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1024)
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            serve_child(graph, listener, store)
            os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    for child in children:
        os.waitpid(child, 0)


if __name__ == "__main__":
    main()
