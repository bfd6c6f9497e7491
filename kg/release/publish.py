"""Releases: each build is published as one complete, checked folder; a symlink names the live one.

Layout of ``dist/``::

    releases/<id>/    one complete release: every export and its manifest.json
    current           symlink to releases/<id>: the release every reader (CLI, server) uses
    .build.lock       held by the build that reads the current release and publishes the next

A release's id is the start of its manifest's SHA-256. The same content gives the same files, so
the same id, and rebuilding unchanged content only points ``current`` at the release it already
has. Publishing writes the files into a hidden staging folder, runs the gates on the files as
written (each file against the manifest, each RDF file re-parsed and counted, smoke queries),
renames the folder to its id, and only then swaps ``current`` by an atomic rename of a new
symlink. A build killed at any moment therefore leaves ``current`` on a complete, checked
release; what it leaves behind is hidden (``.staging-*``, ``.current-*``) and removed by the next
build.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from kg.constants import CURRENT_RELEASE_LINK, RELEASES_DIRNAME
from kg.exports.base import ExportFile
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.release.gates import check_release
from kg.release.verify import ReleaseCheckError, verify_release

KEEP_RELEASES = 3
#: Hex digits of the manifest's SHA-256 that name a release
RELEASE_ID_LENGTH = 16
#: Hidden leftovers of an interrupted build, removed by the next one
STAGING_PREFIX = ".staging-"
DISCARDED_PREFIX = ".discarded-"
LINK_PREFIX = ".current-"
LOCK_FILENAME = ".build.lock"
#: Permissions of a release folder (mkdtemp makes it private; a server may run as another user)
RELEASE_MODE = 0o755


@contextmanager
def release_lock(dist_dir: Path) -> Iterator[None]:
    """Hold the build lock of ``dist_dir`` (blocking): one build at a time reads and publishes.

    The lock is an ``flock`` on ``.build.lock``; the kernel drops it when the holder dies.
    """
    dist_dir.mkdir(parents=True, exist_ok=True)
    with (dist_dir / LOCK_FILENAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def current_release(dist_dir: Path) -> Path | None:
    """Return the folder ``dist_dir/current`` points at, or ``None`` before the first build."""
    link = dist_dir / CURRENT_RELEASE_LINK
    return link.resolve() if link.is_dir() else None


def publish_release(files: Sequence[ExportFile], dist_dir: Path, built: Graph) -> Path:
    """Write ``files`` (manifest included) as a release of ``dist_dir``, check it, make it current.

    Run this inside :func:`release_lock` together with whatever read the current release to make
    ``files`` (the changelog does). The written files are checked by :func:`check_release`
    against ``built``, the merged graph they were exported from.

    :returns: the folder of the new current release
    :raises ReleaseCheckError: a gate failed; the new release is removed, ``current`` untouched
    """
    releases = dist_dir / RELEASES_DIRNAME
    releases.mkdir(parents=True, exist_ok=True)
    remove_leftovers(dist_dir)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=releases))
    staging.chmod(RELEASE_MODE)
    try:
        write_files(files, staging)
        check_release(staging, built)
        release = install(staging, releases / release_id(manifest_of(files)))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    swap_current(dist_dir, release)
    prune_releases(dist_dir)
    return release


def manifest_of(files: Sequence[ExportFile]) -> bytes:
    """Return the manifest's bytes among ``files``."""
    for file in files:
        if file.name == MANIFEST_FILENAME:
            return file.content
    raise ValueError(
        f"a release needs a {MANIFEST_FILENAME}; got only {', '.join(file.name for file in files)}"
    )


def release_id(manifest: bytes) -> str:
    """Name a release by its manifest, which names every file by its SHA-256."""
    return hashlib.sha256(manifest).hexdigest()[:RELEASE_ID_LENGTH]


def write_files(files: Sequence[ExportFile], directory: Path) -> None:
    """Write every file into ``directory`` and flush files and folder to disk."""
    for file in files:
        write_file(directory / file.name, file.content)
    fsync_directory(directory)


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` and flush it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_directory(directory: Path) -> None:
    """Flush a folder's entries (names created or renamed in it) to disk."""
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def install(staging: Path, release: Path) -> Path:
    """Rename the checked ``staging`` folder to ``release``.

    A release of the same id that still matches its manifest is the same content: it is kept and
    ``staging`` left for the caller to remove. A damaged one is moved aside and replaced.
    """
    if release.is_dir():
        try:
            verify_release(release)
            return release
        except ReleaseCheckError:
            release.rename(release.with_name(f"{DISCARDED_PREFIX}{release.name}"))
    staging.rename(release)
    fsync_directory(release.parent)
    return release


def swap_current(dist_dir: Path, release: Path) -> None:
    """Point ``dist_dir/current`` at ``release`` with one atomic rename; readers see old or new."""
    temporary = dist_dir / f"{LINK_PREFIX}{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(RELEASES_DIRNAME, release.name), target_is_directory=True)
    os.replace(temporary, dist_dir / CURRENT_RELEASE_LINK)
    fsync_directory(dist_dir)
    os.utime(release)


def prune_releases(dist_dir: Path, keep: int = KEEP_RELEASES) -> None:
    """Remove all but the ``keep`` most recently published releases; never the current one."""
    current = current_release(dist_dir)
    releases = [
        path
        for path in (dist_dir / RELEASES_DIRNAME).iterdir()
        if path.is_dir() and not path.name.startswith(".")
    ]
    releases.sort(key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for old in releases[keep:]:
        if old.resolve() != current:
            shutil.rmtree(old)


def remove_leftovers(dist_dir: Path) -> None:
    """Remove what interrupted builds left: staging and discarded folders, temporary links."""
    for folder in (dist_dir / RELEASES_DIRNAME).iterdir():
        if folder.name.startswith((STAGING_PREFIX, DISCARDED_PREFIX)):
            shutil.rmtree(folder, ignore_errors=True)
    for link in dist_dir.glob(f"{LINK_PREFIX}*"):
        link.unlink(missing_ok=True)
