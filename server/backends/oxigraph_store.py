"""The served graph files as a pyoxigraph store, in memory or on disk.

The files are parsed into an in-memory store, or bulk-loaded once into a persistent on-disk
store that query workers open read-only.

The on-disk store keeps a marker (:data:`STORE_MARKER_NAME`) with the SHA-256 of each source
file: a changed graph file rebuilds the store, an unchanged one is opened at once. The stores
are never written after loading, so the endpoint is read-only.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from kg.rdf_formats import known_suffixes, syntax_of_suffix
from kg.release.verify import sha256_of_file
from kg.safe_rdf import UnsafeRdfError, read_checked_rdf

#: File in an on-disk store recording what it was built from
STORE_MARKER_NAME = "rankl-kg-store.json"


class GraphLoadError(RuntimeError):
    """The graph file to serve is missing or cannot be parsed."""


@dataclass(frozen=True)
class GraphSource:
    """One RDF file and the graph it is loaded into (``None``: the default graph)."""

    path: Path
    graph_name: str | None = None


@dataclass(frozen=True)
class LoadedGraph:
    """A graph loaded in memory, with what the service description and /health report."""

    store: pyoxigraph.Store
    #: SHA-256 (hex) of the main graph file: changes whenever a new build is served
    version: str
    triple_count: int


def rdf_format_of(path: Path) -> pyoxigraph.RdfFormat:
    """Return the RDF syntax of a file from its suffix; raise if the suffix is unknown."""
    syntax = syntax_of_suffix(path.suffix)
    if syntax is None:
        known = ", ".join(known_suffixes())
        raise GraphLoadError(f"{path}: unknown RDF file suffix {path.suffix!r}; use one of {known}")
    return syntax.oxigraph


def require_file(path: Path) -> None:
    """Raise :class:`GraphLoadError` naming ``path`` and the fix if it is not a file."""
    if not path.is_file():
        raise GraphLoadError(
            f"graph file {path} does not exist; run 'rankl-kg build' first "
            "or set RANKL_KG_GRAPH_PATH"
        )


def graph_sources(
    graph_path: Path, extra_named_graphs: Mapping[str, Path] | None
) -> tuple[GraphSource, ...]:
    """The main graph (default graph) and the extra named graphs, sorted by graph IRI."""
    named = sorted((extra_named_graphs or {}).items())
    return (GraphSource(Path(graph_path)), *(GraphSource(Path(p), name) for name, p in named))


def loader_arguments(source: GraphSource) -> dict[str, Any]:
    """Return the arguments of ``Store.load``/``bulk_load`` for one source file.

    RDF/XML and JSON-LD pass :func:`kg.safe_rdf.read_checked_rdf` first (no DOCTYPE/ENTITY, no
    remote or file contexts), so loading a file never reads another file or the network; the
    line-based syntaxes cannot refer outside themselves and are streamed from the file.
    """
    syntax = rdf_format_of(source.path)
    target = (
        pyoxigraph.DefaultGraph()
        if source.graph_name is None
        else pyoxigraph.NamedNode(source.graph_name)
    )
    arguments: dict[str, Any] = {"format": syntax, "to_graph": target}
    if syntax not in (pyoxigraph.RdfFormat.RDF_XML, pyoxigraph.RdfFormat.JSON_LD):
        return {**arguments, "path": source.path}
    try:
        return {
            **arguments,
            "input": read_checked_rdf(source.path),
            "base_iri": source.path.as_uri(),
        }
    except UnsafeRdfError as error:
        raise GraphLoadError(f"refusing to load {error}") from error


def load_sources_into(store: pyoxigraph.Store, sources: tuple[GraphSource, ...]) -> None:
    """Parse every source file into ``store``; errors name the file and the parser message.

    pyoxigraph's bulk loader parses and indexes on several threads (x100, 2 million triples:
    as much CPU time as ``Store.load``, spread over the cores); it is not transactional, which
    does not matter for a store that is thrown away if loading fails.
    """
    for source in sources:
        require_file(source.path)
        try:
            store.bulk_load(**loader_arguments(source))
        except SyntaxError as error:
            raise GraphLoadError(f"{source.path}: cannot parse: {error}") from error


def load_graph(
    graph_path: Path, extra_named_graphs: Mapping[str, Path] | None = None
) -> LoadedGraph:
    """Load the main graph file into the default graph, plus optional named graphs.

    :param graph_path: the built graph (Turtle by default)
    :param extra_named_graphs: graph IRI -> file; used by tests (e.g. the W3C protocol data)
    :raises GraphLoadError: if a file is missing or malformed
    """
    sources = graph_sources(graph_path, extra_named_graphs)
    require_file(sources[0].path)
    store = pyoxigraph.Store()
    with ThreadPoolExecutor(max_workers=1) as hashing:  # both release the GIL: hashing is free
        version = hashing.submit(sha256_of_file, sources[0].path)
        load_sources_into(store, sources)
    return LoadedGraph(store=store, version=version.result(), triple_count=len(store))


def source_digests(sources: tuple[GraphSource, ...]) -> list[str]:
    """SHA-256 of every source file, in order (a changed file changes the list)."""
    return [sha256_of_file(source.path) for source in sources]


def file_stamps(sources: tuple[GraphSource, ...]) -> list[list[int]]:
    """(size, mtime in ns) of every source file: a cheap check before hashing."""
    return [[source.path.stat().st_size, source.path.stat().st_mtime_ns] for source in sources]


@dataclass(frozen=True)
class DiskStore:
    """A persistent pyoxigraph store built from the sources, and what it holds."""

    path: Path
    version: str
    triple_count: int


def read_marker(store_path: Path) -> dict[str, Any] | None:
    """The marker of a store built by us, or ``None`` if there is none (or it is unreadable)."""
    marker_path = store_path / STORE_MARKER_NAME
    try:
        marker: dict[str, Any] = json.loads(marker_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker


def write_marker(
    store_path: Path, sources: tuple[GraphSource, ...], digests: list[str], triple_count: int
) -> None:
    """Record which source files (by SHA-256, size and time) the store was built from."""
    marker = {
        "sources": [str(source.path) for source in sources],
        "graph_names": [source.graph_name for source in sources],
        "sha256": digests,
        "stamps": file_stamps(sources),
        "triple_count": triple_count,
    }
    (store_path / STORE_MARKER_NAME).write_text(json.dumps(marker, indent=1), encoding="utf-8")


def marker_matches(marker: dict[str, Any] | None, sources: tuple[GraphSource, ...]) -> bool:
    """True if ``marker`` was written for exactly these sources with their current content.

    Equal sizes and modification times are trusted without hashing, so an unchanged store opens
    at once however large the graph; otherwise the files are hashed and compared.
    """
    if marker is None or marker.get("graph_names") != [s.graph_name for s in sources]:
        return False
    if marker.get("stamps") == file_stamps(sources):
        return True
    return bool(marker.get("sha256") == source_digests(sources))


def bulk_load_store(target: Path, sources: tuple[GraphSource, ...]) -> int:
    """Build a new store in ``target`` with pyoxigraph's bulk loader; return its quad count."""
    store = pyoxigraph.Store(str(target))
    for source in sources:
        try:
            store.bulk_load(**loader_arguments(source))
        except SyntaxError as error:
            raise GraphLoadError(f"{source.path}: cannot parse: {error}") from error
    store.flush()
    count = len(store)
    del store  # closes the database, so that workers may open it read-only
    return count


def open_disk_store(
    graph_path: Path, store_path: Path, extra_named_graphs: Mapping[str, Path] | None = None
) -> DiskStore:
    """Open the on-disk store at ``store_path``, (re)building it if the sources changed.

    The new store is built beside the old one and swapped in only when complete (the marker
    is written last), so an interrupted build is redone at the next start.

    :raises GraphLoadError: a source is missing or malformed, or ``store_path`` holds
        something that is not a store of ours (it is never deleted then)
    """
    sources = graph_sources(graph_path, extra_named_graphs)
    for source in sources:
        require_file(source.path)
    marker = read_marker(store_path)
    if marker_matches(marker, sources) and marker is not None:
        digests, count = list(marker["sha256"]), int(marker["triple_count"])
        if marker.get("stamps") != file_stamps(sources):
            write_marker(store_path, sources, digests, count)  # same content, touched files
    else:
        if store_path.exists() and marker is None and any(store_path.iterdir()):
            raise GraphLoadError(
                f"STORE_PATH {store_path} is not empty and holds no rankl-kg store marker "
                f"({STORE_MARKER_NAME}); point STORE_PATH at a new or empty directory"
            )
        with ThreadPoolExecutor(max_workers=1) as hashing:  # both release the GIL: hashing is free
            pending_digests = hashing.submit(source_digests, sources)
            count = rebuild_store(store_path, sources)
            digests = pending_digests.result()
        write_marker(store_path, sources, digests, count)
    return DiskStore(store_path, digests[0], count)


def rebuild_store(store_path: Path, sources: tuple[GraphSource, ...]) -> int:
    """Bulk-load a new store beside ``store_path``, then swap it in; return its quad count."""
    building = store_path.with_name(f".{store_path.name}.building")
    building.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(building, ignore_errors=True)
    count = bulk_load_store(building, sources)
    shutil.rmtree(store_path, ignore_errors=True)
    building.rename(store_path)
    return count
