"""The graph's vocabulary as the builders declare it: entity kinds, prefixes, graphs that bind them.

The kinds are read from the builder registry, so this module sits above :mod:`kg.builders`
(and :mod:`kg.namespaces`, which the builders use, stays below them: no import cycle). The
module constants hold the kinds of the builders this package ships; the functions also see a
kind registered later (a test's toy builder, a plugin).
"""

from __future__ import annotations

from rdflib import Graph

from kg.builders import table_kinds
from kg.constants import BASE_IRI
from kg.namespaces import BUILD_KINDS, OTHER_PREFIXES, RKO

__all__ = ["ENTITY_KINDS", "PREFIXES", "entity_kinds", "new_graph", "prefixes"]


def entity_kinds() -> tuple[str, ...]:
    """Return the kinds the builders declare (sorted), then :data:`~kg.namespaces.BUILD_KINDS`."""
    return (*table_kinds(), *BUILD_KINDS)


def prefixes() -> dict[str, str]:
    """Return the project's prefixes: ``rko``, one per entity kind, then the external ones."""
    return {
        "rko": str(RKO._NS),
        **{kind: f"{BASE_IRI}{kind}/" for kind in entity_kinds()},
        **OTHER_PREFIXES,
    }


def new_graph() -> Graph:
    """Return an empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in prefixes().items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


#: Entity kinds and the path segment of their IRIs; the prefix is bound under the same name
ENTITY_KINDS = entity_kinds()
#: Prefixes bound in every graph the build writes
PREFIXES = prefixes()
