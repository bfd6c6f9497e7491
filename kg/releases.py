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
import gzip
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyoxigraph
from rdflib import Graph
from rdflib.query import ResultRow

from kg.constants import (
    BASE_IRI,
    CURRENT_RELEASE_LINK,
    GRAPH_FILENAME,
    INFERRED_GRAPH_FILENAME,
    RELEASES_DIRNAME,
)
from kg.errors import KGError
from kg.exports.base import ExportFile
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME

#: Releases kept in ``releases/`` after a publish, newest first (the current one is always kept)
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

#: RDF syntax of a release file by suffix (after taking off ``.gz``)
RDF_SYNTAXES = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
}


class ReleaseCheckError(KGError):
    """A release file failed a check; the message names the check, the file and the problem."""

    def __init__(self, check: str, path: Path, detail: str) -> None:
        self.check = check
        self.path = path
        super().__init__(f"{check} check failed for {path}: {detail}")


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
    """Write ``files`` (the manifest among them) as a release of ``dist_dir``, check it, make it current.

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
    raise ValueError(f"a release needs a {MANIFEST_FILENAME}; got only {', '.join(file.name for file in files)}")


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
    releases = [path for path in (dist_dir / RELEASES_DIRNAME).iterdir() if path.is_dir() and not path.name.startswith(".")]
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


def read_manifest(release_dir: Path) -> list[dict[str, Any]]:
    """Return the file entries of ``release_dir/manifest.json``, each with a safe name, bytes and SHA-256.

    :raises ReleaseCheckError: the manifest is missing, unreadable, or an entry is malformed
    """
    path = release_dir / MANIFEST_FILENAME
    if not path.is_file():
        raise ReleaseCheckError("manifest", path, "missing, so the folder is not a complete release")
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
        raise ReleaseCheckError("manifest", manifest, f"file entry {number} names {entry['name']!r}, outside the release")
    if not isinstance(entry.get("bytes"), int) or not isinstance(entry.get("sha256"), str):
        raise ReleaseCheckError("manifest", manifest, f"file entry {number} ({entry['name']}) lacks bytes or sha256")


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
        raise ReleaseCheckError("manifest", path, f"{size} bytes, {MANIFEST_FILENAME} says {entry['bytes']}")
    digest = sha256_of_file(path)
    if digest != entry["sha256"]:
        raise ReleaseCheckError("manifest", path, f"SHA-256 {digest}, {MANIFEST_FILENAME} says {entry['sha256']}: changed after the build")


def sha256_of_file(path: Path) -> str:
    """Return the hex SHA-256 of a file (read in chunks; the server and the bench use it too)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- gates on the written files ---------------------------------------------------------------


def check_release(release_dir: Path, built: Graph) -> None:
    """Run every gate on a written release: the manifest, the RDF parsers, the smoke queries.

    :raises ReleaseCheckError: naming the gate and the file that failed it
    """
    parse_gate(release_dir, verify_release(release_dir))
    smoke_gate(release_dir, built)


def parse_gate(release_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Re-parse every RDF file of the release (no network) and compare its triples with the manifest.

    :raises ReleaseCheckError: naming the file that does not parse or has another count
    """
    for entry in entries:
        if entry.get("triples") is not None:
            check_rdf_file(release_dir, release_dir / entry["name"], entry["triples"])


def check_rdf_file(release_dir: Path, path: Path, expected: int) -> None:
    """Raise unless ``path`` parses into ``expected`` distinct triples."""
    try:
        count = count_triples(release_dir, path)
    except (SyntaxError, ValueError, KeyError, OSError, EOFError) as error:
        raise ReleaseCheckError("parse", path, f"does not parse: {error}") from error
    if count != expected:
        raise ReleaseCheckError("parse", path, f"parsed {count} triples, {MANIFEST_FILENAME} says {expected}")


def count_triples(release_dir: Path, path: Path) -> int:
    """Parse an RDF file (gzipped if it ends in ``.gz``) and count its distinct triples."""
    data, name = path.read_bytes(), PurePosixPath(path.name)
    if name.suffix == ".gz":
        data, name = gzip.decompress(data), name.with_suffix("")
    syntax = RDF_SYNTAXES.get(name.suffix)
    if syntax is None:
        raise ValueError(f"no RDF parser for {name.suffix!r}; known: {', '.join(sorted(RDF_SYNTAXES))}")
    if syntax == pyoxigraph.RdfFormat.JSON_LD:
        data = with_local_context(release_dir, data)
    return len(set(pyoxigraph.parse(data, format=syntax)))


def with_local_context(release_dir: Path, document: bytes) -> bytes:
    """Replace a JSON-LD ``@context`` IRI the release publishes by the release's copy of it.

    The graph file names its context by IRI; reading it from the release keeps the gate offline
    and checks the context the release ships. Other remote contexts make the parser fail.
    """
    parsed = json.loads(document)
    context = parsed.get("@context") if isinstance(parsed, dict) else None
    if not isinstance(context, str) or not context.startswith(BASE_IRI):
        return document
    local = release_dir / PurePosixPath(context.removeprefix(BASE_IRI)).name
    parsed["@context"] = json.loads(local.read_bytes())["@context"]
    return json.dumps(parsed).encode("utf-8")


SMOKE_PREFIXES = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX rko: <https://w3id.org/rankl-kg/ontology/>
"""


@dataclass(frozen=True)
class SmokeQuery:
    """A count of distinct ``?x`` that a written graph must get right.

    The merged export must give the count of the graph built in memory; every served graph must
    lie within ``[minimum, maximum]``, bounds that hold for any content (the fixture's too).
    """

    name: str
    pattern: str
    minimum: int
    maximum: int | None = None

    @property
    def sparql(self) -> str:
        """The counting query."""
        return f"{SMOKE_PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?count) WHERE {{ {self.pattern} }}"


SMOKE_QUERIES = (
    SmokeQuery("clinical trials", "?x a rko:ClinicalTrial .", minimum=1),
    SmokeQuery("subjects of Table 1 assertions (cancers)", '?a a rko:Assertion ; rko:section "Table 1" ; rdf:subject ?x .', minimum=1),
    SmokeQuery("curated assertions", "?x a rko:Assertion .", minimum=1),
    SmokeQuery("source reviews without an assertion", "?x a rko:Publication . FILTER EXISTS { ?x cito:cites ?cited } FILTER NOT EXISTS { ?a prov:wasDerivedFrom ?x }", 0, 0),
    SmokeQuery("assertions without a quote", "?x a rko:Assertion . FILTER NOT EXISTS { ?x rko:quote ?quote }", 0, 0),
)


def smoke_gate(release_dir: Path, built: Graph) -> None:
    """Run :data:`SMOKE_QUERIES` on the written merged graph (against ``built``) and inferred graph.

    :raises ReleaseCheckError: naming the file and the query whose count is wrong
    """
    for name, expected in ((GRAPH_FILENAME, built), (INFERRED_GRAPH_FILENAME, None)):
        path = release_dir / name
        store = pyoxigraph.Store()
        try:
            store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
        except (SyntaxError, OSError) as error:
            raise ReleaseCheckError("smoke", path, f"cannot load: {error}") from error
        for query in SMOKE_QUERIES:
            check_smoke_count(path, query, store_count(store, query), None if expected is None else graph_count(expected, query))


def check_smoke_count(path: Path, query: SmokeQuery, written: int, built: int | None) -> None:
    """Raise unless the written count equals the built one (if given) and lies within the bounds."""
    if built is not None and written != built:
        raise ReleaseCheckError("smoke", path, f"{written} {query.name}, the graph built in memory has {built}")
    if written < query.minimum or (query.maximum is not None and written > query.maximum):
        bounds = f"at least {query.minimum}" if query.maximum is None else f"between {query.minimum} and {query.maximum}"
        raise ReleaseCheckError("smoke", path, f"{written} {query.name}, expected {bounds}")


def store_count(store: pyoxigraph.Store, query: SmokeQuery) -> int:
    """Run a smoke query on a pyoxigraph store."""
    solutions = store.query(query.sparql)
    if isinstance(solutions, pyoxigraph.QuerySolutions):
        for solution in solutions:
            return int(solution["count"].value)
    raise ValueError(f"smoke query {query.name!r} returned no row")


def graph_count(graph: Graph, query: SmokeQuery) -> int:
    """Run a smoke query on an rdflib graph."""
    for row in graph.query(query.sparql):
        if isinstance(row, ResultRow):
            return int(row[0])
    raise ValueError(f"smoke query {query.name!r} returned no row")
