"""Caches of the query endpoint: guard analyses and serialized results, both bounded in bytes.

Both are least-recently-used maps with a byte budget rather than an entry count, so that a
client sending many large distinct queries cannot grow the web process (docs/security.md §4: a
cache must not become a memory DoS). A budget of 0 turns a cache off.

The result cache is keyed by everything that decides the bytes of an answer: the graph version
(a new build never serves an old result), the query text as the guard returns it, the
negotiated media type, the protocol dataset and the base IRI. Only complete successful results
are stored; errors never are.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from server.guard import CheckedQuery, GuardLimits, check_query
from server.negotiation import QueryForm, ResultFormat, formats_for, pick_format

#: Bytes counted per entry on top of its payload (key tuple, dataclass, dict slot, links)
ENTRY_OVERHEAD_BYTES = 512
#: Budget of the negotiation cache (a few thousand distinct Accept headers)
FORMAT_CACHE_BYTES = 1024**2

KeyT = TypeVar("KeyT", bound=Hashable)
ValueT = TypeVar("ValueT")


class Tally(Protocol):
    """Something that counts (a Prometheus counter child)."""

    def inc(self, amount: float = 1) -> None:
        """Add ``amount``."""


class ByteBoundedLRU(Generic[KeyT, ValueT]):
    """A thread-safe LRU map whose entries together stay under ``max_bytes``.

    ``size_of`` gives an entry's cost; an entry costing more than ``max_entry_bytes`` is not
    stored (one huge result would otherwise evict many small ones). Putting an entry evicts
    the least recently used ones until the total fits again.
    """

    def __init__(
        self,
        max_bytes: int,
        max_entry_bytes: int,
        size_of: Callable[[KeyT, ValueT], int],
        on_resize: Callable[[int], None] | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._size_of = size_of
        #: Told the new total after every store (a size gauge)
        self._on_resize = on_resize
        self._entries: OrderedDict[KeyT, tuple[ValueT, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def bytes_used(self) -> int:
        """Return the summed cost of the stored entries."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: KeyT) -> ValueT | None:
        """Return the value stored under ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: KeyT, value: ValueT) -> bool:
        """Store ``value`` under ``key`` unless it costs more than ``max_entry_bytes``.

        :returns: whether the value was stored
        """
        size = self._size_of(key, value)
        if size > self.max_entry_bytes:
            return False
        with self._lock:
            replaced = self._entries.pop(key, None)
            if replaced is not None:
                self._bytes -= replaced[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, evicted_size) = self._entries.popitem(last=False)
                self._bytes -= evicted_size
            total = self._bytes
        if self._on_resize is not None:
            self._on_resize(total)
        return True


@dataclass(frozen=True)
class ResultKey:
    """What decides the bytes of a result (the key of the result cache)."""

    graph_version: str
    query: str
    media_type: str
    default_graph_uris: tuple[str, ...] | None
    named_graph_uris: tuple[str, ...] | None
    base_iri: str | None


@dataclass(frozen=True)
class CachedResult:
    """A serialized result with its entity tag (unquoted)."""

    body: bytes
    media_type: str
    etag: str


def make_etag(graph_version: str, media_type: str, body: bytes) -> str:
    """Return a strong entity tag: a hash of the graph version, media type and body.

    Derived from the body, not from the cache key: one key does not always give the same
    bytes (blank-node labels differ between worker stores; NOW() and RAND() differ per run),
    and a strong validator must only match byte-identical representations, or a 304 could
    confirm a body the client does not have. The graph version is hashed in so that every
    new build changes every tag, even where a result's bytes stay the same. The cost is one
    hash per executed query; cache hits reuse the stored tag.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(graph_version.encode())
    digest.update(b"\0" + media_type.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def result_entry_size(key: ResultKey, result: CachedResult) -> int:
    """Return the bytes a cached result holds: body, query text, dataset IRIs, overhead."""
    iris = (key.default_graph_uris or ()) + (key.named_graph_uris or ())
    return (
        len(result.body)
        + sys.getsizeof(key.query)
        + sum(sys.getsizeof(iri) for iri in iris)
        + ENTRY_OVERHEAD_BYTES
    )


class ResultCache(ByteBoundedLRU[ResultKey, CachedResult]):
    """Serialized results by :class:`ResultKey`."""

    def __init__(
        self,
        max_bytes: int,
        max_entry_fraction: float,
        on_resize: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(
            max_bytes, int(max_bytes * max_entry_fraction), result_entry_size, on_resize
        )


#: Key of the guard cache: query text, limits, whether a protocol dataset was given
CheckKey = tuple[str, GuardLimits, bool]


def checked_entry_size(key: CheckKey, checked: CheckedQuery) -> int:
    """Return the bytes a guard analysis holds (its text is the key's text, counted once)."""
    return sys.getsizeof(key[0]) + ENTRY_OVERHEAD_BYTES


class GuardCache:
    """The guard's analysis of each recent query, so a repeated query is not lexed again.

    Refusals are not stored: the guard raises for them, and a repeated bad query is checked
    again (it is cheap, and caching errors could only hide a changed limit).
    """

    def __init__(
        self,
        max_bytes: int,
        hits: Tally,
        misses: Tally,
        on_resize: Callable[[int], None] | None = None,
    ) -> None:
        self.entries: ByteBoundedLRU[CheckKey, CheckedQuery] = ByteBoundedLRU(
            max_bytes, max_bytes, checked_entry_size, on_resize
        )
        self._hits = hits
        self._misses = misses

    def check(self, query: str, limits: GuardLimits, dataset_from_protocol: bool) -> CheckedQuery:
        """Return :func:`server.guard.check_query`'s analysis, from the cache if possible.

        :raises EndpointError: whatever :func:`check_query` raises for this query
        """
        key = (query, limits, dataset_from_protocol)
        checked = self.entries.get(key)
        if checked is not None:
            self._hits.inc()
            return checked
        self._misses.inc()
        checked = check_query(query, limits, dataset_from_protocol)
        self.entries.put(key, checked)
        return checked


#: Key of the negotiation cache: query form, raw ``Accept`` header, ``format`` parameter
FormatKey = tuple[QueryForm, str, str | None]


def format_entry_size(key: FormatKey, chosen: ResultFormat) -> int:
    """Return the bytes a negotiation outcome holds (the formats themselves are shared)."""
    return sys.getsizeof(key[1]) + sys.getsizeof(key[2] or "") + ENTRY_OVERHEAD_BYTES


class FormatCache:
    """The negotiated result format of each recent (form, ``Accept``, ``format=``) triple.

    Parsing ``Accept`` and Werkzeug's ``best_match`` take some 40 µs, more than a whole
    result-cache hit, while clients send the same few headers again and again. The outcome
    depends on nothing else, so the raw header text is an exact key. Refusals (406, unknown
    format) are not stored.
    """

    def __init__(self, max_bytes: int = FORMAT_CACHE_BYTES) -> None:
        self.entries: ByteBoundedLRU[FormatKey, ResultFormat] = ByteBoundedLRU(
            max_bytes, max_bytes, format_entry_size
        )

    def pick(self, form: QueryForm, accept_header: str, format_param: str | None) -> ResultFormat:
        """Return :func:`server.negotiation.pick_format`'s choice, from the cache if possible.

        :raises EndpointError: whatever :func:`pick_format` raises (400 or 406)
        """
        key = (form, accept_header, format_param)
        chosen = self.entries.get(key)
        if chosen is None:
            accept = parse_accept_header(accept_header, MIMEAccept)
            chosen = pick_format(formats_for(form), accept, format_param)
            self.entries.put(key, chosen)
        return chosen
