"""Start and stop the SPARQL servers compared by the benchmark, all on 127.0.0.1 only.

Each server is a child process started here and stopped by its own process id; Virtuoso gets a
private database directory and ports (the anchors' ``virtuoso_ctl.py`` approach).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from server.config import DEFAULTS

HOST = "127.0.0.1"
#: Seconds a server may take to answer after its start (x1000 on disk: 124 s on a quiet machine,
#: over 300 s at a load of 17)
READY_TIMEOUT_S = 900.0
VIRTUOSO_GRAPH = "https://w3id.org/rankl-kg/bench"
#: Environment variable naming the CPUs the servers are pinned to (``bench.run --server-cpus``)
SERVER_CPUS_VARIABLE = "BENCH_SERVER_CPUS"


class EndpointError(RuntimeError):
    """A server did not start or did not answer."""


@dataclass
class Endpoint:
    """A running server: its name, SPARQL URL and the process to stop."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    start_s: float = 0.0
    extra_params: dict[str, str] = field(default_factory=dict)

    def rss_mb(self) -> float:
        """Resident memory of the server's whole process tree."""
        import psutil  # bench extra only: the tests import the Virtuoso controller without it

        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
            total_bytes: int = sum(p.memory_info().rss for p in processes)
            return round(total_bytes / 2**20, 1)
        except psutil.NoSuchProcess:
            return 0.0

    def stop(self) -> None:
        """Terminate the server and wait for it, then kill any of its worker processes that
        outlived it (a uvicorn worker busy on a long query is orphaned, not stopped)."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        _, alive = psutil.wait_procs(children, timeout=10)
        for child in alive:
            child.kill()


def free_port() -> int:
    """A TCP port on the loopback interface that is free right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    """Whether ``url`` answers ``ASK {}`` with HTTP 200."""
    query = urllib.parse.urlencode({"query": "ASK {}"})
    separator = "&" if "?" in url else "?"
    try:
        with urllib.request.urlopen(f"{url}{separator}{query}", timeout=5) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(endpoint: Endpoint, started: float) -> Endpoint:
    """Wait until ``endpoint`` answers; raise naming it if it exits or times out."""
    deadline = started + READY_TIMEOUT_S
    while time.perf_counter() < deadline:
        if endpoint.process.poll() is not None:
            raise EndpointError(f"{endpoint.name} exited with {endpoint.process.returncode}")
        if answers(endpoint.url):
            endpoint.start_s = round(time.perf_counter() - started, 2)
            return endpoint
        time.sleep(0.25)
    endpoint.stop()
    raise EndpointError(f"{endpoint.name} did not answer at {endpoint.url} in {READY_TIMEOUT_S} s")


def pinned(command: list[str]) -> list[str]:
    """``command`` under ``taskset -c CPUS`` when :data:`SERVER_CPUS_VARIABLE` names CPUs."""
    cpus = os.environ.get(SERVER_CPUS_VARIABLE)
    return ["taskset", "-c", cpus, *command] if cpus else command


def spawn(
    name: str,
    command: list[str],
    env: dict[str, str],
    log: Path,
    port: int,
    cwd: Path | None = None,
) -> Endpoint:
    """Start ``command`` (in ``cwd``) with its output in ``log``; wait until /sparql answers."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as handle:
        process = subprocess.Popen(
            pinned(command), stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=cwd
        )
    started = time.perf_counter()
    return wait_ready(Endpoint(name, f"http://{HOST}:{port}/sparql", process), started)


def client_budget_settings(clients: int) -> dict[str, str]:
    """Per-client budgets (docs/security.md T13) for ``clients`` clients that share one address.

    The bench's concurrent clients all come from 127.0.0.1, which the per-client limits count
    as one client; each limit is therefore set to ``clients`` times its default, so that every
    bench client has the budget a real client has. Every other guard and limit keeps its default.
    """
    return {
        "RANKL_KG_CLIENT_MAX_CONCURRENT": str(DEFAULTS.client_max_concurrent * clients),
        "RANKL_KG_CLIENT_QUERY_SECONDS_PER_MINUTE": str(
            DEFAULTS.client_query_seconds_per_minute * clients
        ),
        "RANKL_KG_CLIENT_ERRORS_PER_MINUTE": str(DEFAULTS.client_errors_per_minute * clients),
    }


def start_project(
    graph: Path, env: dict[str, str], log: Path, settings: dict[str, str]
) -> Endpoint:
    """The project's server (waitress, pyoxigraph worker processes) with its default settings
    but ``settings`` (``RANKL_KG_*`` variables: client budgets, STORE_PATH, cache size)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.project_server", str(graph), str(port)]
    return spawn("rankl-kg", command, {**env, **settings}, log, port)


def start_bare_flask(graph: Path, env: dict[str, str], log: Path, threads: int) -> Endpoint:
    """Bare Flask over pyoxigraph under waitress with the same thread count as ours."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "waitress",
        f"--host={HOST}",
        f"--port={port}",
        f"--threads={threads}",
        "--call",
        "bench.apps.flask_oxigraph:app_from_environment",
    ]
    return spawn("flask-oxigraph", command, {**env, "BENCH_GRAPH": str(graph)}, log, port)


def start_rdflib_endpoint(graph: Path, env: dict[str, str], log: Path, workers: int) -> Endpoint:
    """rdflib-endpoint under uvicorn with ``workers`` processes."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.apps.rdflib_endpoint_app:app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    return spawn("rdflib-endpoint", command, {**env, "BENCH_GRAPH": str(graph)}, log, port)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {d}/load, /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
MaxQueryMem = 2G
[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 20
EnabledDavVSP = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
DefaultGraph = {graph}
"""


def virtuoso_available() -> bool:
    """Whether Debian's virtuoso-opensource (``virtuoso-t``, ``isql-vt``) is installed."""
    return bool(shutil.which("virtuoso-t") and shutil.which("isql-vt"))


def start_virtuoso(graph: Path, directory: Path, buffers: int) -> tuple[Endpoint, float]:
    """Start a private Virtuoso 7 and bulk-load ``graph``; return it and the load seconds."""
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "load").mkdir(parents=True)
    (directory / "load" / graph.name).symlink_to(graph.resolve())
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.format(
        d=directory.resolve(),
        host=HOST,
        sql_port=sql_port,
        http_port=http_port,
        buffers=buffers,
        dirty=buffers * 3 // 4,
        graph=VIRTUOSO_GRAPH,
    )
    (directory / "virtuoso.ini").write_text(ini, encoding="utf-8")
    with (directory / "stdout.log").open("ab") as log:
        process = subprocess.Popen(
            pinned(["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"]),
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    started = time.perf_counter()
    endpoint = wait_ready(
        Endpoint("virtuoso", f"http://{HOST}:{http_port}/sparql", process), started
    )
    endpoint.extra_params = {"default-graph-uri": VIRTUOSO_GRAPH}
    load_started = time.perf_counter()
    load_sql = (
        f"ld_dir('{(directory / 'load').resolve()}', '{graph.name}', '{VIRTUOSO_GRAPH}');\n"
        "rdf_loader_run();\ncheckpoint;\n"
    )
    output = subprocess.run(
        ["isql-vt", f"{HOST}:{sql_port}", "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF"],
        input=load_sql,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if "*** Error" in output.stdout + output.stderr:
        endpoint.stop()
        raise EndpointError(f"virtuoso load of {graph} failed: {output.stdout[-500:]}")
    return endpoint, round(time.perf_counter() - load_started, 2)
