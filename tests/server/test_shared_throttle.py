"""The budgets of several web processes: RemoteThrottle asking a ClientThrottle elsewhere.

The supervisor's side (:func:`server.shared_throttle.answer`) runs in a thread here, over the
same kind of socket pair the supervisor gives each web process.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection

import pytest

from server.config import ConfigError, load_settings, usable_cores
from server.errors import QueryTimeoutError
from server.shared_throttle import RemoteThrottle, answer
from server.throttle import ClientBudget, ClientThrottle, TooManyRequestsError
from tests.server.conftest import TEST_CONFIG


def serve(throttle: ClientThrottle, connection: Connection) -> None:
    """What the supervisor does for one web process, until the connection closes."""
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        wants_answer, reply = answer(throttle, message)
        if wants_answer:
            connection.send(reply)


@pytest.fixture
def kept() -> Iterator[tuple[ClientThrottle, RemoteThrottle, RemoteThrottle]]:
    """One kept throttle and two web processes' remote views of it."""
    throttle = ClientThrottle(ClientBudget(2, 60.0, 2))
    remotes, near_ends = [], []
    for _ in range(2):
        near, far = socket.socketpair()
        far_end = Connection(far.detach())
        threading.Thread(target=serve, args=(throttle, far_end), daemon=True).start()
        near_ends.append(Connection(near.detach()))
        remotes.append(RemoteThrottle(throttle.budget, near_ends[-1]))
    yield throttle, remotes[0], remotes[1]
    for end in near_ends:
        end.close()


def test_two_processes_share_one_concurrency_budget(
    kept: tuple[ClientThrottle, RemoteThrottle, RemoteThrottle],
) -> None:
    _, first, second = kept
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
    kept: tuple[ClientThrottle, RemoteThrottle, RemoteThrottle],
) -> None:
    _, first, second = kept
    for remote in (first, second):
        with pytest.raises(QueryTimeoutError), remote.admit("a"):
            raise QueryTimeoutError("Query timed out after 1 s")
    second.check("b")  # a round trip: the supervisor has read second's "leave" before it
    with pytest.raises(TooManyRequestsError, match="failed queries"), first.admit("a"):
        pass


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
