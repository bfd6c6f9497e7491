"""Small-molecule chemicals (``content/chemicals.csv``) the reviews name, linked to ChEBI.

Molecules that are neither gene products nor drugs of the reviews' therapies: ligands such as
glycosaminoglycans and tumour-derived factors such as prostaglandin E2.
"""

from __future__ import annotations

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO


class ChemicalBuilder(EntityBuilder[EntityRecord]):
    """Entities of kind ``chemical``: rko:ChemicalEntity, linked to ChEBI, DrugBank and ChEMBL."""

    name = "chemicals"
    kind = "chemical"
    model = EntityRecord
    rdf_class = RKO.ChemicalEntity
    expected_links = {RKO.ChemicalEntity: ("CHEBI", "drugbank", "chembl.compound")}
