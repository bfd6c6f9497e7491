"""Time one start of our server on a graph: wall seconds until it answers, CPU seconds of its
process tree by then (far less sensitive to other load than the wall time) and its PSS.

    .venv/bin/python -m bench.startup bench/results/data/kg_x100.nt --storage memory
    .venv/bin/python -m bench.startup bench/results/data/kg_x100.nt --storage disk

``--storage disk`` starts on an empty ``STORE_PATH`` (the first start, which bulk-loads it).
The server is the checkout this module runs from (``PYTHONPATH``), so running it from another
worktree measures that worktree's server.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import click
import psutil

from bench import endpoints
from bench.soak_probe import pss_of_tree
from kg.constants import ROOT_DIR


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants."""
    root = psutil.Process(pid)
    return round(sum(sum(p.cpu_times()[:4]) for p in [root, *root.children(recursive=True)]), 2)


def measure_start(graph: Path, storage: str, log: Path) -> dict[str, object]:
    """Start, measure, stop."""
    env = {**os.environ, "PYTHONPATH": str(ROOT_DIR)}
    with tempfile.TemporaryDirectory() as scratch:
        settings = (
            {"RANKL_KG_STORE_PATH": str(Path(scratch) / "store")} if storage == "disk" else {}
        )
        load_before = round(os.getloadavg()[0], 2)
        endpoint = endpoints.start_project(graph.resolve(), env, log, settings)
        try:
            return {
                "server": str(ROOT_DIR),
                "storage": storage,
                "start_s": endpoint.start_s,
                "tree_cpu_s": tree_cpu_s(endpoint.process.pid),
                "pss_mb": pss_of_tree(endpoint.process.pid),
                "load_average": [load_before, round(os.getloadavg()[0], 2)],
            }
        finally:
            endpoint.stop()
            shutil.rmtree(Path(scratch) / "store", ignore_errors=True)


@click.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--storage", type=click.Choice(["memory", "disk"]), default="memory")
@click.option("--log", type=click.Path(dir_okay=False, path_type=Path), default=None)
def main(graph: Path, storage: str, log: Path | None) -> None:
    """Start our server on GRAPH once and print the figures as one JSON line."""
    log = log or Path(tempfile.gettempdir()) / "rankl-kg-startup.log"
    click.echo(json.dumps(measure_start(graph, storage, log)))


if __name__ == "__main__":
    main()
