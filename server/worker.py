"""A query worker process: ``python -m server.worker MEMORY_LIMIT_BYTES``.

Protocol over stdin/stdout (``multiprocessing.connection`` framing): the parent first sends
the dataset as N-Quads bytes; the worker answers ``"ready"``, then reads :class:`QueryJob`
objects and answers each with a :class:`QueryResult` or ``(error class name, message)``.
A separate interpreter (not ``multiprocessing``'s spawn) keeps it independent of the host
program's ``__main__``.
"""

from __future__ import annotations

import os
import resource
import sys
from multiprocessing.connection import Connection

import pyoxigraph

from server.engine import answer_job


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space (0: no cap)."""
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def open_pipes() -> tuple[Connection, Connection]:
    """Take over stdin/stdout for the protocol; stray prints go to stderr instead."""
    receiver = Connection(os.dup(sys.stdin.fileno()), writable=False)
    sender = Connection(os.dup(sys.stdout.fileno()), readable=False)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return receiver, sender


def serve_jobs(receiver: Connection, sender: Connection, memory_limit: int) -> None:
    """Load the dataset, report ready, then answer jobs until the parent closes the pipe."""
    store = pyoxigraph.Store()
    store.load(receiver.recv_bytes(), format=pyoxigraph.RdfFormat.N_QUADS)
    limit_memory(memory_limit)
    sender.send("ready")
    while True:
        try:
            job = receiver.recv()
        except EOFError:
            return
        sender.send(answer_job(store, job))


def main() -> None:
    """Entry point of the worker process."""
    receiver, sender = open_pipes()
    serve_jobs(receiver, sender, int(sys.argv[1]))


if __name__ == "__main__":
    main()
