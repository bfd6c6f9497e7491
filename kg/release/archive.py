"""One archive per release, as Zenodo takes it: ``rankl-kg-<version>.tar.gz`` and ``SHA256SUMS``.

The archive holds one folder, ``rankl-kg-<version>/``, with every file of the release (as its
manifest lists them), ``CITATION.cff``, and a ``SHA256SUMS`` of those files; a ``SHA256SUMS``
beside the archive names the archive's own digest. It is reproducible: the same release gives
the same bytes. Entries are sorted, owned by 0:0 with no user or group names, mode 0644 (0755
for the folder), and dated at the version's release date (``kg.__release_date__``, or
``$SOURCE_DATE_EPOCH`` when set), never the clock; the gzip header carries no name and mtime 0.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from kg import __release_date__, __version__
from kg.constants import CITATION_PATH, packaged_input_fix, require_input
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.release.verify import read_manifest, verify_release

#: Name of the checksum lists (inside the archive, and beside it)
SUMS_FILENAME = "SHA256SUMS"


def archive_name(version: str = __version__) -> str:
    """Return the archive's file name, ``rankl-kg-<version>.tar.gz``."""
    return f"rankl-kg-{version}.tar.gz"


def source_date_epoch(date: str = __release_date__) -> int:
    """Return the timestamp of every entry: ``$SOURCE_DATE_EPOCH``, else ``date`` at 00:00 UTC."""
    configured = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if configured.isdigit():
        return int(configured)
    return int(datetime.fromisoformat(date).replace(tzinfo=UTC).timestamp())


def sha256sums(files: dict[str, bytes]) -> bytes:
    """Return ``sha256sum``-style lines (``<hex>  <name>``) for ``files``, sorted by name."""
    lines = [
        f"{hashlib.sha256(content).hexdigest()}  {name}\n"
        for name, content in sorted(files.items())
    ]
    return "".join(lines).encode("utf-8")


def archive_bytes(files: dict[str, bytes], folder: str, mtime: int) -> bytes:
    """Return the reproducible ``.tar.gz`` of ``files`` inside ``folder/``."""
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(entry(f"{folder}/", tarfile.DIRTYPE, 0o755, 0, mtime))
        for name, content in sorted(files.items()):
            tar.addfile(
                entry(f"{folder}/{name}", tarfile.REGTYPE, 0o644, len(content), mtime),
                io.BytesIO(content),
            )
    compressed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, compresslevel=9, mtime=0) as gz:
        gz.write(tar_buffer.getvalue())
    return compressed.getvalue()


def entry(name: str, kind: bytes, mode: int, size: int, mtime: int) -> tarfile.TarInfo:
    """Return a tar header with nothing of the machine or the clock in it."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.size = size
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_archive(
    release_dir: Path, out_dir: Path, version: str = __version__, date: str = __release_date__
) -> tuple[Path, Path]:
    """Write ``rankl-kg-<version>.tar.gz`` of the release in ``release_dir`` and its ``SHA256SUMS``.

    :returns: the archive and the checksum file beside it
    :raises ReleaseCheckError: a file of the release does not match its manifest
    :raises MissingInputError: the release or ``CITATION.cff`` is missing
    """
    require_input(
        release_dir / MANIFEST_FILENAME,
        "release manifest",
        "run 'rankl-kg build' first, or name a release folder",
    )
    verify_release(release_dir)
    names = [MANIFEST_FILENAME, *(str(item["name"]) for item in read_manifest(release_dir))]
    files = {name: (release_dir / name).read_bytes() for name in names}
    files["CITATION.cff"] = require_input(
        CITATION_PATH, "citation file", packaged_input_fix()
    ).read_bytes()
    files[SUMS_FILENAME] = sha256sums(files)
    content = archive_bytes(files, f"rankl-kg-{version}", source_date_epoch(date))
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / archive_name(version)
    archive.write_bytes(content)
    sums = out_dir / SUMS_FILENAME
    listed = read_sums(sums)
    listed[archive.name] = hashlib.sha256(content).hexdigest()
    sums.write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(listed.items())), encoding="utf-8"
    )
    return archive, sums


def read_sums(path: Path) -> dict[str, str]:
    """Return name -> SHA-256 of a ``SHA256SUMS`` file (empty if there is none)."""
    if not path.is_file():
        return {}
    pairs = (
        line.split("  ", 1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if "  " in line
    )
    return {name: digest for digest, name in pairs}
