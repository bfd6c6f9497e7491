"""Where molecules are made, in the real graph: RANKL sources in bone and in breast carcinoma."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column


def test_rankl_cells_in_bone_and_the_main_source(real_graph: Graph) -> None:
    cells = column(real_graph, "SELECT ?c WHERE { ?c rko:expresses gene:TNFSF11 ; a rko:CellType }")
    main = column(
        real_graph,
        """
        SELECT ?c WHERE { ?c rko:mainlyProduces protein:TNFSF11 .
            ?a rdf:subject ?c ; rdf:predicate rko:mainlyProduces ;
                rko:inAnatomicalEntity anatomy:bone-tissue }""",
    )
    assert {"osteoblast", "osteocyte", "chondrocyte", "stromal-cell"} <= cells
    assert main == {"osteocyte"}


def test_treg_mainly_produce_rankl_in_breast_carcinoma(real_graph: Graph) -> None:
    cells = column(
        real_graph,
        """
        SELECT ?c WHERE { ?a rdf:subject ?c ; rdf:predicate rko:mainlyProduces ;
            rdf:object protein:TNFSF11 ;
                             rko:inDisease disease:breast-carcinoma }""",
    )
    assert cells == {"regulatory-t-cell"}


def test_opg_producers_and_rank_tissues(real_graph: Graph) -> None:
    opg_cells = column(
        real_graph, "SELECT ?c WHERE { ?c rko:expresses gene:TNFRSF11B ; a rko:CellType }"
    )
    rank_tissues = column(
        real_graph,
        (
            "SELECT ?t WHERE { ?t rko:expresses|rko:highlyExpresses gene:TNFRSF11A ; a "
            "rko:AnatomicalEntity }"
        ),
    )
    assert {
        "osteoblast",
        "dendritic-cell",
        "endothelial-cell",
        "vascular-smooth-muscle-cell",
    } <= opg_cells
    assert {"thymus", "mammary-gland", "liver", "prostate", "bone-tissue"} <= rank_tissues


def test_tumour_and_bone_stromal_cells_upregulate_rankl_in_bone_metastases(
    real_graph: Graph,
) -> None:
    cells = column(
        real_graph,
        """
        SELECT ?c WHERE { ?c rko:overexpresses gene:TNFSF11 .
            ?a rdf:subject ?c ; rdf:object gene:TNFSF11 ; rko:inDisease disease:bone-metastasis ;
               prov:wasDerivedFrom publication:saxena-2025 }""",
    )
    assert cells == {"cancer-cell", "stromal-cell"}


def test_t_cells_as_principal_rankl_source_is_only_hedged(real_graph: Graph) -> None:
    hedged = column(
        real_graph,
        """
        SELECT ?c WHERE { ?a rdf:subject ?c ; rdf:predicate rko:mainlyProduces ;
            rdf:object protein:TNFSF11 ;
                             rko:inProcess process:tumorigenesis ; rko:certainty rko:Hedged }""",
    )
    stated = column(real_graph, "SELECT ?c WHERE { ?c rko:mainlyProduces protein:TNFSF11 }")
    assert hedged == {"t-cell"}
    assert "t-cell" not in stated, "a hedged statement must not become a direct triple"
