"""The released graph from Python, without a server (for notebooks and scripts).

>>> import kg
>>> graph = kg.load_graph()            # rdflib Graph: asserted + inferred triples
>>> store = kg.load_store()            # pyoxigraph Store: the same triples, fast SPARQL

Both read the release the command line serves: ``dist/current`` in a source checkout, the
release packaged in the wheel when installed. The release is checked against its manifest
(sizes and SHA-256) before it is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.constants import (
    CURRENT_RELEASE_DIR,
    FROM_CHECKOUT,
    GRAPH_FILENAME,
    INFERRED_GRAPH_FILENAME,
    packaged_input_fix,
    require_input,
)

if TYPE_CHECKING:
    import pyoxigraph


def released_graph_path(inferred: bool = True, release_dir: Path | None = None) -> Path:
    """Return the path of the release's graph file, after checking the release's manifest.

    :param inferred: the graph with the reasoner's inferences (what the server serves), or only
        the asserted triples (ontology and data)
    :param release_dir: a release folder (``dist/current``, ``dist/releases/<id>``); default:
        the current release of the checkout, or the one packaged in the wheel
    :raises MissingInputError: there is no release (one line naming the fix)
    :raises ReleaseCheckError: a file of the release does not match its manifest
    """
    from kg.release.verify import verify_release

    folder = release_dir or CURRENT_RELEASE_DIR
    fix = "run 'rankl-kg build' first" if FROM_CHECKOUT or release_dir else packaged_input_fix()
    path = require_input(
        folder / (INFERRED_GRAPH_FILENAME if inferred else GRAPH_FILENAME), "released graph", fix
    )
    verify_release(folder)
    return path


def load_graph(inferred: bool = True, release_dir: Path | None = None) -> Graph:
    """Return the released graph as an rdflib :class:`~rdflib.Graph` (about 2 s for 22k triples).

    :param inferred: include the reasoner's inferences (default, as served), else only the
        asserted triples
    :param release_dir: read this release folder instead of the default one
    """
    from kg.safe_rdf import load_rdf

    return load_rdf(released_graph_path(inferred, release_dir))


def load_store(inferred: bool = True, release_dir: Path | None = None) -> pyoxigraph.Store:
    """Return the released graph in an in-memory pyoxigraph ``Store`` (default graph).

    Parameters as :func:`load_graph`. Query it with ``store.query("SELECT ...")``.
    """
    import pyoxigraph

    path = released_graph_path(inferred, release_dir)
    store = pyoxigraph.Store()
    store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    return store
