"""Which cancers express which genes (``content/cancer_expression.csv``, Table 1 of 2016 review)."""

from __future__ import annotations

from kg.build.content import EvidenceColumns, Identifier, Row
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO


class CancerExpressionRecord(EvidenceColumns):
    """One cancer and one gene its cells or tumours express, with the cited references."""

    cancer: Identifier
    gene: Identifier


class CancerExpressionBuilder(Builder[CancerExpressionRecord]):
    """``cancer rko:expresses gene`` with evidence (the reasoner adds ``expressedIn``)."""

    name = "cancer_expression"
    model = CancerExpressionRecord

    def add_row(self, ctx: BuildContext, row: Row[CancerExpressionRecord]) -> None:
        """Add the expression assertion."""
        cancer = ctx.entity("disease", row.record.cancer, row, "cancer")
        gene = ctx.entity("gene", row.record.gene, row, "gene")
        if cancer is None or gene is None:
            return
        ctx.assert_(cancer, RKO.expresses, gene, row)
