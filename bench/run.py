"""Benchmark the whole pipeline at several scales and write bench/results/RESULTS.md + JSON.

    .venv/bin/python -m bench.run --scales 1,10,100 --out bench/results

Steps: time ``python -m kg build`` (into OUT/build, leaving dist/ alone); grow the built graph
with :mod:`bench.scale`; per scale, load it into pyoxigraph (memory, disk) and rdflib in fresh
processes (load time, peak memory, p50/p99 of every query); start our server and the reference
servers on 127.0.0.1 (bare Flask over pyoxigraph, rdflib-endpoint, Virtuoso 7 if installed),
time every query over HTTP and measure requests/s of the query mix with concurrent clients.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bench import endpoints, load, report
from bench.inproc import BACKENDS
from bench.queries import BENCH_QUERIES_DIR, Query, load_queries
from bench.scale import write_scaled
from kg.constants import DIST_DIR, GRAPH_FILENAME, ROOT_DIR

Record = dict[str, Any]


def run_build(out: Path) -> Record:
    """Time the full build (``python -m kg build``) into ``out/build``."""
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--dist-dir", str(out / "build")],
        capture_output=True, text=True, cwd=ROOT_DIR, check=False,
    )
    seconds = round(time.perf_counter() - start, 2)
    graph = out / "build" / GRAPH_FILENAME
    if completed.returncode != 0 or not graph.exists():
        return {"seconds": seconds, "ok": False, "error": completed.stderr[-800:]}
    return {"seconds": seconds, "ok": True, "graph": str(graph)}


def run_inproc(backend: str, data: Path, queries_dir: Path, runs: int, budget: float) -> Record:
    """One backend in a fresh process (``bench.inproc``); its JSON, or the error."""
    command = [
        sys.executable, "-m", "bench.inproc", "--backend", backend, "--data", str(data),
        "--queries", str(queries_dir), "--runs", str(runs), "--budget", str(budget),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT_DIR, check=False)
    if completed.returncode != 0:
        return {"backend": backend, "error": completed.stderr[-800:]}
    record: Record = json.loads(completed.stdout.strip().splitlines()[-1])
    return record


def measure_endpoint(
    endpoint: endpoints.Endpoint, queries: list[Query], options: Record
) -> Record:
    """Per-query HTTP latency, then the concurrent mix, then the server's memory."""
    record: Record = {"name": endpoint.name, "start_s": endpoint.start_s, "rss_idle_mb": endpoint.rss_mb()}
    latencies: Record = {}
    for query in queries:
        try:
            latencies[query.name] = load.latency(
                endpoint.url, query, endpoint.extra_params, options["runs"], options["budget"]
            )
        except (load.LoadError, OSError) as error:
            latencies[query.name] = {"error": str(error)[:300]}
    record["queries"] = latencies
    answered = [q for q in queries if "error" not in latencies[q.name]]
    if answered:
        record["mix"] = load.mix(
            endpoint.url, answered, endpoint.extra_params, options["clients"], options["mix_seconds"]
        )
    record["rss_after_mb"] = endpoint.rss_mb()
    return record


def serve_and_measure(
    name: str, starter: Callable[[], endpoints.Endpoint], queries: list[Query], options: Record
) -> Record:
    """Start one server, measure it and stop it whatever happens."""
    try:
        endpoint = starter()
    except (endpoints.EndpointError, OSError, subprocess.SubprocessError) as error:
        return {"name": name, "error": str(error)[:500]}
    try:
        return measure_endpoint(endpoint, queries, options)
    finally:
        endpoint.stop()


def run_scale(scale: int, source: Path, out: Path, queries: list[Query], options: Record) -> Record:
    """Everything measured at one scale."""
    data = out / "data" / f"kg_x{scale}.nt"
    start = time.perf_counter()
    triples = write_scaled(source, scale, options["seed"], data)
    record: Record = {"scale": scale, "triples": triples, "generate_s": round(time.perf_counter() - start, 2)}
    click.echo(f"x{scale}: {triples} triples")
    record["inproc"] = [
        run_inproc(backend, data, options["queries_dir"], options["runs"], options["budget"])
        for backend in BACKENDS
        if backend != "rdflib" or scale <= options["rdflib_max_scale"]
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    logs = out / "logs"
    starters: list[tuple[str, Callable[[], endpoints.Endpoint]]] = [
        ("rankl-kg", lambda: endpoints.start_project(data, env, logs / f"rankl-kg_x{scale}.log")),
        ("flask-oxigraph", lambda: endpoints.start_bare_flask(data, env, logs / f"flask_x{scale}.log", 4)),
    ]
    if scale <= options["rdflib_max_scale"]:
        starters.append(
            ("rdflib-endpoint",
             lambda: endpoints.start_rdflib_endpoint(data, env, logs / f"rdflib-endpoint_x{scale}.log", 2))
        )
    record["http"] = []
    for name, starter in starters:
        click.echo(f"x{scale}: HTTP {name}")
        record["http"].append(serve_and_measure(name, starter, queries, options))
    if endpoints.virtuoso_available():
        click.echo(f"x{scale}: HTTP virtuoso")
        record["http"].append(measure_virtuoso(data, out / "virtuoso" / f"x{scale}", queries, options))
    return record


def measure_virtuoso(data: Path, directory: Path, queries: list[Query], options: Record) -> Record:
    """Start Virtuoso on a private database, bulk-load ``data``, measure, stop."""
    try:
        endpoint, load_s = endpoints.start_virtuoso(data, directory, buffers=100_000)
    except (endpoints.EndpointError, OSError, subprocess.SubprocessError) as error:
        return {"name": "virtuoso", "error": str(error)[:500]}
    try:
        record = measure_endpoint(endpoint, queries, options)
        record["load_s"] = load_s
        return record
    finally:
        endpoint.stop()


def environment() -> Record:
    """The machine and software the figures were measured on."""
    import pyoxigraph
    import rdflib

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "time": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


@click.command()
@click.option("--scales", default="1,10", show_default=True, help="Comma-separated growth factors.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("bench/results"),
              show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--queries", "queries_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Query folder [default: queries/ if it has *.rq, else bench/queries].")
@click.option("--runs", type=int, default=30, show_default=True, help="Timed runs per query, at most.")
@click.option("--budget", type=float, default=5.0, show_default=True, help="Seconds per query, about.")
@click.option("--clients", type=int, default=8, show_default=True, help="Concurrent clients of the mix.")
@click.option("--mix-seconds", type=int, default=10, show_default=True)
@click.option("--rdflib-max-scale", type=int, default=10, show_default=True,
              help="Largest scale rdflib and rdflib-endpoint are run at (they load slowly).")
@click.option("--skip-build", is_flag=True, help="Use dist/rankl-kg.ttl instead of building.")
def main(
    scales: str, out: Path, seed: int, queries_dir: Path | None, runs: int, budget: float,
    clients: int, mix_seconds: int, rdflib_max_scale: int, skip_build: bool,
) -> None:
    """Run the benchmark and write OUT/results.json and OUT/RESULTS.md."""
    try:
        factors = [int(part) for part in scales.split(",") if part.strip()]
    except ValueError as error:
        raise click.BadParameter(f"--scales must be integers like 1,10,100, got {scales!r}") from error
    chosen_dir = queries_dir or default_queries_dir()
    queries = load_queries(chosen_dir)
    out.mkdir(parents=True, exist_ok=True)
    build: Record = {"ok": False, "skipped": True} if skip_build else run_build(out)
    source = Path(build["graph"]) if build.get("ok") else DIST_DIR / GRAPH_FILENAME
    if not source.exists():
        raise click.ClickException(f"no graph to scale: build failed and {source} is missing")
    options: Record = {
        "seed": seed, "queries_dir": chosen_dir, "runs": runs, "budget": budget, "clients": clients,
        "mix_seconds": mix_seconds, "rdflib_max_scale": rdflib_max_scale,
    }
    results: Record = {
        "environment": environment(), "build": build, "source": str(source),
        "options": {**options, "queries_dir": str(chosen_dir)},
        "scales": [run_scale(scale, source, out, queries, options) for scale in factors],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (out / "RESULTS.md").write_text(report.markdown(results), encoding="utf-8")
    click.echo(f"wrote {out / 'RESULTS.md'} and {out / 'results.json'}")


def default_queries_dir() -> Path:
    """The project's ``queries/`` once it holds ``*.rq`` files, else the bench's own set."""
    project = ROOT_DIR / "queries"
    return project if any(project.glob("*.rq")) else BENCH_QUERIES_DIR


if __name__ == "__main__":
    main()
