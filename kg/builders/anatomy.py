"""Tissues and organs (``content/anatomy.csv``) the reviews name, linked to UBERON."""

from __future__ import annotations

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO


class AnatomyBuilder(EntityBuilder[EntityRecord]):
    """Entities of kind ``anatomy``, typed rko:AnatomicalEntity and linked to UBERON terms."""

    name = "anatomy"
    kind = "anatomy"
    model = EntityRecord
    rdf_class = RKO.AnatomicalEntity
    context = RKO.inAnatomicalEntity
    expected_links = {RKO.AnatomicalEntity: ("UBERON",)}
