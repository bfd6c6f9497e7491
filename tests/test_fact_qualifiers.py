"""Names with their references, attributions, mechanisms and clinical cases on the fixture
content: what the builders write and what the shapes refuse (the real facts are checked against
docs/curation/quote-only-facts.yaml in tests/content/test_last_facts.py)."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg.build.graph import merge
from kg.build.provenance import cited_reference_iri
from kg.namespaces import RKO, mint
from tests._hedged import violations_at, without_statements

CASE = mint("publication", "renema-2016/case/osteosarcoma-sorafenib-denosumab")
RANK_C = mint("protein", "TNFRSF11A-RANK-c")


def statements(graph: Graph, subject: URIRef, predicate: URIRef, obj: object) -> list[URIRef]:
    """The evidence nodes of ``subject predicate obj``."""
    return [
        URIRef(str(node))
        for node in graph.subjects(RDF.subject, subject)
        if graph.value(node, RDF.predicate) == predicate and graph.value(node, RDF.object) == obj
    ]


def cited_numbers(graph: Graph, node: URIRef) -> set[int]:
    """The reference numbers a statement cites."""
    return {
        int(str(graph.value(work, RKO.referenceNumber)))
        for work in graph.objects(node, RKO.citedReference)
    }


def test_a_name_cites_its_references(fixture_graph: Graph) -> None:
    rankl = mint("protein", "TNFSF11")
    (node,) = statements(fixture_graph, rankl, SKOS.altLabel, Literal("OPGL"))
    assert (rankl, SKOS.altLabel, Literal("OPGL")) in fixture_graph
    assert cited_numbers(fixture_graph, node) == {27, 28}


def test_attribution_gives_authors_year_and_note(fixture_graph: Graph) -> None:
    papanastasiou = cited_reference_iri("renema-2016", 91)
    assert set(fixture_graph.objects(papanastasiou, RKO.attributedYear)) == {
        Literal("2012", datatype=XSD.gYear)
    }
    trieb = cited_reference_iri("renema-2016", 89)
    assert set(map(str, fixture_graph.objects(trieb, RKO.attributedAuthor))) == {
        "Trieb",
        "Windhager",
    }
    wong = cited_reference_iri("renema-2016", 27)
    assert "Lacey" in str(fixture_graph.value(wong, RDFS.comment))


def test_attributed_year_must_be_a_year(fixture_graph: Graph) -> None:
    graph = merge(fixture_graph)
    work = cited_reference_iri("renema-2016", 91)
    graph.add((work, RKO.attributedYear, Literal("in 2012")))
    assert "DatatypeConstraintComponent" in violations_at(graph, work)


def test_mechanism_qualifies_its_statement(fixture_graph: Graph) -> None:
    migration = mint("process", "cell-migration")
    (node,) = statements(fixture_graph, RANK_C, RKO.negativelyRegulates, migration)
    assert set(fixture_graph.objects(node, RKO.mediatedBy)) == {mint("process", "rank-signalling")}
    assert (RANK_C, RKO.negativelyRegulates, migration) in fixture_graph


def test_mediator_must_be_a_molecule_cell_or_process(fixture_graph: Graph) -> None:
    graph = merge(fixture_graph)
    (node,) = statements(graph, RANK_C, RKO.negativelyRegulates, mint("process", "cell-migration"))
    graph.add((node, RKO.mediatedBy, mint("drug", "denosumab")))
    assert "OrConstraintComponent" in violations_at(graph, node)


def test_case_has_disease_treatments_outcome_and_duration(fixture_graph: Graph) -> None:
    assert (CASE, RDF.type, RKO.ClinicalCase) in fixture_graph
    assert set(fixture_graph.objects(CASE, RKO.caseTreatment)) == {
        mint("drug", "sorafenib"),
        mint("drug", "denosumab"),
    }
    duration = fixture_graph.value(CASE, RKO.responseDuration)
    assert Decimal(str(fixture_graph.value(duration, RKO.minValue))) == 18
    assert fixture_graph.value(duration, RKO.maxValue) is None


def test_case_without_disease_fails(fixture_graph: Graph) -> None:
    graph = without_statements(fixture_graph, CASE, RKO.caseDisease, None)
    assert "MinCountConstraintComponent" in violations_at(graph, CASE)
