"""Proteins (``content/proteins.csv``): the gene products the reviews name (RANKL, RANK, OPG...)."""

from __future__ import annotations

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO


class ProteinBuilder(EntityBuilder[EntityRecord]):
    """Proteins, linked to UniProt."""

    name = "proteins"
    kind = "protein"
    model = EntityRecord
    rdf_class = RKO.Protein
    context = RKO.involvingProtein
    expected_links = {RKO.Protein: ("uniprot",)}
