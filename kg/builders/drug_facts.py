"""Pharmacology of the drugs (``content/drug_facts.yaml``): mechanism, route, isotype,
pharmacokinetics, pharmacodynamics, dose regimens, indications, outcomes a drug improves,
possible synergies and development status.

One record states one property of one drug. Which value field a record needs depends on its
property: an entity (``object``), a term of a closed list or the isotype (``value``), a typed
quantity (``quantity``), or a dose regimen (``regimen``).
"""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import model_validator
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.build.content import EntityRef, Evidence, Identifier, NonEmpty, Record, Row
from kg.build.quantities import QuantityRecord, add_quantity
from kg.builders._findings import finding_iri
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO

#: Entity-valued property -> (predicate, kinds its object may be)
ENTITY_PROPERTIES: dict[str, tuple[URIRef, tuple[str, ...]]] = {
    "binds": (RKO.binds, ("protein",)),
    "inhibits": (RKO.inhibits, ("protein", "process")),
    "induces": (RKO.induces, ("process",)),
    "treats": (RKO.treats, ("disease",)),
    "reduces-risk-of": (RKO.reducesRiskOf, ("disease",)),
    "suitable-for": (RKO.suitableFor, ("disease",)),
    "member-of": (RKO.memberOfDrugClass, ("drug",)),
    "suppresses": (RKO.suppresses, ("protein",)),
    "synergises-with": (RKO.synergisesWith, ("drug",)),
}
ROUTES = {"subcutaneous": RKO.Subcutaneous, "intravenous": RKO.Intravenous, "oral": RKO.Oral}
#: Property whose value is a term of a closed list -> (predicate, value in the table -> term)
CHOICE_PROPERTIES: dict[str, tuple[URIRef, dict[str, URIRef]]] = {
    "route": (RKO.administrationRoute, ROUTES),
    "elimination": (
        RKO.eliminationRoute,
        {
            "reticuloendothelial-proteolysis": RKO.ReticuloendothelialProteolysis,
            "renal-excretion": RKO.RenalExcretion,
        },
    ),
    "status": (
        RKO.developmentStatus,
        {
            "preclinical": RKO.Preclinical,
            "under-investigation": RKO.UnderInvestigation,
            "in-clinical-trials": RKO.InClinicalTrials,
            "suspended": RKO.DevelopmentSuspended,
            "discontinued": RKO.DevelopmentDiscontinued,
        },
    ),
    "pharmacokinetics": (
        RKO.pharmacokineticProperty,
        {
            "nonlinear": RKO.NonlinearPharmacokinetics,
            "dose-dependent": RKO.DoseDependentPharmacokinetics,
        },
    ),
    "pharmacodynamics": (
        RKO.pharmacodynamicProperty,
        {
            "dose-dependent": RKO.DoseDependentEffect,
            "reversible": RKO.ReversibleEffect,
            "persists-after-discontinuation": RKO.EffectPersistsAfterDiscontinuation,
        },
    ),
    "improves": (
        RKO.improvesOutcome,
        {
            "bone-metastasis-free-survival": RKO.BoneMetastasisFreeSurvival,
            "time-to-disease-progression": RKO.TimeToDiseaseProgression,
            "quality-of-life": RKO.QualityOfLife,
        },
    ),
}
QUANTITY_PROPERTIES = {
    "bioavailability": RKO.bioavailability,
    "time-to-peak": RKO.timeToPeakConcentration,
    "half-life": RKO.terminalHalfLife,
}
DrugProperty = Choice[
    "binds",
    "inhibits",
    "induces",
    "treats",
    "reduces-risk-of",
    "suitable-for",
    "member-of",
    "suppresses",
    "synergises-with",
    "route",
    "elimination",
    "status",
    "pharmacokinetics",
    "pharmacodynamics",
    "improves",
    "bioavailability",
    "time-to-peak",
    "half-life",
    "isotype",
    "regimen",
]


class DrugRegimenRecord(Record):
    """A dose regimen a review gives for a drug."""

    dose: QuantityRecord | None = None
    route: Choice["subcutaneous", "intravenous", "oral"] | None = None
    interval: QuantityRecord | None = None
    text: NonEmpty


class DrugFactRecord(Evidence):
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
                f"property {self.property!r} needs exactly the field {needed!r}, got {given or 'none'}"
            )
        if (self.onset or self.maximum) and self.property != "suppresses":
            raise ValueError("onset and maximum belong to property 'suppresses' only")
        choices = CHOICE_PROPERTIES.get(self.property, (None, {}))[1]
        if choices and self.value not in choices:
            raise ValueError(
                f"value of {self.property!r} must be one of {', '.join(choices)}, got {self.value!r}"
            )
        return self


def value_field(prop: str) -> str:
    """Return the record field that holds the value of ``prop``."""
    if prop in ENTITY_PROPERTIES:
        return "object"
    if prop in QUANTITY_PROPERTIES:
        return "quantity"
    return "regimen" if prop == "regimen" else "value"


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
        predicate = self.predicate(record.property)
        ctx.assert_(drug, predicate, obj, row)
        if isinstance(obj, URIRef) and (record.onset or record.maximum):
            self.add_effect(ctx, row, drug, obj)

    @staticmethod
    def predicate(prop: str) -> URIRef:
        """Return the ontology property of a table property."""
        if prop in ENTITY_PROPERTIES:
            return ENTITY_PROPERTIES[prop][0]
        if prop in CHOICE_PROPERTIES:
            return CHOICE_PROPERTIES[prop][0]
        if prop in QUANTITY_PROPERTIES:
            return QUANTITY_PROPERTIES[prop]
        return RKO.hasRegimen if prop == "regimen" else RKO.antibodyIsotype

    def property_value(
        self, ctx: BuildContext, row: Row[DrugFactRecord], drug: URIRef
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
            return self.add_regimen(ctx, record.drug, drug, record.regimen)
        if record.value is None or record.property not in CHOICE_PROPERTIES:
            return Literal(record.value)
        return CHOICE_PROPERTIES[record.property][1][record.value]

    @staticmethod
    def add_regimen(
        ctx: BuildContext, drug_id: str, drug: URIRef, regimen: DrugRegimenRecord
    ) -> URIRef:
        """Add a dose regimen node of the drug."""
        node = finding_iri("drug", drug_id, "regimen", regimen.text)
        graph = ctx.graph
        graph.add((node, RDF.type, RKO.DoseRegimen))
        graph.add((node, RKO.regimenDrug, drug))
        graph.add((node, RKO.regimenDescription, Literal(regimen.text)))
        if regimen.route is not None:
            graph.add((node, RKO.route, ROUTES[regimen.route]))
        if regimen.dose is not None:
            graph.add((node, RKO.dose, add_quantity(graph, regimen.dose)))
        if regimen.interval is not None:
            graph.add((node, RKO.dosingInterval, add_quantity(graph, regimen.interval)))
        return node

    @staticmethod
    def add_effect(
        ctx: BuildContext, row: Row[DrugFactRecord], drug: URIRef, biomarker: URIRef
    ) -> None:
        """Add the time course of the drug's effect on a biomarker."""
        record = row.record
        node = finding_iri("drug", record.drug, "effect", str(biomarker), record.source)
        graph = ctx.graph
        ctx.assert_(drug, RKO.hasPharmacodynamicEffect, node, row)
        graph.add((node, RDF.type, RKO.PharmacodynamicEffect))
        graph.add((node, RKO.affectsBiomarker, biomarker))
        if record.onset is not None:
            graph.add((node, RKO.timeToOnset, add_quantity(graph, record.onset)))
        if record.maximum is not None:
            graph.add((node, RKO.timeToMaximumEffect, add_quantity(graph, record.maximum)))
