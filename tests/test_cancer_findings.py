"""Cancer findings in the real graph: typed percentages and prognostic markers."""

from __future__ import annotations

from rdflib import Graph

from tests._biology import column, select


def test_carcinomas_rank_positive_and_sarcoma_range(real_graph: Graph) -> None:
    rows = select(real_graph, """
        SELECT ?cancer ?value ?min ?max ?unit WHERE {
            ?cancer rko:hasCancerFinding ?f . ?f rko:findingGene gene:TNFRSF11A ; rko:findingType rko:ExpressionFrequency ;
                rko:proportion ?q . ?q rko:unit ?unit .
            OPTIONAL { ?q rko:numericValue ?value } OPTIONAL { ?q rko:minValue ?min } OPTIONAL { ?q rko:maxValue ?max } }""")
    figures = {(cancer, value, low, high) for cancer, value, low, high, _ in rows}
    assert ("carcinoma", "89.0", "None", "None") in figures
    assert ("sarcoma", "None", "18.0", "69.0") in figures
    assert {unit for *_, unit in rows} == {"PERCENT"}


def test_rank_poor_prognosis_cancers(real_graph: Graph) -> None:
    cancers = column(real_graph, "SELECT ?c WHERE { gene:TNFRSF11A rko:poorPrognosticMarkerIn ?c }")
    assert cancers == {"breast-cancer", "bone-metastasis", "osteosarcoma"}
