"""Soak: a mixed load against a live ``rankl-kg serve`` on 127.0.0.1 while query workers die.

    .venv/bin/python -m bench.soak --minutes 30 --kill-every 60 --out bench/results/soak.md

Clients send from their own loopback addresses (127.0.0.2, 127.0.0.3, ...), each with the
default per-client budgets: simple lookups, heavy scans and aggregates, malformed queries, and
pathological ones (a query past the deadline, one past the workers' memory cap). Every
``--kill-every`` seconds a query worker (a ``server.backends.worker`` child of the server) is
SIGKILLed, and the server must answer a simple query afterwards. Reported: responses >= 500
that are not the expected 503s (deadline, memory cap, busy) nor the 500 of the one query that
was running in the killed worker; the PSS of the server's whole process tree over time and its
least-squares slope; the simple queries' p50/p99. Every text differs (a counter in a comment),
so no result cache answers: this is the cold path. Every result is still stored, so the
result and guard caches fill up to their bounds (``RESULT_CACHE_BYTES`` and
``GUARD_CACHE_BYTES`` per web process) over the run; the bytes they hold are sampled from
``/metrics`` beside the PSS, and the slope of the PSS without them is reported too.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import click

from bench.soak_probe import (
    answered_after_kill,
    cache_mb,
    minute_minima,
    pss_of_tree,
    slope_per_minute,
    summary,
    wait_answering,
    worker_pids,
)

PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SIMPLE = (
    PREFIX + "SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 5 OFFSET {n}",
    "SELECT ?s WHERE { ?s a ?type } LIMIT 3 OFFSET {n}",
    "ASK { ?s ?p ?o }",
)
HEAVY = (
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    PREFIX + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "rank")) }',
    "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r } GROUP BY ?s LIMIT 50",
)
MALFORMED = ("SELECT ?s WHERE { ?s ?p }", "SELEKT * WHERE {}", "SELECT * WHERE { ?s ?p ?o")
#: Runs far past any deadline, in constant memory
DEADLINE_BREAKER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: Sorting the whole cross product: breaks the workers' address-space cap
MEMORY_BREAKER = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?c LIMIT 10"
#: Seconds between the pathological client's queries of each kind
PATHOLOGICAL_PAUSE_S = {"deadline": 45.0, "memory": 20.0}
SAMPLE_EVERY_S = 5.0


@dataclass
class Outcome:
    """One response (or transport failure) as the soak classifies it."""

    kind: str
    status: int
    started: float
    ended: float
    message: str = ""


@dataclass
class Soak:
    """Shared state of a soak run: the responses, kills and memory samples so far."""

    port: int
    server_pid: int
    deadline: float
    outcomes: list[Outcome] = field(default_factory=list)
    kills: list[dict[str, object]] = field(default_factory=list)
    #: (seconds since the start, PSS MB, cache MB or None, load average)
    memory: list[tuple[float, float, float | None, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def ask(self, kind: str, query: str, source: str) -> Outcome:
        """GET /sparql from ``source``; the outcome is recorded and returned."""
        text = f"{query}\n# soak {next(self.counter)}"
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=90, source_address=(source, 0)
        )
        try:
            connection.request(
                "GET",
                "/sparql?" + urlencode({"query": text}),
                headers={"Accept": "application/sparql-results+json"},
            )
            response = connection.getresponse()
            body = response.read()
            status, message = response.status, body[:200].decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            status, message = 0, f"transport: {error}"
        finally:
            connection.close()
        outcome = Outcome(kind, status, started, time.monotonic(), message.strip())
        with self.lock:
            self.outcomes.append(outcome)
        return outcome


def client_loop(soak: Soak, kind: str, queries: tuple[str, ...], source: str, pause: float) -> None:
    """Send ``queries`` in turn from ``source`` until the soak ends."""
    for index in itertools.count():
        if time.monotonic() >= soak.deadline:
            return
        query = queries[index % len(queries)].replace("{n}", str(index % 50))
        soak.ask(kind, query, source)
        time.sleep(pause)


def pathological_loop(soak: Soak, kind: str, query: str, source: str) -> None:
    """Send one pathological query, wait, and again, until the soak ends."""
    while time.monotonic() < soak.deadline:
        soak.ask(kind, query, source)
        pause_until = time.monotonic() + PATHOLOGICAL_PAUSE_S[kind]
        while time.monotonic() < min(pause_until, soak.deadline):
            time.sleep(0.5)


def killer_loop(soak: Soak, every_s: float) -> None:
    """SIGKILL one query worker every ``every_s`` seconds; check the server answers after."""
    next_kill = time.monotonic() + every_s
    while next_kill < soak.deadline - 5:
        time.sleep(max(0.0, next_kill - time.monotonic()))
        pids = worker_pids(soak.server_pid)
        record: dict[str, object] = {"at_s": round(time.monotonic() - soak.deadline, 1)}
        if pids:
            victim = pids[len(soak.kills) % len(pids)]
            killed_at = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            record.update(pid=victim, killed_at=killed_at)
            record["answered_after_s"] = answered_after_kill(soak.port, killed_at)
        else:
            record["error"] = "no worker process found"
        with soak.lock:
            soak.kills.append(record)
        next_kill += every_s


def memory_loop(soak: Soak, started: float) -> None:
    """Sample the PSS of the server's process tree, its caches' bytes and the load average."""
    while time.monotonic() < soak.deadline:
        pss = pss_of_tree(soak.server_pid)
        caches = cache_mb(soak.port)
        with soak.lock:
            soak.memory.append((time.monotonic() - started, pss, caches, os.getloadavg()[0]))
        time.sleep(SAMPLE_EVERY_S)


def classify(outcome: Outcome, kill_times: list[float]) -> str:
    """``ok``/``4xx`` statuses, an expected 503 (which), the kill's 500, or ``unexpected``."""
    if 0 < outcome.status < 500:
        return str(outcome.status)
    text = outcome.message.lower()
    if outcome.status == 503 and "timed out" in text:
        return "503 deadline"
    if outcome.status == 503 and "memory limit" in text:
        return "503 memory cap"
    if outcome.status == 503 and "busy" in text:
        return "503 busy"
    in_flight = any(outcome.started <= kill <= outcome.ended for kill in kill_times)
    worker_lost = "worker stopped" in text or "worker failed to start" in text
    if outcome.status == 500 and worker_lost and in_flight:
        return "500 in the killed worker"
    return "unexpected"


def client_plan(soak: Soak) -> list[threading.Thread]:
    """The clients, one loopback address per role (two for the simple queries)."""
    plan = [
        ("simple", SIMPLE, "127.0.0.2", 0.05),
        ("simple", SIMPLE, "127.0.0.3", 0.05),
        ("heavy", HEAVY, "127.0.0.4", 0.5),
        ("malformed", MALFORMED, "127.0.0.5", 1.0),
    ]
    threads = [threading.Thread(target=client_loop, args=(soak, *row)) for row in plan]
    threads += [
        threading.Thread(target=pathological_loop, args=(soak, "deadline", DEADLINE_BREAKER, src))
        for src in ("127.0.0.6",)
    ]
    threads.append(
        threading.Thread(
            target=pathological_loop, args=(soak, "memory", MEMORY_BREAKER, "127.0.0.7")
        )
    )
    return threads


def run_soak(port: int, server_pid: int, seconds: float, kill_every_s: float) -> dict[str, object]:
    """Run the mixed load for ``seconds`` against a server already answering; the figures."""
    started = time.monotonic()
    soak = Soak(port=port, server_pid=server_pid, deadline=started + seconds)
    threads = [
        *client_plan(soak),
        threading.Thread(target=killer_loop, args=(soak, kill_every_s)),
        threading.Thread(target=memory_loop, args=(soak, started)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return figures(soak, seconds, kill_every_s)


def figures(soak: Soak, seconds: float, kill_every_s: float) -> dict[str, object]:
    """Counts by class, unexpected examples, simple-query latency, memory and its slope."""
    kill_times = [float(str(k["killed_at"])) for k in soak.kills if "killed_at" in k]
    classes = Counter(classify(outcome, kill_times) for outcome in soak.outcomes)
    unexpected = [o for o in soak.outcomes if classify(o, kill_times) == "unexpected"]
    simple = [o.ended - o.started for o in soak.outcomes if o.kind == "simple" and o.status == 200]
    pss = [(t, mb) for t, mb, _, _ in soak.memory]
    beyond_caches = [(t, mb - caches) for t, mb, caches, _ in soak.memory if caches is not None]
    return {
        "seconds": seconds,
        "kill_every_s": kill_every_s,
        "requests": len(soak.outcomes),
        "by_kind": dict(Counter(o.kind for o in soak.outcomes)),
        "classes": dict(sorted(classes.items())),
        "unexpected": len(unexpected),
        "unexpected_examples": [f"{o.kind} {o.status} {o.message[:120]}" for o in unexpected[:5]],
        "kills": [{k: v for k, v in kill.items() if k != "killed_at"} for kill in soak.kills],
        "simple_ms": summary(simple),
        "pss_mb": {
            "first": pss[0][1] if pss else None,
            "last": pss[-1][1] if pss else None,
            "max": max((mb for _, mb in pss), default=None),
            "slope_mb_per_min": slope_per_minute(pss),
            "baseline_slope_mb_per_min": slope_per_minute(minute_minima(pss)),
            "baseline_slope_beyond_caches_mb_per_min": slope_per_minute(
                minute_minima(beyond_caches)
            ),
            "samples": [[round(t), round(mb, 1)] for t, mb in pss],
            "cache_samples": [[round(t), caches] for t, _, caches, _ in soak.memory],
        },
        "load_average": [
            round(load, 2) for _, _, _, load in soak.memory[:: max(1, len(pss) // 12)]
        ],
    }


def start_server(
    dist_dir: Path, content_dir: Path | None, port: int, log: Path
) -> subprocess.Popen[bytes]:
    """``python -m kg serve`` on 127.0.0.1:``port`` (building ``dist_dir`` if it has no graph)."""
    command = [
        sys.executable,
        "-m",
        "kg",
        "serve",
        "--port",
        str(port),
        "--dist-dir",
        str(dist_dir),
    ]
    if content_dir is not None:
        command += ["--content-dir", str(content_dir)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as handle:
        return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)


def markdown(result: dict[str, object], command: str) -> str:
    """The soak's table for bench/results/soak.md."""
    kills = result["kills"]
    assert isinstance(kills, list)
    answered = [k.get("answered_after_s") for k in kills]
    pss = result["pss_mb"]
    assert isinstance(pss, dict)
    rows = [
        ("duration", f"{float(str(result['seconds'])) / 60:g} min"),
        ("requests", result["requests"]),
        ("requests by client kind", result["by_kind"]),
        ("responses by class", result["classes"]),
        ("**unexpected responses >= 500** (and transport failures)", result["unexpected"]),
        ("unexpected, first examples", result["unexpected_examples"] or "none"),
        ("workers killed (SIGKILL)", len(kills)),
        ("server answered after each kill (s after the kill)", answered),
        ("simple queries p50 / p99 (ms, 200s only)", result["simple_ms"]),
        (
            "PSS of the process tree: first / last / max (MB)",
            f"{pss['first']} / {pss['last']} / {pss['max']}",
        ),
        ("PSS slope over every sample (least squares, MB/min)", pss["slope_mb_per_min"]),
        (
            "**PSS slope of the per-minute minima** (MB/min; the baseline without the moments "
            + "a memory-cap breaker swells a worker to the cap)",
            pss["baseline_slope_mb_per_min"],
        ),
        (
            "**the same without the caches' bytes** (PSS minus the result and guard caches' "
            + "bytes of /metrics, which fill up to their bounds)",
            pss["baseline_slope_beyond_caches_mb_per_min"],
        ),
        ("1-minute load average, sampled over the run", result["load_average"]),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        f"### Soak of {result['started']}\n\n`{command}`\n\n"
        f"Server: {result['server']}\n\n| figure | value |\n|---|---|\n{table}\n\n"
        f"PSS samples (s, MB): {pss['samples']}\n\n"
        f"Cache samples (s, MB): {pss['cache_samples']}\n"
    )


def soak_server(
    dist_dir: Path, content_dir: Path | None, seconds: float, kill_every_s: float, log: Path
) -> dict[str, object]:
    """Start a server, wait until it answers, soak it, stop it; the figures."""
    port = free_port()
    process = start_server(dist_dir, content_dir, port, log)
    try:
        if not wait_answering(port, process, START_TIMEOUT_S):
            raise click.ClickException(f"the server did not answer on port {port}; see {log}")
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        result = run_soak(port, process.pid, seconds, kill_every_s)
        result["server_alive_at_end"] = process.poll() is None
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    overrides = ", ".join(
        f"{name}={value}"
        for name, value in sorted(os.environ.items())
        if name.startswith("RANKL_KG_")
    )
    server = "rankl-kg serve, defaults" + (f"; {overrides}" if overrides else "")
    return {**result, "started": started, "server": server}


def free_port() -> int:
    """A port of 127.0.0.1 free now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


START_TIMEOUT_S = 600.0


@click.command()
@click.option("--minutes", type=float, default=30.0, show_default=True)
@click.option("--kill-every", type=float, default=60.0, show_default=True, help="Seconds.")
@click.option(
    "--dist-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Serve DIST/current (built first if missing).",
)
@click.option("--content-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bench/results/soak.md"),
    show_default=True,
    help="Markdown report, appended; the JSON goes beside it (.json).",
)
def main(
    minutes: float, kill_every: float, dist_dir: Path, content_dir: Path | None, out: Path
) -> None:
    """Soak a live server with a mixed load while killing a query worker every KILL_EVERY s."""
    command = "python -m bench.soak " + " ".join(sys.argv[1:])
    log = out.parent / "logs" / f"{out.stem}.log"  # the server's output (bench/results/logs/)
    result = soak_server(dist_dir, content_dir, minutes * 60, kill_every, log)
    result["load_average_end"] = round(os.getloadavg()[0], 2)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        handle.write("\n" + markdown(result, command))
    out.with_suffix(".json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    click.echo(markdown(result, command))


if __name__ == "__main__":
    main()
