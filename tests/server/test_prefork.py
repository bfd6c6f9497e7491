"""``WEB_PROCESSES=2``: the guarantees of one process hold across two (integration).

Each test starts the real server (:func:`server.wsgi.serve`) over the mini graph on 127.0.0.1:
a supervisor and two forked web processes with one query worker each. Which web process
answered a request is read from ``/proc`` (the process holding the server end of the
connection), so the budget test can show that both processes refused the same client.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.live_processes import ends_within, free_port, stop
from tests.server.conftest import MINI_KG_PATH, QUERIES_DIR
from tests.server.test_fuzz import (
    EXAMPLES,
    FUZZ_SETTINGS,
    QUERIES,
    CaseCounter,
    assert_not_a_server_error,
)
from tests.server.test_sparql import MEMORY_BOMB

pytestmark = pytest.mark.integration

START_TIMEOUT_S = 120
TIMEOUT_S = 2.0
MEMORY_LIMIT = 400_000_000
ASK = "ASK { ?s ?p ?o }"
ENDLESS = (
    "SELECT (COUNT(*) AS ?n) WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t }"
)
SERVE = "import sys; from pathlib import Path; from server.wsgi import serve; " + (
    "serve(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]))"
)


@dataclass
class Answer:
    """A response, and the pid of the web process that held the connection."""

    status: int
    headers: dict[str, str]
    body: str
    pid: int


@dataclass
class Forked:
    """A running server: its port and supervising process."""

    port: int
    process: subprocess.Popen[bytes]

    def web_processes(self) -> list[int]:
        """The pids of the supervisor's children."""
        return children_of(self.process.pid)

    def get(self, query: str, path: str = "/sparql") -> Answer:
        """GET ``path`` with ``query`` on a new connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            target = path + ("?" + urlencode({"query": query}) if query else "")
            connection.request("GET", target)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            assert connection.sock is not None
            owner = owner_of(self.port, connection.sock.getsockname()[1], self.web_processes())
            return Answer(response.status, dict(response.getheaders()), body, owner)
        finally:
            connection.close()

    def get_at_once(self, query: str, count: int) -> list[Answer]:
        """Open ``count`` connections at once, then GET ``query`` on each (all kept open until
        every answer is in, as a proxy's upstream pool or a load tool keeps them)."""
        connections = [
            http.client.HTTPConnection("127.0.0.1", self.port, timeout=60) for _ in range(count)
        ]
        try:
            for connection in connections:
                connection.connect()
            for connection in connections:
                connection.request("GET", "/sparql?" + urlencode({"query": query}))
            responses = [connection.getresponse() for connection in connections]
            bodies = [response.read().decode("utf-8", "replace") for response in responses]
            web_processes = self.web_processes()
            owners = [
                owner_of(self.port, connection.sock.getsockname()[1], web_processes)
                if connection.sock is not None
                else 0
                for connection in connections
            ]
        finally:
            for connection in connections:
                connection.close()
        return [
            Answer(response.status, dict(response.getheaders()), body, owner)
            for response, body, owner in zip(responses, bodies, owners, strict=True)
        ]


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return sorted(children)


def owner_of(server_port: int, client_port: int, candidates: list[int]) -> int:
    """The pid among ``candidates`` holding the server end of the connection from
    ``client_port`` (0 if none does any more)."""
    wanted = f":{server_port:04X} "
    remote = f":{client_port:04X} "
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1] + " ").endswith(wanted) and (fields[2] + " ").endswith(remote):
            inode = fields[9]
    for pid in candidates:
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        if f"socket:[{inode}]" in links:
            return pid
    return 0


def start(tmp_path: Path, **settings: str) -> Forked:
    """Start the server with two web processes and ``settings``; wait until it answers."""
    port = free_port()
    environment = {
        **os.environ,
        "RANKL_KG_WEB_PROCESSES": "2",
        "RANKL_KG_QUERY_WORKERS": "2",
        "RANKL_KG_QUERIES_DIR": str(QUERIES_DIR),
        **{f"RANKL_KG_{name}": value for name, value in settings.items()},
    }
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(MINI_KG_PATH), str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    server = Forked(port, process)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server ended with {process.returncode}: {log.read_text()[-3000:]}")
        try:
            if server.get(ASK).status == 200 and len(server.web_processes()) == 2:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    pytest.fail(f"the server did not answer within {START_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def forked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Forked]:
    server = start(
        tmp_path_factory.mktemp("prefork"),
        QUERY_TIMEOUT_S=str(TIMEOUT_S),
        WORKER_MEMORY_BYTES=str(MEMORY_LIMIT),
        CLIENT_MAX_CONCURRENT="1",
        CLIENT_ERRORS_PER_MINUTE=str(10**6),
    )
    yield server
    stop(server.process)


def test_a_query_past_its_deadline_is_503_within_the_deadline_plus_one_second(
    forked: Forked,
) -> None:
    started = time.monotonic()
    answer = forked.get(ENDLESS)
    elapsed = time.monotonic() - started
    assert answer.status == 503, answer.body
    assert answer.body.startswith(f"Query timed out after {TIMEOUT_S:g} s")
    assert "Retry-After" in answer.headers
    assert elapsed < TIMEOUT_S + 1.0
    assert forked.get(ASK).status == 200


def test_a_memory_cap_breach_is_503_naming_the_limit(forked: Forked) -> None:
    answer = forked.get(MEMORY_BOMB)
    assert answer.status == 503, answer.body
    assert f"WORKER_MEMORY_BYTES = {MEMORY_LIMIT} bytes" in answer.body
    assert int(answer.headers["Retry-After"]) > 0
    assert forked.get(ASK).status == 200


def test_one_client_has_one_budget_whichever_process_answers(forked: Forked) -> None:
    """While the client's only slot is held by a slow query, every process refuses it."""
    held = threading.Thread(target=forked.get, args=(ENDLESS,))
    held.start()
    time.sleep(0.5)  # the slow query has taken the slot
    # connections open at once: one after another, each would go to the process without
    # the slow query's connection (it holds the fewest)
    refusals = forked.get_at_once(ASK, 4)
    held.join()
    assert {answer.status for answer in refusals} == {429}, [a.body for a in refusals]
    assert all("Too many concurrent queries" in answer.body for answer in refusals)
    assert set(forked.web_processes()) <= {answer.pid for answer in refusals}
    assert forked.get(ASK).status == 200


def test_metrics_count_the_requests_of_every_process(forked: Forked) -> None:
    answers: list[Answer] = []
    while len({answer.pid for answer in answers} - {0}) < 2 and len(answers) < 60:
        answers.append(forked.get(ASK + f" # {len(answers)}"))
    assert {answer.pid for answer in answers} == set(forked.web_processes())
    for _ in range(2):  # whichever process answers /metrics sees the others' requests
        exposition = forked.get("", "/metrics").body
        line = next(
            line
            for line in exposition.splitlines()
            if line.startswith('rankl_kg_http_requests_total{status="200"}')
        )
        assert float(line.split()[-1]) >= len(answers)


def test_keep_alive_connections_are_spread_over_the_web_processes(forked: Forked) -> None:
    """Eight connections opened at once and kept open end up four on each web process: a
    process accepts while it holds the fewest."""
    owners = Counter(answer.pid for answer in forked.get_at_once(ASK, 8))
    assert sorted(owners.values()) == [4, 4], owners


def test_killing_a_web_process_or_a_query_worker_leaves_the_server_answering(
    forked: Forked,
) -> None:
    first, second = forked.web_processes()
    os.kill(first, signal.SIGKILL)
    answers = [forked.get(ASK) for _ in range(6)]
    assert {answer.status for answer in answers} == {200}
    deadline = time.monotonic() + 60
    while len(forked.web_processes()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    replaced = forked.web_processes()
    assert len(replaced) == 2 and first not in replaced and second in replaced
    worker = children_of(second)[0]
    os.kill(worker, signal.SIGKILL)
    statuses = [forked.get(ASK).status for _ in range(8)]
    assert set(statuses) == {200}  # the idle worker killed is replaced before it is used


def test_a_web_process_that_dies_mid_query_gives_its_client_slot_back(forked: Forked) -> None:
    """CLIENT_MAX_CONCURRENT is 1: a slot kept by a dead process would refuse the client."""
    held = threading.Thread(target=get_ignoring_resets, args=(forked, ENDLESS))
    held.start()
    time.sleep(0.5)
    before = forked.web_processes()
    workers = [worker for pid in before for worker in children_of(pid)]
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    held.join()
    # the worker running the endless query ends with its web process, not as an orphan
    assert all(ends_within(worker, seconds=5) for worker in workers)
    deadline = time.monotonic() + 60
    while set(forked.web_processes()) & set(before) or len(forked.web_processes()) < 2:
        assert time.monotonic() < deadline, "the web processes were not replaced"
        time.sleep(0.2)
    assert forked.get(ASK).status == 200


def get_ignoring_resets(forked: Forked, query: str) -> None:
    """GET ``query``; the connection may be cut by a killed web process."""
    with contextlib.suppress(OSError, http.client.HTTPException):
        forked.get(query)


def test_sigterm_stops_the_supervisor_its_web_processes_and_their_workers(
    tmp_path: Path,
) -> None:
    server = start(tmp_path)
    try:
        family = server.web_processes()
        family += [worker for pid in family for worker in children_of(pid)]
        assert len(family) == 4, f"two web processes with a worker each, got {family}"
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
        assert not [pid for pid in family if not ends_within(pid, seconds=10)]
    finally:
        stop(server.process)  # a failed assertion must not leave the server running


def test_fuzzed_queries_get_no_server_error_from_two_processes(forked: Forked) -> None:
    counter = CaseCounter("two web processes")

    @settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 5, 50))
    @given(query=QUERIES, accept=st.sampled_from(["*/*", "text/csv", "image/png"]))
    def run(query: str, accept: str) -> None:
        counter.cases += 1
        connection = http.client.HTTPConnection("127.0.0.1", forked.port, timeout=60)
        try:
            body = urlencode({"query": query.encode("utf-8", "surrogatepass")})
            headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", "/sparql", body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        assert_not_a_server_error(response.status, dict(response.getheaders()), content)
        counter.record(response.status)

    run()
    counter.report()
