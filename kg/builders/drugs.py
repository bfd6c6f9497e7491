"""Drugs (``content/drugs.csv``): therapeutic agents and supplements, with their targets."""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import Field
from rdflib import URIRef

from kg.build.content import Row, StrList
from kg.builders._entity import EntityBuilder, EntityRecord
from kg.builders.base import BuildContext
from kg.namespaces import RKO


class DrugRecord(EntityRecord):
    """A drug row; ``targets`` lists protein ids."""

    drug_class: Choice["Drug", "MonoclonalAntibody"] = Field(alias="class")
    targets: StrList = []


class DrugBuilder(EntityBuilder[DrugRecord]):
    """Drugs, linked to ChEBI, DrugBank and ChEMBL, and the proteins they target."""

    name = "drugs"
    kind = "drug"
    model = DrugRecord
    rdf_class = RKO.Drug
    class_column = "drug_class"
    expected_links = {RKO.Drug: ("CHEBI", "drugbank", "chembl.compound")}

    def add_details(self, ctx: BuildContext, row: Row[DrugRecord], node: URIRef) -> None:
        """Add ``targets`` with evidence (the reasoner adds the inverse, ``targetedBy``)."""
        for target_id in row.record.targets:
            protein = ctx.entity("protein", target_id, row, "targets")
            if protein is not None:
                ctx.assert_(node, RKO.targets, protein, row)
