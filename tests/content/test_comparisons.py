"""Denosumab against zoledronic acid and the bisphosphonates in the real graph."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph

from kg.namespaces import RKO, UNIT, mint
from tests.sparql_helpers import rows
from tests.test_comparisons import ONJ_COMPARISON


def test_time_to_first_sre_gains_by_cancer(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?population ?gain ?unit ?phase WHERE {
            drug:denosumab rko:hasComparison ?c .
            ?c rko:comparator drug:zoledronic-acid ;
                rko:endpoint rko:TimeToFirstSkeletalRelatedEvent ;
               rko:comparisonResult rko:Superior ; rko:studyPhase ?phase ;
                   rko:inPopulation ?population ;
               rko:medianTimeGain [ rko:numericValue ?gain ; rko:unit ?unit ] .
            FILTER (?population != disease:bone-metastasis) }""",
    )
    assert set(found) == {
        (mint("disease", "breast-cancer"), Decimal("8.2"), UNIT.MO, RKO.PhaseIII),
        (
            mint("disease", "castration-resistant-prostate-cancer"),
            Decimal("3.6"),
            UNIT.MO,
            RKO.PhaseIII,
        ),
    }


def test_relative_risk_reductions(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?population ?reduction WHERE { drug:denosumab rko:hasComparison ?c .
            ?c rko:endpoint rko:SkeletalRelatedEventRisk ; rko:inPopulation ?population ;
               rko:relativeRiskReduction [ rko:numericValue ?reduction ; rko:unit unit:PERCENT ] .
            FILTER (?population != disease:bone-metastasis) }""",
    )
    assert set(found) == {
        (mint("disease", "breast-cancer"), Decimal(23)),
        (mint("disease", "castration-resistant-prostate-cancer"), Decimal(18)),
    }


def test_renema_superiority_but_similar_survival(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?endpoint ?result WHERE { drug:denosumab rko:hasComparison ?c .
            ?c rko:comparator drug:bisphosphonates ; rko:endpoint ?endpoint ;
                rko:comparisonResult ?result .
            ?a rdf:subject ?c ; rdf:predicate rko:comparisonResult ;
                prov:wasDerivedFrom publication:renema-2016 . }""",
    )
    assert set(found) == {
        (RKO.TimeToFirstSkeletalRelatedEvent, RKO.Superior),
        (RKO.MultipleSkeletalRelatedEventRisk, RKO.Superior),
        (RKO.OverallSurvival, RKO.Similar),
    }


def test_safety_comparisons_with_bisphosphonates(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?event ?result WHERE { drug:denosumab rko:hasComparison ?c .
            ?c rko:endpoint rko:AdverseEventIncidence ; rko:comparedEvent ?event ;
                rko:comparisonResult ?result . }""",
    )
    assert set(found) == {(mint("disease", "hypocalcaemia"), RKO.Higher)}
    renal = rows(
        real_graph,
        (
            "SELECT ?r WHERE { drug:denosumab rko:hasComparison [ rko:endpoint rko:RenalSafety ; "
            "rko:comparisonResult ?r ] }"
        ),
    )
    assert renal == [(RKO.Superior,)]


def test_onj_incidence_comparable_only_as_hedged_assertions(real_graph: Graph) -> None:
    assert (None, RKO.hasComparison, ONJ_COMPARISON) not in real_graph
    assert (ONJ_COMPARISON, RKO.comparisonResult, None) not in real_graph
    found = rows(
        real_graph,
        """
        SELECT ?drug ?result ?event WHERE {
            ?link rdf:subject ?drug ; rdf:predicate rko:hasComparison ; rdf:object ?c ;
                rko:certainty rko:Hedged ;
                  prov:wasDerivedFrom publication:saxena-2025 .
            ?claim rdf:subject ?c ; rdf:predicate rko:comparisonResult ; rdf:object ?result ;
                rko:certainty rko:Hedged .
            ?c rko:comparator drug:bisphosphonates ; rko:comparedEvent ?event . }""",
    )
    assert found == [
        (mint("drug", "denosumab"), RKO.Similar, mint("disease", "osteonecrosis-of-the-jaw"))
    ]
