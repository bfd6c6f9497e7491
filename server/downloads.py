"""The files of the served release offered for download, as listed in its manifest.

Downloads live at ``/download/<file>``, the path of ``https://w3id.org/rankl-kg/download/<file>``
that the VoID description links as ``void:dataDump``. Only files the manifest names are served,
from the release folder :mod:`server.release` verified when the app started (so a build that
swaps ``dist/current`` meanwhile does not mix two releases).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, send_from_directory
from rdflib import Graph, URIRef

from kg.constants import BASE_IRI
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.exports.void import add_data_dumps
from kg.release.verify import read_manifest as manifest_entries
from server.verified_release import served_release_dir

LOGGER = logging.getLogger(__name__)
bp = Blueprint("downloads", __name__)
#: Where the VoID description says the dumps are (under the namespace, like every entity)
DOWNLOAD_BASE = f"{BASE_IRI}download/"


def release_dir(app: Flask) -> Path:
    """The verified release folder of the served graph, which holds the release's other files."""
    return served_release_dir(app)


def read_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    """Return the manifest's file entries by name; none if the folder has no manifest."""
    if not (directory / MANIFEST_FILENAME).is_file():
        return {}
    return {entry["name"]: entry for entry in manifest_entries(directory)}


def add_dumps_to_void(app: Flask, void: Graph, dataset: URIRef) -> None:
    """Link the release's RDF dumps from the VoID dataset (a graph without a manifest has none)."""
    try:
        count = add_data_dumps(void, dataset, release_dir(app), DOWNLOAD_BASE)
    except FileNotFoundError as exc:
        LOGGER.warning("no data dumps in VoID: %s", exc)
        return
    LOGGER.info("VoID links %d data dumps", count)


@bp.get("/download/")
def list_downloads() -> Response:
    """List the downloadable files with their size, checksum and media type (JSON)."""
    files = sorted(
        read_manifest(release_dir(current_app)).values(), key=lambda entry: str(entry["name"])
    )
    return jsonify(files)


@bp.get("/download/<name>")
def download(name: str) -> Response:
    """Serve one release file named in the manifest."""
    entry = read_manifest(release_dir(current_app)).get(name)
    if entry is None:
        abort(404, description=f"no release file named {name!r}; see /download/ for the list")
    return send_from_directory(release_dir(current_app), name, mimetype=str(entry["media_type"]))
