"""Every registered builder has what a table needs: fixture, shapes, documentation, snapshot.

One test per requirement, parametrized over the builder registry, so a new builder is checked
the moment its module exists. ``pytest tests/builders --update-snapshots`` rewrites the
snapshots (``tests/data/snapshots/<builder>.ttl``) after an intended change: review the diff.
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from kg.build.graph import build_graphs_by_builder
from kg.builders import Builder, builder_classes
from kg.checks.shapes import validate_graph
from kg.constants import ROOT_DIR, SHAPES_DIR
from kg.safe_rdf import load_rdf
from tests.conftest import FIXTURE_CONTENT_DIR

SNAPSHOT_DIR = FIXTURE_CONTENT_DIR.parent / "snapshots"
README = ROOT_DIR / "content" / "README.md"
BUILDERS = builder_classes()
each_builder = pytest.mark.parametrize("builder", BUILDERS, ids=[cls.name for cls in BUILDERS])


@pytest.fixture(scope="module")
def builder_graphs() -> dict[str, Graph]:
    """Each builder's triples from the fixture content (built with every other table defined)."""
    return build_graphs_by_builder(FIXTURE_CONTENT_DIR)


def builder_shapes(builder: type[Builder[Any]]) -> Graph:
    """The builder's shapes file, with the prefixes its SPARQL constraints declare."""
    shapes = load_rdf(SHAPES_DIR / "prefixes.ttl", Graph())
    return load_rdf(builder.shapes_path(), shapes)


@each_builder
def test_fixture_table_present(builder: type[Builder[Any]]) -> None:
    rows, errors = builder().load(FIXTURE_CONTENT_DIR)
    assert not errors, "\n".join(map(str, errors))
    assert rows, f"tests/data/content/{builder.name}.* has no rows: add a few real ones"


@each_builder
def test_documented_in_content_readme(builder: type[Builder[Any]]) -> None:
    table = builder().table_path(FIXTURE_CONTENT_DIR).name
    assert f"`{table}`" in README.read_text(encoding="utf-8"), (
        f"describe `{table}` and its columns in content/README.md"
    )


@each_builder
def test_shapes_file_present(builder: type[Builder[Any]]) -> None:
    path = builder.shapes_path()
    assert path.is_file(), (
        f"write {path.relative_to(ROOT_DIR)}: SHACL shapes for what {builder.__name__} adds"
    )
    assert any(builder_shapes(builder).subjects(RDF.type, SH.NodeShape)), (
        f"{path.name} declares no sh:NodeShape"
    )


@each_builder
def test_shapes_target_what_the_builder_writes(
    builder: type[Builder[Any]], builder_graphs: dict[str, Graph], fixture_graph: Graph
) -> None:
    """A shapes file none of whose focus nodes the builder writes about checks nothing."""
    shapes, graph = builder_shapes(builder), builder_graphs[builder.name]
    written = set(graph.subjects()) | set(graph.objects())
    focus: set[Node] = set()
    for target in shapes.objects(None, SH.targetClass):
        classes = set(fixture_graph.transitive_subjects(RDFS.subClassOf, target))
        focus.update(
            node for rdf_class in classes for node in fixture_graph.subjects(RDF.type, rdf_class)
        )
    for predicate in shapes.objects(None, SH.targetSubjectsOf):
        focus.update(fixture_graph.subjects(predicate, None))
    for predicate in shapes.objects(None, SH.targetObjectsOf):
        focus.update(fixture_graph.objects(None, predicate))
    assert focus & written, (
        f"no shape of {builder.shapes_path().name} targets a node that {builder.name} writes"
    )


@each_builder
def test_fixture_output_conforms_to_its_shapes(
    builder: type[Builder[Any]], fixture_graph: Graph
) -> None:
    report = validate_graph(fixture_graph, builder_shapes(builder))
    assert report.conforms, report.text


@each_builder
def test_fixture_output_matches_snapshot(
    builder: type[Builder[Any]], builder_graphs: dict[str, Graph], request: pytest.FixtureRequest
) -> None:
    graph = builder_graphs[builder.name]
    path = SNAPSHOT_DIR / f"{builder.name}.ttl"
    if request.config.getoption("--update-snapshots", default=False):
        SNAPSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    assert path.is_file(), f"no snapshot {path.name}: run pytest tests/builders --update-snapshots"
    snapshot = load_rdf(path, Graph())
    if not isomorphic(graph, snapshot):
        pytest.fail(
            f"{builder.name} writes other triples than {path.name}:\n"
            f"{describe_diff(graph, snapshot)}\n"
            "if intended: pytest tests/builders --update-snapshots"
        )


def describe_diff(built: Graph, snapshot: Graph, limit: int = 20) -> str:
    """The triples only the build has (+) and only the snapshot has (-), sorted, at most
    ``limit`` each."""
    _, only_built, only_snapshot = graph_diff(to_isomorphic(built), to_isomorphic(snapshot))
    lines = []
    for sign, graph in (("+", only_built), ("-", only_snapshot)):
        triples = sorted(" ".join(term.n3() for term in triple) for triple in graph)
        lines += [f"{sign} {triple}" for triple in triples[:limit]]
        if len(triples) > limit:
            lines.append(f"{sign} ... and {len(triples) - limit} more")
    return "\n".join(lines)


def test_every_builder_has_a_snapshot_and_no_snapshot_is_orphaned() -> None:
    names = {cls.name for cls in BUILDERS}
    orphans = sorted(path.name for path in SNAPSHOT_DIR.glob("*.ttl") if path.stem not in names)
    assert not orphans, f"snapshots of no registered builder: {orphans} (delete them)"


def test_each_builder_names_its_entity_class_when_it_defines_entities() -> None:
    unnamed = [cls.name for cls in BUILDERS if cls.rdf_class is None and cls.expected_links]
    assert not unnamed, f"builders with expected links but no rdf_class: {unnamed}"
    for cls in BUILDERS:
        assert all(isinstance(rdf_class, URIRef) for rdf_class in cls.expected_links), cls.name
