"""Bounded load on loopback: concurrent clients, a killed worker, slow clients (integration)."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import requests

from server.state import get_state
from tests.server.conftest import LiveServer, make_app

pytestmark = pytest.mark.integration

CLIENTS = 8
DURATION_S = 3.0
QUERIES = [
    "SELECT ?s WHERE { ?s a <https://w3id.org/rankl-kg/ontology/Gene> }",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5",
]


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    """A live server with two workers and budgets wide enough for one load generator."""
    app = make_app({"QUERY_WORKERS": 2, "CLIENT_MAX_CONCURRENT": 100})
    with app.app_context():
        get_state().backend.start()
    with LiveServer(app) as live:
        yield live


def hammer(endpoint: str, stop_at: float, statuses: Counter[int], lock: threading.Lock) -> None:
    """Send queries until ``stop_at``; count the statuses (0 = no answer)."""
    session = requests.Session()
    number = 0
    while time.monotonic() < stop_at:
        query = QUERIES[number % len(QUERIES)]
        number += 1
        try:
            status = session.get(endpoint, params={"query": query}, timeout=30).status_code
        except requests.RequestException:
            status = 0
        with lock:
            statuses[status] += 1


def run_load(
    endpoint: str, during: float = DURATION_S
) -> tuple[Counter[int], list[threading.Thread]]:
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + during
    threads = [
        threading.Thread(target=hammer, args=(endpoint, stop_at, statuses, lock))
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    return statuses, threads


def test_concurrent_clients_get_no_failures(server: LiveServer) -> None:
    statuses, threads = run_load(server.endpoint)
    for thread in threads:
        thread.join()
    print(f"\nload: {sum(statuses.values())} requests, statuses {dict(statuses)}")  # noqa: T201
    assert set(statuses) == {200}
    assert statuses[200] >= CLIENTS


def test_killing_a_worker_mid_load_loses_only_requests_in_flight(server: LiveServer) -> None:
    statuses, threads = run_load(server.endpoint)
    time.sleep(DURATION_S / 3)
    with server.app.app_context():
        victim = get_state().backend.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    for thread in threads:
        thread.join()
    after = requests.get(server.endpoint, params={"query": QUERIES[1]}, timeout=30)
    print(f"\nfault: {sum(statuses.values())} requests, statuses {dict(statuses)}")  # noqa: T201
    assert after.status_code == 200
    failed = sum(count for status, count in statuses.items() if status != 200)
    assert failed <= 1, statuses  # at most the one query the killed worker was running
    assert set(statuses) <= {200, 500}
    with server.app.app_context():
        assert victim not in get_state().backend.worker_pids()


def test_slow_clients_do_not_block_others(server: LiveServer) -> None:
    host, port = "127.0.0.1", int(server.endpoint.split(":")[2].split("/")[0])
    slow = [socket.create_connection((host, port), timeout=5) for _ in range(30)]
    try:
        for sock in slow:
            sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
        answered = 0
        for round_number in range(5):
            for sock in slow:
                sock.sendall(f"X-Slow-{round_number}: 1\r\n".encode())
            response = requests.get(server.endpoint, params={"query": QUERIES[1]}, timeout=5)
            answered += response.status_code == 200
            time.sleep(0.2)
    finally:
        for sock in slow:
            sock.close()
    assert answered == 5
