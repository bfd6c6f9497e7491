"""Cancer-specific findings on RANK/RANKL expression (``content/cancer_findings.yaml``).

How often a cancer's tumours express a gene (typed percentages, ranges, thresholds), and how
expression relates to prognosis or to clinical parameters. Each finding is a node
``disease:<cancer>-finding-<id>``; a frequency finding also asserts ``cancer rko:expresses gene``
and a poor-prognosis finding ``gene rko:poorPrognosticMarkerIn cancer``, so simple queries work.
A hedged finding ("appears to be a new marker") keeps its node and the node's own descriptive
triples, but its link to the cancer and the shortcut triples exist only as hedged assertion nodes
(see :func:`kg.build.provenance.add_assertion`); shapes/cancer_findings.shapes.ttl accepts either
link.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.namespace import RDF, XSD

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row
from kg.build.quantities import QuantityRecord, add_quantity
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint_node

#: Finding in the table -> rko:FindingType individual
FINDING_TYPES = {
    "expression-frequency": RKO.ExpressionFrequency,
    "poor-prognosis": RKO.PoorPrognosis,
    "no-prognostic-value": RKO.NoPrognosticValue,
    "positive-correlation": RKO.PositiveCorrelation,
    "inverse-correlation": RKO.InverseCorrelation,
}


class CancerFindingRecord(EvidenceColumns):
    """One finding about a gene's expression in a cancer."""

    id: Identifier
    cancer: Identifier
    gene: Identifier
    finding: Literal[
        "expression-frequency",
        "poor-prognosis",
        "no-prognostic-value",
        "positive-correlation",
        "inverse-correlation",
    ]
    outcome: NonEmpty | None = None
    proportion: QuantityRecord | None = None
    threshold: QuantityRecord | None = None
    cohort: int | None = Field(default=None, gt=0)


class CancerFindingBuilder(Builder[CancerFindingRecord]):
    """Finding nodes with type, gene, outcome and typed figures, plus the direct triples."""

    name = "cancer_findings"
    model = CancerFindingRecord

    def add_row(self, ctx: BuildContext, row: Row[CancerFindingRecord]) -> None:
        """Add the finding node and its direct triple."""
        record = row.record
        cancer = ctx.entity("disease", record.cancer, row, "cancer")
        gene = ctx.entity("gene", record.gene, row, "gene")
        if cancer is None or gene is None:
            return
        finding = mint_node(ctx.graph, "disease", f"{record.cancer}/finding/{record.id}")
        ctx.assert_(cancer, RKO.hasCancerFinding, finding, row)
        self.add_finding(ctx, row, finding, gene)
        if record.finding == "expression-frequency":
            ctx.assert_(cancer, RKO.expresses, gene, row)
        elif record.finding == "poor-prognosis":
            ctx.assert_(gene, RKO.poorPrognosticMarkerIn, cancer, row)

    def add_finding(
        self, ctx: BuildContext, row: Row[CancerFindingRecord], finding: URIRef, gene: URIRef
    ) -> None:
        """Add the finding's type, gene and outcome; its figures and cohort size with the row's
        evidence, since the quote states them ("89 % of all the carcinomas assessed")."""
        record = row.record
        graph = ctx.graph
        graph.add((finding, RDF.type, RKO.CancerFinding))
        graph.add((finding, RKO.findingType, FINDING_TYPES[record.finding]))
        graph.add((finding, RKO.findingGene, gene))
        if record.outcome is not None:
            graph.add((finding, RKO.outcomeMeasure, RDFLiteral(record.outcome)))
        for predicate, quantity in (
            (RKO.proportion, record.proportion),
            (RKO.threshold, record.threshold),
        ):
            if quantity is not None:
                ctx.assert_(finding, predicate, add_quantity(graph, quantity), row)
        if record.cohort is not None:
            cohort = RDFLiteral(record.cohort, datatype=XSD.integer)
            ctx.assert_(finding, RKO.cohortSize, cohort, row)
