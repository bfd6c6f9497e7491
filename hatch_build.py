"""Hatch build hook: put the input folders and the built, checked release into the wheel.

The top-level folders named in ``package-data`` (pyproject.toml) go into the wheel under
``kg/_data/``, where :mod:`kg.constants` finds them when the code does not run from a checkout.

The wheel carries the release (``kg/_data/release/``) so that ``rankl-kg serve`` and
``kg.load_graph()`` work from an installed wheel with no build (a build runs HermiT, which needs
Java). The release is the one ``rankl-kg build`` published as ``dist/current`` (in a checkout)
or the ``release/`` folder of an sdist; it is checked against its manifest (every file's size
and SHA-256) before it is packaged. With no release the wheel is not built: run
``rankl-kg build`` first (``make dist`` does both), or name a release folder in
``$RANKL_KG_RELEASE_DIR``. Editable installs read the checkout directly and get no copy.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MANIFEST = "manifest.json"
#: Environment variable naming another release folder to package (the wheel test uses it)
RELEASE_DIR_ENV = "RANKL_KG_RELEASE_DIR"


def find_release(root: Path) -> Path:
    """Return the release folder: ``$RANKL_KG_RELEASE_DIR``, that of an unpacked sdist
    (``release/``) or of a checkout (``dist/current``)."""
    configured = os.environ.get(RELEASE_DIR_ENV)
    if configured:
        if not (Path(configured) / MANIFEST).is_file():
            raise RuntimeError(
                f"${RELEASE_DIR_ENV}={configured} holds no {MANIFEST}; name a release folder"
            )
        return Path(configured)
    for folder in (root / "release", root / "dist" / "current"):
        if (folder / MANIFEST).is_file():
            return folder
    raise RuntimeError(
        f"no built release in {root / 'dist' / 'current'}: run 'rankl-kg build' before "
        "'python -m build' (or 'make dist', which does both)"
    )


def release_files(folder: Path) -> list[str]:
    """Return the names of the release's files, after checking each against the manifest."""
    entries = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    for entry in entries:
        path = folder / entry["name"]
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            raise RuntimeError(
                f"{path}: missing or does not match {folder / MANIFEST}; "
                "rebuild with 'rankl-kg build'"
            )
    return sorted([MANIFEST, *(entry["name"] for entry in entries)])


class ReleaseBuildHook(BuildHookInterface):  # type: ignore[misc,unused-ignore]
    """Force-include the input folders (wheel) and the release (``release/`` in the sdist,
    ``kg/_data/release/`` in the wheel)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Add the release's files to ``build_data['force_include']``."""
        if version == "editable":
            return
        root = Path(self.root)
        if self.target_name == "wheel":
            for source, target_path in sorted(self.config.get("package-data", {}).items()):
                build_data["force_include"][str(root / source)] = target_path
        folder = find_release(root)
        target = "release" if self.target_name == "sdist" else "kg/_data/release"
        for name in release_files(folder):
            build_data["force_include"][str(folder / name)] = f"{target}/{name}"
