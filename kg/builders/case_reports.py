"""Patient cases the reviews report from case reports (``content/case_reports.yaml``).

"an osteosarcoma patient treated with sorafenib and denosumab ... complete metabolic remission
for over 18 months": one node per case (``publication:<review>-case-<id>``, a
``rko:ClinicalCase``) with the disease, each drug of the treatment, the outcome in the review's
words and its duration as a quantity ("over 18 months": more than 18 months), each a statement
with the row's evidence.
"""

from __future__ import annotations

from pydantic import Field
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import QuantityRecord, add_quantity
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint


class CaseReportRecord(EvidenceColumns):
    """One patient's case: disease, drugs, outcome and how long it lasted."""

    id: Identifier
    label: NonEmpty
    disease: Identifier
    treatments: list[Identifier] = Field(min_length=1)
    outcome: NonEmpty
    duration: QuantityRecord | None = None


class CaseReportBuilder(Builder[CaseReportRecord]):
    """``rko:ClinicalCase`` nodes with disease, treatment, outcome and response duration."""

    name = "case_reports"
    model = CaseReportRecord

    def add_row(self, ctx: BuildContext, row: Row[CaseReportRecord]) -> None:
        """Add the case and its facts."""
        record = row.record
        case = mint("publication", f"{record.source}/case/{record.id}")
        ctx.assert_(case, RDF.type, RKO.ClinicalCase, row)
        ctx.graph.add((case, RDFS.label, Literal(record.label)))
        disease = ctx.entity("disease", record.disease, row, "disease")
        if disease is not None:
            ctx.assert_(case, RKO.caseDisease, disease, row)
        for drug in ctx.entities("drug", record.treatments, row, "treatments"):
            ctx.assert_(case, RKO.caseTreatment, drug, row)
        ctx.assert_(case, RKO.caseOutcome, Literal(record.outcome), row)
        if record.duration is not None:
            ctx.assert_(case, RKO.responseDuration, add_quantity(ctx.graph, record.duration), row)
