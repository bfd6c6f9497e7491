"""Store backends: where the endpoint's queries are answered, behind one small interface.

- ``oxigraph`` (default): pyoxigraph in worker processes, over an in-memory copy of the graph
  or, with ``STORE_PATH``, a persistent on-disk store the workers open read-only;
- ``rdflib``: the reference engine (rdflib ``Dataset``) in the same killable workers;
- ``remote``: any SPARQL 1.1 endpoint by URL (``REMOTE_ENDPOINT_URL``: Virtuoso, Fuseki,
  QLever, GraphDB), its answers re-serialized by pyoxigraph.

Every backend is a :class:`~server.backends.base.Backend`: it returns complete results in the
negotiated media type under the same row and byte caps and raises the same
:mod:`server.errors` classes; the query guard runs before any of them.

Modules, from the bottom up: :mod:`.execution` (store + job -> result, no processes),
:mod:`.worker` (the worker process), :mod:`.workers` (the pool that starts and kills them),
:mod:`.oxigraph_store` (graph files into pyoxigraph stores), :mod:`.rdflib_engine`,
:mod:`.local` and :mod:`.remote` (the backends), :mod:`.base` (the protocol).
"""

from __future__ import annotations

from collections.abc import Callable

from server.backends.base import Backend
from server.backends.local import open_oxigraph_backend, open_rdflib_backend
from server.backends.remote import open_remote_backend
from server.config import Settings

__all__ = ["BACKENDS", "Backend", "open_backend"]

#: ``STORE_BACKEND`` value -> the factory that opens that backend
BACKENDS: dict[str, Callable[[Settings], Backend]] = {
    "oxigraph": open_oxigraph_backend,
    "rdflib": open_rdflib_backend,
    "remote": open_remote_backend,
}


def open_backend(settings: Settings) -> Backend:
    """Open the backend named by ``STORE_BACKEND`` (not started: see :meth:`Backend.start`)."""
    return BACKENDS[settings.store_backend](settings)
