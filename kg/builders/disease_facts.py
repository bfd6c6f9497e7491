"""Clinical facts about diseases (``content/disease_facts.yaml``).

What counts as a skeletal-related event, and which complications a disease leads to, with the
fraction of patients affected.
"""

from __future__ import annotations

from typing import Literal as Choice

from pydantic import model_validator
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import PercentQuantity, QuantityRecord, add_quantity
from kg.builders._findings import finding_iri
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO

PROPERTIES = {"has-component-event": RKO.hasComponentEvent, "has-complication": RKO.hasComplication}


class DiseaseFactRecord(EvidenceColumns):
    """A relation between two diseases; a complication may carry the fraction of patients."""

    subject: Identifier
    property: Choice["has-component-event", "has-complication"]
    object: Identifier
    frequency: PercentQuantity | None = None
    description: NonEmpty | None = None

    @model_validator(mode="after")
    def _frequency_of_complication(self) -> DiseaseFactRecord:
        if self.frequency is None:
            return self
        if self.property != "has-complication":
            raise ValueError("a frequency belongs to property 'has-complication' only")
        return self


class DiseaseFactBuilder(Builder[DiseaseFactRecord]):
    """The relation as a triple with evidence; a frequency as a ``rko:DiseaseFrequency`` node."""

    name = "disease_facts"
    model = DiseaseFactRecord

    def add_row(self, ctx: BuildContext, row: Row[DiseaseFactRecord]) -> None:
        """Add the relation and, when given, its frequency finding."""
        record = row.record
        subject = ctx.entity("disease", record.subject, row, "subject")
        obj = ctx.entity("disease", record.object, row, "object")
        if subject is None or obj is None:
            return
        ctx.assert_(subject, PROPERTIES[record.property], obj, row)
        if record.frequency is not None:
            self.add_frequency(ctx, row, subject, obj, record.frequency)

    @staticmethod
    def add_frequency(
        ctx: BuildContext,
        row: Row[DiseaseFactRecord],
        subject: URIRef,
        obj: URIRef,
        frequency: QuantityRecord,
    ) -> None:
        """Add the fraction of patients with ``subject`` who develop ``obj``."""
        record = row.record
        node = finding_iri(
            ctx.graph,
            "disease",
            record.subject,
            "frequency",
            record.object,
            record.source,
            record.quote,
        )
        graph = ctx.graph
        ctx.assert_(subject, RKO.hasFrequencyFinding, node, row)
        graph.add((node, RDF.type, RKO.DiseaseFrequency))
        graph.add((node, RKO.inPopulation, subject))
        graph.add((node, RKO.complication, obj))
        ctx.assert_(node, RKO.frequency, add_quantity(graph, frequency), row)
        if record.description is not None:
            graph.add((node, RKO.findingText, Literal(record.description)))
