"""Cell types (``content/cell_types.csv``) the reviews name, linked to CL.

The table is named for what a row is, a cell type; its IRIs use the shorter kind ``cell``
(``https://w3id.org/rankl-kg/cell/osteoclast``), which stays for the IRIs' sake.
"""

from __future__ import annotations

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO


class CellTypeBuilder(EntityBuilder[EntityRecord]):
    """Entities of kind ``cell``, typed rko:CellType and linked to CL terms."""

    name = "cell_types"
    kind = "cell"
    model = EntityRecord
    rdf_class = RKO.CellType
    context = RKO.inCellType
    expected_links = {RKO.CellType: ("CL",)}
