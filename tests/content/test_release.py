"""The real build: its graph, ontology and release files (the build pipeline itself is tested on
the fixture content in tests/test_release.py)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import isomorphic

from kg.constants import GRAPH_FILENAME, ONTOLOGY_FILENAME, RELEASES_DIRNAME
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.release.assemble import BuildResult
from kg.release.publish import current_release
from kg.release.verify import verify_release


def test_real_build_writes_merged_graph_and_ontology(real_build: BuildResult) -> None:
    names = {path.name for path in real_build.files}
    assert {GRAPH_FILENAME, ONTOLOGY_FILENAME} <= names
    assert real_build.triples == len(real_build.graph) > 1000


def test_exported_turtle_parses_back_isomorphic(real_build: BuildResult) -> None:
    graph_file = next(p for p in real_build.files if p.name == GRAPH_FILENAME)
    parsed = Graph().parse(graph_file, format="turtle")
    assert isomorphic(parsed, real_build.graph)


def test_ontology_export_holds_no_instance_data(real_build: BuildResult) -> None:
    ontology_file = next(p for p in real_build.files if p.name == ONTOLOGY_FILENAME)
    text = ontology_file.read_text(encoding="utf-8")
    assert "owl:Ontology" in text
    assert "rankl-kg/trial/" not in text and "rankl-kg/assertion/" not in text


def test_build_publishes_a_release_that_current_names(real_build: BuildResult) -> None:
    dist = real_build.release_dir.parent.parent
    assert real_build.release_dir.parent.name == RELEASES_DIRNAME
    assert current_release(dist) == real_build.release_dir.resolve()
    assert {path.parent for path in real_build.files} == {real_build.release_dir}
    names = {entry["name"] for entry in verify_release(real_build.release_dir)}
    assert names == {path.name for path in real_build.files} - {MANIFEST_FILENAME}
