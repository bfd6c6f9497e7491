"""Which web process watches the listening socket (server/fair_accept.py)."""

from __future__ import annotations

import os
import select
from types import SimpleNamespace
from typing import Any

from server.fair_accept import ConnectionCounts, WakeUps


def woken(counts: ConnectionCounts, slot: int) -> bool:
    """Whether ``slot``'s wake-up pipe has something to read (drained)."""
    read_end = counts.share(slot).wake_read_end
    if not select.select([read_end], [], [], 0)[0]:
        return False
    os.read(read_end, 512)
    return True


def test_a_process_with_more_connections_than_another_stops_watching() -> None:
    counts = ConnectionCounts(2)
    assert counts.should_watch(0, 0, can_accept=True)
    assert not counts.should_watch(1, 1, can_accept=True)
    assert counts.should_watch(1, 0, can_accept=True)  # its connection closed


def test_the_processes_with_the_fewest_connections_watch() -> None:
    counts = ConnectionCounts(3)
    counts.should_watch(0, 5, can_accept=True)
    counts.should_watch(1, 5, can_accept=True)
    assert counts.should_watch(2, 4, can_accept=True)
    assert counts.should_watch(1, 4, can_accept=True)  # a tie counts as the fewest
    assert not counts.should_watch(0, 5, can_accept=True)


def test_a_process_that_finds_a_sleeper_with_fewer_connections_wakes_it() -> None:
    counts = ConnectionCounts(2)
    counts.should_watch(0, 0, can_accept=True)
    assert not counts.should_watch(1, 1, can_accept=True)  # slot 1 sleeps, not watching
    counts.should_watch(0, 3, can_accept=True)  # slot 0 took three more
    assert woken(counts, 1)
    assert counts.should_watch(1, 1, can_accept=True)
    assert not woken(counts, 0)  # slot 0 holds more: nobody wakes it


def test_a_watching_process_is_not_woken() -> None:
    counts = ConnectionCounts(2)
    counts.should_watch(1, 2, can_accept=True)
    counts.should_watch(0, 2, can_accept=True)
    counts.should_watch(0, 3, can_accept=True)
    assert not woken(counts, 1)


def test_a_process_at_its_connection_limit_does_not_watch() -> None:
    counts = ConnectionCounts(2)
    assert not counts.should_watch(0, 0, can_accept=False)
    assert not counts.should_watch(1, 9, can_accept=True)
    assert woken(counts, 0)  # it looks again, in case its connections closed meanwhile


def test_an_ended_or_starting_process_is_not_waited_for() -> None:
    counts = ConnectionCounts(2)
    assert counts.should_watch(0, 7, can_accept=True)  # slot 1 has not started
    counts.should_watch(1, 0, can_accept=True)
    counts.mark_absent(1)
    assert counts.should_watch(0, 50, can_accept=True)
    assert not woken(counts, 1)


def test_the_counts_are_shared_with_forked_processes() -> None:
    counts = ConnectionCounts(2)
    counts.should_watch(0, 2, can_accept=True)
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child leaves by os._exit)
        counts.should_watch(1, 1, can_accept=True)
        os._exit(0)
    os.waitpid(pid, 0)
    assert not counts.should_watch(0, 2, can_accept=True)


def test_a_governed_server_asks_waitress_publishes_its_channels_and_hears_wake_ups() -> None:
    asked: list[bool] = []

    def waitress_readable() -> bool:
        asked.append(True)
        return True

    loop_map: dict[int, Any] = {}
    server = SimpleNamespace(
        active_channels={5: object(), 6: object()}, _map=loop_map, readable=waitress_readable
    )
    counts = ConnectionCounts(2)
    counts.should_watch(1, 1, can_accept=True)
    counts.share(0).govern(server)
    assert not server.readable()
    assert asked == [True]  # waitress's own bookkeeping still runs
    (wake_ups,) = loop_map.values()
    assert isinstance(wake_ups, WakeUps) and wake_ups.readable()
    counts.should_watch(1, 4, can_accept=True)
    wake_ups.handle_read_event()  # what the loop does when the pipe is readable
    assert not woken(counts, 0)  # drained
    server.active_channels.clear()
    assert server.readable()
    wake_ups.close()
