"""The RANK signalling cascade traced step by step in the real graph."""

from __future__ import annotations

from rdflib import Graph

from tests.sparql_helpers import select


def test_rank_signalling_from_ligand_to_effector_genes(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """
        SELECT ?n ?role ?who WHERE {
            process:rank-signalling rko:hasStep ?step .
            ?step rko:stepNumber ?n ; rko:stepRole ?role ; rko:hasParticipant ?who }
        ORDER BY ?n""",
    )
    by_role: dict[str, set[str]] = {}
    for _, role, who in rows:
        by_role.setdefault(role, set()).add(who)
    assert rows[0][1] == "LigandRole"
    assert by_role["AdaptorRole"] == {"TRAF2", "TRAF3", "TRAF5", "TRAF6"}
    assert {"SRC", "PIK3CA", "MTOR", "MAPK14", "MAPK8", "MAPK3", "MAPK1"} <= by_role["KinaseRole"]
    assert by_role["TranscriptionFactorRole"] == {"NFKB1", "RELA", "FOS", "JUN", "MITF"}
    assert by_role["EffectorGeneRole"] == {"CTSK", "ACP5", "VCAM1", "ICAM1"}


def test_lgr4_route_represses_nfatc1(real_graph: Graph) -> None:
    rows = select(
        real_graph,
        """
        SELECT ?n ?who WHERE { process:lgr4-signalling rko:hasStep ?step .
            ?step rko:stepNumber ?n ; rko:repressedParticipant ?who }""",
    )
    assert rows == [("5", "NFATC1")]
