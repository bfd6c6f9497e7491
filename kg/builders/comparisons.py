"""Comparisons of drugs (``content/comparisons.yaml``), one endpoint per record.

Denosumab against zoledronic acid and the bisphosphonates, with the population and the figures
the review gives. The comparator, endpoint, phase and compared event describe the node itself;
the claims (the drug has the comparison, its result, population and figures) are curated
assertions, so a hedged record ("appears comparable") has them only as hedged assertion nodes,
which shapes/comparisons.shapes.ttl accepts in place of the direct triples.
"""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import Field, model_validator
from rdflib import Literal
from rdflib.namespace import RDF

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import PercentQuantity, QuantityRecord, add_quantity
from kg.builders.base import BuildContext, Builder
from kg.builders.trials import PHASES
from kg.namespaces import RKO, mint_node

ENDPOINTS = {
    "time-to-first-sre": RKO.TimeToFirstSkeletalRelatedEvent,
    "sre-risk": RKO.SkeletalRelatedEventRisk,
    "multiple-sre-risk": RKO.MultipleSkeletalRelatedEventRisk,
    "overall-survival": RKO.OverallSurvival,
    "adverse-event-incidence": RKO.AdverseEventIncidence,
    "onset-of-action": RKO.OnsetOfAction,
    "renal-safety": RKO.RenalSafety,
}
RESULTS = {
    "superior": RKO.Superior,
    "superior-or-non-inferior": RKO.SuperiorOrNonInferior,
    "similar": RKO.Similar,
    "higher": RKO.Higher,
}


class ComparisonRecord(EvidenceColumns):
    """The result of comparing a drug with a comparator on one endpoint."""

    id: Identifier
    drug: Identifier
    comparator: Identifier
    endpoint: Choice[
        "time-to-first-sre",
        "sre-risk",
        "multiple-sre-risk",
        "overall-survival",
        "adverse-event-incidence",
        "onset-of-action",
        "renal-safety",
    ]
    event: Identifier | None = None
    result: Choice["superior", "superior-or-non-inferior", "similar", "higher"]
    population: list[Identifier] = Field(default_factory=list)
    phase: Choice["I", "II", "III"] | None = None
    median_time_gain: QuantityRecord | None = None
    relative_risk_reduction: PercentQuantity | None = None
    description: NonEmpty | None = None

    @model_validator(mode="after")
    def _event_with_incidence_endpoint(self) -> ComparisonRecord:
        if (self.event is None) == (self.endpoint == "adverse-event-incidence"):
            raise ValueError("give 'event' exactly when the endpoint is 'adverse-event-incidence'")
        return self


class ComparisonBuilder(Builder[ComparisonRecord]):
    """A ``rko:DrugComparison`` node per record, ``drug:<drug>-comparison-<id>``, its facts with
    evidence."""

    name = "comparisons"
    model = ComparisonRecord

    def add_row(self, ctx: BuildContext, row: Row[ComparisonRecord]) -> None:
        """Add the comparison and its result, population and figures."""
        record = row.record
        drug = ctx.entity("drug", record.drug, row, "drug")
        comparator = ctx.entity("drug", record.comparator, row, "comparator")
        if drug is None or comparator is None:
            return
        node = mint_node(ctx.graph, "drug", f"{record.drug}/comparison/{record.id}")
        graph = ctx.graph
        ctx.assert_(drug, RKO.hasComparison, node, row)
        graph.add((node, RDF.type, RKO.DrugComparison))
        graph.add((node, RKO.comparator, comparator))
        graph.add((node, RKO.endpoint, ENDPOINTS[record.endpoint]))
        ctx.assert_(node, RKO.comparisonResult, RESULTS[record.result], row)
        if record.phase is not None:
            graph.add((node, RKO.studyPhase, PHASES[record.phase]))
        if record.description is not None:
            graph.add((node, RKO.findingText, Literal(record.description)))
        if record.event is not None:
            event = ctx.entity("disease", record.event, row, "event")
            if event is not None:
                graph.add((node, RKO.comparedEvent, event))
        for disease in ctx.entities("disease", record.population, row, "population"):
            ctx.assert_(node, RKO.inPopulation, disease, row)
        for predicate, quantity in (
            (RKO.medianTimeGain, record.median_time_gain),
            (RKO.relativeRiskReduction, record.relative_risk_reduction),
        ):
            if quantity is not None:
                ctx.assert_(node, predicate, add_quantity(graph, quantity), row)
