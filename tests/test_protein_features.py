"""Protein features in the real graph: membrane topology, oligomeric state, signal peptide, domains."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.build.graph import build_data_graph
from kg.errors import InvalidContentError
from kg.namespaces import RKO, mint
from tests._biology import column, select
from tests._hedged import violations_at


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
            ?d rko:membraneSide ?side ; rko:atTerminus ?terminus ; rko:repeatMotif ?motif ; rko:repeatCount ?repeats ;
               rko:glycosylationSiteCount ?sites .
            ?a rdf:subject ?d ; rdf:predicate rko:repeatCount ; rko:citedReference/rko:referenceNumber ?ref }""",
    )
    assert found == [("Extracellular", "NTerminus", "CysteineRichRepeat", "4", "2", "21")]


def test_rank_cytoplasmic_domain_binds_four_trafs_at_two_sites(real_graph: Graph) -> None:
    domain = "<https://w3id.org/rankl-kg/protein/TNFRSF11A/domain/cytoplasmic-domain>"
    assert column(real_graph, f"SELECT ?t WHERE {{ {domain} rko:domainBinds ?t }}") == {
        "TRAF2",
        "TRAF3",
        "TRAF5",
        "TRAF6",
    }
    assert select(
        real_graph,
        f"SELECT ?side ?end ?n WHERE {{ {domain} rko:membraneSide ?side ; rko:atTerminus ?end ; rko:bindingSiteCount ?n }}",
    ) == [("Cytoplasmic", "CTerminus", "2")]


def test_domains_binding_glycosaminoglycans_and_rankl(real_graph: Graph) -> None:
    binders = set(
        select(
            real_graph,
            "SELECT ?p ?m WHERE { ?p rko:hasDomain ?d . ?d rko:domainBinds ?m . FILTER (?p != protein:TNFRSF11A) }",
        )
    )
    assert binders == {
        ("TNFRSF11B", "glycosaminoglycans"),
        ("TNFRSF11B", "SDC1"),
        ("LGR4", "TNFSF11"),
    }


def test_domain_without_protein_fails(fixture_graph: Graph) -> None:
    domain = mint("protein", "TNFRSF11B/domain/heparin-binding-domain")
    cut = Graph()
    for triple in fixture_graph:
        if triple[1] != RKO.hasDomain:
            cut.add(triple)
    assert "MinCountConstraintComponent" in violations_at(cut, domain)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "  oligomer: homotrimer\n",
            "give exactly one of topology, oligomer, signal_peptide, domain; got topology, oligomer",
        ),
        ("  repeats: 4\n", "give 'domain' too"),
    ],
)
def test_row_with_two_features_or_a_stray_domain_field_is_refused(
    content_dir: Path, extra: str, message: str
) -> None:
    table = content_dir / "protein_features.yaml"
    text = table.read_text(encoding="utf-8")
    table.write_text(
        text.replace("  topology: type-ii-membrane\n", "  topology: type-ii-membrane\n" + extra, 1),
        encoding="utf-8",
    )
    with pytest.raises(InvalidContentError) as raised:
        build_data_graph(content_dir)
    assert "protein_features.yaml, row 1" in str(raised.value)
    assert message in str(raised.value)
