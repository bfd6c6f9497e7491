"""Verify a release folder: every file its manifest lists has the size and SHA-256 given there."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any

from kg.errors import KGError
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME


class ReleaseCheckError(KGError):
    """A release file failed a check; the message names the check, the file and the problem."""

    def __init__(self, check: str, path: Path, detail: str) -> None:
        self.check = check
        self.path = path
        super().__init__(f"{check} check failed for {path}: {detail}")


def read_manifest(release_dir: Path) -> list[dict[str, Any]]:
    """Return the file entries of ``release_dir/manifest.json`` (each a safe name, bytes, SHA-256).

    :raises ReleaseCheckError: the manifest is missing, unreadable, or an entry is malformed
    """
    path = release_dir / MANIFEST_FILENAME
    if not path.is_file():
        raise ReleaseCheckError(
            "manifest", path, "missing, so the folder is not a complete release"
        )
    try:
        entries = json.loads(path.read_bytes())["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise ReleaseCheckError("manifest", path, f"unreadable ({error!r})") from error
    if not isinstance(entries, list):
        raise ReleaseCheckError("manifest", path, "'files' is not a list")
    for number, entry in enumerate(entries, start=1):
        check_entry(path, number, entry)
    return entries


def check_entry(manifest: Path, number: int, entry: Any) -> None:
    """Raise unless ``entry`` names a file inside the release and gives its bytes and SHA-256."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ReleaseCheckError("manifest", manifest, f"file entry {number} has no name")
    name = PurePosixPath(entry["name"])
    if name.is_absolute() or ".." in name.parts or not name.parts:
        raise ReleaseCheckError(
            "manifest",
            manifest,
            f"file entry {number} names {entry['name']!r}, outside the release",
        )
    if not isinstance(entry.get("bytes"), int) or not isinstance(entry.get("sha256"), str):
        raise ReleaseCheckError(
            "manifest", manifest, f"file entry {number} ({entry['name']}) lacks bytes or sha256"
        )


def verify_release(release_dir: Path) -> list[dict[str, Any]]:
    """Check every file the manifest of ``release_dir`` lists against its size and SHA-256.

    :returns: the manifest's file entries
    :raises ReleaseCheckError: naming the manifest or the first file that is missing or differs
    """
    entries = read_manifest(release_dir)
    for entry in entries:
        verify_file(release_dir / entry["name"], entry)
    return entries


def verify_file(path: Path, entry: dict[str, Any]) -> None:
    """Raise unless ``path`` has the size and SHA-256 its manifest entry gives."""
    if not path.is_file():
        raise ReleaseCheckError("manifest", path, f"listed in {MANIFEST_FILENAME} but missing")
    size = path.stat().st_size
    if size != entry["bytes"]:
        raise ReleaseCheckError(
            "manifest", path, f"{size} bytes, {MANIFEST_FILENAME} says {entry['bytes']}"
        )
    digest = sha256_of_file(path)
    if digest != entry["sha256"]:
        raise ReleaseCheckError(
            "manifest",
            path,
            f"SHA-256 {digest}, {MANIFEST_FILENAME} says {entry['sha256']}: "
            "changed after the build",
        )


def sha256_of_file(path: Path) -> str:
    """Return the hex SHA-256 of a file (read in chunks; the server and the bench use it too)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
