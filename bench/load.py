"""HTTP measurements: per-query latency (one keep-alive client) and a concurrent query mix.

The mix uses wrk when it is installed (a Lua script cycles through the queries), else Python
threads with one keep-alive connection each. Only loopback URLs are accepted.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.stats import Limits, percentile, summary_ms
from kg.checks.competency import CompetencyQuery

WRK_SCRIPT = """
local paths = {%(paths)s}
local accepts = {%(accepts)s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept"] = accepts[i]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests":%%d,"duration_us":%%d,"errors":%%d,"non2xx":%%d,' ..
    '"p50_us":%%d,"p99_us":%%d}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


class LoadError(RuntimeError):
    """A request failed or the target is not on the loopback interface."""


def accept_of(query: CompetencyQuery) -> str:
    """The media type to ask an endpoint for: SPARQL JSON results, or N-Triples for graphs."""
    if query.form in ("SELECT", "ASK"):
        return "application/sparql-results+json"
    return "application/n-triples"


def request_path(url: str, query: CompetencyQuery, extra: dict[str, str]) -> tuple[str, int, str]:
    """Host, port and path (with the URL-encoded query) of a GET request for ``query``."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        raise LoadError(f"refusing non-loopback target {url}")
    params = urllib.parse.urlencode({**extra, "query": query.text})
    return host, int(parts.port or 80), f"{parts.path}?{params}"


def fetch(connection: http.client.HTTPConnection, path: str, accept: str) -> bytes:
    """GET ``path``; raise :class:`LoadError` with the status and body start unless 200."""
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise LoadError(f"HTTP {response.status} for {path[:120]}: {body[:300]!r}")
    return body


def result_count(body: bytes, query: CompetencyQuery) -> int:
    """Rows of a JSON result, or lines of an N-Triples result."""
    if query.form == "SELECT":
        return len(json.loads(body)["results"]["bindings"])
    if query.form == "ASK":
        return 1
    return sum(1 for line in body.splitlines() if line.strip())


def latency(
    url: str, query: CompetencyQuery, extra: dict[str, str], limits: Limits
) -> dict[str, object]:
    """p50/p99 of ``query`` over one keep-alive connection, after one checked warm-up:
    up to ``limits.runs`` runs within ``limits.budget_s``, each within ``limits.timeout_s``."""
    host, port, path = request_path(url, query, extra)
    runs, budget_s = limits.runs, limits.budget_s
    connection = http.client.HTTPConnection(host, port, timeout=limits.timeout_s)
    try:
        results = result_count(fetch(connection, path, accept_of(query)), query)
        samples: list[float] = []
        deadline = time.perf_counter() + budget_s
        while len(samples) < runs and (not samples or time.perf_counter() < deadline):
            start = time.perf_counter()
            fetch(connection, path, accept_of(query))
            samples.append(time.perf_counter() - start)
    finally:
        connection.close()
    return {"results": results, **summary_ms(samples)}


def mix_with_wrk(
    url: str, queries: list[CompetencyQuery], extra: dict[str, str], clients: int, seconds: int
) -> dict[str, object]:
    """Requests/s of the query mix with ``clients`` wrk connections for ``seconds``."""
    requests = [request_path(url, query, extra) for query in queries]
    host, port, _ = requests[0]
    script = WRK_SCRIPT % {
        "paths": ", ".join(json.dumps(path) for _, _, path in requests),
        "accepts": ", ".join(json.dumps(accept_of(query)) for query in queries),
    }
    with tempfile.TemporaryDirectory() as workdir:
        script_path = Path(workdir) / "mix.lua"
        script_path.write_text(script, encoding="utf-8")
        command = [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script_path),
            f"http://{host}:{port}/",
        ]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 90, check=False
        )
    line = next((row for row in completed.stdout.splitlines() if row.startswith("JSON ")), None)
    if line is None:
        raise LoadError(f"wrk failed ({completed.returncode}): {completed.stderr[-300:]}")
    record = json.loads(line[5:])
    elapsed = record["duration_us"] / 1e6
    return {
        "tool": "wrk",
        "rps": round(record["requests"] / elapsed, 1),
        "requests": record["requests"],
        "errors": record["errors"] + record["non2xx"],
        "p50_ms": round(record["p50_us"] / 1000, 2),
        "p99_ms": round(record["p99_us"] / 1000, 2),
    }


def mix_with_threads(
    url: str, queries: list[CompetencyQuery], extra: dict[str, str], clients: int, seconds: int
) -> dict[str, object]:
    """The same mix with Python threads (used when wrk is not installed)."""
    requests = [(request_path(url, query, extra), accept_of(query)) for query in queries]
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        (host, port, _), _ = requests[0]
        connection = http.client.HTTPConnection(host, port, timeout=60)
        index = offset
        while time.perf_counter() < deadline:
            (_, _, path), accept = requests[index % len(requests)]
            index += 1
            start = time.perf_counter()
            try:
                fetch(connection, path, accept)
            except (LoadError, OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=60)
                with lock:
                    errors[0] += 1
                continue
            with lock:
                samples.append(time.perf_counter() - start)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "tool": "threads",
        "rps": round(len(samples) / seconds, 1),
        "requests": len(samples),
        "errors": errors[0],
        "p50_ms": round(percentile(samples, 0.5) * 1000, 2) if samples else None,
        "p99_ms": round(percentile(samples, 0.99) * 1000, 2) if samples else None,
    }


def mix(
    url: str, queries: list[CompetencyQuery], extra: dict[str, str], clients: int, seconds: int
) -> dict[str, object]:
    """Requests/s of the query mix, with wrk if it is installed."""
    runner = mix_with_wrk if shutil.which("wrk") else mix_with_threads
    return runner(url, queries, extra, clients, seconds)
