"""Loss-of-function phenotypes in the real graph: mice without RANK or RANKL."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import column


def test_rank_knockout_mice(real_graph: Graph) -> None:
    phenotypes = column(
        real_graph, "SELECT ?d WHERE { gene:TNFRSF11A rko:lossOfFunctionPhenotype ?d }"
    )
    lacking = column(real_graph, "SELECT ?c WHERE { gene:TNFRSF11A rko:lossOfFunctionLacks ?c }")
    species = column(
        real_graph,
        """
        SELECT ?sp WHERE { ?a rdf:subject gene:TNFRSF11A ;
            rdf:predicate rko:lossOfFunctionPhenotype ; rko:species ?sp }""",
    )
    assert phenotypes == {"osteopetrosis"}
    assert lacking == {"mature-osteoclast"}
    assert species == {"NCBITaxon_10090"}


def test_rankl_knockout_impairs_lymph_nodes_thymus_and_mammary_gland(real_graph: Graph) -> None:
    processes = column(real_graph, "SELECT ?p WHERE { gene:TNFSF11 rko:requiredFor ?p }")
    assert processes == {
        "lymph-node-development",
        "thymic-epithelial-cell-maturation",
        "lobo-alveolar-development",
    }
