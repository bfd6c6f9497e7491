"""Run jsonld.js (tests/js, installed by scripts/install-js-deps.sh) on JSON-LD files with node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_DIR = Path(__file__).parent / "js"


def jsonld_js_counts(paths: list[Path]) -> dict[Path, int]:
    """The distinct triples jsonld.js reads from each file, with its default document loader.

    node runs with ``no-network.mjs`` preloaded, so a context that would be fetched fails the run.
    """
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not installed; run scripts/install-system-deps.sh (Debian nodejs, npm)"
        )
    if not (JS_DIR / "node_modules" / "jsonld").is_dir():
        pytest.fail(
            "jsonld.js is not installed; run scripts/install-js-deps.sh (npm ci in tests/js)"
        )
    completed = subprocess.run(
        [
            node,
            "--import",
            "./no-network.mjs",
            "count-triples.mjs",
            *(str(path.resolve()) for path in paths),
        ],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, f"jsonld.js failed:\n{completed.stderr[-3000:]}"
    counts = {}
    for line in completed.stdout.splitlines():
        count, name = line.split("\t", 1)
        counts[Path(name)] = int(count)
    return counts
