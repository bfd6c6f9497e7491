"""Where molecules are made, in the real graph: RANKL sources in bone and in breast carcinoma."""

from __future__ import annotations

from rdflib import Graph

from tests._biology import column


def test_rankl_cells_in_bone_and_the_main_source(real_graph: Graph) -> None:
    cells = column(real_graph, "SELECT ?c WHERE { ?c rko:expresses gene:TNFSF11 ; a rko:CellType }")
    main = column(real_graph, """
        SELECT ?c WHERE { ?c rko:mainlyProduces protein:TNFSF11 .
            ?a rdf:subject ?c ; rdf:predicate rko:mainlyProduces ; rko:inContext anatomy:bone-tissue }""")
    assert {"osteoblast", "osteocyte", "chondrocyte", "stromal-cell"} <= cells
    assert main == {"osteocyte"}


def test_treg_mainly_produce_rankl_in_breast_carcinoma(real_graph: Graph) -> None:
    cells = column(real_graph, """
        SELECT ?c WHERE { ?a rdf:subject ?c ; rdf:predicate rko:mainlyProduces ; rdf:object protein:TNFSF11 ;
                             rko:inContext disease:breast-carcinoma }""")
    assert cells == {"regulatory-t-cell"}


def test_opg_producers_and_rank_tissues(real_graph: Graph) -> None:
    opg_cells = column(real_graph, "SELECT ?c WHERE { ?c rko:expresses gene:TNFRSF11B ; a rko:CellType }")
    rank_tissues = column(real_graph, "SELECT ?t WHERE { ?t rko:expresses|rko:highlyExpresses gene:TNFRSF11A ; a rko:AnatomicalEntity }")
    assert {"osteoblast", "dendritic-cell", "endothelial-cell", "vascular-smooth-muscle-cell"} <= opg_cells
    assert {"thymus", "mammary-gland", "liver", "prostate", "bone-tissue"} <= rank_tissues
