"""Load one graph into one backend in this process, then time every query; print JSON.

Run once per backend and scale in a fresh process (``bench.run`` does), so that load time and
peak memory belong to that backend alone.

    .venv/bin/python -m bench.inproc --backend oxigraph-mem --data bench/results/data/kg_x10.nt
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType

import click
import pyoxigraph as ox
import rdflib

from bench.stats import Limits, peak_rss_mb, summary_ms
from kg.checks.competency import COMPETENCY_QUERIES_DIR, load_competency_queries

BACKENDS = ("oxigraph-mem", "oxigraph-disk", "rdflib")
#: A query runner returns the number of rows or triples, having consumed them all
Runner = Callable[[str], int]


def oxigraph_runner(store: ox.Store) -> Runner:
    """Run a query on a pyoxigraph store and count its rows or triples."""

    def run(text: str) -> int:
        result = store.query(text)
        if isinstance(result, ox.QueryBoolean):
            return 1
        return sum(1 for _ in result)

    return run


def rdflib_runner(graph: rdflib.Graph) -> Runner:
    """Run a query on an rdflib graph (parsed every time, as an endpoint would) and count."""

    def run(text: str) -> int:
        return sum(1 for _ in graph.query(text))

    return run


@dataclass
class Loaded:
    """A loaded backend: its query runner, and for a store on disk the seconds to reopen it."""

    run: Runner
    reopen_s: float | None = None


def load_backend(backend: str, data: Path, workdir: Path) -> Loaded:
    """Load ``data`` into ``backend`` and return its query runner.

    oxigraph-disk bulk-loads a new store (the load time), closes it and opens it again
    read-only as a restarted server would; that second open is timed apart (``reopen_s``).
    """
    if backend == "oxigraph-mem":
        store = ox.Store()
        store.bulk_load(path=data, format=ox.RdfFormat.N_TRIPLES)
        return Loaded(oxigraph_runner(store))
    if backend == "oxigraph-disk":
        location = workdir / "store"
        writer = ox.Store(str(location))
        writer.bulk_load(path=data, format=ox.RdfFormat.N_TRIPLES)
        writer.flush()
        del writer  # closes RocksDB so that the read-only open below is a fresh one
        start = time.perf_counter()
        reader = ox.Store.read_only(str(location))
        return Loaded(oxigraph_runner(reader), round(time.perf_counter() - start, 3))
    graph = rdflib.Graph()
    graph.parse(data, format="nt")
    return Loaded(rdflib_runner(graph))


class QueryTimeoutError(RuntimeError):
    """A query ran longer than the per-query limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`QueryTimeoutError` in this (main) thread after ``seconds``.

    SIGALRM interrupts Python code such as rdflib's evaluator; pyoxigraph, in Rust, is only
    interrupted when it returns, which is soon enough for its query times.
    """

    def expire(signum: int, frame: FrameType | None) -> None:
        raise QueryTimeoutError(f"over the {seconds:g} s per-query limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def time_query(run: Runner, text: str, limits: Limits) -> dict[str, object]:
    """One warm-up run, then up to ``limits.runs`` timed runs within ``limits.budget_s``
    seconds; a query that fails or passes ``limits.timeout_s`` is recorded as an error."""
    try:
        with time_limit(limits.timeout_s):
            results = run(text)
        samples: list[float] = []
        deadline = time.perf_counter() + limits.budget_s
        while len(samples) < limits.runs and (not samples or time.perf_counter() < deadline):
            start = time.perf_counter()
            with time_limit(limits.timeout_s):
                run(text)
            samples.append(time.perf_counter() - start)
    except Exception as error:  # noqa: BLE001 - any engine failure is a result of the bench
        return {"error": f"{type(error).__name__}: {str(error)[:300]}"}
    return {"results": results, **summary_ms(samples)}


def probe_child(run: Runner, text: str, pipe: Connection) -> None:
    """In a forked child: run the query once and send its result count to the parent."""
    pipe.send(run(text))


def answers_in_time(run: Runner, text: str, timeout_s: float) -> bool:
    """Whether the query answers within ``timeout_s``, tried in a forked child (sharing the
    loaded store) that is killed at the limit: pyoxigraph cannot be interrupted by a signal,
    so a runaway query would otherwise hold the benchmark for as long as it runs."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=probe_child, args=(run, text, sender))
    child.start()
    sender.close()
    answered = receiver.poll(timeout_s)
    child.kill()
    child.join()
    return answered


def time_query_guarded(run: Runner, text: str, limits: Limits) -> dict[str, object]:
    """:func:`time_query` here, for a query that answered in time in a probe; the timed runs
    stay in this process, as forked children run measurably slower (copy-on-write faults)."""
    if not answers_in_time(run, text, limits.timeout_s):
        return {"error": f"QueryTimeoutError: over the {limits.timeout_s:g} s per-query limit"}
    return time_query(run, text, limits)


#: The folder of competency queries to time (also an option of ``bench.run``)
QUERIES_OPTION = click.option(
    "--queries",
    "queries_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=COMPETENCY_QUERIES_DIR,
    show_default=True,
    help="Folder of competency queries (*.ttl).",
)


@click.command()
@click.option("--backend", type=click.Choice(BACKENDS), required=True)
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@QUERIES_OPTION
@click.option(
    "--runs", type=int, default=50, show_default=True, help="Timed runs per query, at most."
)
@click.option("--budget", type=float, default=5.0, show_default=True, help="Seconds per query.")
@click.option(
    "--timeout", type=float, default=20.0, show_default=True, help="Seconds per query run."
)
@click.option(
    "--probe/--no-probe",
    default=False,
    show_default=True,
    help="pyoxigraph: try each query in a forked child first, killed at --timeout "
    "(for large graphs; it adds copy-on-write faults to sub-millisecond queries).",
)
def main(
    backend: str,
    data: Path,
    queries_dir: Path,
    runs: int,
    budget: float,
    timeout: float,
    probe: bool,
) -> None:
    """Measure load time, peak memory and query latency of one backend; print one JSON line."""
    baseline_mb = peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="rankl-bench-") as workdir:
        start = time.perf_counter()
        loaded = load_backend(backend, data, Path(workdir))
        load_s = time.perf_counter() - start - (loaded.reopen_s or 0.0)
        load_peak_mb = peak_rss_mb()
        timer = time_query_guarded if probe and backend != "rdflib" else time_query
        queries = {
            q.name: timer(loaded.run, q.text, Limits(runs, budget, timeout))
            for q in load_competency_queries(queries_dir)
        }
    record = {
        "backend": backend,
        "load_s": round(load_s, 3),
        "reopen_s": loaded.reopen_s,
        "peak_rss_mb": load_peak_mb,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_after_queries_mb": peak_rss_mb(),
        "queries": queries,
    }
    click.echo(json.dumps(record))


if __name__ == "__main__":
    main()
