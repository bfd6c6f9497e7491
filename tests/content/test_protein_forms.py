"""Protein forms in the real graph: RANKL isoforms, which are soluble, and RANK-c."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column


def test_rankl_isoforms_and_the_soluble_ones(real_graph: Graph) -> None:
    isoforms = column(real_graph, "SELECT ?f WHERE { ?f rko:isoformOf protein:TNFSF11 }")
    soluble = column(
        real_graph,
        (
            "SELECT ?f WHERE { ?f rko:formOf+|rko:isoformOf protein:TNFSF11 ; rko:cellularLocation "
            "rko:Soluble }"
        ),
    )
    assert isoforms == {"TNFSF11-RANKL1", "TNFSF11-RANKL2", "TNFSF11-RANKL3"}
    assert soluble == {"TNFSF11-RANKL3", "TNFSF11-soluble"}


def test_soluble_rankl_is_shed_from_membrane_rankl(real_graph: Graph) -> None:
    parents = column(real_graph, "SELECT ?p WHERE { protein:TNFSF11-soluble rko:derivedFrom ?p }")
    processes = column(real_graph, "SELECT ?p WHERE { protein:TNFSF11-soluble rko:generatedBy ?p }")
    assert parents == {"TNFSF11-membrane"}
    assert processes == {"rankl-shedding"}


def test_rank_c_is_a_splice_isoform_of_rank(real_graph: Graph) -> None:
    assert column(real_graph, "SELECT ?p WHERE { protein:TNFRSF11A-RANK-c rko:isoformOf ?p }") == {
        "TNFRSF11A"
    }


def test_rankl_names(real_graph: Graph) -> None:
    names = column(real_graph, "SELECT ?n WHERE { protein:TNFSF11 skos:altLabel ?n }")
    assert {"TRANCE", "OPGL", "ODF"} <= names
