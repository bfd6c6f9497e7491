"""One set of per-client budgets for every web process (``WEB_PROCESSES`` > 1), in shared memory.

The supervisor (:mod:`server.prefork`) makes a :class:`BudgetTable` before it forks: a table of
client records in an anonymous memory file (``memfd``) that every web process maps. A web
process reads and updates it itself (:class:`SharedThrottle`), so a query costs no message to
another process. The design before asked the supervisor over a socket pair (a round trip to
enter, a message to leave): with it, cold lookups on two cores ran 1.2-1.3x slower than with
each process keeping budgets of its own, which is wrong (a client gets one budget per process).

The table is locked by a POSIX record lock on the memory file, which the kernel releases if
the process holding it dies (a semaphore would stay taken and stop every web process), and by
a thread lock inside each process (record locks do not exclude threads of one process).

The budgets mean what :class:`server.throttle.ClientThrottle`'s mean, with the minute counted
in whole seconds: a client's record keeps its query seconds and expensive failures in one
bucket per second of the window, and their sums, from which the buckets of seconds that left
the window are taken out when the record is next used. It also keeps the client's running
queries per web process, so the supervisor gives back the slots of a process that died with
queries in flight. The table holds :data:`CAPACITY` clients: a client with nothing running and
nothing left in the window gives its record up to the next new client; a client whose
:data:`PROBES` possible records are all in use shares one overflow record with every other such
client, a stricter budget, never a looser one.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import math
import mmap
import os
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from server.throttle import WINDOW_S, ClientBudget, Throttle, Usage, over_budget

#: Client records in the table (about 1.3 KB each; pages are only used once written)
CAPACITY = 4096
#: Records a client's key may occupy, from the one its hash names onwards
PROBES = 32
#: Bytes of a client key; a longer client address is kept as its hash
KEY_BYTES = 64
#: Seconds of the window, one bucket each
BUCKETS = math.ceil(WINDOW_S)


def record_type(processes: int) -> type[ctypes.Structure]:
    """The layout of one client's record when ``processes`` web processes share the table."""

    class ClientRecord(ctypes.Structure):
        _fields_ = [
            ("key", ctypes.c_char * KEY_BYTES),
            #: Running queries, by web process slot
            ("running", ctypes.c_int32 * processes),
            ("spent_seconds", ctypes.c_double),
            ("failures", ctypes.c_int32),
            #: The sums hold no bucket of this second or before
            ("swept_through", ctypes.c_int64),
            #: Which second each bucket holds (bucket = second % BUCKETS)
            ("bucket_second", ctypes.c_int64 * BUCKETS),
            ("bucket_spent", ctypes.c_double * BUCKETS),
            ("bucket_failures", ctypes.c_int32 * BUCKETS),
        ]

    return ClientRecord


def client_key(client: str) -> bytes:
    """The key of ``client`` in the table (at most :data:`KEY_BYTES`, never empty)."""
    key = client.encode("utf-8")
    if 0 < len(key) <= KEY_BYTES and b"\0" not in key:
        return key
    return b"#" + hashlib.sha256(key).hexdigest().encode("ascii")[: KEY_BYTES - 1]


class BudgetTable:
    """Client records in memory shared across ``fork``, locked across processes and threads."""

    def __init__(self, processes: int) -> None:
        record = record_type(processes)
        size = ctypes.sizeof(record) * (CAPACITY + 1)  # + the overflow record
        self._file = os.memfd_create("rankl-kg-budgets")
        os.ftruncate(self._file, size)
        self._memory = mmap.mmap(self._file, size)
        self._records: Any = (record * (CAPACITY + 1)).from_buffer(self._memory)
        self._threads = threading.Lock()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the table against every other thread and process."""
        with self._threads:
            fcntl.lockf(self._file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.lockf(self._file, fcntl.LOCK_UN)

    def record(self, client: str, now: float, claim: bool) -> Any:
        """``client``'s record, swept to ``now``; a new one if ``claim`` and it has none
        (locked). Without a record of its own a client reads and writes the overflow record."""
        key = client_key(client)
        start = zlib.crc32(key) % CAPACITY
        second = math.floor(now)
        free = None
        for probe in range(PROBES):
            index = (start + probe) % CAPACITY
            record = self._records[index]
            held = record.key
            if held == key:
                sweep(record, second)
                return record
            if not held:
                free = index if free is None else free
                break
            if free is None:
                sweep(record, second)
                free = index if is_idle(record) else None
        if not claim or free is None:
            overflow = self._records[CAPACITY]
            sweep(overflow, second)
            return overflow
        record = self._records[free]
        ctypes.memset(ctypes.addressof(record), 0, ctypes.sizeof(record))
        record.key = key
        record.swept_through = second - BUCKETS
        return record

    def release_process(self, slot: int) -> None:
        """Give back every query slot the web process in ``slot`` held (it ended)."""
        with self.locked():
            for record in self._records:
                record.running[slot] = 0


def sweep(record: Any, second: int) -> None:
    """Take the buckets of seconds that left the window by ``second`` out of the sums."""
    oldest_kept = second - BUCKETS + 1
    first = record.swept_through + 1
    if oldest_kept - first >= BUCKETS:
        for field in ("bucket_spent", "bucket_failures"):
            array = getattr(record, field)
            ctypes.memset(ctypes.addressof(array), 0, ctypes.sizeof(array))
        record.spent_seconds = 0.0
        record.failures = 0
    else:
        for gone in range(first, oldest_kept):
            bucket = gone % BUCKETS
            if record.bucket_second[bucket] == gone:
                record.spent_seconds -= record.bucket_spent[bucket]
                record.failures -= record.bucket_failures[bucket]
                record.bucket_spent[bucket] = 0.0
                record.bucket_failures[bucket] = 0
    if record.spent_seconds < 1e-9:
        record.spent_seconds = 0.0  # no float drift survives an empty window
    record.swept_through = max(record.swept_through, oldest_kept - 1)


def is_idle(record: Any) -> bool:
    """Whether a swept record holds nothing: no running query, nothing in the window."""
    return not any(record.running) and not record.spent_seconds and not record.failures


def usage_of(record: Any, now: float) -> Usage:
    """A swept record as :func:`server.throttle.over_budget` reads it."""
    second = math.floor(now)
    return Usage(
        running=sum(record.running),
        spent_seconds=record.spent_seconds,
        first_spent_at=lambda: first_second_with(record, record.bucket_spent, second),
        failures=record.failures,
        first_failure_at=lambda: first_second_with(record, record.bucket_failures, second),
    )


def first_second_with(record: Any, buckets: Any, second: int) -> float:
    """The oldest second in the window whose bucket holds something (``second`` if none)."""
    for candidate in range(second - BUCKETS + 1, second + 1):
        bucket = candidate % BUCKETS
        if record.bucket_second[bucket] == candidate and buckets[bucket]:
            return float(candidate)
    return float(second)


class SharedThrottle(Throttle):
    """The budgets of :class:`BudgetTable` as the web process in ``slot`` uses them."""

    def __init__(
        self,
        budget: ClientBudget,
        table: BudgetTable,
        slot: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = budget
        self.table = table
        self.slot = slot
        self._clock = clock

    def enter(self, client: str) -> None:
        """Take one of ``client``'s query slots (429 over a budget)."""
        with self.table.locked():
            now = self._clock()
            record = self.table.record(client, now, claim=True)
            self._refuse_if_over_budget(record, now)
            record.running[self.slot] += 1

    def check(self, client: str) -> None:
        """Refuse ``client`` if it is over a budget (cache hits)."""
        with self.table.locked():
            now = self._clock()
            self._refuse_if_over_budget(self.table.record(client, now, claim=False), now)

    def leave(self, client: str, seconds: float, failed: bool) -> None:
        """Give the slot back; record ``seconds`` of query time and whether it failed."""
        with self.table.locked():
            now = self._clock()
            record = self.table.record(client, now, claim=False)
            record.running[self.slot] = max(0, record.running[self.slot] - 1)
            second = math.floor(now)
            bucket = second % BUCKETS
            if record.bucket_second[bucket] != second:  # its old second was swept out
                record.bucket_second[bucket] = second
                record.bucket_spent[bucket] = 0.0
                record.bucket_failures[bucket] = 0
            record.bucket_spent[bucket] += seconds
            record.spent_seconds += seconds
            if failed:
                record.bucket_failures[bucket] += 1
                record.failures += 1

    def _refuse_if_over_budget(self, record: Any, now: float) -> None:
        refused = over_budget(self.budget, usage_of(record, now), now)
        if refused is not None:
            raise refused
