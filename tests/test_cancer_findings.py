"""Cancer findings on the fixture content: hedged findings and what the shapes refuse (the real
figures are pinned in tests/content/test_cancer_findings.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.namespaces import RKO, mint
from tests._hedged import violations_at, without_statements

HEDGED_EMT_MARKER = mint("disease", "prostate-cancer/finding/rankl-new-emt-marker")


def test_hedged_finding_conforms_without_direct_triple(fixture_graph: Graph) -> None:
    assert (None, RKO.hasCancerFinding, HEDGED_EMT_MARKER) not in fixture_graph
    assert (HEDGED_EMT_MARKER, RKO.findingGene, mint("gene", "TNFSF11")) in fixture_graph
    assert violations_at(fixture_graph, HEDGED_EMT_MARKER) == set()


@pytest.mark.parametrize(
    "finding",
    ["prostate-cancer/finding/rankl-new-emt-marker", "osteosarcoma/finding/rank-overall-survival"],
)
def test_finding_linked_to_no_cancer_fails(fixture_graph: Graph, finding: str) -> None:
    node = mint("disease", finding)
    assert "OrConstraintComponent" in violations_at(
        without_statements(fixture_graph, None, RKO.hasCancerFinding, node), node
    )
