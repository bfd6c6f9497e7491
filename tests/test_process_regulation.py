"""Process regulation in the real graph: RANKL-induced migration per cancer, osteoclasts, angiogenesis."""

from __future__ import annotations

from rdflib import Graph

from tests._biology import column

MIGRATION_CANCERS = {
    "prostate-cancer", "breast-cancer", "colon-cancer", "melanoma", "oral-squamous-carcinoma", "lung-cancer",
    "hepatocarcinoma", "endometrial-tumours", "osteosarcoma", "renal-carcinoma",
}


def test_cancers_with_rankl_induced_migration(real_graph: Graph) -> None:
    cancers = column(real_graph, """
        SELECT ?cancer WHERE {
            ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:positivelyRegulates ; rdf:object process:cell-migration ;
               rko:inContext ?cancer . ?cancer a/rdfs:subClassOf* rko:Disease }""")
    assert cancers == MIGRATION_CANCERS


def test_osteoclast_differentiation_regulators_from_both_reviews(real_graph: Graph) -> None:
    sources = column(real_graph, """
        SELECT ?s WHERE { ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:positivelyRegulates ;
                             rdf:object process:osteoclast-differentiation ; prov:wasDerivedFrom ?s }""")
    negative = column(real_graph, "SELECT ?r WHERE { ?r rko:negativelyRegulates process:osteoclast-differentiation }")
    assert sources == {"renema-2016", "saxena-2025"}
    assert {"LGR4", "TNFRSF11B"} <= negative


def test_bone_resorption_releases_matrix_factors(real_graph: Graph) -> None:
    released = column(real_graph, "SELECT ?f WHERE { process:bone-resorption rko:releases ?f }")
    assert released == {"TGFB1", "IGF1", "PDGFB"}
