"""Pharmacology of the drugs (``content/drug_facts.yaml``).

Mechanism, route, isotype, pharmacokinetics, pharmacodynamics, dose regimens, indications,
outcomes a drug improves, possible synergies and development status.

One record states one property of one drug; which value field a record needs depends on its
property: an entity (``object``), a term of a closed list or the isotype (``value``), a typed
quantity (``quantity``), or a dose regimen (``regimen``). The table of properties is in
:mod:`kg.builders._drug_properties`, the regimen nodes in :mod:`kg.builders._drug_regimens`.
"""

from __future__ import annotations

from pydantic import model_validator
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.build.content import EntityRef, EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import QuantityRecord, add_quantity
from kg.builders._drug_properties import (
    CHOICE_PROPERTIES,
    ENTITY_PROPERTIES,
    DrugProperty,
    predicate,
    value_field,
)
from kg.builders._drug_regimens import DrugRegimenRecord, add_regimen
from kg.builders._findings import finding_iri
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, legacy_iri


class DrugFactRecord(EvidenceColumns):
    """One property of one drug, with exactly the value field the property needs."""

    drug: Identifier
    property: DrugProperty
    object: EntityRef | None = None
    value: NonEmpty | None = None
    quantity: QuantityRecord | None = None
    regimen: DrugRegimenRecord | None = None
    onset: QuantityRecord | None = None
    maximum: QuantityRecord | None = None

    @model_validator(mode="after")
    def _value_fits_property(self) -> DrugFactRecord:
        needed = value_field(self.property)
        given = [
            name
            for name in ("object", "value", "quantity", "regimen")
            if getattr(self, name) is not None
        ]
        if given != [needed]:
            raise ValueError(
                f"property {self.property!r} needs exactly the field {needed!r}, "
                f"got {given or 'none'}"
            )
        if (self.onset or self.maximum) and self.property != "suppresses":
            raise ValueError("onset and maximum belong to property 'suppresses' only")
        choices = CHOICE_PROPERTIES.get(self.property, (None, {}))[1]
        if choices and self.value not in choices:
            raise ValueError(
                f"value of {self.property!r} must be one of {', '.join(choices)}, "
                f"got {self.value!r}"
            )
        return self


class DrugFactBuilder(Builder[DrugFactRecord]):
    """Drug properties as direct triples with evidence; regimens and effects as linked nodes."""

    name = "drug_facts"
    model = DrugFactRecord

    def add_row(self, ctx: BuildContext, row: Row[DrugFactRecord]) -> None:
        """Add the property of the row's drug."""
        record = row.record
        drug = ctx.entity("drug", record.drug, row, "drug")
        if drug is None:
            return
        obj = self.property_value(ctx, row, drug)
        if obj is None:
            return
        ctx.assert_(drug, predicate(record.property), obj, row)
        if isinstance(obj, URIRef) and (record.onset or record.maximum):
            self.add_effect(ctx, row, drug, obj)

    @staticmethod
    def property_value(
        ctx: BuildContext, row: Row[DrugFactRecord], drug: URIRef
    ) -> URIRef | Literal | None:
        """Return the object of the row's triple (adding quantity or regimen nodes as needed)."""
        record = row.record
        if record.object is not None:
            return ctx.reference(
                record.object, row, "object", ENTITY_PROPERTIES[record.property][1]
            )
        if record.quantity is not None:
            return add_quantity(ctx.graph, record.quantity)
        if record.regimen is not None:
            return add_regimen(ctx.graph, record.drug, drug, record.regimen)
        if record.value is None or record.property not in CHOICE_PROPERTIES:
            return Literal(record.value)
        return CHOICE_PROPERTIES[record.property][1][record.value]

    @staticmethod
    def add_effect(
        ctx: BuildContext, row: Row[DrugFactRecord], drug: URIRef, biomarker: URIRef
    ) -> None:
        """Add the time course of the drug's effect on a biomarker, its figures with the quote."""
        record = row.record
        # named from the biomarker's IRI of release 0.1, so the effect keeps its name
        kind, local_id = (record.object or "").split(":", 1)
        named_after = legacy_iri(kind, local_id) or biomarker
        node = finding_iri(
            ctx.graph, "drug", record.drug, "effect", str(named_after), record.source
        )
        graph = ctx.graph
        ctx.assert_(drug, RKO.hasPharmacodynamicEffect, node, row)
        graph.add((node, RDF.type, RKO.PharmacodynamicEffect))
        graph.add((node, RKO.affectsBiomarker, biomarker))
        for time_property, quantity in (
            (RKO.timeToOnset, record.onset),
            (RKO.timeToMaximumEffect, record.maximum),
        ):
            if quantity is not None:
                ctx.assert_(node, time_property, add_quantity(graph, quantity), row)
