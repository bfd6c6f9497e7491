"""What happens without a gene, or with too much of it (``content/knockout_phenotypes.csv``).

Knockout and mutant animals: the disease or phenotype they show, the processes that fail and
the cells or structures that are missing; transgenic overexpression and its phenotype.
"""

from __future__ import annotations

from typing import Literal

from kg.builders._references import Relation, RelationRecord, RelationTableBuilder, kinds
from kg.namespaces import RKO

GENE = kinds("gene")
PHENOTYPE_RELATIONS = {
    "loss-causes": Relation(RKO.lossOfFunctionPhenotype, GENE, kinds("disease")),
    "required-for": Relation(RKO.requiredFor, GENE, kinds("process")),
    "loss-lacks": Relation(RKO.lossOfFunctionLacks, GENE, kinds("cell", "anatomy")),
    "overexpression-causes": Relation(RKO.overexpressionPhenotype, GENE, kinds("disease")),
}


class KnockoutPhenotypeRecord(RelationRecord):
    """A gene, what losing (or overexpressing) it does, and what is affected."""

    relation: Literal["loss-causes", "required-for", "loss-lacks", "overexpression-causes"]


class KnockoutPhenotypeBuilder(RelationTableBuilder[KnockoutPhenotypeRecord]):
    """``gene <relation> disease|process|cell|anatomy`` with evidence (species, model)."""

    name = "knockout_phenotypes"
    model = KnockoutPhenotypeRecord
    relations = PHENOTYPE_RELATIONS
