"""Drug comparisons on the fixture content: hedged comparisons and what the shapes refuse (the
real comparisons are pinned in tests/content/test_comparisons.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.namespaces import RKO, mint
from tests._hedged import violations_at, without_statements

ONJ_COMPARISON = mint("drug", "denosumab/comparison/onj-incidence-saxena")


def test_hedged_comparison_conforms_without_direct_triples(fixture_graph: Graph) -> None:
    assert (None, RKO.hasComparison, ONJ_COMPARISON) not in fixture_graph
    assert (ONJ_COMPARISON, RKO.comparisonResult, None) not in fixture_graph
    assert (ONJ_COMPARISON, RKO.endpoint, RKO.AdverseEventIncidence) in fixture_graph
    assert violations_at(fixture_graph, ONJ_COMPARISON) == set()


@pytest.mark.parametrize("comparison", ["onj-incidence-saxena", "hypocalcaemia-risk-saxena"])
def test_comparison_of_no_drug_fails(fixture_graph: Graph, comparison: str) -> None:
    node = mint("drug", f"denosumab/comparison/{comparison}")
    assert "OrConstraintComponent" in violations_at(
        without_statements(fixture_graph, None, RKO.hasComparison, node), node
    )


@pytest.mark.parametrize("comparison", ["onj-incidence-saxena", "hypocalcaemia-risk-saxena"])
def test_comparison_without_result_fails(fixture_graph: Graph, comparison: str) -> None:
    node = mint("drug", f"denosumab/comparison/{comparison}")
    assert "OrConstraintComponent" in violations_at(
        without_statements(fixture_graph, node, RKO.comparisonResult, None), node
    )
