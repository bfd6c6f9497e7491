"""Contexts as typed qualifiers and the MONDO-aligned disease hierarchy, in the real served graph.

A fact that holds in a context is asked for on its assertion node with the qualifier of the
context's kind (issue 14: "in which cancers does RANKL promote migration" is one pattern), the
served graph still answers the generic ``rko:inContext``, and a query for a disease finds its
kinds through ``rko:subtypeOf``, whose closure the served graph holds.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.constants import INFERRED_GRAPH_FILENAME
from kg.release.assemble import BuildResult
from kg.safe_rdf import load_rdf
from tests.sparql_helpers import column


@pytest.fixture(scope="module")
def served(real_build: BuildResult, real_graph: Graph) -> Graph:
    """The real graph as served: asserted and inferred triples together."""
    inferred = next(path for path in real_build.files if path.name == INFERRED_GRAPH_FILENAME)
    return real_graph + load_rdf(inferred, Graph())


def test_cancers_with_rankl_induced_migration_in_one_pattern(served: Graph) -> None:
    cancers = column(
        served,
        """
        SELECT ?cancer WHERE {
            ?a rdf:subject protein:TNFSF11 ; rdf:predicate rko:positivelyRegulates ;
               rdf:object process:cell-migration ; rko:inDisease ?cancer }""",
    )
    assert {"breast-cancer", "prostate-cancer", "melanoma", "osteosarcoma"} <= cancers
    assert len(cancers) == 10


def test_every_typed_context_is_also_a_context(served: Graph) -> None:
    typed = column(
        served,
        """
        SELECT ?a WHERE {
            VALUES ?qualifier { rko:inDisease rko:inCellType rko:inAnatomicalEntity rko:inProcess
                                rko:involvingProtein }
            ?a ?qualifier ?context }""",
    )
    generic = column(served, "SELECT ?a WHERE { ?a rko:inContext ?context }")
    assert typed == generic
    assert len(generic) > 100


def test_m2_macrophages_mainly_express_rank_among_tumour_associated_macrophages(
    served: Graph,
) -> None:
    contexts = column(
        served,
        """
        SELECT ?context WHERE {
            cell:m2-macrophage rko:highlyExpresses gene:TNFRSF11A ; rko:expresses gene:TNFRSF11A .
            ?a rdf:subject cell:m2-macrophage ; rdf:predicate rko:highlyExpresses ;
               rdf:object gene:TNFRSF11A ; rko:inCellType ?context }""",
    )
    assert contexts == {"tumour-associated-macrophage"}


def test_emt_findings_in_prostate_cancer_are_asked_for_by_process(served: Graph) -> None:
    findings = column(
        served,
        """
        SELECT ?f WHERE {
            ?a rdf:subject disease:prostate-cancer ; rdf:predicate rko:hasCancerFinding ;
               rdf:object ?f ; rko:inProcess process:emt }""",
    )
    assert findings == {
        "prostate-cancer-finding-rankl-emt-marker",
        "prostate-cancer-finding-rankl-new-emt-marker",
    }


def test_disease_hierarchy_follows_mondo_and_its_closure_is_served(served: Graph) -> None:
    prostate = column(served, "SELECT ?d WHERE { ?d rko:subtypeOf disease:prostate-cancer }")
    assert prostate == {"prostate-carcinoma", "castration-resistant-prostate-cancer"}
    breast = column(served, "SELECT ?d WHERE { ?d rko:subtypeOf disease:breast-cancer }")
    assert breast == {"breast-carcinoma"}
    assert column(served, "SELECT ?d WHERE { ?d rko:subtypeOf ?d }") == set()


def test_facts_about_breast_cancer_find_those_in_breast_carcinoma(served: Graph) -> None:
    cells = column(
        served,
        """
        SELECT ?cell WHERE {
            ?a rdf:subject ?cell ; rdf:object protein:TNFSF11 ;
               rko:inDisease/rko:subtypeOf? disease:breast-cancer }""",
    )
    assert "regulatory-t-cell" in cells
