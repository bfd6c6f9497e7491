"""Skeletal-related events and the epidemiology of bone metastases in the real graph."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph

from kg.namespaces import mint
from tests.sparql_helpers import rows


def test_what_counts_as_a_skeletal_related_event(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        "SELECT ?event WHERE { disease:skeletal-related-event rko:hasComponentEvent ?event }",
    )
    assert {event for (event,) in found} == {
        mint("disease", e)
        for e in (
            "pathological-fracture",
            "spinal-cord-compression",
            "hypercalcaemia-of-malignancy",
            "bone-pain",
        )
    }


def test_fraction_of_patients_who_develop_bone_metastases(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?cancer ?min ?max ?section WHERE {
            ?cancer rko:hasFrequencyFinding ?f . ?f rko:complication disease:bone-metastasis ;
                rko:frequency ?q . ?q rko:unit unit:PERCENT .
            OPTIONAL { ?q rko:minValue ?min } OPTIONAL { ?q rko:maxValue ?max }
            ?a rdf:subject ?f ; rdf:predicate rko:frequency ; rko:section ?section . }""",
    )
    assert set(found) == {
        (mint("disease", "breast-cancer"), None, Decimal(70), "INTRODUCTION"),
        (mint("disease", "prostate-cancer"), None, Decimal(70), "INTRODUCTION"),
        (mint("disease", "lung-cancer"), Decimal(30), Decimal(40), "INTRODUCTION"),
        (mint("disease", "breast-cancer"), Decimal("66.7"), None, "Literature review"),
        (mint("disease", "prostate-cancer"), Decimal("66.7"), None, "Literature review"),
        (mint("disease", "lung-cancer"), Decimal(30), Decimal(40), "Literature review"),
    }
