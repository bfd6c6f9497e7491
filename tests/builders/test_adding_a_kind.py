"""Adding a kind is a table, a builder, shapes and a fixture: nothing else needs touching.

A toy kind is added the way content/README.md says (a builder module, here a class registered
for the test; its table; its shapes) in temporary copies of the fixture content and shapes, and
built through the real pipeline. The entity kinds, the prefixes and the context kinds follow
from the registry; the test unregisters the toy builder when it ends.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.build.graph import build_data_graph, load_ontology, merge
from kg.builders import REGISTRY, Builder, context_kinds, expected_links
from kg.builders._entity import EntityBuilder, EntityRecord
from kg.checks.shapes import load_shapes, validate_graph
from kg.constants import BASE_IRI, SHAPES_DIR
from kg.errors import InvalidContentError
from kg.namespaces import RKO, mint
from kg.vocabulary import entity_kinds, new_graph, prefixes

TOY = URIRef("https://example.org/toy-ontology/Toy")
TOY_SHAPES = """\
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix toy:  <https://example.org/toy-ontology/> .

toy:ToyShape a sh:NodeShape ;
    sh:targetClass toy:Toy ;
    sh:pattern "^https://w3id\\\\.org/rankl-kg/toy/" ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ; sh:minLength 3 ] .
"""


@pytest.fixture
def toy_builder() -> Iterator[type[Builder[Any]]]:
    """Step 2 of content/README.md, "Adding a kind": the builder (registered when defined)."""

    class ToyBuilder(EntityBuilder[EntityRecord]):
        name = "toys"
        kind = "toy"
        model = EntityRecord
        rdf_class = TOY
        context = RKO.inAnatomicalEntity
        expected_links = {TOY: ("UBERON",)}

    try:
        yield ToyBuilder
    finally:
        REGISTRY.unregister("toys")


def add_toy_table(content_dir: Path) -> None:
    """Step 1: the table, its rows quoting evidence the fixture already anchors."""
    with (content_dir / "anatomy.csv").open(encoding="utf-8", newline="") as handle:
        evidence = next(csv.DictReader(handle))
    with (content_dir / "toys.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "label", "source", "section", "refs", "quote"])
        for toy_id in ("yo-yo", "kite"):
            writer.writerow(
                [
                    toy_id,
                    f"a {toy_id}",
                    evidence["source"],
                    evidence["section"],
                    evidence["refs"],
                    evidence["quote"],
                ]
            )


def test_a_new_kind_builds_through_the_real_pipeline(
    toy_builder: type[Builder[Any]], content_dir: Path, tmp_path: Path
) -> None:
    add_toy_table(content_dir)
    shapes_dir = tmp_path / "shapes"
    shutil.copytree(SHAPES_DIR, shapes_dir)
    toy_builder.shapes_path(shapes_dir).write_text(TOY_SHAPES, encoding="utf-8")  # step 3

    graph = build_data_graph(content_dir)

    kite = URIRef(f"{BASE_IRI}toy/kite")
    assert (kite, RDF.type, TOY) in graph
    assert (kite, RDFS.label, Literal("a kite")) in graph
    assert any(graph.subjects(RDF.subject, kite)), (
        "the toy's type is a curated assertion with evidence"
    )
    assert mint("toy", "kite") == kite
    assert "toy" in context_kinds()
    assert expected_links()[TOY] == ("UBERON",)
    assert "toy" in entity_kinds()
    assert prefixes()["toy"] == f"{BASE_IRI}toy/"
    assert ("toy", URIRef(f"{BASE_IRI}toy/")) in set(new_graph().namespaces())
    report = validate_graph(merge(load_ontology(), graph), load_shapes(shapes_dir))
    assert report.conforms, report.text


def test_a_broken_toy_row_is_reported_like_any_other(
    toy_builder: type[Builder[Any]], content_dir: Path
) -> None:
    add_toy_table(content_dir)
    with (content_dir / "toys.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["not an id", "x", "renema-2016", "RANKL", "", "no such quote"])
    with pytest.raises(InvalidContentError, match=r"toys\.csv"):
        build_data_graph(content_dir)


def test_the_toy_kind_is_gone_once_unregistered() -> None:
    assert "toys" not in REGISTRY
    assert "toy" not in entity_kinds()
