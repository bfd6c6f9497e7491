"""Names of entities with the references the review cites for each (``content/names.csv``).

The entity tables list an entity's synonyms as plain ``skos:altLabel`` values. This table says
where a name comes from: "RANKL has alternatively been called tumour necrosis factor-related
activation-induced cytokine (TRANCE) [26], osteoprotegerin ligand (OPGL) [27,28] ..." becomes
``protein:TNFSF11 skos:altLabel "TRANCE"`` as a statement with its review, quote and cited
reference 26, so "which works does the review cite for the name OPGL?" is one pattern.
"""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import SKOS

from kg.build.content import EntityRef, EvidenceColumns, NonEmpty, Row
from kg.builders.base import BuildContext, Builder


class NameRecord(EvidenceColumns):
    """One name of one entity, as the review gives it."""

    entity: EntityRef
    name: NonEmpty


class NameBuilder(Builder[NameRecord]):
    """``entity skos:altLabel name`` with the evidence (and cited references) of the name."""

    name = "names"
    model = NameRecord

    def add_row(self, ctx: BuildContext, row: Row[NameRecord]) -> None:
        """Add the name as an alternative label of its entity."""
        entity = ctx.reference(row.record.entity, row, "entity")
        if entity is not None:
            ctx.assert_(entity, SKOS.altLabel, Literal(row.record.name), row)
