"""One set of per-client budgets for every web process (``WEB_PROCESSES`` > 1).

The supervisor (:mod:`server.prefork`) keeps the only :class:`~server.throttle.ClientThrottle`;
each web process holds a :class:`RemoteThrottle` that asks it over a private socket pair made
before the fork. So a client has one budget whichever process takes its connections, and the
budgets keep exactly the semantics (and tests) of the single-process throttle. A query costs one
round trip (``enter``) and one message without an answer (``leave``); a cache hit one round trip
(``check``).

Messages are pickled tuples: ``("enter", client)`` and ``("check", client)`` are answered with
``None`` (admitted) or ``(message, retry_after)``; ``("leave", client, seconds, failed)`` and
``("ready",)`` (the web process is serving) are not answered.
"""

from __future__ import annotations

import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from server.throttle import ClientBudget, ClientThrottle, Throttle, TooManyRequestsError

#: What a refusal travels as: the message and the ``Retry-After`` value
Refusal = tuple[str, str]


class RemoteThrottle(Throttle):
    """The budgets kept by the supervisor, asked over ``connection`` (thread-safe)."""

    def __init__(self, budget: ClientBudget, connection: Connection) -> None:
        self.budget = budget
        self._clock = time.monotonic
        self._connection = connection
        self._lock = threading.Lock()

    def enter(self, client: str) -> None:
        """Take one of ``client``'s query slots (429 over a budget)."""
        self._ask(("enter", client))

    def check(self, client: str) -> None:
        """Refuse ``client`` if it is over a budget (cache hits)."""
        self._ask(("check", client))

    def leave(self, client: str, seconds: float, failed: bool) -> None:
        """Give the slot back and record the query's time (no answer awaited)."""
        with self._lock:
            self._connection.send(("leave", client, seconds, failed))

    def report_ready(self) -> None:
        """Tell the supervisor that this web process serves."""
        with self._lock:
            self._connection.send(("ready",))

    def _ask(self, message: tuple[str, str]) -> None:
        with self._lock:
            self._connection.send(message)
            refusal: Refusal | None = self._connection.recv()
        if refusal is not None:
            text, retry_after = refusal
            raise TooManyRequestsError(text, headers={"Retry-After": retry_after})


def answer(throttle: ClientThrottle, message: tuple[Any, ...]) -> tuple[bool, Refusal | None]:
    """Apply one message of a web process to ``throttle``.

    :returns: whether the message wants an answer, and the answer
    """
    kind = message[0]
    if kind == "leave":
        _, client, seconds, failed = message
        throttle.leave(client, seconds, failed)
        return False, None
    if kind not in ("enter", "check"):
        return False, None
    try:
        throttle.enter(message[1]) if kind == "enter" else throttle.check(message[1])
    except TooManyRequestsError as refused:
        return True, (refused.message, refused.headers["Retry-After"])
    return True, None
