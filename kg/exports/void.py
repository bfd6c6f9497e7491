"""VoID ``void:dataDump`` links to the release's RDF files, for the endpoint's VoID description.

The endpoint serves ``dist/`` files under a download URL; :func:`add_data_dumps` reads the
release manifest and links every RDF file of it (those with a triple count) from the dataset.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID

from kg.exports.manifest import FILENAME as MANIFEST_FILENAME


def add_data_dumps(graph: Graph, dataset: URIRef, dist_dir: Path, download_base: str) -> int:
    """Add ``dataset void:dataDump <download_base><file>`` with its media type for each RDF file.

    :param download_base: the URL the files are served under, ending in ``/``
    :returns: the number of dumps linked
    :raises FileNotFoundError: if ``dist_dir`` holds no manifest (the build writes it)
    """
    manifest_path = dist_dir / MANIFEST_FILENAME
    if not manifest_path.is_file():
        raise FileNotFoundError(f"{manifest_path}: no release manifest; run 'rankl-kg build' first")
    entries = json.loads(manifest_path.read_text(encoding="utf-8"))["files"]
    dumps = [entry for entry in entries if "triples" in entry]
    for entry in dumps:
        dump = URIRef(f"{download_base}{entry['name']}")
        graph.add((dataset, VOID.dataDump, dump))
        graph.add((dump, DCTERMS["format"], Literal(entry["media_type"])))
    return len(dumps)
