"""Adverse events in the real graph: incidence ranges, populations, risk factors, onset."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph
from rdflib.namespace import SKOS

from kg.namespaces import RKO, UNIT, mint
from tests.sparql_helpers import rows


def test_denosumab_incidence_ranges_in_percent(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?event ?min ?max ?unit WHERE {
            drug:denosumab rko:hasAdverseEventReport ?r . ?r rko:reportedEvent ?event ;
                rko:incidence [ rko:minValue ?min ; rko:maxValue ?max ; rko:unit ?unit ] . }""",
    )
    assert set(found) == {
        (mint("disease", "hypocalcaemia"), Decimal(8), Decimal(14), UNIT.PERCENT),
        (mint("disease", "osteonecrosis-of-the-jaw"), Decimal(1), Decimal(2), UNIT.PERCENT),
    }


def test_adverse_events_keep_their_own_class(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?event ?class WHERE { drug:denosumab rko:hasAdverseEvent ?event .
            ?event a rko:AdverseEvent , ?class .
                                     FILTER (?class IN (rko:Disease, rko:Phenotype)) }""",
    )
    assert (mint("disease", "hypocalcaemia"), RKO.Phenotype) in found
    assert (mint("disease", "osteonecrosis-of-the-jaw"), RKO.Disease) in found
    assert len(found) == 10


def test_hypocalcaemia_risk_factors_and_population(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?factor ?population WHERE { drug:denosumab rko:hasAdverseEventReport ?r .
            ?r rko:reportedEvent disease:hypocalcaemia ; rko:riskFactor ?factor ;
                rko:inPopulation ?population . }""",
    )
    assert set(found) == {
        (mint("disease", f), mint("disease", "bone-metastasis"))
        for f in ("vitamin-d-deficiency", "renal-impairment")
    }


def test_rebound_vertebral_fractures_after_discontinuation(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?quote WHERE { drug:denosumab rko:hasAdverseEventReport ?r .
            ?r rko:reportedEvent disease:vertebral-fracture ;
                rko:occursIn rko:AfterDiscontinuation .
            ?a rdf:subject ?r ; rdf:predicate rko:occursIn ; rko:quote ?quote . }""",
    )
    assert found == [
        (
            (
                "significantly raises the risk of spontaneous, multiple vertebral fractures within "
                "months of stopping therapy"
            ),
        )
    ]


def test_bisphosphonate_adverse_events_cite_their_references(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?event ?ref WHERE { ?a rdf:subject drug:bisphosphonates ;
            rdf:predicate rko:hasAdverseEvent ;
                                      rdf:object ?event ;
                                          rko:citedReference [ rko:referenceNumber ?ref ] . }""",
    )
    assert set(found) == {
        (mint("disease", e), n)
        for e in ("renal-toxicity", "osteonecrosis-of-the-jaw")
        for n in (4, 5)
    }


def test_a_definition_carries_the_quote_that_defines(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?predicate ?quote WHERE {
            ?a rdf:subject disease:osteonecrosis-of-the-jaw ; rdf:predicate ?predicate ;
               rko:quote ?quote . FILTER (CONTAINS(?quote, "non-healing")) }""",
    )
    assert [predicate for predicate, _ in found] == [SKOS.definition]
