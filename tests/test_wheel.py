"""The wheel works anywhere: built, installed into a fresh venv, and run from an empty folder.

Builds the wheel (``python -m build --wheel``, carrying the release of the session's real
build), installs it with its dependencies from the machine's package index into a new venv in a
temporary folder (no ``--system-site-packages``, no checkout on the path), and runs from an
empty folder: ``--version``, a build with a missing content folder (one line, exit 2),
``init-content``, ``verify-quotes`` with no argument, ``kg.load_graph()``, ``build --content
--out`` and ``serve`` on a free 127.0.0.1 port answering a SPARQL query. About a minute.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import venv
from pathlib import Path

import pytest

import kg
from kg.constants import ROOT_DIR
from kg.release.assemble import BuildResult

pytestmark = [pytest.mark.integration, pytest.mark.slow]

#: Seconds the installed server may take to answer /health
SERVE_START_TIMEOUT_S = 90


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment without anything pointing back at the checkout, plus ``extra``."""
    dropped = {"PYTHONPATH", "RANKL_KG_SEEDS_DIR", "VIRTUAL_ENV"}
    return {
        **{key: value for key, value in os.environ.items() if key not in dropped},
        **(extra or {}),
    }


def run(
    command: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in ``cwd`` with the checkout off the path; return what it printed."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=clean_env(extra_env),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def installed(real_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with the wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    started = time.perf_counter()
    built = run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT_DIR)],
        cwd=work,
        extra_env={"RANKL_KG_RELEASE_DIR": str(real_build.release_dir)},
    )
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((work / "dist").glob("rankl_kg-*.whl"))
    assert wheel.name == f"rankl_kg-{kg.__version__}-py3-none-any.whl"
    venv.EnvBuilder(with_pip=True).create(work / "venv")
    bin_dir = work / "venv" / "bin"
    pip = run([str(bin_dir / "pip"), "install", "--quiet", str(wheel)], cwd=work)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    print(f"wheel built and installed in {time.perf_counter() - started:.1f} s")  # noqa: T201
    return bin_dir


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    """An empty working folder outside the checkout."""
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_version(installed: Path, empty_dir: Path) -> None:
    result = run([str(installed / "rankl-kg"), "--version"], cwd=empty_dir)
    assert result.stdout == f"rankl-kg {kg.__version__} ({kg.__release_date__})\n"


def test_installed_code_reads_the_package_not_the_checkout(
    installed: Path, empty_dir: Path
) -> None:
    code = "import kg.constants as c; print(c.FROM_CHECKOUT, c.DATA_DIR)"
    result = run([str(installed / "python"), "-c", code], cwd=empty_dir)
    from_checkout, data_dir = result.stdout.split()
    assert from_checkout == "False"
    assert Path(data_dir).is_relative_to(installed.parent) and not Path(data_dir).is_relative_to(
        ROOT_DIR
    )


def test_missing_content_is_one_line_and_exit_2(installed: Path, empty_dir: Path) -> None:
    result = run(
        [str(installed / "rankl-kg"), "build", "--content", "mine", "--out", "out"], cwd=empty_dir
    )
    assert result.returncode == 2
    assert (
        result.stderr.count("\n") == 1
        and "mine" in result.stderr
        and "init-content" in result.stderr
    )
    assert list(empty_dir.iterdir()) == []


def test_load_graph_and_verify_quotes(
    installed: Path, empty_dir: Path, real_build: BuildResult
) -> None:
    loaded = run(
        [
            str(installed / "python"),
            "-c",
            "import kg; print(len(kg.load_graph()), len(kg.load_store()))",
        ],
        cwd=empty_dir,
    )
    served = real_build.triples + real_build.inferred_triples
    assert loaded.stdout.split() == [str(served), str(served)], loaded.stderr
    quotes = run([str(installed / "rankl-kg"), "verify-quotes"], cwd=empty_dir)
    assert quotes.returncode == 0, quotes.stderr
    assert ", 0 problem(s)." in quotes.stdout


def test_init_content_then_build(installed: Path, empty_dir: Path, real_build: BuildResult) -> None:
    copied = run([str(installed / "rankl-kg"), "init-content", "mine"], cwd=empty_dir)
    assert copied.returncode == 0, copied.stderr
    built = run(
        [str(installed / "rankl-kg"), "build", "--content", "mine", "--out", "out"], cwd=empty_dir
    )
    assert built.returncode == 0, built.stderr
    assert (
        f"{real_build.triples} asserted triples and {real_build.inferred_triples} inferred triples"
        in built.stdout
    )
    manifest = json.loads(
        (empty_dir / "out" / "current" / "manifest.json").read_text(encoding="utf-8")
    )
    assert (manifest["version"], manifest["date"]) == (kg.__version__, kg.__release_date__)


def test_serve_answers_sparql_on_a_free_port(
    installed: Path, empty_dir: Path, real_build: BuildResult
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(installed / "rankl-kg"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=empty_dir,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + SERVE_START_TIMEOUT_S
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    health = json.load(response)
                break
            except OSError:
                assert time.monotonic() < deadline, (
                    "the installed server did not answer /health in time"
                )
                time.sleep(0.5)
        query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        request = urllib.request.Request(
            f"{base}/sparql?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    served = real_build.triples + real_build.inferred_triples
    assert health["triples"] == served
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == served
    assert list(empty_dir.iterdir()) == []
