"""Clinical trials (``content/trials.yaml``; Table 2 of the 2016 review)."""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import Field
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Record, Row
from kg.build.quantities import QuantityRecord, add_quantity
from kg.build.xrefs import curie_to_iri
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint, mint_node

#: Phase in the table -> individual of rko:TrialPhase
PHASES = {"I": RKO.PhaseI, "II": RKO.PhaseII, "III": RKO.PhaseIII}
#: Route in the table -> individual of rko:AdministrationRoute
ROUTES = {"subcutaneous": RKO.Subcutaneous, "intravenous": RKO.Intravenous, "oral": RKO.Oral}


class RegimenRecord(Record):
    """One drug given on one schedule."""

    drug: Identifier
    dose: QuantityRecord | None = None
    route: Choice["subcutaneous", "intravenous", "oral"] | None = None
    intervals: list[QuantityRecord] = []
    text: NonEmpty


class TrialRecord(EvidenceColumns):
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
    kind = "trial"
    model = TrialRecord
    rdf_class = RKO.ClinicalTrial
    expected_links = {RKO.ClinicalTrial: ("clinicaltrials",)}

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
        ctx.assert_(trial, RKO.enrollment, Literal(record.enrollment, datatype=XSD.integer), row)
        for disease in ctx.entities("disease", record.conditions, row, "conditions"):
            ctx.assert_(trial, RKO.studiesCondition, disease, row)
        for drug in ctx.entities("drug", record.drugs, row, "drugs"):
            ctx.assert_(trial, RKO.testsDrug, drug, row)
            graph.add((drug, RKO.testedIn, trial))
        for index, regimen in enumerate(record.regimens, start=1):
            self.add_regimen(ctx, row, trial, index, regimen)

    def add_regimen(
        self,
        ctx: BuildContext,
        row: Row[TrialRecord],
        trial: URIRef,
        index: int,
        regimen: RegimenRecord,
    ) -> None:
        """Add one dose regimen of the trial."""
        drug = ctx.entity("drug", regimen.drug, row, f"regimens.{index - 1}.drug")
        if drug is None:
            return
        if regimen.drug not in row.record.drugs:
            ctx.errors.append(
                row.error(
                    f"regimens.{index - 1}.drug",
                    f"{regimen.drug!r} is not listed in the trial's drugs",
                )
            )
            return
        node = mint_node(ctx.graph, "trial", f"{row.record.nct}/regimen/{index}")
        graph = ctx.graph
        graph.add((trial, RKO.hasDoseRegimen, node))
        graph.add((node, RDF.type, RKO.DoseRegimen))
        graph.add((node, RKO.regimenDrug, drug))
        graph.add((node, RKO.regimenDescription, Literal(regimen.text)))
        graph.add((node, RDFS.label, Literal(f"{row.record.nct} regimen {index}: {regimen.text}")))
        if regimen.route is not None:
            graph.add((node, RKO.route, ROUTES[regimen.route]))
        if regimen.dose is not None:
            graph.add((node, RKO.dose, add_quantity(graph, regimen.dose)))
        for interval in regimen.intervals:
            graph.add((node, RKO.dosingInterval, add_quantity(graph, interval)))
