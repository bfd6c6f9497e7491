"""Ontology quality checks (``ontology/sparql/*-violation.rq``) and ``rankl-kg report``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.checks.quality import (
    CheckedGraph,
    Level,
    QCQuery,
    format_report,
    load_qc_query,
    qc_queries,
    run_qc_queries,
)
from kg.checks.reasoning import materialise
from kg.cli import main
from kg.namespaces import OBO, RKO, mint
from kg.release import assemble
from kg.vocabulary import new_graph
from tests.test_model_rules import MODEL_VIOLATIONS

NEW_CLASS = URIRef(f"{RKO._NS}UncheckedThing")
UNDECLARED = URIRef(f"{RKO._NS}undeclaredRelation")
GENE = mint("gene", "TNFSF11")
OTHER_GENE = mint("gene", "TNFRSF11A")
STATEMENT = mint("assertion", "0000000000000000")
BREAST_CANCER, BREAST_CARCINOMA = (
    mint("disease", "breast-cancer"),
    mint("disease", "breast-carcinoma"),
)

#: rule -> the triples that break it, and the subject the finding must name
VIOLATIONS: dict[str, tuple[list[tuple[URIRef, URIRef, URIRef | Literal]], URIRef]] = {
    "missing_label": ([(NEW_CLASS, RDF.type, OWL.Class)], NEW_CLASS),
    "missing_definition": (
        [(NEW_CLASS, RDF.type, OWL.Class), (NEW_CLASS, RDFS.label, Literal("unchecked thing"))],
        NEW_CLASS,
    ),
    "multiple_labels": ([(RKO.Gene, RDFS.label, Literal("hereditary unit"))], RKO.Gene),
    "duplicate_label": (
        [(NEW_CLASS, RDF.type, OWL.Class), (NEW_CLASS, RDFS.label, Literal("GENE"))],
        RKO.Gene,
    ),
    "dangling_term": ([(GENE, UNDECLARED, OTHER_GENE)], UNDECLARED),
    "dangling_entity": (
        [(GENE, RKO.encodes, mint("protein", "NO-SUCH-PROTEIN"))],
        mint("protein", "NO-SUCH-PROTEIN"),
    ),
    "undeclared_property": (
        [(GENE, URIRef("https://example.org/undeclared"), OTHER_GENE)],
        URIRef("https://example.org/undeclared"),
    ),
    "mapping_object": ([(GENE, SKOS.exactMatch, Literal("HGNC:11926"))], GENE),
    "mapping_predicate_conflict": (
        [(GENE, SKOS.closeMatch, URIRef("https://identifiers.org/hgnc:11926"))],
        GENE,
    ),
    "obo_alignment": ([(RKO.Gene, SKOS.exactMatch, OBO.SO_0000704)], RKO.Gene),
    "exact_match_cardinality": (
        [(OTHER_GENE, SKOS.exactMatch, URIRef("https://identifiers.org/hgnc:11926"))],
        GENE,
    ),
    "disjoint_types": ([(GENE, RDF.type, RKO.Drug)], GENE),
    "assertion_triple_missing": (
        [
            (STATEMENT, RDF.type, RDF.Statement),
            (STATEMENT, RDF.subject, GENE),
            (STATEMENT, RDF.predicate, RKO.expresses),
            (STATEMENT, RDF.object, OTHER_GENE),
            (STATEMENT, RKO.polarity, RKO.Supports),
        ],
        STATEMENT,
    ),
    **MODEL_VIOLATIONS,
    "model-context-qualifier": (
        [
            (STATEMENT, RDF.type, RKO.Assertion),
            (STATEMENT, RKO.inDisease, mint("cell", "osteoblast")),
        ],
        STATEMENT,
    ),
    "model-context-any": (
        [(STATEMENT, RDF.type, RKO.Assertion), (STATEMENT, RKO.inContext, BREAST_CANCER)],
        STATEMENT,
    ),
    "model-disease-subtype": ([(BREAST_CANCER, RKO.subtypeOf, GENE)], BREAST_CANCER),
    "model-disease-closure": (
        [
            (BREAST_CARCINOMA, RKO.subtypeOf, BREAST_CANCER),
            (BREAST_CANCER, RKO.subtypeOf, mint("disease", "prostate-cancer")),
        ],
        BREAST_CARCINOMA,
    ),
}


@pytest.fixture(scope="module")
def served_fixture_graph(ontology_graph: Graph, fixture_graph: Graph) -> Graph:
    """The fixture graph as it would be served: asserted and inferred triples together."""
    return fixture_graph + materialise(ontology_graph, fixture_graph)


def checked_graph(query: QCQuery, asserted: Graph, served: Graph) -> Graph:
    """The graph a check runs on in the build (``# graph: served`` or asserted)."""
    return served if query.graph is CheckedGraph.SERVED else asserted


def with_triples(graph: Graph, triples: list[tuple[URIRef, URIRef, URIRef | Literal]]) -> Graph:
    edited = new_graph()
    for triple in graph:
        edited.add(triple)
    for triple in triples:
        edited.add(triple)
    return edited


def test_every_check_has_a_violation_case() -> None:
    assert {query.rule for query in qc_queries() if query.level is Level.ERROR} == set(VIOLATIONS)


@pytest.mark.parametrize(
    "query", [q for q in qc_queries() if q.level is Level.ERROR], ids=lambda q: q.rule
)
def test_error_checks_pass_on_the_fixture_graph(
    query: QCQuery, fixture_graph: Graph, served_fixture_graph: Graph
) -> None:
    graph = checked_graph(query, fixture_graph, served_fixture_graph)
    assert run_qc_queries(graph, [query]) == []


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_each_check_finds_its_violation(
    rule: str, fixture_graph: Graph, served_fixture_graph: Graph
) -> None:
    triples, subject = VIOLATIONS[rule]
    query = next(q for q in qc_queries() if q.rule == rule)
    graph = checked_graph(query, fixture_graph, served_fixture_graph)
    findings = run_qc_queries(with_triples(graph, triples), [query])
    assert str(subject) in {finding.subject for finding in findings}
    assert {finding.level for finding in findings} == {Level.ERROR}


def test_query_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bare-violation.rq"
    path.write_text(
        "SELECT ?subject ?property ?value WHERE { ?subject ?property ?value }\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"bare-violation\.rq.*rule"):
        load_qc_query(path)


def test_report_is_a_robot_style_table(fixture_graph: Graph) -> None:
    query = next(q for q in qc_queries() if q.rule == "disjoint_types")
    text = format_report(
        run_qc_queries(with_triples(fixture_graph, VIOLATIONS["disjoint_types"][0]), [query])
    )
    lines = text.splitlines()
    assert lines[0] == "Level\tRule Name\tSubject\tProperty\tValue"
    assert lines[1].startswith(f"ERROR\tdisjoint_types\t{GENE}\t")
    assert lines[-1] == "1 error(s), 0 warning(s)"


def test_report_command_exits_1_on_errors_and_0_when_clean(
    fixture_graph: Graph, ontology_graph: Graph, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.ttl"
    with_triples(fixture_graph, VIOLATIONS["disjoint_types"][0]).serialize(broken, format="turtle")
    clean = tmp_path / "ontology.ttl"
    ontology_graph.serialize(clean, format="turtle")
    runner = CliRunner()
    failed = runner.invoke(main, ["report", str(broken)])
    assert failed.exit_code == 1 and "disjoint_types" in failed.output
    passed = runner.invoke(main, ["report", str(clean)])
    assert passed.exit_code == 0, passed.output
    assert "0 error(s)" in passed.output


def test_a_hedged_statement_must_not_have_its_triple(fixture_graph: Graph) -> None:
    hedged: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (STATEMENT, RDF.type, RDF.Statement),
        (STATEMENT, RDF.subject, GENE),
        (STATEMENT, RDF.predicate, RKO.expresses),
        (STATEMENT, RDF.object, OTHER_GENE),
        (STATEMENT, RKO.polarity, RKO.Supports),
        (STATEMENT, RKO.certainty, RKO.Hedged),
    ]
    query = next(q for q in qc_queries() if q.rule == "assertion_triple_missing")
    assert run_qc_queries(with_triples(fixture_graph, hedged), [query]) == []
    findings = run_qc_queries(
        with_triples(fixture_graph, [*hedged, (GENE, RKO.expresses, OTHER_GENE)]), [query]
    )
    assert [finding.subject for finding in findings] == [str(STATEMENT)]


MODEL_RULE = """# rule: model-example
# level: ERROR
# description: Every gene encodes something.
# fact: genes and their products
# pattern: gene:X rko:encodes protein:X
# example: SELECT ?p WHERE {{ gene:TNFSF11 rko:encodes ?p }}
{graph}SELECT ?subject ?property ?value WHERE {{
  ?subject a <https://w3id.org/rankl-kg/ontology/Gene> .
  FILTER NOT EXISTS {{ ?subject <https://w3id.org/rankl-kg/ontology/encodes> ?value }}
  BIND(<https://w3id.org/rankl-kg/ontology/encodes> AS ?property)
}}
"""


def write_rule(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model-example-violation.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_model_rule_reads_its_fact_pattern_and_example(tmp_path: Path) -> None:
    check = load_qc_query(write_rule(tmp_path, MODEL_RULE.format(graph="")))
    assert check.is_model_rule
    assert check.graph is CheckedGraph.ASSERTED
    assert (check.fact, check.pattern) == (
        "genes and their products",
        "gene:X rko:encodes protein:X",
    )
    assert check.example.startswith("SELECT ?p")


def test_a_model_rule_without_its_example_is_refused(tmp_path: Path) -> None:
    text = MODEL_RULE.format(graph="").replace("# example:", "# not-a-field:")
    with pytest.raises(ValueError, match=r"model-example-violation\.rq.*example"):
        load_qc_query(write_rule(tmp_path, text))


def test_an_unknown_graph_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="graph must be asserted or served, got 'inferred'"):
        load_qc_query(write_rule(tmp_path, MODEL_RULE.format(graph="# graph: inferred\n")))


def test_a_served_check_sees_the_inferred_triples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check = load_qc_query(write_rule(tmp_path, MODEL_RULE.format(graph="# graph: served\n")))
    assert check.graph is CheckedGraph.SERVED
    monkeypatch.setattr(
        assemble, "checks_of", lambda graph: (check,) if graph is check.graph else ()
    )
    asserted = new_graph()
    asserted.add((GENE, RDF.type, RKO.Gene))
    inferred = new_graph()
    inferred.add((GENE, RKO.encodes, mint("protein", "TNFSF11")))
    assert [f.subject for f in assemble.served_findings(asserted, None)] == [str(GENE)]
    assert assemble.served_findings(asserted, inferred) == []
    before_reasoning = assemble.quality_findings(asserted)
    assert check.rule not in {finding.rule for finding in before_reasoning}


def test_a_qualifier_without_its_inferred_context_is_a_breach(fixture_graph: Graph) -> None:
    """On the asserted graph alone rko:inContext is missing wherever a typed qualifier stands:
    the served graph must add it (model-context-any)."""
    query = next(q for q in qc_queries() if q.rule == "model-context-any")
    findings = run_qc_queries(fixture_graph, [query])
    assert findings
    assert {finding.property for finding in findings} <= {
        str(prop) for prop in (RKO.inDisease, RKO.inCellType, RKO.inAnatomicalEntity, RKO.inProcess)
    }


def test_report_runs_the_served_checks_only_with_the_inferences(
    fixture_graph: Graph, tmp_path: Path
) -> None:
    asserted = tmp_path / "asserted.ttl"
    fixture_graph.serialize(asserted, format="turtle")
    served = tmp_path / "served.ttl"
    with_triples(fixture_graph, VIOLATIONS["model-disease-closure"][0]).serialize(
        served, format="turtle"
    )
    runner = CliRunner()
    alone = runner.invoke(main, ["report", str(asserted)])
    assert alone.exit_code == 0, alone.output
    assert "checks of the served graph skipped" in alone.output
    checked = runner.invoke(main, ["report", str(asserted), "--inferred", str(served)])
    assert checked.exit_code == 1 and "model-disease-closure" in checked.output
