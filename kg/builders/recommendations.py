"""Recommendations during a therapy (``content/recommendations.yaml``).

Monitoring, supplementation and risk management: what to give, check or do, how much, when, for
which condition of the patient, and which adverse event it prevents.
"""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import Field
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import QuantityRecord, add_quantity
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint_node

ACTIONS = {
    "supplementation": RKO.Supplementation,
    "monitoring": RKO.Monitoring,
    "dental-examination": RKO.DentalExamination,
    "avoid-invasive-dental-procedures": RKO.AvoidInvasiveDentalProcedures,
    "correct-deficiency": RKO.CorrectDeficiency,
    "sequential-therapy": RKO.SequentialTherapy,
    "risk-assessment": RKO.RiskAssessment,
    "patient-education": RKO.PatientEducation,
    "care-coordination": RKO.CareCoordination,
    "ensure-dietary-intake": RKO.EnsureDietaryIntake,
    "manage-oral-infection": RKO.ManageOralInfection,
}
PHASES = {
    "before-treatment": RKO.BeforeTreatment,
    "during-treatment": RKO.DuringTreatment,
    "initial-weeks": RKO.InitialWeeksOfTreatment,
    "after-discontinuation": RKO.AfterDiscontinuation,
}


class RecommendationRecord(EvidenceColumns):
    """One recommended action for patients on a drug."""

    id: Identifier
    drug: Identifier
    action: Choice[
        "supplementation",
        "monitoring",
        "dental-examination",
        "avoid-invasive-dental-procedures",
        "correct-deficiency",
        "sequential-therapy",
        "risk-assessment",
        "patient-education",
        "care-coordination",
        "ensure-dietary-intake",
        "manage-oral-infection",
    ]
    agent: Identifier | None = None
    dose: QuantityRecord | None = None
    interval: QuantityRecord | None = None
    when: list[
        Choice["before-treatment", "during-treatment", "initial-weeks", "after-discontinuation"]
    ] = Field(default_factory=list)
    condition: list[Identifier] = Field(default_factory=list)
    prevents: list[Identifier] = Field(default_factory=list)
    text: NonEmpty


class RecommendationBuilder(Builder[RecommendationRecord]):
    """A ``rko:ClinicalRecommendation`` node per record, ``drug:<drug>-recommendation-<id>``."""

    name = "recommendations"
    model = RecommendationRecord

    def add_row(self, ctx: BuildContext, row: Row[RecommendationRecord]) -> None:
        """Add the recommendation: its action, agent, dose, timing, trigger and purpose."""
        record = row.record
        drug = ctx.entity("drug", record.drug, row, "drug")
        if drug is None:
            return
        node = mint_node(ctx.graph, "drug", f"{record.drug}/recommendation/{record.id}")
        graph = ctx.graph
        ctx.assert_(drug, RKO.hasRecommendation, node, row)
        graph.add((node, RDF.type, RKO.ClinicalRecommendation))
        graph.add((node, RKO.findingText, Literal(record.text)))
        ctx.assert_(node, RKO.recommendedAction, ACTIONS[record.action], row)
        if record.agent is not None:
            agent = ctx.entity("drug", record.agent, row, "agent")
            if agent is not None:
                ctx.assert_(node, RKO.recommendedAgent, agent, row)
        for predicate, quantity in (
            (RKO.recommendedDose, record.dose),
            (RKO.recommendedInterval, record.interval),
        ):
            if quantity is not None:
                ctx.assert_(node, predicate, add_quantity(graph, quantity), row)
        for phase in record.when:
            ctx.assert_(node, RKO.recommendedWhen, PHASES[phase], row)
        self.add_diseases(ctx, row, node)

    @staticmethod
    def add_diseases(ctx: BuildContext, row: Row[RecommendationRecord], node: URIRef) -> None:
        """Link the recommendation to the conditions that call for it and the events it prevents."""
        record = row.record
        for field_name, predicate, disease_ids in (
            ("condition", RKO.triggeringCondition, record.condition),
            ("prevents", RKO.prevents, record.prevents),
        ):
            for disease in ctx.entities("disease", disease_ids, row, field_name):
                ctx.assert_(node, predicate, disease, row)
