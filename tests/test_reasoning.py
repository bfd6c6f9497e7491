"""Reasoning: HermiT finds the graph consistent and names the entities of an inconsistent edit;
the OWL RL materialisation makes subclass and inverse inferences queryable."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from kg.build.graph import build_data_graph, merge
from kg.checks.reasoning import (
    InconsistentOntologyError,
    disjoint_type_clashes,
    materialise,
    reason,
    run_hermit,
)
from kg.namespaces import RKO, mint
from kg.vocabulary import new_graph
from tests.conftest import FIXTURE_CONTENT_DIR
from tests.sparql_helpers import column, python

EVERY_CANCER = "SELECT ?cancer WHERE { ?cancer a rko:Cancer }"


@pytest.fixture(scope="module")
def fixture_data() -> Graph:
    return build_data_graph(FIXTURE_CONTENT_DIR)


@pytest.fixture(scope="module")
def inferred(ontology_graph: Graph, fixture_data: Graph) -> Graph:
    return materialise(ontology_graph, fixture_data)


def with_gene_typed_as_drug(data: Graph) -> Graph:
    edited = new_graph()
    for triple in data:
        edited.add(triple)
    edited.add((mint("gene", "TNFSF11"), RDF.type, RKO.Drug))
    return edited


def test_every_cancer_query_returns_carcinomas_and_sarcomas(
    fixture_graph: Graph, inferred: Graph
) -> None:
    subtypes = set(fixture_graph.subjects(RDF.type, RKO.Carcinoma)) | set(
        fixture_graph.subjects(RDF.type, RKO.Sarcoma)
    )
    assert subtypes, "the fixture content should hold a carcinoma or a sarcoma"
    asserted = column(fixture_graph, EVERY_CANCER, convert=python)
    answered = column(merge(fixture_graph, inferred), EVERY_CANCER, convert=python)
    assert not subtypes <= asserted
    assert subtypes | asserted <= answered


def test_inverse_properties_are_materialised(fixture_graph: Graph, inferred: Graph) -> None:
    everything = merge(fixture_graph, inferred)
    pairs = list(fixture_graph.subject_objects(RKO.expresses))
    assert pairs
    for subject, gene in pairs:
        assert (gene, RKO.expressedIn, subject) in everything


def test_materialisation_keeps_only_entity_inferences(inferred: Graph) -> None:
    assert len(inferred) > 0
    for subject, predicate, _obj in inferred:
        assert str(subject).startswith("https://w3id.org/rankl-kg/") and "/ontology/" not in str(
            subject
        )
        assert predicate == RDF.type or str(predicate).startswith(str(RKO))


def test_materialisation_is_deterministic(
    ontology_graph: Graph, fixture_data: Graph, inferred: Graph
) -> None:
    assert set(materialise(ontology_graph, fixture_data)) == set(inferred)


def test_disjoint_clash_names_the_entity(ontology_graph: Graph, fixture_data: Graph) -> None:
    clashes = disjoint_type_clashes(merge(ontology_graph, with_gene_typed_as_drug(fixture_data)))
    assert [clash.subject for clash in clashes] == [str(mint("gene", "TNFSF11"))]
    assert str(RKO.Gene) in clashes[0].value and str(RKO.Drug) in clashes[0].value


@pytest.mark.integration
def test_hermit_finds_the_fixture_consistent(ontology_graph: Graph, fixture_data: Graph) -> None:
    verdict = run_hermit(ontology_graph, fixture_data)
    assert verdict.consistent and verdict.unsatisfiable == ()


@pytest.mark.integration
def test_hermit_reports_a_gene_typed_as_a_drug(ontology_graph: Graph, fixture_data: Graph) -> None:
    with pytest.raises(InconsistentOntologyError) as caught:
        reason(ontology_graph, with_gene_typed_as_drug(fixture_data))
    assert [clash.subject for clash in caught.value.clashes] == [str(mint("gene", "TNFSF11"))]
    assert "gene/TNFSF11" in str(caught.value)


def test_context_is_inferred_from_every_typed_qualifier(
    fixture_data: Graph, inferred: Graph
) -> None:
    qualified = [
        (node, entity)
        for qualifier in (RKO.inDisease, RKO.inCellType, RKO.inAnatomicalEntity, RKO.inProcess)
        for node, entity in fixture_data.subject_objects(qualifier)
    ]
    assert qualified, "the fixture content should hold a finding with a context"
    assert not any(fixture_data.triples((None, RKO.inContext, None)))
    for node, entity in qualified:
        assert (node, RKO.inContext, entity) in inferred
    evidence_types = {obj for node, _ in qualified for obj in inferred.objects(node, RDF.type)}
    assert evidence_types == set(), "evidence nodes get no inferred types, only their contexts"


def test_disease_subtypes_are_closed_transitively(ontology_graph: Graph) -> None:
    carcinoma, cancer, disease = (
        mint("disease", name) for name in ("breast-carcinoma", "breast-cancer", "neoplasm")
    )
    data = new_graph()
    for node in (carcinoma, cancer, disease):
        data.add((node, RDF.type, RKO.Disease))
    data.add((carcinoma, RKO.subtypeOf, cancer))
    data.add((cancer, RKO.subtypeOf, disease))
    assert (carcinoma, RKO.subtypeOf, disease) in materialise(ontology_graph, data)


@pytest.mark.integration
def test_hermit_refuses_a_qualifier_naming_the_wrong_kind(
    ontology_graph: Graph, fixture_data: Graph
) -> None:
    """rko:inDisease has rko:Disease as range: naming a cell with it makes the cell a disease."""
    edited = new_graph()
    for triple in fixture_data:
        edited.add(triple)
    node = next(iter(fixture_data.subjects(RDF.type, RKO.Assertion)))
    edited.add((node, RKO.inDisease, mint("cell", "osteoblast")))
    with pytest.raises(InconsistentOntologyError) as caught:
        reason(ontology_graph, edited)
    assert str(mint("cell", "osteoblast")) in {clash.subject for clash in caught.value.clashes}
