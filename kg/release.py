"""The whole build: content -> graph -> SHACL gate -> exports in ``dist/``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.constants import CONTENT_DIR, DIST_DIR, GRAPH_FILENAME, ONTOLOGY_FILENAME, ONTOLOGY_PATH
from kg.errors import ShapeViolationError
from kg.export import publish, to_turtle
from kg.pipeline import build_data_graph, load_ontology, merge
from kg.validate import validate_graph


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    graph: Graph
    triples: int
    files: tuple[Path, ...]
    seconds: float


def build_release(
    content_dir: Path = CONTENT_DIR,
    dist_dir: Path = DIST_DIR,
    ontology_path: Path = ONTOLOGY_PATH,
) -> BuildResult:
    """Build, validate and export the graph; on any error nothing in ``dist_dir`` changes.

    :raises InvalidContentError: a content row is malformed
    :raises ShapeViolationError: the graph does not conform to the SHACL shapes
    """
    started = time.perf_counter()
    ontology = load_ontology(ontology_path)
    merged = merge(ontology, build_data_graph(content_dir))
    report = validate_graph(merged)
    if not report.conforms:
        raise ShapeViolationError(report.text, report.violations)
    files = {GRAPH_FILENAME: to_turtle(merged), ONTOLOGY_FILENAME: to_turtle(ontology)}
    publish(files, dist_dir)
    return BuildResult(
        graph=merged,
        triples=len(merged),
        files=tuple(dist_dir / name for name in files),
        seconds=time.perf_counter() - started,
    )
