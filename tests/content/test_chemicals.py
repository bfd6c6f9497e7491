"""Small-molecule chemicals of the real graph: PGE2, glycosaminoglycans and proteoglycans."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column, select


def test_chemicals_are_chemical_entities(real_graph: Graph) -> None:
    chemicals = column(real_graph, "SELECT ?c WHERE { ?c a rko:ChemicalEntity }")
    assert chemicals == {"prostaglandin-e2", "glycosaminoglycans", "proteoglycans"}


def test_pge2_raises_rankl_in_osteoblasts_and_stromal_cells(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """
        SELECT ?source ?section ?cell WHERE {
            chemical:prostaglandin-e2 rko:increasesExpressionOf gene:TNFSF11 .
            ?a rdf:subject chemical:prostaglandin-e2 ; rdf:predicate rko:increasesExpressionOf ;
                rdf:object gene:TNFSF11 ;
               prov:wasDerivedFrom ?source ; rko:section ?section ; rko:inCellType ?cell }""",
    )
    assert set(rows) == {
        ("saxena-2025", "Mechanism of bone resorption in solid tumor metastases", "osteoblast"),
        (
            "saxena-2025",
            "Mechanism of bone resorption in solid tumor metastases",
            "bone-marrow-stromal-cell",
        ),
    }


def test_pge2_is_released_by_tumour_cells_in_bone(real_graph: Graph) -> None:
    contexts = column(
        real_graph,
        """
        SELECT ?context WHERE {
            cell:cancer-cell rko:produces chemical:prostaglandin-e2 .
            ?a rdf:subject cell:cancer-cell ; rdf:object chemical:prostaglandin-e2 ;
                rko:inDisease ?context }""",
    )
    assert contexts == {"bone-metastasis"}


#: The section of Renema 2016 that states OPG binding glycosaminoglycans
OPG_LGR4_SECTION = (
    "Direct RANK/RANKL signalling in cancer cells: the regulatory activities of OPG and LGR4"
)


def test_opg_binds_glycosaminoglycans_with_its_references(real_graph: Graph) -> None:
    numbers = column(
        real_graph,
        f"""
        SELECT ?n WHERE {{
            protein:TNFRSF11B rko:binds chemical:glycosaminoglycans .
            ?a rdf:subject protein:TNFRSF11B ; rdf:predicate rko:binds ;
                rdf:object chemical:glycosaminoglycans ;
               prov:wasDerivedFrom publication:renema-2016 ;
               rko:section "{OPG_LGR4_SECTION}" ;
               rko:citedReference ?ref .
            ?ref rko:referenceNumber ?n }}""",
    )
    assert numbers == {"104", "107", "109"}


def test_glycosaminoglycans_trap_opg_in_osteosarcoma(real_graph: Graph) -> None:
    contexts = column(
        real_graph,
        """
        SELECT ?context WHERE {
            ?a rdf:subject protein:TNFRSF11B ; rdf:object chemical:glycosaminoglycans ;
                rko:inDisease ?context }""",
    )
    assert contexts == {"osteosarcoma"}


def test_pge2_links_to_chebi_and_glycosaminoglycans_stay_unlinked(real_graph: Graph) -> None:
    links = column(real_graph, "SELECT ?x WHERE { chemical:prostaglandin-e2 skos:exactMatch ?x }")
    unlinked = column(
        real_graph, "SELECT ?x WHERE { chemical:glycosaminoglycans skos:exactMatch ?x }"
    )
    assert "CHEBI_15551" in links
    assert unlinked == set()
