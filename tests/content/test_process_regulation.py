"""Process regulation in the real graph: RANKL-induced migration per cancer, osteoclasts,
angiogenesis."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column, select

MIGRATION_CANCERS = {
    "prostate-cancer",
    "breast-cancer",
    "colon-cancer",
    "melanoma",
    "oral-squamous-carcinoma",
    "lung-cancer",
    "hepatocarcinoma",
    "endometrial-tumours",
    "osteosarcoma",
    "renal-carcinoma",
}


def test_cancers_with_rankl_induced_migration(real_graph: Graph) -> None:
    cancers = column(
        real_graph,
        """
        SELECT ?cancer WHERE {
            ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:positivelyRegulates ;
                rdf:object process:cell-migration ;
               rko:inDisease ?cancer }""",
    )
    assert cancers == MIGRATION_CANCERS


def test_osteoclast_differentiation_regulators_from_both_reviews(real_graph: Graph) -> None:
    sources = column(
        real_graph,
        """
        SELECT ?s WHERE { ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:positivelyRegulates ;
                             rdf:object process:osteoclast-differentiation ;
                                 prov:wasDerivedFrom ?s }""",
    )
    negative = column(
        real_graph,
        "SELECT ?r WHERE { ?r rko:negativelyRegulates process:osteoclast-differentiation }",
    )
    assert sources == {"renema-2016", "saxena-2025"}
    assert {"LGR4", "TNFRSF11B"} <= negative


def test_bone_resorption_releases_matrix_factors(real_graph: Graph) -> None:
    released = column(real_graph, "SELECT ?f WHERE { process:bone-resorption rko:releases ?f }")
    assert released == {"TGFB1", "IGF1", "PDGFB"}


def test_lgr4_promotes_tumour_cell_proliferation_in_four_cancers(real_graph: Graph) -> None:
    cancers = column(
        real_graph,
        """
        SELECT ?cancer WHERE {
            protein:LGR4 rko:positivelyRegulates process:cell-proliferation .
            ?a rdf:subject protein:LGR4 ; rdf:object process:cell-proliferation ;
                rko:inDisease ?cancer }""",
    )
    assert cancers == {"breast-cancer", "prostate-cancer", "gastric-cancer", "hepatic-cancer"}


def test_lgr4_stat3_control_of_osteosarcoma_is_marked_hedged(real_graph: Graph) -> None:
    hedged = column(
        real_graph,
        """
        SELECT ?subject WHERE {
            ?a rdf:subject ?subject ; rdf:predicate rko:regulates ;
                rdf:object process:tumorigenesis ;
               rko:inDisease disease:osteosarcoma ; rko:certainty rko:Hedged }""",
    )
    assert hedged == {"LGR4", "STAT3"}
    stated = column(real_graph, "SELECT ?s WHERE { ?s rko:regulates process:tumorigenesis }")
    assert not stated & {"LGR4", "STAT3"}, "a hedged statement must not become a direct triple"


#: Renema 2016 on LGR4, hedged for prostate development (the spelling "LRG4" is the review's)
LGR4_QUOTE = (
    "LRG4 appears to be a new regulator for prostate development and promotes tumorigenesis "
    "[116,117]"
)


def test_lgr4_role_in_prostate_development_is_hedged_but_tumorigenesis_stated(
    real_graph: Graph,
) -> None:
    certainty = column(
        real_graph,
        f"""
        SELECT ?object WHERE {{
            ?a rdf:subject protein:LGR4 ; rdf:object ?object ; rko:certainty rko:Hedged ;
               rko:quote "{LGR4_QUOTE}" }}""",
    )
    assert certainty == {"prostate-development"}


def test_rankl_drives_bone_resorption_in_each_preclinical_tumour_model(real_graph: Graph) -> None:
    # Renema 2016: blocking RANKL inhibited bone resorption in Ewing sarcoma [155], osteosarcoma
    # [156,157], breast [158], prostate [159] and NSCLC [160] bone metastases, and myeloma [161]
    # models.
    cancers = column(
        real_graph,
        """
        SELECT ?cancer WHERE {
            ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:positivelyRegulates ;
                rdf:object process:bone-resorption ;
               rko:studyModel rko:AnimalModel ; rko:inDisease ?cancer .
            FILTER (?cancer != disease:bone-metastasis) }""",
    )
    assert cancers == {
        "ewing-sarcoma",
        "osteosarcoma",
        "breast-cancer",
        "prostate-cancer",
        "non-small-cell-lung-cancer",
        "multiple-myeloma",
    }


def test_rankl_restrains_the_anti_tumour_immune_response_in_melanoma(real_graph: Graph) -> None:
    found = column(
        real_graph,
        """
        SELECT ?ref WHERE {
            protein:TNFSF11 rko:negativelyRegulates process:anti-tumour-immune-response .
            ?a rdf:subject protein:TNFSF11 ; rdf:object process:anti-tumour-immune-response ;
               rko:inDisease disease:melanoma ; rko:citedReference ?cited .
                   ?cited rko:referenceNumber ?ref }""",
    )
    assert found == {"144"}


def test_t_cells_and_macrophages_initiate_the_pre_metastatic_niche(real_graph: Graph) -> None:
    initiators = column(
        real_graph,
        (
            "SELECT ?cell WHERE { ?cell rko:positivelyRegulates "
            "process:pre-metastatic-niche-formation }"
        ),
    )
    assert initiators == {"t-cell", "macrophage"}


def test_rankl_raises_the_t_cell_memory_response_through_dendritic_cells(real_graph: Graph) -> None:
    contexts = column(
        real_graph,
        """
        SELECT ?context WHERE {
            protein:TNFSF11 rko:positivelyRegulates process:t-cell-memory-response .
            ?a rdf:subject protein:TNFSF11 ; rdf:object process:t-cell-memory-response ;
                rko:inCellType ?context }""",
    )
    assert contexts == {"dendritic-cell"}


def test_rankl_modes_of_action_on_cancer_cells(real_graph: Graph) -> None:
    modes = column(
        real_graph,
        """
        SELECT ?mode WHERE { ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:participatesIn ;
            rdf:object ?mode ;
                                rko:inCellType cell:cancer-cell .
                             protein:TNFSF11 rko:participatesIn ?mode }""",
    )
    assert modes == {"paracrine-signalling", "autocrine-signalling", "endocrine-signalling"}
    giant_cell = column(
        real_graph,
        """
        SELECT ?mode WHERE { ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:participatesIn ;
            rdf:object ?mode ;
                                rko:inDisease disease:giant-cell-tumour-of-bone }""",
    )
    assert giant_cell == {"paracrine-signalling"}


def test_prostate_cancer_homing_goes_with_activated_osteoblast_lineage_cells(
    real_graph: Graph,
) -> None:
    found = select(
        real_graph,
        """
        SELECT ?cell ?species ?model ?ref WHERE {
            ?cell rko:associatedWith process:cancer-cell-homing .
            ?a rdf:subject ?cell ; rdf:predicate rko:associatedWith ;
                rdf:object process:cancer-cell-homing ;
               rko:inDisease disease:prostate-cancer ; rko:species ?species ;
                   rko:studyModel ?model ;
               rko:citedReference/rko:referenceNumber ?ref }""",
    )
    assert found == [("activated-osteoblast-lineage-cell", "NCBITaxon_10090", "AnimalModel", "11")]
