"""Molecular interactions of the real graph: receptors, decoy receptor, OPG ligands, sheddases,
adaptors."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column, select


def test_rankl_receptors_and_which_inhibit(real_graph: Graph) -> None:
    receptors = column(real_graph, "SELECT ?r WHERE { ?r rko:receptorFor protein:TNFSF11 }")
    decoys = column(real_graph, "SELECT ?r WHERE { ?r rko:decoyReceptorFor protein:TNFSF11 }")
    assert receptors == {"TNFRSF11A", "LGR4"}
    assert decoys == {"TNFRSF11B"}


def test_decoy_receptor_is_stated_by_both_reviews(real_graph: Graph) -> None:
    sources = column(
        real_graph,
        """
        SELECT ?source WHERE {
            ?a rdf:subject protein:TNFRSF11B ; rdf:predicate rko:decoyReceptorFor ;
                rdf:object protein:TNFSF11 ;
               prov:wasDerivedFrom ?source }""",
    )
    assert sources == {"renema-2016", "saxena-2025"}


def test_opg_ligands_besides_rankl(real_graph: Graph) -> None:
    ligands = column(
        real_graph,
        """
        SELECT ?l WHERE { { protein:TNFRSF11B rko:binds ?l } UNION { ?l rko:binds protein:TNFRSF11B
            } }""",
    )
    assert ligands == {
        "TNFSF11",
        "TNFSF10",
        "SDC1",
        "VWF",
        "F8-VWF-complex",
        "TNFSF11-soluble",
        "TNFSF11-membrane",
        "glycosaminoglycans",
        "proteoglycans",
    }


def test_drugs_and_molecules_share_one_binding_relation(real_graph: Graph) -> None:
    binders_of_rankl = column(real_graph, "SELECT ?b WHERE { ?b rko:binds protein:TNFSF11 }")
    assert {"denosumab", "opg-fc", "TNFRSF11B"} <= binders_of_rankl


def test_sheddases_of_membrane_rankl_with_their_references(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """
        SELECT ?enzyme ?n WHERE {
            ?enzyme rko:sheds protein:TNFSF11-membrane .
            ?a rdf:subject ?enzyme ; rdf:predicate rko:sheds ; rko:citedReference ?ref .
            ?ref rko:referenceNumber ?n }""",
    )
    assert {enzyme for enzyme, _ in rows} == {"ADAM17", "ADAM10", "MMP7", "MMP14"}
    assert ("ADAM17", "32") in rows


def test_traf_adaptors_with_traf6_predominant(real_graph: Graph) -> None:
    adaptors = column(real_graph, "SELECT ?t WHERE { protein:TNFRSF11A rko:bindsAdaptor ?t }")
    predominant = column(
        real_graph, "SELECT ?t WHERE { protein:TNFRSF11A rko:predominantAdaptor ?t }"
    )
    assert adaptors == {"TRAF2", "TRAF3", "TRAF5", "TRAF6"}
    assert predominant == {"TRAF6"}


def test_tumour_factors_raise_rankl_in_osteoblasts(real_graph: Graph) -> None:
    factors = column(
        real_graph,
        """
        SELECT ?f WHERE {
            ?f rko:increasesExpressionOf gene:TNFSF11 .
            ?a rdf:subject ?f ; rdf:predicate rko:increasesExpressionOf ;
                rko:inCellType cell:osteoblast }""",
    )
    assert factors == {"PTHLH", "IL1A", "IL1B", "IL6", "CXCL8", "IL11", "TNF", "prostaglandin-e2"}


def test_inflammatory_cytokines_regulate_opg_and_rankl_expression(real_graph: Graph) -> None:
    genes = select(
        real_graph,
        """
        SELECT ?gene ?ref WHERE { protein:inflammatory-cytokines rko:regulatesExpressionOf ?gene .
            ?a rdf:subject protein:inflammatory-cytokines ;
                rdf:predicate rko:regulatesExpressionOf ; rdf:object ?gene ;
               rko:citedReference/rko:referenceNumber ?ref }""",
    )
    assert set(genes) == {
        ("TNFRSF11B", "21"),
        ("TNFRSF11B", "105"),
        ("TNFSF11", "21"),
        ("TNFSF11", "105"),
    }
