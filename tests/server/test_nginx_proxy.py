"""TRUSTED_PROXIES through a real nginx: users behind one reverse proxy keep their own budgets.

The integration test starts ``rankl-kg serve`` on the fixture content with
``RANKL_KG_TRUSTED_PROXIES=127.0.0.1`` and a small error budget, and a private nginx (Debian
``nginx``: own prefix, pid file, logs and temp paths, no master process) on 127.0.0.1 that
proxies to it and appends the peer to ``X-Forwarded-For``. Two clients connect to nginx from
two addresses of 127.0.0.0/8 (their sockets bound to 127.0.0.2 and 127.0.0.3): the first uses
up its budget and gets 429, the second is still served.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import FIXTURE_CONTENT_DIR
from tests.live_processes import free_port, serve_command, stop

NGINX = "/usr/sbin/nginx"
START_TIMEOUT_S = 180
#: Over MAX_RESULT_ROWS (1): an expensive failure (422) counted against the client
TOO_MANY_ROWS = "SELECT * WHERE { ?s ?p ?o } LIMIT 5"
ONE_ROW = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


def get(
    port: int, query: str, source: str = "127.0.0.1", headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """GET /sparql?query= on 127.0.0.1:``port`` from the address ``source``."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.request("GET", "/sparql?" + urlencode({"query": query}), headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_until_answering(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until 127.0.0.1:``port`` answers /health, failing with the log if the process ends."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            pytest.fail(f"{process.args!r} ended with {process.returncode}:\n{tail}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"port {port} did not answer within {START_TIMEOUT_S} s")


def nginx_config(root: Path, port: int, upstream_port: int) -> str:
    """A private nginx.conf: everything under ``root``, one proxy location."""
    temp_paths = "\n".join(
        f"  {kind}_temp_path {root}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log {root}/access.log;
{temp_paths}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream_port};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


@dataclass(frozen=True)
class Proxied:
    """The live server and nginx in front of it."""

    server_port: int
    nginx_port: int


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if not Path(NGINX).is_file() or shutil.which("nginx") is None:
        pytest.fail("nginx is not installed; run scripts/install-system-deps.sh (Debian nginx)")
    root = tmp_path_factory.mktemp("nginx")
    server_port, nginx_port = free_port(), free_port()
    environment = {
        **os.environ,
        "RANKL_KG_TRUSTED_PROXIES": "127.0.0.1",
        "RANKL_KG_MAX_RESULT_ROWS": "1",
        "RANKL_KG_CLIENT_ERRORS_PER_MINUTE": "1",
        "RANKL_KG_QUERY_WORKERS": "1",
    }
    command = serve_command(server_port, FIXTURE_CONTENT_DIR, root / "dist")
    serve_log = root / "serve.log"
    with serve_log.open("wb") as log:
        serving = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environment)
    try:
        wait_until_answering(server_port, serving, serve_log)
        config = root / "nginx.conf"
        config.write_text(nginx_config(root, nginx_port, server_port), encoding="utf-8")
        nginx = [NGINX, "-p", str(root), "-c", str(config), "-e", str(root / "error.log")]
        check = subprocess.run([*nginx, "-t"], capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stderr
        nginx_log = root / "nginx.out"
        with nginx_log.open("wb") as log:
            proxy = subprocess.Popen(nginx, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_answering(nginx_port, proxy, root / "error.log")
            yield Proxied(server_port, nginx_port)
        finally:
            stop(proxy)
    finally:
        stop(serving)


@pytest.mark.integration
def test_a_client_over_its_budget_behind_nginx_does_not_throttle_another(
    proxied: Proxied,
) -> None:
    port = proxied.nginx_port
    assert get(port, ONE_ROW, source="127.0.0.2")[0] == 200
    status, body = get(port, TOO_MANY_ROWS, source="127.0.0.2")
    assert status == 422, body
    status, body = get(port, ONE_ROW + " # again", source="127.0.0.2")
    assert status == 429, body
    assert "Too many failed queries" in body
    # the other user behind the same proxy keeps its own budget
    assert get(port, ONE_ROW + " # other", source="127.0.0.3")[0] == 200
    status, body = get(port, TOO_MANY_ROWS, source="127.0.0.3")
    assert status == 422, body
    # a forged X-Forwarded-For does not make the first client someone else
    forged = {"X-Forwarded-For": "127.0.0.4"}
    assert get(port, ONE_ROW + " # forged", source="127.0.0.2", headers=forged)[0] == 429
    assert get(port, ONE_ROW + " # fresh", source="127.0.0.4")[0] == 200


@pytest.mark.integration
def test_a_direct_client_cannot_pose_as_another_through_the_header(proxied: Proxied) -> None:
    """The server trusts X-Forwarded-For only from the proxy's address (127.0.0.1)."""
    port = proxied.server_port
    forged = {"X-Forwarded-For": "127.0.0.1"}
    assert get(port, TOO_MANY_ROWS + " # direct", source="127.0.0.5", headers=forged)[0] == 422
    assert get(port, ONE_ROW + " # direct", source="127.0.0.5", headers=forged)[0] == 429
    assert get(port, ONE_ROW + " # direct", source="127.0.0.6")[0] == 200
