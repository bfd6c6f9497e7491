"""What the soak (:mod:`bench.soak`) measures on the server: its process tree, the PSS of that
tree, whether it answers, and the small statistics of the report."""

from __future__ import annotations

import http.client
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

from bench.stats import percentile

#: The module a query worker runs (``python -m server.backends.worker``)
WORKER_MARK = "server.backends.worker"
#: Seconds the server may take to answer again after a worker was killed
ANSWER_AFTER_KILL_TIMEOUT_S = 60.0


def tree(pid: int) -> list[psutil.Process]:
    """The process and all its descendants (empty if it is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def worker_pids(server_pid: int) -> list[int]:
    """Process ids of the query workers below the server, sorted.

    A worker is a descendant whose command line runs :data:`WORKER_MARK`, or, for a worker
    forked from the process holding the graph, a descendant with no web server of its own.
    """
    pids = []
    for process in tree(server_pid)[1:]:
        try:
            if WORKER_MARK in " ".join(process.cmdline()) or is_forked_worker(process):
                pids.append(process.pid)
        except psutil.NoSuchProcess:
            continue
    return sorted(pids)


def is_forked_worker(process: psutil.Process) -> bool:
    """A forked worker names itself in its process title file ``/proc/<pid>/comm``."""
    try:
        return Path(f"/proc/{process.pid}/comm").read_text(encoding="utf-8").strip() == (
            "rankl-kg-worker"
        )
    except OSError:
        return False


def pss_mb(pid: int) -> float:
    """Proportional set size of one process in MB (``/proc/<pid>/smaps_rollup``); 0 if gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pss_of_tree(pid: int) -> float:
    """PSS of the whole process tree in MB: shared pages are counted once in all."""
    return round(sum(pss_mb(process.pid) for process in tree(pid)), 1)


def cache_mb(port: int) -> float | None:
    """The bytes the server's result and guard caches hold, summed over its web processes
    (``rankl_kg_cache_bytes`` of ``/metrics``), in MB; ``None`` if it does not answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        exposition = connection.getresponse().read().decode("utf-8")
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    held = sum(
        float(line.split()[-1])
        for line in exposition.splitlines()
        if line.startswith("rankl_kg_cache_bytes{")
    )
    return round(held / 1e6, 1)


def slope_per_minute(samples: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MB) samples, in MB per minute."""
    if len(samples) < 2:
        return None
    count = len(samples)
    mean_t = sum(t for t, _ in samples) / count
    mean_y = sum(y for _, y in samples) / count
    spread = sum((t - mean_t) ** 2 for t, _ in samples)
    if spread == 0:
        return None
    covariance = sum((t - mean_t) * (y - mean_y) for t, y in samples)
    return round(covariance / spread * 60, 3)


def minute_minima(samples: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The smallest sample of each whole minute (with its time): the memory the server keeps,
    without the moments a query swells a worker before it is stopped."""
    minima: dict[int, tuple[float, float]] = {}
    for t, mb in samples:
        minute = int(t // 60)
        if minute not in minima or mb < minima[minute][1]:
            minima[minute] = (t, mb)
    return [minima[minute] for minute in sorted(minima)]


def summary(seconds: list[float]) -> dict[str, float | int | None]:
    """Count, p50 and p99 in ms."""
    if not seconds:
        return {"count": 0, "p50": None, "p99": None}
    return {
        "count": len(seconds),
        "p50": round(percentile(seconds, 0.5) * 1000, 2),
        "p99": round(percentile(seconds, 0.99) * 1000, 2),
    }


def answers(port: int, marker: str) -> bool:
    """Whether 127.0.0.1:``port`` answers a simple (uncached: ``marker``) query with 200."""
    query = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 1 # {marker}"
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/sparql?" + urlencode({"query": query}))
        response = connection.getresponse()
        response.read()
        connection.close()
    except (OSError, http.client.HTTPException):
        return False
    return int(response.status) == 200


def answered_after_kill(port: int, killed_at: float) -> float | None:
    """Seconds from the kill until the server answered a query, ``None`` if it did not."""
    attempt = 0
    while time.monotonic() - killed_at < ANSWER_AFTER_KILL_TIMEOUT_S:
        attempt += 1
        if answers(port, f"after kill {killed_at} {attempt}"):
            return round(time.monotonic() - killed_at, 2)
        time.sleep(0.2)
    return None


def wait_answering(port: int, process: subprocess.Popen[bytes], timeout_s: float) -> bool:
    """Wait until the server answers a query, or it exits, or ``timeout_s`` passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if answers(port, f"ready {time.monotonic()}"):
            return True
        time.sleep(0.5)
    return False
