"""The budgets of several web processes: SharedThrottle views of one BudgetTable.

Two views with different process slots stand for two web processes; the fork tests show the
table is shared by real processes, and that a process killed while holding its lock leaves the
table usable.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import zlib

import pytest

from server.config import ConfigError, load_settings, usable_cores
from server.errors import QueryTimeoutError
from server.shared_throttle import CAPACITY, PROBES, BudgetTable, SharedThrottle, client_key
from server.throttle import ClientBudget, TooManyRequestsError
from tests.server.conftest import TEST_CONFIG

BUDGET = ClientBudget(max_concurrent=2, query_seconds_per_minute=10.0, errors_per_minute=2)


class FakeClock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def views(clock: FakeClock) -> tuple[SharedThrottle, SharedThrottle]:
    """Two web processes' views of one table."""
    table = BudgetTable(processes=2)
    return SharedThrottle(BUDGET, table, 0, clock), SharedThrottle(BUDGET, table, 1, clock)


def test_two_processes_share_one_concurrency_budget(
    views: tuple[SharedThrottle, SharedThrottle],
) -> None:
    first, second = views
    with first.admit("a"), second.admit("a"):
        with pytest.raises(TooManyRequestsError, match="concurrent") as refused, first.admit("a"):
            pass
        assert refused.value.headers == {"Retry-After": "1"}
        with pytest.raises(TooManyRequestsError):
            second.check("a")
        with second.admit("b"):
            pass
    with first.admit("a"):
        pass


def test_failures_in_one_process_are_counted_in_the_other(
    views: tuple[SharedThrottle, SharedThrottle], clock: FakeClock
) -> None:
    first, second = views
    for view in (first, second):
        with pytest.raises(QueryTimeoutError), view.admit("a"):
            clock.now += 0.5
            raise QueryTimeoutError("Query timed out after 1 s")
    with pytest.raises(TooManyRequestsError, match="failed queries") as refused, first.admit("a"):
        pass
    # the first failed in second 1000, which leaves the window at 1060; it is 1001 now
    assert refused.value.headers == {"Retry-After": "59"}
    first.check("b")


def test_query_seconds_leave_the_window_second_by_second(
    views: tuple[SharedThrottle, SharedThrottle], clock: FakeClock
) -> None:
    first, second = views
    with first.admit("a"):
        clock.now += 6.0  # 6 s recorded at second 1006
    clock.now = 1030.2
    with second.admit("a"):
        clock.now += 4.0  # 4 s more at second 1034: 10 s, the budget
    with pytest.raises(TooManyRequestsError, match="time budget") as refused, first.admit("a"):
        pass
    assert refused.value.headers == {"Retry-After": "32"}  # second 1006 leaves at 1066
    clock.now = 1066.0
    with first.admit("a"):
        pass
    clock.now = 1094.0  # second 1034 has left too: nothing is counted
    with first.admit("a"), second.admit("a"):
        pass


def test_a_window_left_long_ago_is_forgotten_at_once(
    views: tuple[SharedThrottle, SharedThrottle], clock: FakeClock
) -> None:
    first, _ = views
    with pytest.raises(QueryTimeoutError), first.admit("a"):
        clock.now += 11.0
        raise QueryTimeoutError("Query timed out after 11 s")
    clock.now += 10_000.0
    with first.admit("a"), first.admit("a"):
        pass


def test_the_slots_of_a_process_that_ended_are_given_back(
    views: tuple[SharedThrottle, SharedThrottle],
) -> None:
    first, second = views
    first.enter("a")
    second.enter("a")
    with pytest.raises(TooManyRequestsError):
        first.enter("a")
    first.table.release_process(1)
    first.enter("a")  # the second process's slot is free again; the first's is still held
    with pytest.raises(TooManyRequestsError):
        second.enter("a")


def test_an_idle_client_gives_its_record_to_a_new_one(clock: FakeClock) -> None:
    """Clients that all hash to one place: a record is reused once its client is idle."""
    throttle = SharedThrottle(BUDGET, BudgetTable(processes=1), 0, clock)
    crowd = colliding_clients(PROBES + 1)
    for client in crowd[:PROBES]:
        with throttle.admit(client):
            clock.now += 0.1
    with throttle.admit(crowd[PROBES]), throttle.admit(crowd[PROBES]):
        pass  # no record free: it shares the overflow record, which is idle
    clock.now += 61.0  # every client is idle now: their records can be reused
    with throttle.admit(crowd[PROBES]), throttle.admit(crowd[PROBES]):
        pass


def test_clients_without_a_record_share_the_overflow_budget(clock: FakeClock) -> None:
    throttle = SharedThrottle(BUDGET, BudgetTable(processes=1), 0, clock)
    crowd = colliding_clients(PROBES + 2)
    for client in crowd[:PROBES]:
        throttle.enter(client)  # running: their records cannot be reused
    throttle.enter(crowd[PROBES])
    throttle.enter(crowd[PROBES + 1])
    with pytest.raises(TooManyRequestsError, match="concurrent"):
        throttle.enter(crowd[PROBES])  # stricter: the overflow record holds both
    throttle.leave(crowd[PROBES + 1], 0.1, False)
    throttle.enter(crowd[PROBES])


def test_long_client_names_are_kept_as_a_hash() -> None:
    long_name = "x" * 200
    assert client_key(long_name) != client_key("x" * 199)
    assert len(client_key(long_name)) == 64
    assert client_key("127.0.0.1") == b"127.0.0.1"


def test_the_table_is_shared_with_forked_processes(clock: FakeClock) -> None:
    table = BudgetTable(processes=2)
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child leaves by os._exit)
        SharedThrottle(BUDGET, table, 1).enter("a")
        SharedThrottle(BUDGET, table, 1).enter("a")
        os._exit(0)
    os.waitpid(pid, 0)
    with pytest.raises(TooManyRequestsError, match="concurrent"):
        SharedThrottle(BUDGET, table, 0).enter("a")


def test_processes_updating_one_client_at_once_lose_no_update() -> None:
    table = BudgetTable(processes=2)
    roomy = ClientBudget(max_concurrent=100, query_seconds_per_minute=1e9, errors_per_minute=100)
    children = []
    for slot in range(2):
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child leaves by os._exit)
            throttle = SharedThrottle(roomy, table, slot)
            for _ in range(2000):
                throttle.enter("a")
                throttle.leave("a", 0.5, False)
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    with table.locked():
        record = table.record("a", time.monotonic(), claim=False)
        assert (record.spent_seconds, sum(record.running)) == (2000.0, 0)


def test_a_process_killed_holding_the_lock_does_not_stop_the_others() -> None:
    table = BudgetTable(processes=2)
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child is killed)
        with table.locked():
            time.sleep(60)
        os._exit(0)
    time.sleep(0.3)  # the child holds the lock
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    entering = threading.Thread(target=SharedThrottle(BUDGET, table, 0).enter, args=("a",))
    entering.start()
    entering.join(timeout=5)
    assert not entering.is_alive(), "the lock of the killed process was never released"


def colliding_clients(count: int) -> list[str]:
    """``count`` client names whose records start at the same place of the table."""
    wanted = zlib.crc32(b"10.0.0.0") % CAPACITY
    names: list[str] = []
    candidate = 0
    while len(names) < count:
        name = f"10.0.{candidate // 256}.{candidate % 256}"
        if zlib.crc32(name.encode()) % CAPACITY == wanted:
            names.append(name)
        candidate += 1
    return names


def test_web_processes_default_to_the_usable_cores_and_share_the_workers() -> None:
    settings, _ = load_settings(TEST_CONFIG)
    assert settings.web_processes is None
    assert settings.web_process_count == usable_cores()
    two, _ = load_settings({**TEST_CONFIG, "WEB_PROCESSES": 2, "QUERY_WORKERS": 2})
    assert (two.web_process_count, two.workers_per_web_process) == (2, 1)
    rounded_up, _ = load_settings({**TEST_CONFIG, "WEB_PROCESSES": 2, "QUERY_WORKERS": 3})
    assert rounded_up.workers_per_web_process == 2
    with pytest.raises(ConfigError, match="WEB_PROCESSES must be an integer from 1 to 64"):
        load_settings({**TEST_CONFIG, "WEB_PROCESSES": 0})


def test_unset_query_workers_are_two_in_each_web_process() -> None:
    defaults = {key: value for key, value in TEST_CONFIG.items() if key != "QUERY_WORKERS"}
    three, _ = load_settings({**defaults, "WEB_PROCESSES": 3})
    assert (three.workers_per_web_process, three.pool_workers) == (2, 2)
    single, _ = load_settings({**defaults, "WEB_PROCESSES": 1})
    assert single.pool_workers == 2
