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


def test_rankl_prognosis_in_a_40_patient_osteosarcoma_series(real_graph: Graph) -> None:
    query = """
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?outcome ?cohort WHERE {
            disease:osteosarcoma rko:hasCancerFinding ?f .
            ?f rko:findingGene gene:TNFSF11 ; rko:findingType rko:PoorPrognosis ; rko:outcomeMeasure ?outcome ;
               rko:cohortSize ?cohort .
            FILTER (datatype(?cohort) = xsd:positiveInteger) }"""
    assert set(select(real_graph, query)) == {("response to preoperative chemotherapy", "40"), ("survival", "40")}
    references = column(real_graph, """
        SELECT ?n WHERE {
            ?a rdf:subject gene:TNFSF11 ; rdf:predicate rko:poorPrognosticMarkerIn ; rdf:object disease:osteosarcoma ;
               rko:citedReference ?ref . ?ref rko:referenceNumber ?n }""")
    assert references == {"92"}
