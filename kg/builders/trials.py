"""Clinical trials (``content/trials.yaml``; Table 2 of the 2016 review)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal as Choice

from pydantic import Field, model_validator
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from kg.builders.base import BuildContext, Builder
from kg.content import Evidence, Identifier, NonEmpty, Record, Row
from kg.namespaces import RKO, UNIT, mint, mint_hashed
from kg.xrefs import curie_to_iri

#: Phase in the table -> individual of rko:TrialPhase
PHASES = {"I": RKO.PhaseI, "II": RKO.PhaseII, "III": RKO.PhaseIII}
#: Route in the table -> individual of rko:AdministrationRoute
ROUTES = {"subcutaneous": RKO.Subcutaneous, "intravenous": RKO.Intravenous, "oral": RKO.Oral}
#: Unit in the table -> QUDT unit
UNITS = {"mg": UNIT.MilliGM, "IU": UNIT.IU, "day": UNIT.DAY, "week": UNIT.WK, "month": UNIT.MO}


class QuantityRecord(Record):
    """A number, or a range given by a minimum, a maximum or both ("at least 500 mg"), with a unit."""

    value: Decimal | None = Field(default=None, gt=0)
    min: Decimal | None = Field(default=None, gt=0)
    max: Decimal | None = Field(default=None, gt=0)
    unit: Choice["mg", "IU", "day", "week", "month"]

    @model_validator(mode="after")
    def _value_or_range(self) -> QuantityRecord:
        if (self.value is None) == (self.min is None and self.max is None):
            raise ValueError("give either value, or min and/or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}")
        return self


class RegimenRecord(Record):
    """One drug given on one schedule."""

    drug: Identifier
    dose: QuantityRecord | None = None
    route: Choice["subcutaneous", "intravenous", "oral"] | None = None
    intervals: list[QuantityRecord] = []
    text: NonEmpty


class TrialRecord(Evidence):
    """A row of Table 2."""

    nct: str = Field(pattern=r"^NCT\d{8}$")
    phase: Choice["I", "II", "III"]
    condition: NonEmpty
    conditions: list[Identifier] = []
    title: NonEmpty
    primary_outcome: NonEmpty
    enrollment: int = Field(gt=0, strict=True)
    treatment: NonEmpty
    drugs: list[Identifier] = Field(min_length=1)
    regimens: list[RegimenRecord] = []


class TrialBuilder(Builder[TrialRecord]):
    """Trials with phase, conditions, enrollment, outcome, drugs and structured dose regimens."""

    name = "trials"
    model = TrialRecord

    def add_row(self, ctx: BuildContext, row: Row[TrialRecord]) -> None:
        """Add the trial and its regimens."""
        record = row.record
        trial = mint("trial", record.nct)
        graph = ctx.graph
        ctx.assert_(trial, RDF.type, RKO.ClinicalTrial, row)
        graph.add((trial, RKO.nctId, Literal(record.nct)))
        graph.add((trial, SKOS.exactMatch, curie_to_iri(f"clinicaltrials:{record.nct}")))
        graph.add((trial, DCTERMS.title, Literal(record.title)))
        graph.add((trial, RKO.conditionDescription, Literal(record.condition)))
        graph.add((trial, RKO.primaryOutcome, Literal(record.primary_outcome)))
        graph.add((trial, RKO.treatmentDescription, Literal(record.treatment)))
        ctx.assert_(trial, RKO.hasPhase, PHASES[record.phase], row)
        ctx.assert_(trial, RKO.enrollment, Literal(record.enrollment, datatype=XSD.positiveInteger), row)
        for index, disease_id in enumerate(record.conditions):
            disease = ctx.entity("disease", disease_id, row, f"conditions.{index}")
            if disease is not None:
                ctx.assert_(trial, RKO.studiesCondition, disease, row)
        for index, drug_id in enumerate(record.drugs):
            drug = ctx.entity("drug", drug_id, row, f"drugs.{index}")
            if drug is not None:
                ctx.assert_(trial, RKO.testsDrug, drug, row)
                graph.add((drug, RKO.testedIn, trial))
        for index, regimen in enumerate(record.regimens, start=1):
            self.add_regimen(ctx, row, trial, index, regimen)

    def add_regimen(self, ctx: BuildContext, row: Row[TrialRecord], trial: URIRef, index: int, regimen: RegimenRecord) -> None:
        """Add one dose regimen of the trial."""
        drug = ctx.entity("drug", regimen.drug, row, f"regimens.{index - 1}.drug")
        if drug is None:
            return
        if regimen.drug not in row.record.drugs:
            ctx.errors.append(row.error(f"regimens.{index - 1}.drug", f"{regimen.drug!r} is not listed in the trial's drugs"))
            return
        node = mint("trial", f"{row.record.nct}/regimen/{index}")
        graph = ctx.graph
        graph.add((trial, RKO.hasDoseRegimen, node))
        graph.add((node, RDF.type, RKO.DoseRegimen))
        graph.add((node, RKO.regimenDrug, drug))
        graph.add((node, RKO.regimenDescription, Literal(regimen.text)))
        if regimen.route is not None:
            graph.add((node, RKO.route, ROUTES[regimen.route]))
        if regimen.dose is not None:
            graph.add((node, RKO.dose, add_quantity(ctx, regimen.dose)))
        for interval in regimen.intervals:
            graph.add((node, RKO.dosingInterval, add_quantity(ctx, interval)))


def add_quantity(ctx: BuildContext, quantity: QuantityRecord) -> URIRef:
    """Add a quantity node, named by its content so equal quantities share one node."""
    parts = [str(part) for part in (quantity.value, quantity.min, quantity.max, quantity.unit)]
    node = mint_hashed("quantity", *parts)
    graph = ctx.graph
    graph.add((node, RDF.type, RKO.Quantity))
    graph.add((node, RKO.unit, UNITS[quantity.unit]))
    for predicate, number in ((RKO.numericValue, quantity.value), (RKO.minValue, quantity.min), (RKO.maxValue, quantity.max)):
        if number is not None:
            graph.add((node, predicate, Literal(number, datatype=XSD.decimal)))
    return node
