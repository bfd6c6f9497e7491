"""Load one graph into one backend in this process, then time every query; print JSON.

Run once per backend and scale in a fresh process (``bench.run`` does), so that load time and
peak memory belong to that backend alone.

    .venv/bin/python -m bench.inproc --backend oxigraph-mem --data bench/results/data/kg_x10.nt
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click
import pyoxigraph as ox
import rdflib

from bench.queries import BENCH_QUERIES_DIR, load_queries
from bench.stats import peak_rss_mb, summary_ms

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


def load_backend(backend: str, data: Path, workdir: Path) -> Runner:
    """Load ``data`` into ``backend`` and return its query runner."""
    if backend == "oxigraph-mem":
        store = ox.Store()
        store.bulk_load(path=data, format=ox.RdfFormat.N_TRIPLES)
        return oxigraph_runner(store)
    if backend == "oxigraph-disk":
        location = workdir / "store"
        writer = ox.Store(str(location))
        writer.bulk_load(path=data, format=ox.RdfFormat.N_TRIPLES)
        writer.optimize()
        del writer  # closes RocksDB so the read-only reopen below is what a server would do
        return oxigraph_runner(ox.Store.read_only(str(location)))
    graph = rdflib.Graph()
    graph.parse(data, format="nt")
    return rdflib_runner(graph)


def time_query(run: Runner, text: str, max_runs: int, budget_s: float) -> dict[str, object]:
    """One warm-up run, then up to ``max_runs`` timed runs within ``budget_s`` seconds."""
    results = run(text)
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < max_runs and (not samples or time.perf_counter() < deadline):
        start = time.perf_counter()
        run(text)
        samples.append(time.perf_counter() - start)
    return {"results": results, **summary_ms(samples)}


@click.command()
@click.option("--backend", type=click.Choice(BACKENDS), required=True)
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
@click.option("--queries", "queries_dir", type=click.Path(file_okay=False, path_type=Path),
              default=BENCH_QUERIES_DIR, show_default=True)
@click.option("--runs", type=int, default=50, show_default=True, help="Timed runs per query, at most.")
@click.option("--budget", type=float, default=5.0, show_default=True, help="Seconds per query.")
def main(backend: str, data: Path, queries_dir: Path, runs: int, budget: float) -> None:
    """Measure load time, peak memory and query latency of one backend; print one JSON line."""
    baseline_mb = peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="rankl-bench-") as workdir:
        start = time.perf_counter()
        run = load_backend(backend, data, Path(workdir))
        load_s = time.perf_counter() - start
        load_peak_mb = peak_rss_mb()
        queries = {q.name: time_query(run, q.text, runs, budget) for q in load_queries(queries_dir)}
    record = {
        "backend": backend,
        "load_s": round(load_s, 3),
        "peak_rss_mb": load_peak_mb,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_after_queries_mb": peak_rss_mb(),
        "queries": queries,
    }
    click.echo(json.dumps(record))


if __name__ == "__main__":
    main()
