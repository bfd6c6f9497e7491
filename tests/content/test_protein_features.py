"""Protein features in the real graph: membrane topology, oligomeric state, signal peptide,
domains."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column, select


def test_rank_type_i_and_rankl_type_ii(real_graph: Graph) -> None:
    topologies = set(select(real_graph, "SELECT ?p ?t WHERE { ?p rko:membraneTopology ?t }"))
    assert {("TNFRSF11A", "TypeITransmembrane"), ("TNFSF11", "TypeIIMembrane")} <= topologies


def test_rankl_homotrimer_without_signal_peptide(real_graph: Graph) -> None:
    assert column(real_graph, "SELECT ?s WHERE { protein:TNFSF11 rko:oligomericState ?s }") == {
        "Homotrimer",
        "Trimer",
    }
    assert column(real_graph, "SELECT ?v WHERE { protein:TNFSF11 rko:hasSignalPeptide ?v }") == {
        "false"
    }
    assert column(real_graph, "SELECT ?s WHERE { protein:TNFRSF11A rko:oligomericState ?s }") == {
        "Trimer"
    }


def test_rank_extracellular_domain_with_four_cysteine_rich_repeats(real_graph: Graph) -> None:
    found = select(
        real_graph,
        """
        SELECT ?side ?terminus ?motif ?repeats ?sites ?ref WHERE {
            protein:TNFRSF11A rko:hasDomain ?d .
            ?d rko:membraneSide ?side ; rko:atTerminus ?terminus ; rko:repeatMotif ?motif ;
                rko:repeatCount ?repeats ;
               rko:glycosylationSiteCount ?sites .
            ?a rdf:subject ?d ; rdf:predicate rko:repeatCount ;
                rko:citedReference/rko:referenceNumber ?ref }""",
    )
    assert found == [("Extracellular", "NTerminus", "CysteineRichRepeat", "4", "2", "21")]


def test_rank_cytoplasmic_domain_binds_four_trafs_at_two_sites(real_graph: Graph) -> None:
    domain = "<https://w3id.org/rankl-kg/protein/TNFRSF11A-domain-cytoplasmic-domain>"
    assert column(real_graph, f"SELECT ?t WHERE {{ {domain} rko:domainBinds ?t }}") == {
        "TRAF2",
        "TRAF3",
        "TRAF5",
        "TRAF6",
    }
    assert select(
        real_graph,
        (
            f"SELECT ?side ?end ?n WHERE "
            f"{{ {domain} rko:membraneSide ?side ; rko:atTerminus ?end ; rko:bindingSiteCount ?n }}"
        ),
    ) == [("Cytoplasmic", "CTerminus", "2")]


def test_domains_binding_glycosaminoglycans_and_rankl(real_graph: Graph) -> None:
    binders = set(
        select(
            real_graph,
            (
                "SELECT ?p ?m WHERE { ?p rko:hasDomain ?d . ?d rko:domainBinds ?m . FILTER (?p != "
                "protein:TNFRSF11A) }"
            ),
        )
    )
    assert binders == {
        ("TNFRSF11B", "glycosaminoglycans"),
        ("TNFRSF11B", "SDC1"),
        ("LGR4", "TNFSF11"),
    }
