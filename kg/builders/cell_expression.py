"""Where molecules are made (``content/cell_expression.csv``).

Which cell types and tissues express a gene, produce a protein or a chemical (or are a protein's
main source), overexpress it or sequester it, in the context the review gives (a cancer, a tissue).
"""

from __future__ import annotations

from typing import Literal

from kg.builders._references import Relation, RelationRecord, RelationTableBuilder, kinds
from kg.namespaces import RKO

SITE = kinds("cell", "anatomy")
EXPRESSION_RELATIONS = {
    "expresses": Relation(RKO.expresses, SITE, kinds("gene")),
    "highly-expresses": Relation(RKO.highlyExpresses, SITE, kinds("gene")),
    "overexpresses": Relation(RKO.overexpresses, SITE, kinds("gene")),
    "produces": Relation(RKO.produces, SITE, kinds("protein", "chemical")),
    "main-source-of": Relation(RKO.mainlyProduces, SITE, kinds("protein")),
    "sequesters": Relation(RKO.sequesters, SITE, kinds("protein")),
}


class CellExpressionRecord(RelationRecord):
    """A cell type or tissue and a gene it expresses or a protein it makes."""

    relation: Literal[
        "expresses", "highly-expresses", "overexpresses", "produces", "main-source-of", "sequesters"
    ]


class CellExpressionBuilder(RelationTableBuilder[CellExpressionRecord]):
    """``cell|anatomy <relation> gene|protein|chemical`` with evidence and context."""

    name = "cell_expression"
    model = CellExpressionRecord
    relations = EXPRESSION_RELATIONS
