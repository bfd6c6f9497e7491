"""The cold path: our server against a bare Flask app over pyoxigraph, side by side in one run.

    .venv/bin/python -m bench.cold_path --label before
    .venv/bin/python -m bench.cold_path --label "before and after" \\
        --variant "before@../wt-main" --variant "after" --variant "after, 1 process:WEB_PROCESSES=1"

Both serve the same release graph (``dist/current/rankl-kg.ttl`` by default; the bare app gets
it as N-Triples, as it reads them). The bare app is ``bench/apps/flask_oxigraph.py`` under
gunicorn (2 processes x 4 threads, no guards). Ours runs with every guard at its default except
the per-client budgets, raised 8x because every load client comes from 127.0.0.1
(:func:`bench.endpoints.client_budget_settings`); ``--setting NAME=VALUE`` sets more
``RANKL_KG_*`` settings. ``--variant NAME[@CHECKOUT][:NAME=VALUE,...]`` (repeatable) measures
several of ours in the same run, each with its own settings and optionally the code of another
checkout (e.g. a worktree of main: the "before"), run with this checkout's interpreter.
``bench/http_load.py --vary`` (wrk, 8 connections) appends a distinct comment to every
request, so no cache answers: the cold path. Our server is ``rankl-kg serve``'s
(:func:`server.wsgi.serve`): with ``WEB_PROCESSES`` unset, as many web processes as the cores
it is pinned to.

Each server is measured pinned to one core (``taskset -c 0``, wrk on core 1) and to both
(``taskset -c 0,1``, wrk unpinned); before each measurement the script waits until the
1-minute load average is under ``--max-load``. Memory is the PSS of the server's process tree
after the load (PSS shares pages between processes fairly, so a sum of PSS is meaningful where
a sum of RSS is not). Every run is appended to ``bench/results/cold-path.json`` and
``bench/results/cold-path.md`` is rewritten from all runs kept there.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from bench.endpoints import Endpoint, client_budget_settings, free_port, spawn

ROOT = Path(__file__).resolve().parents[1]
QUERY_DIR = ROOT / "bench" / "queries" / "cold_path"
RESULTS_JSON = ROOT / "bench" / "results" / "cold-path.json"
RESULTS_MD = ROOT / "bench" / "results" / "cold-path.md"
#: The three query shapes of issue 15, in table order
SHAPES = {
    "lookup-by-external-id": "lookup by external id",
    "label-scan-filter": "label scan with FILTER",
    "join-through-evidence": "join through evidence statements",
}
#: Server CPUs and wrk CPUs (``None``: unpinned) per core count
PINNING: dict[int, tuple[str, str | None]] = {1: ("0", "1"), 2: ("0,1", None)}
#: The targets: ours >= 0.8x the bare req/s, and p50 <= 1.3x the bare p50
RPS_TARGET, P50_TARGET = 0.8, 1.3
CLIENTS = 8


def load_average() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def wait_for_quiet(max_load: float, max_wait_s: float) -> float:
    """Sleep until the 1-minute load is under ``max_load`` (at most ``max_wait_s``)."""
    deadline = time.monotonic() + max_wait_s
    while load_average() >= max_load and time.monotonic() < deadline:
        time.sleep(5)
    return round(load_average(), 2)


def pss_mb(endpoint: Endpoint) -> float:
    """Proportional set size of the server's process tree, in MB."""
    import psutil

    root = psutil.Process(endpoint.process.pid)
    processes = [root, *root.children(recursive=True)]
    return round(sum(p.memory_full_info().pss for p in processes) / 2**20, 1)


def as_ntriples(graph: Path, directory: Path) -> Path:
    """``graph`` as an N-Triples file (what the bare app loads)."""
    target = directory / f"{graph.stem}.nt"
    store = pyoxigraph.Store()
    store.bulk_load(path=graph, format=pyoxigraph.RdfFormat.TURTLE)
    store.dump(target, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return target


@dataclass(frozen=True)
class Variant:
    """One of our servers to measure: its settings, and the checkout whose code runs."""

    name: str
    settings: dict[str, str]
    checkout: Path = ROOT

    @classmethod
    def parse(cls, spec: str, common: dict[str, str]) -> Variant:
        """``NAME[@CHECKOUT][:NAME=VALUE,...]``; ``common`` settings apply to every variant."""
        head, _, settings_text = spec.partition(":")
        name, _, checkout = head.partition("@")
        own = dict(item.split("=", 1) for item in settings_text.split(",") if item)
        root = Path(checkout).resolve() if checkout else ROOT
        return cls(name, {**common, **own}, root)


def start_ours(graph: Path, cpus: str, variant: Variant, log: Path) -> Endpoint:
    """Our server (``rankl-kg serve``'s, from ``variant.checkout``) pinned to ``cpus``."""
    port = free_port()
    env = {
        **os.environ,
        **client_budget_settings(CLIENTS),
        **{f"RANKL_KG_{key}": value for key, value in variant.settings.items()},
        "PYTHONPATH": str(variant.checkout),
    }
    command = ["taskset", "-c", cpus, sys.executable, "-m", "bench.project_server"]
    arguments = [*command, str(graph), str(port)]
    return spawn("rankl-kg", arguments, env, log, port, cwd=variant.checkout)


def start_bare(ntriples: Path, cpus: str, log: Path) -> Endpoint:
    """The bare Flask app under gunicorn, 2 processes x 4 threads, pinned to ``cpus``."""
    port = free_port()
    command = [
        *("taskset", "-c", cpus, sys.executable, "-m", "gunicorn"),
        *("--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}"),
        "bench.apps.flask_oxigraph:app_from_environment()",
    ]
    env = {**os.environ, "BENCH_GRAPH": str(ntriples)}
    return spawn("flask-oxigraph", command, env, log, port)


def load_shape(url: str, shape: str, wrk_cpus: str | None, duration_s: int) -> dict[str, Any]:
    """Run ``bench/http_load.py --vary`` for one query shape; its JSON record."""
    command = [
        *(["taskset", "-c", wrk_cpus] if wrk_cpus else []),
        sys.executable,
        str(ROOT / "bench" / "http_load.py"),
        url,
        *("-q", str(QUERY_DIR / f"{shape}.rq")),
        *("--vary", "--connections", str(CLIENTS), "--duration", str(duration_s)),
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench/http_load.py failed on {shape}: {done.stderr.strip()}")
    record: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return record


def cpu_seconds(endpoint: Endpoint) -> float:
    """CPU time (user + system) used so far by the server's process tree."""
    import psutil

    root = psutil.Process(endpoint.process.pid)
    times = [p.cpu_times() for p in [root, *root.children(recursive=True)]]
    return sum(t.user + t.system for t in times)


def load_and_cpu(endpoint: Endpoint, shape: str, wrk_cpus: str | None, duration: int) -> Any:
    """One shape's load record, with the server's CPU microseconds per request: a figure the
    other load on a shared machine disturbs far less than requests/s."""
    before = cpu_seconds(endpoint)
    record = load_shape(endpoint.url, shape, wrk_cpus, duration)
    if record.get("requests"):
        used = cpu_seconds(endpoint) - before
        record["cpu_us_per_request"] = round(used / record["requests"] * 1e6)
    return record


def measure(name: str, endpoint: Endpoint, wrk_cpus: str | None, duration_s: int) -> dict[str, Any]:
    """Every shape against a started server; then its PSS; the server is stopped."""
    try:
        shapes = {shape: load_and_cpu(endpoint, shape, wrk_cpus, duration_s) for shape in SHAPES}
        memory = pss_mb(endpoint)
    finally:
        endpoint.stop()
    return {"server": name, "start_s": endpoint.start_s, "pss_mb": memory, "shapes": shapes}


def commit_of(checkout: Path) -> str:
    """The short commit id of ``checkout``'s HEAD."""
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        check=False,
        capture_output=True,
        text=True,
        cwd=checkout,
    ).stdout.strip()


def run(args: argparse.Namespace) -> dict[str, Any]:
    """One run: for each core count, the bare app and ours, every shape."""
    graph = Path(args.graph).absolute()
    settings = dict(item.split("=", 1) for item in args.setting)
    variants = [Variant.parse(spec, settings) for spec in args.variant] or [
        Variant("ours", settings)
    ]
    work = ROOT / "bench" / "results" / ".cold-path"
    work.mkdir(parents=True, exist_ok=True)
    ntriples = as_ntriples(graph, work)
    started = datetime.datetime.now(datetime.UTC)
    commit = commit_of(ROOT)
    by_cores: dict[str, Any] = {}
    for cores in args.cores:
        server_cpus, wrk_cpus = PINNING[cores]
        servers = {}
        for name, variant in [("bare", None), *((v.name, v) for v in variants)]:
            load = wait_for_quiet(args.max_load, args.max_wait)
            print(f"{cores} core(s), {name}: load {load}", file=sys.stderr)
            log = work / f"{name}.log"
            endpoint = (
                start_bare(ntriples, server_cpus, log)
                if variant is None
                else start_ours(graph, server_cpus, variant, log)
            )
            servers[name] = {**measure(name, endpoint, wrk_cpus, args.duration), "load": load}
        by_cores[str(cores)] = servers
    return {
        "label": args.label,
        "commit": commit,
        "settings": settings,
        "variants": {
            v.name: {"settings": v.settings, "checkout": commit_of(v.checkout)} for v in variants
        },
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": (
            f"{platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        ),
        "pyoxigraph": pyoxigraph.__version__,
        "graph": str(graph.relative_to(ROOT)) if graph.is_relative_to(ROOT) else str(graph),
        "duration_s": args.duration,
        "cores": by_cores,
    }


def figure(record: dict[str, Any]) -> tuple[float | None, float]:
    """req/s and p50 (ms) of one http_load record."""
    return record.get("rps"), float(record.get("p50_ms", 0.0))


def verdict(rps_ratio: float, p50_ratio: float) -> str:
    """Whether both targets are met, or by how much each is missed."""
    misses = []
    if rps_ratio < RPS_TARGET:
        misses.append(f"req/s {rps_ratio / RPS_TARGET:.2f}x of target")
    if p50_ratio > P50_TARGET:
        misses.append(f"p50 {p50_ratio / P50_TARGET:.2f}x over target")
    return "met" if not misses else "missed: " + ", ".join(misses)


def settings_text(run_record: dict[str, Any]) -> str:
    """Our settings in a run, with the variants measured (and the prototypes of older runs)."""
    settings = ", ".join(f"`{k}={v}`" for k, v in run_record["settings"].items()) or "defaults"
    if run_record.get("web_processes", 1) > 1:
        processes = run_record["web_processes"]
        settings += f", {processes} web processes (prototype bench/prefork_server.py, now removed)"
    if run_record.get("inprocess"):
        settings += ", queries in the web process, no worker (prototype: no deadline kill)"
    for name, variant in run_record.get("variants", {}).items():
        own = ", ".join(f"`{k}={v}`" for k, v in variant["settings"].items()) or "defaults"
        settings += f"; {name}: commit {variant['checkout']}, {own}"
    return settings


def shape_rows(cores: str, servers: dict[str, Any]) -> list[str]:
    """One row per query shape and variant of ours, against the bare app."""
    bare = servers["bare"]
    variants = [name for name in servers if name != "bare"]
    rows = []
    for shape, title in SHAPES.items():
        for name in variants:
            ours = servers[name]
            label = title if variants == ["ours"] else f"{title} ({name})"
            our_rps, our_p50 = figure(ours["shapes"][shape])
            bare_rps, bare_p50 = figure(bare["shapes"][shape])
            if not our_rps or not bare_rps or not bare_p50:
                rows.append(f"| {cores} | {label} | failed | failed | – | – | – | – | – |")
                continue
            rps_ratio, p50_ratio = our_rps / bare_rps, our_p50 / bare_p50
            errors = f"{ours['shapes'][shape].get('non2xx', '?')}/"
            errors += f"{bare['shapes'][shape].get('non2xx', '?')}"
            cpu = f"{ours['shapes'][shape].get('cpu_us_per_request', '–')}/"
            cpu += f"{bare['shapes'][shape].get('cpu_us_per_request', '–')}"
            rows.append(
                f"| {cores} | {label} | {our_rps:,.0f} ({our_p50:.1f}) | "
                f"{bare_rps:,.0f} ({bare_p50:.1f}) | {rps_ratio:.2f} | {p50_ratio:.2f} | "
                f"{verdict(rps_ratio, p50_ratio)} | {errors} | {cpu} |"
            )
    return rows


def memory_text(cores: str, servers: dict[str, Any]) -> str:
    """PSS and start load of each server measured on ``cores`` cores."""
    parts = [
        f"{name} {server['pss_mb']:,.0f} MB (load {server['load']})"
        for name, server in servers.items()
    ]
    return f"{cores} core(s): " + ", ".join(parts)


def run_table(run_record: dict[str, Any]) -> list[str]:
    """The Markdown section of one run."""
    method = (
        f"Our settings: {settings_text(run_record)} (+ per-client budgets x{CLIENTS}); "
        f"{run_record['machine']}, pyoxigraph {run_record['pyoxigraph']}; "
        f"{run_record['graph']}; {run_record['duration_s']} s per shape, {CLIENTS} connections, "
        "`--vary`."
    )
    header = (
        "| cores | query shape | ours req/s (p50 ms) | bare req/s (p50 ms) | req/s ratio | "
        "p50 ratio | targets (≥ 0.8×, ≤ 1.3×) | non-2xx ours/bare | server CPU µs/request "
        "ours/bare |"
    )
    lines = [
        f"### {run_record['label']} (commit {run_record['commit']}, {run_record['date']})",
        "",
        method,
        "",
        header,
        "|---:|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for cores, servers in run_record["cores"].items():
        lines += shape_rows(cores, servers)
    memory = "; ".join(memory_text(c, servers) for c, servers in run_record["cores"].items())
    return [*lines, "", f"PSS of the process tree after the load, load at start: {memory}.", ""]


def write_markdown(runs: list[dict[str, Any]]) -> None:
    """Rewrite ``cold-path.md`` from every kept run."""
    lines = [
        "# The cold path: our server against bare Flask + pyoxigraph (issue 15)",
        "",
        "Written by `bench/cold_path.py` (see its docstring for the method), e.g.",
        "`.venv/bin/python -m bench.cold_path --label before`; one section per run, oldest first.",
        "Each run measures both servers itself, so its ratios compare like with like. What the",
        "figures say, and which design was chosen: [cold-path-analysis.md](cold-path-analysis.md).",
        "",
    ]
    for run_record in runs:
        lines += run_table(run_record)
    RESULTS_MD.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True, help="names this run in the results")
    parser.add_argument("--graph", default=str(ROOT / "dist" / "current" / "rankl-kg.ttl"))
    parser.add_argument("--setting", action="append", default=[], help="NAME=VALUE of ours")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        help="NAME[@CHECKOUT][:NAME=VALUE,...]: one of ours to measure (repeatable)",
    )
    parser.add_argument("--cores", type=int, nargs="+", default=[1, 2], choices=sorted(PINNING))
    parser.add_argument("--duration", type=int, default=10, help="seconds per shape")
    parser.add_argument("--max-load", type=float, default=1.5)
    parser.add_argument("--max-wait", type=float, default=300.0, help="seconds to wait for it")
    parser.add_argument("--replace", action="store_true", help="drop earlier runs of this label")
    args = parser.parse_args()
    record = run(args)
    runs: list[dict[str, Any]] = (
        json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.is_file() else []
    )
    if args.replace:
        runs = [kept for kept in runs if kept["label"] != args.label]
    runs.append(record)
    RESULTS_JSON.write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")
    write_markdown(runs)
    print("\n".join(run_table(record)))


if __name__ == "__main__":
    main()
