"""Forked query workers over one in-memory store: named, replaced when worn out, and a query
whose worker is killed from outside runs again on a fresh worker instead of failing."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pyoxigraph
import pytest

from server.backends import forked, workers
from server.backends.execution import QueryJob, QueryResult
from server.backends.workers import WorkerPool, WorkerSetup

TSV = "text/tab-separated-values"
#: About 2 x 10^7 rows counted: seconds, long enough to be killed while it runs
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h <urn:o1> }"


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    store = pyoxigraph.Store()
    triples = "".join(f"<urn:s{n}> <urn:p> <urn:o{n % 7}> .\n" for n in range(500))
    store.load(triples.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    setup = WorkerSetup(engine="oxigraph", fork=partial(forked.fork_worker, store))
    workers_pool = WorkerPool(setup, size=1, memory_limit=2 * 1024**3)
    workers_pool.start_all(1)
    yield workers_pool
    workers_pool.close()


def test_workers_are_forks_named_for_operators(pool: WorkerPool) -> None:
    (pid,) = pool.worker_pids()
    assert Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip() == "rankl-kg-worker"
    result = pool.execute(QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", TSV), 10, 10)
    assert result.body.splitlines()[1] == b"500"


def test_a_query_whose_worker_is_killed_runs_again(pool: WorkerPool) -> None:
    (victim,) = pool.worker_pids()
    answers: list[QueryResult] = []
    running = threading.Thread(
        target=lambda: answers.append(pool.execute(QueryJob(SLOW, TSV), 60, 10))
    )
    running.start()
    time.sleep(0.3)
    os.kill(victim, signal.SIGKILL)
    running.join()
    assert answers and answers[0].body.startswith(b"?n")
    assert victim not in pool.worker_pids()


def test_a_worn_out_worker_is_replaced(pool: WorkerPool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "WEAR_CHECK_INTERVAL_S", 0.0)
    monkeypatch.setattr(forked, "WORN_OUT_SHARE", -1.0)
    (first,) = pool.worker_pids()
    pool.execute(QueryJob("ASK { ?s ?p ?o }", TSV), 10, 10)
    pool.execute(QueryJob("ASK { ?s ?p ?o }", TSV), 10, 10)
    assert first not in pool.worker_pids()
