"""Write the build's files: deterministic serialisations, published atomically.

The serialisations live in :mod:`kg.exports` (one module per format); ``to_turtle`` is kept
here for the modules that write a single Turtle file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from kg.exports.canonical import to_turtle

__all__ = ["publish", "to_turtle"]


def publish(files: Mapping[str, bytes], dist_dir: Path) -> None:
    """Write ``files`` into ``dist_dir`` so that readers never see a half-written build.

    Everything is written to a staging directory next to ``dist_dir`` first; each finished file is
    then moved into place with an atomic rename. If writing fails, ``dist_dir`` is untouched.
    """
    dist_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=dist_dir))
    try:
        for name, content in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for name in files:
            (dist_dir / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, dist_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
