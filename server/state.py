"""The state of one app: everything made once at start and shared by every request.

:func:`server.create_app` builds one :class:`ServerState` and stores it under
:data:`EXTENSION_KEY`; modules read it with :func:`get_state` (in a request or app context) or
:meth:`ServerState.of` (given the app), never through ``app.extensions`` themselves.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from flask import Flask, current_app
from rdflib import Graph

from server.backends import Backend
from server.cache import FormatCache, GuardCache, ResultCache
from server.clients import TrustedProxies
from server.config import Settings
from server.guard import GuardLimits
from server.metrics import EndpointMetrics
from server.throttle import ClientBudget, ClientThrottle, Throttle

#: Key of the :class:`ServerState` in ``app.extensions`` (read only by this module)
EXTENSION_KEY = "rankl_kg"


@dataclass(frozen=True)
class QueryCaches:
    """The endpoint's caches: serialized results, guard analyses, negotiated formats."""

    results: ResultCache
    guard: GuardCache
    formats: FormatCache

    @classmethod
    def create(cls, settings: Settings, metrics: EndpointMetrics) -> QueryCaches:
        """Make the caches with their budgets; each sets its size gauge when it stores an entry
        (a gauge read at scrape time would show only the scraped web process's cache)."""
        return cls(
            results=ResultCache(
                settings.result_cache_bytes,
                settings.result_cache_max_entry_fraction,
                on_resize=metrics.cache_bytes.labels(cache="result").set,
            ),
            guard=GuardCache(
                settings.guard_cache_bytes,
                hits=metrics.guard_cache_hits,
                misses=metrics.guard_cache_misses,
                on_resize=metrics.cache_bytes.labels(cache="guard").set,
            ),
            formats=FormatCache(),
        )


T = TypeVar("T")


class Lazy(Generic[T]):
    """A value built by the first request that needs it, once, whatever the threads.

    What runs queries through the backend (VoID counts, the search catalogue) is built on first
    use, not at start, which keeps the start of a large on-disk store fast.
    """

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The value (built now if this is the first call)."""
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value


class ServiceInfo:
    """The example queries, and the VoID description, computed when first asked for."""

    def __init__(
        self, examples: Graph, example_count: int, build_void: Callable[[], Graph]
    ) -> None:
        self.examples = examples
        self.example_count = example_count
        self._void = Lazy(build_void)

    @property
    def void(self) -> Graph:
        """The VoID description of the dataset and its dumps."""
        return self._void.get()


@dataclass(frozen=True)
class ServerState:
    """Settings, backend, caches, per-client throttle, metrics and release of one app."""

    settings: Settings
    #: The verified release folder of the served graph (holds the downloadable files)
    release_dir: Path
    backend: Backend
    metrics: EndpointMetrics
    caches: QueryCaches
    #: The per-client budgets: kept in this process, or shared by several web processes
    throttle: Throttle
    guard_limits: GuardLimits
    service: ServiceInfo
    #: Who the client of a request is (the key of its budgets), behind ``TRUSTED_PROXIES``
    proxies: TrustedProxies
    #: What search and the browse pages read (:class:`server.pages.catalogue.Catalogue`); typed
    #: ``object`` here so the state does not import the pages, which import the state
    catalogue: Lazy[object]

    @staticmethod
    def throttle_for(settings: Settings) -> ClientThrottle:
        """The per-client budgets of ``settings``."""
        return ClientThrottle(
            ClientBudget(
                max_concurrent=settings.client_max_concurrent,
                query_seconds_per_minute=settings.client_query_seconds_per_minute,
                errors_per_minute=settings.client_errors_per_minute,
            )
        )

    @staticmethod
    def guard_limits_for(settings: Settings) -> GuardLimits:
        """The query guard's limits of ``settings``."""
        return GuardLimits(settings.max_query_chars, settings.max_nesting)

    def attach(self, app: Flask) -> None:
        """Make this the state of ``app`` (once, in ``create_app``)."""
        if EXTENSION_KEY in app.extensions:
            raise RuntimeError("the app already has a server state")
        app.extensions[EXTENSION_KEY] = self

    def share_throttle(self, app: Flask, throttle: Throttle) -> None:
        """Make ``throttle`` the budgets of ``app`` (a forked web process, whose budgets all web
        processes share: see :mod:`server.shared_throttle`)."""
        app.extensions[EXTENSION_KEY] = dataclasses.replace(self, throttle=throttle)

    @classmethod
    def of(cls, app: Flask) -> ServerState:
        """Return the state of ``app``."""
        state = app.extensions[EXTENSION_KEY]
        if not isinstance(state, cls):
            raise TypeError(f"app.extensions[{EXTENSION_KEY!r}] is no ServerState")
        return state


def get_state() -> ServerState:
    """Return the state of the current app (needs an app or request context)."""
    return ServerState.of(current_app)
