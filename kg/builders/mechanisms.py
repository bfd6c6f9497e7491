"""Effects stated with the step they go through (``content/mechanisms.csv``).

"RANKL ... stimulating angiogenesis through an Src and phospholipase C-dependent mechanism",
"OPG can thus act as an anti-apoptotic ... factor ... by blocking TRAIL activity": one sentence
gives a regulator, its effect on a process, and what the effect is mediated by. Each row adds
the direct triple (``regulator relation process``) with its evidence, and ``rko:mediatedBy``
on the evidence node for each mediator, so the mechanism is asked for as
``?a rdf:subject ?x ; rdf:object ?process ; rko:mediatedBy ?mediator``. A row that quotes the
same passage as a row of another table for the same triple qualifies that statement.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from kg.build.content import EntityRef, Row, split_list
from kg.builders._references import Relation, RelationRecord, kinds
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO

REGULATOR = kinds("protein", "gene", "cell", "process", "chemical")
PROCESS = kinds("process")
MECHANISM_RELATIONS = {
    "positively-regulates": Relation(RKO.positivelyRegulates, REGULATOR, PROCESS),
    "negatively-regulates": Relation(RKO.negativelyRegulates, REGULATOR, PROCESS),
    "regulates": Relation(RKO.regulates, REGULATOR, PROCESS),
    "induces": Relation(RKO.induces, kinds("drug"), PROCESS),
    "inhibits": Relation(RKO.inhibits, kinds("drug"), PROCESS),
}
MEDIATOR = kinds("protein", "gene", "cell", "process", "chemical")


class MechanismRecord(RelationRecord):
    """A regulator, its effect on a process, and what the effect goes through."""

    relation: Literal[
        "positively-regulates", "negatively-regulates", "regulates", "induces", "inhibits"
    ]
    mediators: Annotated[list[EntityRef], BeforeValidator(split_list), Field(min_length=1)]


class MechanismBuilder(Builder[MechanismRecord]):
    """``regulator <relation> process`` with evidence, qualified by ``rko:mediatedBy``."""

    name = "mechanisms"
    model = MechanismRecord

    def add_row(self, ctx: BuildContext, row: Row[MechanismRecord]) -> None:
        """Add the triple and its mediators."""
        record = row.record
        relation = MECHANISM_RELATIONS[record.relation]
        subject = ctx.reference(record.subject, row, "subject", relation.subject_kinds)
        obj = ctx.reference(record.object, row, "object", relation.object_kinds)
        mediators = [
            ctx.reference(mediator, row, f"mediators.{index}", MEDIATOR)
            for index, mediator in enumerate(record.mediators)
        ]
        if subject is None or obj is None:
            return
        node = ctx.assert_(subject, relation.predicate, obj, row)
        for mediator in mediators:
            if mediator is not None:
                ctx.graph.add((node, RKO.mediatedBy, mediator))
