"""The served graph: parsed once per app into an in-memory pyoxigraph store.

Loading follows flaskr's ``db.py``: :func:`init_app` reads the built Turtle file when the app
is created, keeps the store in ``app.extensions`` and every request reads it through
:func:`get_store`. The store is never written after loading, so the endpoint is read-only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from flask import Flask, current_app

#: Key of the loaded graph in ``app.extensions``
EXTENSION_KEY = "rankl_kg_graph"

_RDF_FORMATS_BY_SUFFIX = {
    ".ttl": pyoxigraph.RdfFormat.TURTLE,
    ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    ".nq": pyoxigraph.RdfFormat.N_QUADS,
    ".trig": pyoxigraph.RdfFormat.TRIG,
    ".rdf": pyoxigraph.RdfFormat.RDF_XML,
    ".owl": pyoxigraph.RdfFormat.RDF_XML,
    ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
}


class GraphLoadError(RuntimeError):
    """The graph file to serve is missing or cannot be parsed."""


@dataclass(frozen=True)
class GraphSource:
    """One RDF file and the graph it is loaded into (``None``: the default graph)."""

    path: Path
    graph_name: str | None = None


@dataclass(frozen=True)
class LoadedGraph:
    """The store of one app, with what the service description and /health report about it."""

    store: pyoxigraph.Store
    sources: tuple[GraphSource, ...]
    #: SHA-256 (hex) of the main graph file: changes whenever a new build is served
    version: str
    triple_count: int


def sha256_of_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def rdf_format_of(path: Path) -> pyoxigraph.RdfFormat:
    """Return the RDF syntax of a file from its suffix; raise if the suffix is unknown."""
    try:
        return _RDF_FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_RDF_FORMATS_BY_SUFFIX))
        raise GraphLoadError(
            f"{path}: unknown RDF file suffix {path.suffix!r}; use one of {known}"
        ) from None


def load_sources_into(store: pyoxigraph.Store, sources: tuple[GraphSource, ...]) -> None:
    """Parse every source file into ``store``; errors name the file and the parser message."""
    for source in sources:
        if not source.path.is_file():
            raise GraphLoadError(
                f"graph file {source.path} does not exist; run 'rankl-kg build' first "
                "or set RANKL_KG_GRAPH_PATH"
            )
        target = (
            pyoxigraph.DefaultGraph()
            if source.graph_name is None
            else pyoxigraph.NamedNode(source.graph_name)
        )
        try:
            store.load(path=source.path, format=rdf_format_of(source.path), to_graph=target)
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
    named = sorted((extra_named_graphs or {}).items())
    sources = (GraphSource(Path(graph_path)), *(GraphSource(Path(p), name) for name, p in named))
    store = pyoxigraph.Store()
    load_sources_into(store, sources)
    return LoadedGraph(
        store=store,
        sources=sources,
        version=sha256_of_file(sources[0].path),
        triple_count=len(store),
    )


def init_app(app: Flask) -> LoadedGraph:
    """Load the graph named by ``GRAPH_PATH`` (and ``EXTRA_NAMED_GRAPHS``) into ``app``."""
    loaded = load_graph(Path(app.config["GRAPH_PATH"]), app.config.get("EXTRA_NAMED_GRAPHS"))
    app.extensions[EXTENSION_KEY] = loaded
    return loaded


def get_loaded_graph() -> LoadedGraph:
    """Return the graph of the current app (needs an app context)."""
    loaded: LoadedGraph = current_app.extensions[EXTENSION_KEY]
    return loaded


def get_store() -> pyoxigraph.Store:
    """Return the read-only pyoxigraph store of the current app."""
    return get_loaded_graph().store


def get_graph_version() -> str:
    """Return the SHA-256 of the served graph file (identifies the build being served)."""
    return get_loaded_graph().version
