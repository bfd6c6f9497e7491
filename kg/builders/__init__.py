"""Builders, one module per curated content kind; each registers itself on import.

The lists other modules need about the kinds are read from the registry here, never typed
twice: :func:`table_kinds` (-> :mod:`kg.vocabulary`: the entity kinds and prefixes),
:func:`context_kinds` (what a row's ``context`` may name), :func:`context_properties` (the
qualifiers that name it) and :func:`expected_links`.
"""

import importlib
import pkgutil
from typing import Any

from rdflib import URIRef

from kg.builders.base import REGISTRY, BuildContext, Builder, builder_classes, table_kinds

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_") and _info.name != "base":
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = [
    "REGISTRY",
    "BuildContext",
    "Builder",
    "builder_classes",
    "context_kinds",
    "context_properties",
    "entity_builders",
    "expected_links",
    "get_builders",
    "table_kinds",
]


def get_builders() -> list[Builder[Any]]:
    """Return one instance of every registered builder, in name order."""
    return [REGISTRY[name]() for name in sorted(REGISTRY)]


def entity_builders() -> list[type[Builder[Any]]]:
    """Return the builders that define entities of an ontology class, in name order."""
    return [cls for cls in builder_classes() if cls.rdf_class is not None]


def context_kinds() -> frozenset[str]:
    """Return the kinds of entity a finding can be restricted to (where, in which cells...)."""
    return frozenset(cls.kind for cls in builder_classes() if cls.context and cls.kind is not None)


def context_properties() -> tuple[URIRef, ...]:
    """Return the typed context qualifiers the builders write (``rko:inDisease``...), sorted."""
    return tuple(sorted({cls.context for cls in builder_classes() if cls.context is not None}))


def expected_links() -> dict[URIRef, tuple[str, ...]]:
    """Return, for each entity class, the CURIE prefixes its entities should link to."""
    return {
        rdf_class: prefixes
        for cls in builder_classes()
        for rdf_class, prefixes in cls.expected_links.items()
    }
