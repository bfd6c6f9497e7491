"""Per-client fairness (docs/security.md T13, the WDQS model): concurrency, time and error budgets.

A client (its remote address) may run ``max_concurrent`` queries at once, spend
``query_seconds_per_minute`` of query time and cause ``errors_per_minute`` expensive failures
(422 result caps, 503 timeouts, 500 execution failures) in any sliding minute. Over any of
them it gets 429 with ``Retry-After``. Cheap refusals (400, 403, 413 …) are answered before a
worker is used and do not count.

Answers from the result cache use no worker and next to no time, so :meth:`ClientThrottle.check`
admits them without counting anything: no slot, no query seconds. A client that is over a
budget is still refused, hits included, so one rule holds for a refused client ("wait until
Retry-After"), whatever it asks.
"""

from __future__ import annotations

import math
import threading
import time
from abc import ABC, abstractmethod
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from server.errors import EndpointError

#: The window of the time and error budgets
WINDOW_S = 60.0
#: Above this many tracked clients, clients with nothing left in the window are dropped
SWEEP_ABOVE_CLIENTS = 4096


class TooManyRequestsError(EndpointError):
    """The client is over one of its budgets."""

    status = 429


@dataclass(frozen=True)
class ClientBudget:
    """What one client may use (from the app configuration)."""

    max_concurrent: int
    query_seconds_per_minute: float
    errors_per_minute: int


@dataclass(frozen=True)
class Usage:
    """What a client is using now: its running queries, and within the window its query
    seconds and expensive failures. When the oldest of each happened is asked only of a client
    that is refused (``Retry-After``), so those are functions."""

    running: int
    spent_seconds: float
    first_spent_at: Callable[[], float]
    failures: int
    first_failure_at: Callable[[], float]


@dataclass
class _ClientUsage:
    running: int = 0
    #: (finished at, seconds spent) of recent queries
    spent: deque[tuple[float, float]] = field(default_factory=deque)
    #: The sum of the seconds in ``spent``, kept so that admitting a query is O(1)
    spent_seconds: float = 0.0
    #: when recent expensive failures happened
    failures: deque[float] = field(default_factory=deque)

    def forget_before(self, cutoff: float) -> None:
        while self.spent and self.spent[0][0] < cutoff:
            self.spent_seconds -= self.spent.popleft()[1]
        if not self.spent:
            self.spent_seconds = 0.0  # no float drift survives an empty window
        while self.failures and self.failures[0] < cutoff:
            self.failures.popleft()

    def is_idle(self) -> bool:
        return self.running == 0 and not self.spent and not self.failures

    def as_usage(self, now: float) -> Usage:
        """The usage as :func:`over_budget` reads it (``forget_before`` done)."""
        return Usage(
            running=self.running,
            spent_seconds=self.spent_seconds,
            first_spent_at=lambda: self.spent[0][0] if self.spent else now,
            failures=len(self.failures),
            first_failure_at=lambda: self.failures[0] if self.failures else now,
        )


def over_budget(budget: ClientBudget, usage: Usage, now: float) -> TooManyRequestsError | None:
    """The 429 (message and ``Retry-After``) of a client over a budget, or ``None``."""
    if usage.running >= budget.max_concurrent:
        message = f"Too many concurrent queries (limit {budget.max_concurrent} per client)"
        wait = 1.0
    elif usage.spent_seconds >= budget.query_seconds_per_minute:
        message = f"Query time budget used up ({budget.query_seconds_per_minute:g} s per minute)"
        wait = usage.first_spent_at() + WINDOW_S - now
    elif usage.failures >= budget.errors_per_minute:
        message = (
            f"Too many failed queries ({budget.errors_per_minute} per minute); "
            "add LIMIT or simplify the query"
        )
        wait = usage.first_failure_at() + WINDOW_S - now
    else:
        return None
    return TooManyRequestsError(message, headers={"Retry-After": str(max(1, math.ceil(wait)))})


class Throttle(ABC):
    """The per-client budgets as the endpoint uses them: :meth:`admit` around a query,
    :meth:`check` for a cache hit. :class:`ClientThrottle` keeps them in this process;
    :class:`server.shared_throttle.SharedThrottle` keeps them in memory shared by every web
    process."""

    budget: ClientBudget
    #: Measures the query time recorded by :meth:`admit` (tests pass a fake one)
    _clock: Callable[[], float]

    @contextmanager
    def admit(self, client: str) -> Iterator[None]:
        """Hold one of ``client``'s query slots while the body runs; record its time.

        :raises TooManyRequestsError: over a budget (429 with ``Retry-After``)
        """
        self.enter(client)
        started = self._clock()
        failed = False
        try:
            yield
        except EndpointError as error:
            failed = error.status >= 422
            raise
        finally:
            self.leave(client, self._clock() - started, failed)

    @abstractmethod
    def enter(self, client: str) -> None:
        """Take one of ``client``'s query slots.

        :raises TooManyRequestsError: over a budget (429 with ``Retry-After``)
        """

    @abstractmethod
    def leave(self, client: str, seconds: float, failed: bool) -> None:
        """Give the slot back; record ``seconds`` of query time and whether it failed."""

    @abstractmethod
    def check(self, client: str) -> None:
        """Refuse ``client`` if it is over a budget, without using any of it (cache hits).

        :raises TooManyRequestsError: over a budget (429 with ``Retry-After``)
        """


class ClientThrottle(Throttle):
    """Thread-safe budgets of every client seen in the last minute."""

    def __init__(self, budget: ClientBudget, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget = budget
        self._clock = clock
        self._lock = threading.Lock()
        self._usage: defaultdict[str, _ClientUsage] = defaultdict(_ClientUsage)

    def check(self, client: str) -> None:
        """Refuse ``client`` if it is over a budget, without using any of it (cache hits).

        :raises TooManyRequestsError: over a budget (429 with ``Retry-After``)
        """
        with self._lock:
            usage = self._usage.get(client)
            if usage is not None:
                self._refuse_if_over_budget(client, usage, self._clock())

    def enter(self, client: str) -> None:
        """Take one of ``client``'s query slots (429 over a budget)."""
        with self._lock:
            now = self._clock()
            if len(self._usage) > SWEEP_ABOVE_CLIENTS:
                self._sweep(now)
            usage = self._usage[client]
            self._refuse_if_over_budget(client, usage, now)
            usage.running += 1

    def _refuse_if_over_budget(self, client: str, usage: _ClientUsage, now: float) -> None:
        usage.forget_before(now - WINDOW_S)
        refused = over_budget(self.budget, usage.as_usage(now), now)
        if refused is None:
            return
        if usage.is_idle():
            del self._usage[client]
        raise refused

    def leave(self, client: str, seconds: float, failed: bool) -> None:
        """Give the slot back; record ``seconds`` of query time and whether it failed."""
        with self._lock:
            usage = self._usage[client]
            usage.running -= 1
            now = self._clock()
            usage.spent.append((now, seconds))
            usage.spent_seconds += seconds
            if failed:
                usage.failures.append(now)

    def _sweep(self, now: float) -> None:
        for client, usage in list(self._usage.items()):
            usage.forget_before(now - WINDOW_S)
            if usage.is_idle():
                del self._usage[client]
