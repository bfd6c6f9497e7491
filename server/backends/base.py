"""The :class:`Backend` protocol: what the endpoint and the pages need from a store."""

from __future__ import annotations

from typing import Protocol

from server.backends.execution import QueryJob, QueryResult


class Backend(Protocol):
    """Where queries are answered; made by a factory of :data:`server.backends.BACKENDS`.

    Life cycle: the factory opens it (loads or checks the data: errors name the file), then
    :meth:`start` makes it ready for traffic (a server calls it before listening; without it,
    workers start on the first query), and :meth:`stop` releases it.
    """

    #: ``oxigraph``, ``oxigraph-disk``, ``rdflib`` or ``remote``
    name: str
    #: Identifies the served graph for caches and ETags (SHA-256 of the graph file locally)
    version: str
    #: IRIs of the named graphs besides the default graph (for the service description)
    named_graphs: tuple[str, ...]

    def start(self) -> None:
        """Get ready to answer at once (local backends start all their worker processes)."""
        ...

    def stop(self) -> None:
        """Release workers and connections."""
        ...

    def triple_count(self) -> int:
        """Quads in the dataset."""
        ...

    def execute(self, job: QueryJob, timeout_s: float, queue_timeout_s: float) -> QueryResult:
        """Answer ``job`` completely in ``job.media_type`` within ``timeout_s``.

        :raises server.errors.EndpointError: 400 malformed, 422 over a cap, 503 timeout/busy
        """
        ...

    def worker_pids(self) -> list[int]:
        """Process ids of the running worker processes (none for a remote endpoint)."""
        ...
