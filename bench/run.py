"""Benchmark the whole pipeline at several scales and write OUT/RESULTS.md + OUT/results.json.

    .venv/bin/python -m bench.run --scales 1,10,100,1000 --out bench/results

Steps: time ``python -m kg build`` (into OUT/build, leaving dist/ alone; wall and CPU time, and
the load average, so that a slow build on a busy machine can be told from a slow build); grow
the served graph (the reasoned export) with :mod:`bench.scale`; per scale, load it into
pyoxigraph (memory, disk) and rdflib in fresh processes (load time, peak memory, p50/p99 of
every competency query, ``queries/*.ttl``); start our server (result cache on, then off; from
the on-disk store from ``--disk-from-scale`` on) and the reference servers on 127.0.0.1 (bare
Flask over pyoxigraph, rdflib-endpoint, Virtuoso 7), time every query over HTTP and measure
requests/s of the query mix with concurrent clients. Results are written after every scale.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bench import endpoints, load, report
from bench.inproc import BACKENDS, QUERIES_OPTION
from bench.scale import write_scaled
from bench.soak_probe import pss_of_tree
from bench.stats import Limits
from kg.checks.competency import CompetencyQuery, load_competency_queries
from kg.constants import CURRENT_RELEASE_LINK, DIST_DIR, INFERRED_GRAPH_FILENAME, ROOT_DIR
from kg.release.verify import sha256_of_file

Record = dict[str, Any]
#: Virtuoso's page buffers (8 KiB each): one per this many triples, at least 100,000
VIRTUOSO_TRIPLES_PER_BUFFER = 40


def load_average() -> float:
    """The 1-minute load average (other work on the machine skews every figure)."""
    return round(os.getloadavg()[0], 2)


def children_cpu_s() -> float:
    """User + system CPU seconds of all finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build_once(out: Path) -> Record:
    """Time one full build (``python -m kg build``) into ``out/build``: wall and CPU seconds."""
    load_before, cpu_before = load_average(), children_cpu_s()
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--dist-dir", str(out / "build")],
        capture_output=True,
        text=True,
        cwd=ROOT_DIR,
        check=False,
    )
    record: Record = {
        "seconds": round(time.perf_counter() - start, 2),
        "cpu_s": round(children_cpu_s() - cpu_before, 2),
        "load_average": load_before,
        "ok": completed.returncode == 0,
    }
    if completed.returncode != 0:
        record["error"] = completed.stderr[-800:]
    return record


def run_build(out: Path, runs: int) -> Record:
    """Build ``runs`` times (the first pays for cold caches: Python bytecode, the JVM of HermiT,
    the page cache); the verdict uses the fastest run, all runs are reported."""
    attempts = [run_build_once(out) for _ in range(runs)]
    graph = out / "build" / CURRENT_RELEASE_LINK / INFERRED_GRAPH_FILENAME
    good = [attempt for attempt in attempts if attempt["ok"]]
    if not good or not graph.exists():
        return {"ok": False, "runs": attempts}
    best = min(good, key=lambda attempt: float(attempt["seconds"]))
    return {"ok": True, "seconds": best["seconds"], "runs": attempts, "graph": str(graph)}


def scaled_data(source: Path, scale: int, seed: int, directory: Path) -> Record:
    """Write (or reuse, if source, seed and generator are unchanged) the graph grown ``scale``
    times as ``directory/kg_x<scale>.nt``; return its path, triple count and how it was made."""
    data = directory / f"kg_x{scale}.nt"
    stamp_path = data.with_suffix(".json")
    stamp = {
        "source_sha256": sha256_of_file(source),
        "generator_sha256": sha256_of_file(Path(__file__).with_name("scale.py")),
        "seed": seed,
        "scale": scale,
    }
    if data.exists() and stamp_path.exists():
        previous = json.loads(stamp_path.read_text(encoding="utf-8"))
        if {key: previous.get(key) for key in stamp} == stamp:
            return {
                "path": data,
                "triples": previous["triples"],
                "generate_s": None,
                "reused": True,
            }
    start = time.perf_counter()
    triples = write_scaled(source, scale, seed, data)
    seconds = round(time.perf_counter() - start, 2)
    stamp_path.write_text(json.dumps({**stamp, "triples": triples}), encoding="utf-8")
    return {"path": data, "triples": triples, "generate_s": seconds, "reused": False}


def run_inproc(backend: str, data: Path, options: Record) -> Record:
    """One backend in a fresh process (``bench.inproc``); its JSON, or the error."""
    command = [
        sys.executable,
        "-m",
        "bench.inproc",
        "--backend",
        backend,
        "--data",
        str(data),
        "--queries",
        str(options["queries_snapshot"]),
        "--runs",
        str(options["scale_runs"]),
        "--budget",
        str(options["budget"]),
        "--timeout",
        str(options["timeout"]),
        "--probe" if options["probe"] else "--no-probe",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT_DIR, check=False)
    if completed.returncode != 0:
        return {"backend": backend, "error": completed.stderr[-800:]}
    record: Record = json.loads(completed.stdout.strip().splitlines()[-1])
    return record


def measure_endpoint(
    endpoint: endpoints.Endpoint, queries: list[CompetencyQuery], options: Record
) -> Record:
    """Per-query HTTP latency, then the concurrent mix, then the server's memory."""
    record: Record = {
        "name": endpoint.name,
        "start_s": endpoint.start_s,
        "rss_idle_mb": endpoint.rss_mb(),
    }
    latencies: Record = {}
    for query in queries:
        try:
            latencies[query.name] = load.latency(
                endpoint.url,
                query,
                endpoint.extra_params,
                Limits(options["scale_runs"], options["budget"], options["timeout"] + 10),
            )
        except (load.LoadError, OSError) as error:
            latencies[query.name] = {"error": str(error)[:300]}
    record["queries"] = latencies
    answered = [q for q in queries if "error" not in latencies[q.name]]
    if answered:
        try:
            record["mix"] = load.mix(
                endpoint.url,
                answered,
                endpoint.extra_params,
                options["clients"],
                options["mix_seconds"],
            )
        except load.LoadError as error:
            record["mix"] = {"error": str(error)[:300]}
    ended = endpoint.process.poll()
    if ended is not None:  # e.g. a reference server without a memory cap, OOM-killed
        record["ended"] = f"the server ended during the measurement (exit status {ended})"
        return record
    record["rss_after_mb"] = endpoint.rss_mb()
    record["pss_after_mb"] = pss_of_tree(endpoint.process.pid)
    return record


def serve_and_measure(
    name: str,
    starter: Callable[[], endpoints.Endpoint],
    queries: list[CompetencyQuery],
    options: Record,
) -> Record:
    """Start one server, measure it and stop it whatever happens."""
    try:
        endpoint = starter()
    except (endpoints.EndpointError, OSError, subprocess.SubprocessError) as error:
        return {"name": name, "error": str(error)[:500]}
    endpoint.name = name
    try:
        return measure_endpoint(endpoint, queries, options)
    finally:
        endpoint.stop()


def first_load_of_store(data: Path, store: Path, env: dict[str, str], log: Path) -> Record:
    """Start our server on an empty STORE_PATH (it bulk-loads the store), time it, stop it."""
    shutil.rmtree(store, ignore_errors=True)
    try:
        endpoint = endpoints.start_project(data, env, log, {"RANKL_KG_STORE_PATH": str(store)})
    except (endpoints.EndpointError, OSError, subprocess.SubprocessError) as error:
        return {"first_load_error": str(error)[:500]}  # not "error": it would mask the runs'
    endpoint.stop()
    return {"first_load_s": endpoint.start_s}


def measure_project(
    scale: int,
    triples: int,
    data: Path,
    out: Path,
    queries: list[CompetencyQuery],
    options: Record,
) -> list[Record]:
    """Our server with the result cache on (default) and off; from ``--disk-from-scale`` on it
    serves the on-disk store: one start that bulk-loads it, then restarts that open it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    budgets = {**endpoints.client_budget_settings(options["clients"]), **web_settings(options)}
    logs = out / "logs"
    on_disk = serves_from_disk(scale, triples, options["disk_from_scale"])
    storage: Record = {"storage": "memory"}
    if on_disk:
        store = out / "data" / f"store_x{scale}"
        click.echo(f"x{scale}: HTTP rankl-kg first load of {store}")
        storage = {
            "storage": "disk",
            **first_load_of_store(data, store, env, logs / f"rankl-kg_x{scale}.log"),
        }
        budgets = {**budgets, "RANKL_KG_STORE_PATH": str(store)}
    records = []
    for label, cache in (("cache on", {}), ("cache off", {"RANKL_KG_RESULT_CACHE_BYTES": "0"})):
        name = f"rankl-kg ({label})"
        click.echo(f"x{scale}: HTTP {name}")
        settings = {**budgets, **cache}
        log = logs / f"rankl-kg_x{scale}.log"
        starter = functools.partial(endpoints.start_project, data, env, log, settings)
        record = serve_and_measure(name, starter, queries, options)
        records.append({**record, **storage})
    return records


#: From this scale on, in-process pyoxigraph queries are first tried in a forked child
PROBE_FROM_SCALE = 100
#: Bytes an in-memory pyoxigraph store takes per triple (x1000: 6.9 GB for 20 million)
MEMORY_BYTES_PER_TRIPLE = 400


def serves_from_disk(scale: int, triples: int, disk_from_scale: int) -> bool:
    """On disk from ``--disk-from-scale`` on; with 0, in memory if the store fits in half the
    memory available now (one copy: the query workers share it), on disk beyond."""
    if disk_from_scale > 0:
        return scale >= disk_from_scale
    available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    return triples * MEMORY_BYTES_PER_TRIPLE > available // 2


def web_settings(options: Record) -> dict[str, str]:
    """``RANKL_KG_WEB_PROCESSES`` for our server when ``--web-processes`` is given."""
    if options.get("web_processes") is None:
        return {}
    return {"RANKL_KG_WEB_PROCESSES": str(options["web_processes"])}


def measure_references(
    scale: int, triples: int, data: Path, out: Path, queries: list[CompetencyQuery], options: Record
) -> list[Record]:
    """Bare Flask over pyoxigraph, rdflib-endpoint (up to ``--rdflib-max-scale``), Virtuoso 7."""
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    logs = out / "logs"
    starters: list[tuple[str, Callable[[], endpoints.Endpoint]]] = [
        (
            "flask-oxigraph",
            lambda: endpoints.start_bare_flask(data, env, logs / f"flask_x{scale}.log", 4),
        ),
    ]
    if scale <= options["rdflib_max_scale"]:
        starters.append(
            (
                "rdflib-endpoint",
                lambda: endpoints.start_rdflib_endpoint(
                    data, env, logs / f"rdflib-endpoint_x{scale}.log", 2
                ),
            )
        )
    records = []
    for name, starter in starters:
        click.echo(f"x{scale}: HTTP {name}")
        records.append(serve_and_measure(name, starter, queries, options))
    if endpoints.virtuoso_available():
        click.echo(f"x{scale}: HTTP virtuoso")
        buffers = max(100_000, triples // VIRTUOSO_TRIPLES_PER_BUFFER)
        records.append(
            measure_virtuoso(data, out / "virtuoso" / f"x{scale}", buffers, queries, options)
        )
    return records


def measure_virtuoso(
    data: Path, directory: Path, buffers: int, queries: list[CompetencyQuery], options: Record
) -> Record:
    """Start Virtuoso on a private database, bulk-load ``data``, measure, stop."""
    try:
        endpoint, load_s = endpoints.start_virtuoso(data, directory, buffers=buffers)
    except (endpoints.EndpointError, OSError, subprocess.SubprocessError) as error:
        return {"name": "virtuoso", "error": str(error)[:500]}
    try:
        record = measure_endpoint(endpoint, queries, options)
        record["load_s"] = load_s
        return record
    finally:
        endpoint.stop()


def run_scale(
    scale: int, source: Path, out: Path, queries: list[CompetencyQuery], options: Record
) -> Record:
    """Everything measured at one scale."""
    data = scaled_data(source, scale, options["seed"], out / "data")
    runs = options["runs"] if scale < options["large_from"] else options["large_runs"]
    scale_options = {**options, "scale_runs": runs, "probe": scale >= PROBE_FROM_SCALE}
    record: Record = {
        "scale": scale,
        "triples": data["triples"],
        "generate_s": data["generate_s"],
        "data_reused": data["reused"],
        "runs": runs,
        "load_average": load_average(),
    }
    click.echo(f"x{scale}: {data['triples']} triples, load average {record['load_average']}")
    record["inproc"] = [
        run_inproc(backend, data["path"], scale_options)
        for backend in BACKENDS
        if options["inproc"] and (backend != "rdflib" or scale <= options["rdflib_max_scale"])
    ]
    record["http"] = [
        *measure_project(scale, data["triples"], data["path"], out, queries, scale_options),
        *measure_references(scale, data["triples"], data["path"], out, queries, scale_options),
    ]
    record["load_average_after"] = load_average()
    return record


def environment() -> Record:
    """The machine and software the figures were measured on."""
    import pyoxigraph
    import rdflib

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "virtuoso": virtuoso_version(),
        "load_average": load_average(),
        "time": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def virtuoso_version() -> str | None:
    """The first line of ``virtuoso-t -?`` naming the version, if Virtuoso is installed."""
    if not endpoints.virtuoso_available():
        return None
    completed = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True, check=False)
    text = completed.stdout + completed.stderr
    return next((line.strip() for line in text.splitlines() if "Version" in line), None)


def write_results(results: Record, out: Path) -> None:
    """Write OUT/results.json and OUT/RESULTS.md from what is measured so far."""
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    (out / "RESULTS.md").write_text(report.markdown(results), encoding="utf-8")


def snapshot_queries(queries_dir: Path, snapshot: Path) -> Path:
    """Copy the query files the run starts with: the in-process runs read them in child processes
    during the run, which must not see a query edited meanwhile."""
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir(parents=True)
    for path in sorted(queries_dir.glob("*.ttl")):
        shutil.copy2(path, snapshot / path.name)
    return snapshot


def relative_to_repository(path: Path) -> Path:
    """``path`` relative to the repository when it lies inside it (results name no machine path)."""
    resolved = path.resolve()
    return resolved.relative_to(ROOT_DIR) if resolved.is_relative_to(ROOT_DIR) else path


def parse_scales(scales: str) -> list[int]:
    """``"1,10,100"`` as integers; a clear error for anything else."""
    try:
        factors = [int(part) for part in scales.split(",") if part.strip()]
    except ValueError as error:
        raise click.BadParameter(
            f"--scales must be integers like 1,10,100, got {scales!r}"
        ) from error
    if not factors or min(factors) < 1:
        raise click.BadParameter(
            f"--scales must be positive integers like 1,10,100, got {scales!r}"
        )
    return factors


@click.command()
@click.option("--scales", default="1,10", show_default=True, help="Comma-separated growth factors.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("bench/results"),
    show_default=True,
)
@click.option("--seed", type=int, default=42, show_default=True)
@QUERIES_OPTION
@click.option(
    "--runs", type=int, default=20, show_default=True, help="Timed runs per query, at most."
)
@click.option(
    "--budget",
    type=float,
    default=2.0,
    show_default=True,
    help="Seconds of timed runs per query and backend, about (at least one run).",
)
@click.option(
    "--timeout",
    type=float,
    default=20.0,
    show_default=True,
    help="Seconds a query may run (in process; over HTTP 10 s more, so that a server's "
    "own limit, 20 s for ours, answers first).",
)
@click.option(
    "--large-from",
    type=int,
    default=1000,
    show_default=True,
    help="From this scale on, use --large-runs timed runs per query.",
)
@click.option("--large-runs", type=int, default=3, show_default=True)
@click.option(
    "--clients", type=int, default=8, show_default=True, help="Concurrent clients of the mix."
)
@click.option("--mix-seconds", type=int, default=10, show_default=True)
@click.option(
    "--rdflib-max-scale",
    type=int,
    default=1,
    show_default=True,
    help="Largest scale rdflib and rdflib-endpoint are run at (at x1 some competency "
    "queries already take tens of seconds in rdflib).",
)
@click.option(
    "--disk-from-scale",
    type=int,
    default=0,
    show_default=True,
    help="From this scale on, our server serves the on-disk store (STORE_PATH); 0: in memory "
    "if the store fits in half the available memory, on disk beyond.",
)
@click.option(
    "--web-processes",
    type=click.IntRange(min=1),
    default=None,
    help="RANKL_KG_WEB_PROCESSES for our server (unset: the server's default).",
)
@click.option(
    "--server-cpus",
    default=None,
    help="Pin every server measured to these CPUs (taskset -c, e.g. 0 or 0,1); the load "
    "generator is not pinned.",
)
@click.option(
    "--inproc/--no-inproc",
    default=True,
    show_default=True,
    help="Also time every query in process (pyoxigraph in memory and on disk, rdflib).",
)
@click.option(
    "--build-runs",
    type=int,
    default=2,
    show_default=True,
    help="Full builds timed (the fastest is the verdict); 0 skips the build.",
)
@click.option(
    "--source",
    "source_option",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Graph to grow and serve (default: the one the timed build wrote, else "
    "dist/current); a fixed file lets a long run reuse its scaled data.",
)
def main(
    scales: str,
    out: Path,
    seed: int,
    queries_dir: Path,
    runs: int,
    budget: float,
    timeout: float,
    large_from: int,
    large_runs: int,
    clients: int,
    mix_seconds: int,
    rdflib_max_scale: int,
    disk_from_scale: int,
    web_processes: int | None,
    server_cpus: str | None,
    inproc: bool,
    build_runs: int,
    source_option: Path | None,
) -> None:
    """Run the benchmark and write OUT/results.json and OUT/RESULTS.md."""
    factors = parse_scales(scales)
    if server_cpus:
        os.environ[endpoints.SERVER_CPUS_VARIABLE] = server_cpus
    queries = load_competency_queries(queries_dir)
    out.mkdir(parents=True, exist_ok=True)
    build: Record = run_build(out, build_runs) if build_runs > 0 else {"ok": False, "skipped": True}
    source = source_option or (
        Path(build["graph"])
        if build.get("ok")
        else DIST_DIR / CURRENT_RELEASE_LINK / INFERRED_GRAPH_FILENAME
    )
    if not source.exists():
        raise click.ClickException(
            f"no graph to scale: {source} is missing (build failed or skipped?)"
        )
    options: Record = {
        "seed": seed,
        "queries_dir": str(relative_to_repository(queries_dir)),
        "runs": runs,
        "budget": budget,
        "timeout": timeout,
        "large_from": large_from,
        "large_runs": large_runs,
        "clients": clients,
        "mix_seconds": mix_seconds,
        "rdflib_max_scale": rdflib_max_scale,
        "disk_from_scale": disk_from_scale,
        "web_processes": web_processes,
        "server_cpus": server_cpus,
        "inproc": inproc,
        "queries": len(queries),
        "queries_snapshot": str(
            relative_to_repository(snapshot_queries(queries_dir, out / "data" / "queries"))
        ),
    }
    results: Record = {
        "environment": environment(),
        "build": build,
        "source": str(relative_to_repository(source)),
        "source_sha256": sha256_of_file(source),
        "options": options,
        "scales": [],
    }
    started = time.perf_counter()
    for scale in factors:
        results["scales"].append(run_scale(scale, source, out, queries, options))
        results["duration_s"] = round(time.perf_counter() - started)
        write_results(results, out)
    click.echo(
        f"wrote {out / 'RESULTS.md'} and {out / 'results.json'} in {results['duration_s']} s"
    )


if __name__ == "__main__":
    main()
