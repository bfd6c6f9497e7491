"""Adverse events of drugs (``content/adverse_events.yaml``), with incidences and risk factors.

The reported disease or phenotype is typed ``rko:AdverseEvent`` (besides its own class) with the
row's evidence; the figures of the report sit on an ``rko:AdverseEventReport`` node, one per
drug, event and source review, so that different figures from the two reviews both stand.
"""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import Field
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import PercentQuantity, add_quantity
from kg.builders._findings import finding_iri
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO

#: When the event occurs -> rko:TreatmentPhase
OCCURS = {
    "during-treatment": RKO.DuringTreatment,
    "after-discontinuation": RKO.AfterDiscontinuation,
}


class AdverseEventRecord(EvidenceColumns):
    """One adverse event of one drug as one review reports it."""

    drug: Identifier
    event: Identifier
    incidence: PercentQuantity | None = None
    population: list[Identifier] = Field(default_factory=list)
    risk_factors: list[Identifier] = Field(default_factory=list)
    occurs: Choice["during-treatment", "after-discontinuation"] | None = None
    description: NonEmpty | None = None


class AdverseEventBuilder(Builder[AdverseEventRecord]):
    """``drug rko:hasAdverseEvent event`` and the report node with its figures, with evidence."""

    name = "adverse_events"
    model = AdverseEventRecord

    def add_row(self, ctx: BuildContext, row: Row[AdverseEventRecord]) -> None:
        """Add the event, its report and the report's figures."""
        record = row.record
        drug = ctx.entity("drug", record.drug, row, "drug")
        event = ctx.entity("disease", record.event, row, "event")
        if drug is None or event is None:
            return
        ctx.assert_(event, RDF.type, RKO.AdverseEvent, row)
        ctx.assert_(drug, RKO.hasAdverseEvent, event, row)
        report = finding_iri(
            ctx.graph, "drug", record.drug, "adverse-event", record.event, record.source
        )
        ctx.assert_(drug, RKO.hasAdverseEventReport, report, row)
        ctx.graph.add((report, RDF.type, RKO.AdverseEventReport))
        ctx.graph.add((report, RKO.reportedEvent, event))
        self.add_figures(ctx, row, report)

    @staticmethod
    def add_figures(ctx: BuildContext, row: Row[AdverseEventRecord], report: URIRef) -> None:
        """Add incidence, population, risk factors, onset and description to the report."""
        record = row.record
        if record.incidence is not None:
            ctx.assert_(report, RKO.incidence, add_quantity(ctx.graph, record.incidence), row)
        for field_name, predicate, ids in (
            ("population", RKO.inPopulation, record.population),
            ("risk_factors", RKO.riskFactor, record.risk_factors),
        ):
            for disease in ctx.entities("disease", ids, row, field_name):
                ctx.assert_(report, predicate, disease, row)
        if record.occurs is not None:
            ctx.assert_(report, RKO.occursIn, OCCURS[record.occurs], row)
        if record.description is not None:
            ctx.graph.add((report, RKO.findingText, Literal(record.description)))
