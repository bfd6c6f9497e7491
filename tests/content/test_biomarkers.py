"""Biomarkers in the real graph: what each measures."""

from __future__ import annotations

from rdflib import Graph

from kg.namespaces import mint
from tests.sparql_helpers import rows


def test_biomarkers_and_their_proteins(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        "SELECT ?marker ?protein WHERE { ?marker a rko:Biomarker ; rko:measuredProtein ?protein }",
    )
    assert set(found) == {
        (mint("protein", "COL1A1/CTX"), mint("protein", "COL1A1")),
        (mint("protein", "COL1A1/P1NP"), mint("protein", "COL1A1")),
        (mint("protein", "TNFSF11/circulating"), mint("protein", "TNFSF11")),
        (mint("protein", "TNFRSF11B/circulating"), mint("protein", "TNFRSF11B")),
    }


def test_ctx_indicates_bone_resorption(real_graph: Graph) -> None:
    found = rows(
        real_graph,
        """
        SELECT ?process ?quote WHERE
            { ?a rdf:subject <https://w3id.org/rankl-kg/protein/COL1A1-CTX> ;
                rdf:predicate rko:indicatesProcess ;
                                          rdf:object ?process ; rko:quote ?quote . }""",
    )
    assert found == [
        (
            mint("process", "bone-resorption"),
            (
                "serum C-terminal telopeptide of type I collagen (CTX), a sensitive marker of bone "
                "resorption"
            ),
        )
    ]
