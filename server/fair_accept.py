"""Connections spread evenly over the web processes (``WEB_PROCESSES`` > 1).

Every web process accepts from the one listening socket, and the kernel gives a new connection
to whichever process asks first. Clients that keep their connections open (a reverse proxy's
upstream pool, a load tool, a notebook session) can then all end up on one web process while
another idles: eight keep-alive load clients opened at once on two cores landed 8/0, 7/1 or
5/3 in tests, and one of four 8-second lookup runs had every connection on one process
(1,605 lookups/s against 2,190-2,909 in the other three).

So a web process takes new connections only while it holds no more open connections than any
other, as nginx's ``least_conn`` balances upstreams, but at accept: each web process publishes
its count in memory shared by all of them (made by the supervisor before it forks) and stops
watching the listening socket while another holds fewer. A process decides when its loop
wakes, so one that stopped watching may sleep while its count has become the fewest; the
process that finds so wakes it through its wake-up pipe (made before the fork too), and the
sleeper starts watching again at once. A process that ended, or has not started serving yet,
counts as holding :data:`ABSENT` connections: nobody waits for it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
from collections.abc import Callable
from multiprocessing.sharedctypes import RawArray
from typing import Any, Protocol

from waitress import wasyncore

#: The count of a web process that is not serving (never the fewest)
ABSENT = 2**31 - 1


class ListeningServer(Protocol):
    """What :meth:`ConnectionShare.govern` needs of a waitress server."""

    #: The open connections (waitress's HTTP channels by file number)
    active_channels: dict[int, Any]
    #: The loop's dispatchers by file number (asyncore's socket map)
    _map: dict[int, Any]
    readable: Callable[[], bool]


class ConnectionCounts:
    """The open connections of each web process slot, in memory shared across ``fork``, and a
    pipe per slot to wake the process serving in it."""

    def __init__(self, slots: int) -> None:
        self._counts = RawArray(ctypes.c_int, [ABSENT] * slots)
        self._watching = RawArray(ctypes.c_bool, slots)
        self._wake_pipes = [os.pipe() for _ in range(slots)]
        for read_end, write_end in self._wake_pipes:
            os.set_blocking(read_end, False)
            os.set_blocking(write_end, False)

    def should_watch(self, slot: int, count: int, can_accept: bool) -> bool:
        """Record that ``slot`` holds ``count`` open connections; whether it should watch the
        listening socket now (``can_accept``: below its own connection limit). Wake any
        process that holds fewer but is not watching."""
        self._counts[slot] = count
        asleep = [
            other
            for other in range(len(self._counts))
            if self._counts[other] < count and not self._watching[other]
        ]
        for other in asleep:
            with contextlib.suppress(BlockingIOError):  # a full pipe already wakes it
                os.write(self._wake_pipes[other][1], b"!")
        fewest = all(count <= other_count for other_count in self._counts)
        watch = can_accept and fewest
        self._watching[slot] = watch
        return watch

    def mark_absent(self, slot: int) -> None:
        """The process in ``slot`` ended: no process waits for it to take connections."""
        self._counts[slot] = ABSENT
        self._watching[slot] = False

    def share(self, slot: int) -> ConnectionShare:
        """The view of the web process serving in ``slot``."""
        return ConnectionShare(self, slot, self._wake_pipes[slot][0])


class ConnectionShare:
    """One web process's part of :class:`ConnectionCounts`."""

    def __init__(self, counts: ConnectionCounts, slot: int, wake_read_end: int) -> None:
        self.counts = counts
        self.slot = slot
        self.wake_read_end = wake_read_end

    def govern(self, server: ListeningServer) -> None:
        """Make ``server`` accept only while this process holds the fewest connections.

        waitress asks its listening dispatcher ``readable()`` before every poll of its loop,
        which runs at every event of this process (a connection opened or closed, or a wake-up
        from another process), so the published count is current whenever it changes.
        """
        waitress_readable = server.readable

        def readable() -> bool:
            count = len(server.active_channels)
            return self.counts.should_watch(self.slot, count, waitress_readable())

        server.readable = readable
        # waitress's stubs want a file object; file_dispatcher takes a descriptor as well
        WakeUps(self.wake_read_end, server._map)  # type: ignore[arg-type]


class WakeUps(wasyncore.file_dispatcher):
    """The read end of a web process's wake-up pipe in its waitress loop: reading it only
    wakes the loop (and so :meth:`ConnectionShare.govern`'s ``readable``)."""

    def handle_read(self) -> None:
        """Drain the pipe."""
        with contextlib.suppress(BlockingIOError):
            self.recv(512)

    def writable(self) -> bool:
        """Never: nothing is written to the pipe from here."""
        return False
