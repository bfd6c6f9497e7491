"""SHACL catches broken data: one test per kind of breakage, each checked by its constraint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, XSD

from kg.build.graph import merge
from kg.checks.quality import CheckedGraph, checks_of, errors, run_qc_queries
from kg.checks.shapes import ValidationReport, load_shapes, validate_graph
from kg.namespaces import RKO, mint

TRIAL = mint("trial", "NCT00321464")
GENE = mint("gene", "TNFSF11")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def broken(graph: Graph, change: Callable[[Graph], None]) -> Graph:
    copy = merge(graph)
    change(copy)
    return copy


def violated(report: ValidationReport) -> set[tuple[str, str]]:
    """Return (constraint component, path) of each violation, as local names."""
    found = set()
    for result in report.results.subjects(RDF.type, SH.ValidationResult):
        component = report.results.value(result, SH.sourceConstraintComponent)
        path = report.results.value(result, SH.resultPath)
        found.add(
            (str(component).rsplit("#", 1)[-1], str(path).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        )
    return found


def assertion_of(graph: Graph, subject: URIRef, predicate: URIRef) -> URIRef:
    for node in graph.subjects(RDF.subject, subject):
        if graph.value(node, RDF.predicate) == predicate:
            assert isinstance(node, URIRef)
            return node
    raise AssertionError(f"no assertion of {subject} {predicate}")


def test_fixture_graph_conforms(fixture_graph: Graph, shapes: Graph) -> None:
    report = validate_graph(fixture_graph, shapes)
    assert report.conforms, report.text


def set_value(
    subject: URIRef, predicate: URIRef, value: Literal | URIRef
) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.set((subject, predicate, value))

    return change


def qualify(qualifier: URIRef, value: URIRef) -> Callable[[Graph], None]:
    """Add a context qualifier to the evidence node of the trial's enrollment."""

    def change(graph: Graph) -> None:
        graph.add((assertion_of(graph, TRIAL, RKO.enrollment), qualifier, value))

    return change


def remove(subject: URIRef | None, predicate: URIRef) -> Callable[[Graph], None]:
    def change(graph: Graph) -> None:
        graph.remove((subject, predicate, None))

    return change


CASES = {
    "missing label": (remove(GENE, RDFS.label), ("MinCountConstraintComponent", "label")),
    "malformed NCT number": (
        set_value(TRIAL, RKO.nctId, Literal("NCT0032146")),
        ("PatternConstraintComponent", "nctId"),
    ),
    "enrollment not an integer": (
        set_value(TRIAL, RKO.enrollment, Literal("2049")),
        ("DatatypeConstraintComponent", "enrollment"),
    ),
    "enrollment a derived integer type (Oxigraph would store it as xsd:integer)": (
        set_value(TRIAL, RKO.enrollment, Literal("2049", datatype=XSD.positiveInteger)),
        ("DatatypeConstraintComponent", "enrollment"),
    ),
    "enrollment not positive": (
        set_value(TRIAL, RKO.enrollment, Literal("0", datatype=XSD.integer)),
        ("MinInclusiveConstraintComponent", "enrollment"),
    ),
    "phase outside the closed list": (
        set_value(TRIAL, RKO.hasPhase, RKO.Oral),
        ("InConstraintComponent", "hasPhase"),
    ),
    "gene symbol in lower case": (
        set_value(GENE, RKO.symbol, Literal("tnfsf11")),
        ("PatternConstraintComponent", "symbol"),
    ),
    "drug link to the wrong resource": (
        set_value(
            mint("drug", "denosumab"),
            URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"),
            URIRef("https://identifiers.org/hgnc:11926"),
        ),
        ("PatternConstraintComponent", "exactMatch"),
    ),
    "a disease qualifier naming a cell": (
        qualify(RKO.inDisease, mint("cell", "osteoblast")),
        ("ClassConstraintComponent", "inDisease"),
    ),
    "a cell-type qualifier naming a disease": (
        qualify(RKO.inCellType, mint("disease", "breast-cancer")),
        ("ClassConstraintComponent", "inCellType"),
    ),
    "a disease's parent that is a gene": (
        set_value(mint("disease", "breast-carcinoma"), RKO.subtypeOf, GENE),
        ("ClassConstraintComponent", "subtypeOf"),
    ),
    "a disease in the hierarchy without a MONDO link": (
        set_value(
            mint("disease", "breast-carcinoma"), RKO.subtypeOf, mint("disease", "hypocalcaemia")
        ),
        ("QualifiedMinCountConstraintComponent", "exactMatch"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_shapes_catch(case: str, fixture_graph: Graph, shapes: Graph) -> None:
    change, expected = CASES[case]
    report = validate_graph(broken(fixture_graph, change), shapes)
    assert not report.conforms
    assert expected in violated(report), report.text


def test_statement_without_quote(fixture_graph: Graph, shapes: Graph) -> None:
    node = assertion_of(fixture_graph, TRIAL, RKO.enrollment)
    report = validate_graph(broken(fixture_graph, remove(node, RKO.quote)), shapes)
    assert ("MinCountConstraintComponent", "quote") in violated(report)


def test_statement_without_source(fixture_graph: Graph, shapes: Graph) -> None:
    node = assertion_of(fixture_graph, TRIAL, RKO.enrollment)
    report = validate_graph(broken(fixture_graph, remove(node, PROV.wasDerivedFrom)), shapes)
    assert ("MinCountConstraintComponent", "wasDerivedFrom") in violated(report)


def test_statement_whose_triple_is_missing_is_a_quality_error(fixture_graph: Graph) -> None:
    graph = broken(fixture_graph, remove(TRIAL, RKO.hasPhase))
    findings = run_qc_queries(graph, checks_of(CheckedGraph.ASSERTED))
    assert [(f.rule, f.property) for f in errors(findings)] == [
        ("assertion_triple_missing", str(RKO.hasPhase))
    ]


def test_entity_without_evidence(fixture_graph: Graph, shapes: Graph) -> None:
    def drop_gene_assertions(graph: Graph) -> None:
        for node in list(graph.subjects(RDF.subject, GENE)):
            graph.remove((node, None, None))

    report = validate_graph(broken(fixture_graph, drop_gene_assertions), shapes)
    assert not report.conforms
    assert "at least one curated assertion" in report.text


def test_quantity_with_value_and_range(fixture_graph: Graph, shapes: Graph) -> None:
    def add_value_to_range(graph: Graph) -> None:
        ranged = next(graph.subjects(RKO.minValue, None))
        assert isinstance(ranged, URIRef)
        graph.add((ranged, RKO.numericValue, Literal("100", datatype=XSD.decimal)))

    report = validate_graph(broken(fixture_graph, add_value_to_range), shapes)
    assert any(component == "XoneConstraintComponent" for component, _ in violated(report))


def test_quantity_without_its_comparator(fixture_graph: Graph, shapes: Graph) -> None:
    def drop_a_comparator(graph: Graph) -> None:
        quantity = next(graph.subjects(RKO.comparator, None))
        graph.remove((quantity, RKO.comparator, None))

    report = validate_graph(broken(fixture_graph, drop_a_comparator), shapes)
    assert ("MinCountConstraintComponent", "comparator") in violated(report)
