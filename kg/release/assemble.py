"""The whole build: content -> graph -> SHACL, quality and reasoner gates -> a release in ``dist/``.

How a release is written, checked and made current is :mod:`kg.release.publish`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kg.build.graph import build_data_graph, load_ontology, merge
from kg.checks.links import check_links
from kg.checks.quality import CheckedGraph, Finding, QualityError, checks_of, errors, run_qc_queries
from kg.checks.reasoning import reasoning_started
from kg.checks.shapes import validate_graph
from kg.constants import CONTENT_DIR, DIST_DIR, ONTOLOGY_PATH
from kg.errors import ShapeViolationError
from kg.exports import ExportFile, ExportSource, export_all
from kg.exports.manifest import build_manifest
from kg.release.diff import release_changelog
from kg.release.publish import publish_release, release_lock


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    graph: Graph
    triples: int
    #: the folder of the published release, ``dist/releases/<id>``, now ``dist/current``
    release_dir: Path
    files: tuple[Path, ...]
    seconds: float
    #: quality findings that do not fail the build (entities without a verified link, ...)
    warnings: tuple[Finding, ...] = ()
    #: triples the reasoner entailed, not asserted (the served graph holds both)
    inferred_triples: int = 0


def build_release(
    content_dir: Path = CONTENT_DIR,
    dist_dir: Path = DIST_DIR,
    ontology_path: Path = ONTOLOGY_PATH,
) -> BuildResult:
    """Build, validate and export the graph as a new release, and make it ``dist_dir/current``.

    On any error ``dist_dir/current`` stays on the release it was on.

    :raises InvalidContentError: a content row is malformed
    :raises ShapeViolationError: the graph does not conform to the SHACL shapes
    :raises QualityError: a link or an ontology quality check fails
    :raises InconsistentOntologyError: the reasoner finds the ontology and data inconsistent
    :raises ReleaseCheckError: a written file does not match the manifest, parse, or pass a smoke
        query
    """
    started = time.perf_counter()
    source, findings = build_source(content_dir, ontology_path)
    with release_lock(dist_dir):
        files = release_files(source, dist_dir)
        release_dir = publish_release(files, dist_dir, source.merged)
    return BuildResult(
        graph=source.merged,
        triples=len(source.merged),
        release_dir=release_dir,
        files=tuple(release_dir / file.name for file in files),
        seconds=time.perf_counter() - started,
        warnings=tuple(findings),
        inferred_triples=len(source.inferred) if source.inferred is not None else 0,
    )


def build_source(
    content_dir: Path = CONTENT_DIR, ontology_path: Path = ONTOLOGY_PATH
) -> tuple[ExportSource, list[Finding]]:
    """Build the graphs, pass them through every gate, and reason; return them and the warnings.

    :raises InvalidContentError, ShapeViolationError, QualityError, InconsistentOntologyError:
        as :func:`build_release`
    """
    ontology = load_ontology(ontology_path)
    data = build_data_graph(content_dir)
    merged = merge(ontology, data)
    with reasoning_started(ontology, data) as reasoning:
        report = validate_graph(merged)
        if not report.conforms:
            raise ShapeViolationError(report.text, report.violations)
        findings = quality_findings(merged)
        if errors(findings):
            raise QualityError(findings)
        inferred = reasoning.result()
    findings = sorted(findings + served_findings(merged, inferred))
    if errors(findings):
        raise QualityError(findings)
    return ExportSource(ontology=ontology, data=data, merged=merged, inferred=inferred), findings


def release_files(source: ExportSource, dist_dir: Path) -> list[ExportFile]:
    """Return every file of the release: each export format, the changelog against the current
    release of ``dist_dir``, and the manifest of them all."""
    files = [*export_all(source), release_changelog(source.merged, dist_dir)]
    return [*files, build_manifest(files)]


def quality_findings(graph: Graph) -> list[Finding]:
    """Run the link checks and the quality queries of the asserted graph on a merged graph."""
    return sorted(check_links(graph) + run_qc_queries(graph, checks_of(CheckedGraph.ASSERTED)))


def served_findings(merged: Graph, inferred: Graph | None) -> list[Finding]:
    """Run the checks of the served graph (``# graph: served``) on the asserted and inferred
    triples together: the rules about what the inferred graph must hold (inverses, closures)."""
    served = merged if inferred is None else merged + inferred
    return run_qc_queries(served, checks_of(CheckedGraph.SERVED))
