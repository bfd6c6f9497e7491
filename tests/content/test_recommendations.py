"""Monitoring and supplementation during denosumab therapy in the real graph."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph

from kg.namespaces import RKO, UNIT, mint
from tests.sparql_helpers import rows


def test_daily_calcium_and_vitamin_d_minimum_doses(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?agent ?min ?unit ?every ?everyUnit WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction rko:Supplementation ; rko:recommendedAgent ?agent ;
                rko:prevents disease:hypocalcaemia ;
               rko:recommendedDose [ rko:minValue ?min ; rko:unit ?unit ] ;
               rko:recommendedInterval [ rko:numericValue ?every ; rko:unit ?everyUnit ] . }""",
    )
    assert set(found) == {
        (mint("drug", "calcium-supplement"), Decimal(500), UNIT.MilliGM, Decimal(1), UNIT.DAY),
        (mint("drug", "vitamin-d-supplement"), Decimal(400), UNIT.IU, Decimal(1), UNIT.DAY),
    }


def test_monitoring_and_dental_care(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?action ?when ?prevents WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction ?action ; rko:recommendedWhen ?when ; rko:prevents ?prevents .
            FILTER (?action IN (rko:Monitoring, rko:DentalExamination, rko:SequentialTherapy)) }""",
    )
    assert (RKO.Monitoring, RKO.InitialWeeksOfTreatment, mint("disease", "hypocalcaemia")) in found
    assert (
        RKO.DentalExamination,
        RKO.BeforeTreatment,
        mint("disease", "osteonecrosis-of-the-jaw"),
    ) in found
    assert (
        RKO.SequentialTherapy,
        RKO.AfterDiscontinuation,
        mint("disease", "vertebral-fracture"),
    ) in found


def test_adverse_event_monitoring_includes_routine_biochemical_evaluations(
    real_graph: Graph,
) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?text ?when WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction rko:Monitoring ; rko:recommendedWhen ?when ;
                rko:findingText ?text .
            FILTER NOT EXISTS { ?r rko:prevents ?any } }""",
    )
    assert set(found) == {
        (
            (
                "routine biochemical evaluations as part of a comprehensive adverse event "
                "monitoring strategy"
            ),
            RKO.DuringTreatment,
        ),
        (
            (
                "close clinical monitoring to prevent complications from rapid bone turnover "
                "recovery once the drug is cleared"
            ),
            RKO.AfterDiscontinuation,
        ),
    }


def test_monitoring_strategy_has_risk_assessment_education_and_care_coordination(
    real_graph: Graph,
) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?action ?text ?section WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction ?action ; rko:findingText ?text .
            ?a rdf:subject ?r ; rdf:predicate rko:recommendedAction ; rko:section ?section .
            FILTER (?action IN (rko:RiskAssessment, rko:PatientEducation,
                                rko:CareCoordination)) }""",
    )
    assert {(action, text) for action, text, _ in found} == {
        (
            RKO.RiskAssessment,
            (
                "baseline risk assessments as part of a comprehensive adverse event monitoring "
                "strategy"
            ),
        ),
        (RKO.PatientEducation, "patient education on symptom recognition and reporting"),
        (RKO.CareCoordination, "close coordination with dental and supportive care services"),
    }
    assert {section for *_, section in found} == {
        "Management of adverse effects associated with denosumab"
    }
    baseline = rows(
        real_graph,
        """
        SELECT ?when WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction rko:RiskAssessment ; rko:recommendedWhen ?when . }""",
    )
    assert baseline == [(RKO.BeforeTreatment,)]


def test_recommendations_name_their_triggering_condition(real_graph: Graph) -> None:
    found = set(
        rows(
            real_graph,
            """
        SELECT ?action ?condition ?prevents WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction ?action ; rko:triggeringCondition ?condition ;
                rko:prevents ?prevents . }""",
        )
    )
    assert found == {
        (
            RKO.CorrectDeficiency,
            mint("disease", "vitamin-d-deficiency"),
            mint("disease", "hypocalcaemia"),
        ),
        (
            RKO.ManageOralInfection,
            mint("disease", "oral-infection"),
            mint("disease", "osteonecrosis-of-the-jaw"),
        ),
    }


def test_dietary_calcium_intake_prevents_hypocalcaemia(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?text ?prevents WHERE { drug:denosumab rko:hasRecommendation ?r .
            ?r rko:recommendedAction rko:EnsureDietaryIntake ; rko:findingText ?text ;
                rko:prevents ?prevents . }""",
    )
    assert found == [("ensure adequate dietary calcium intake", mint("disease", "hypocalcaemia"))]
