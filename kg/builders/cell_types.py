"""Cell types (``content/cell_types.csv``)"""

from __future__ import annotations

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO


class CellTypeBuilder(EntityBuilder[EntityRecord]):
    """Entities of kind ``cell``, typed rko:CellType and linked to  the kinds of cell the reviews name, linked to CL.:CL terms."""

    name = "cell_types"
    kind = "cell"
    model = EntityRecord
    rdf_class = RKO.CellType
