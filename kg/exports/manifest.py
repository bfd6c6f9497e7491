"""The release manifest: version, date, and for every file its size, SHA-256 and triple/row count.

Its date is the version's release date (``kg.__release_date__``), never the clock, so the same
build gives the same manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from kg import __release_date__, __version__
from kg.exports.base import ExportFile

FILENAME = "manifest.json"


def build_manifest(
    files: Iterable[ExportFile], version: str = __version__, date: str = __release_date__
) -> ExportFile:
    """Describe ``files`` (the rest of the release) in a JSON manifest file."""
    entries = [file_entry(file) for file in sorted(files, key=lambda file: file.name)]
    document = {"name": "rankl-kg", "version": version, "date": date, "files": entries}
    content = (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    return ExportFile(FILENAME, content, "application/json", "this list of the release's files")


def file_entry(file: ExportFile) -> dict[str, Any]:
    """Return the manifest entry of one file."""
    entry: dict[str, Any] = {
        "name": file.name,
        "media_type": file.media_type,
        "description": file.description,
        "bytes": len(file.content),
        "sha256": hashlib.sha256(file.content).hexdigest(),
    }
    if file.triples is not None:
        entry["triples"] = file.triples
    if file.rows is not None:
        entry["rows"] = file.rows
    return entry
