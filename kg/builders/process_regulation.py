"""What regulates biological processes (``content/process_regulation.csv``).

A molecule, cell type or process positively or negatively regulates a process, takes part in
it, goes with it without a stated effect (associated with), or (for a process) releases a
molecule, in the context the review gives.
"""

from __future__ import annotations

from typing import Literal

from kg.builders._references import Relation, RelationRecord, RelationTableBuilder, kinds
from kg.namespaces import RKO

REGULATOR = kinds("protein", "gene", "cell", "process")
PROCESS = kinds("process")
PROCESS_RELATIONS = {
    "positively-regulates": Relation(RKO.positivelyRegulates, REGULATOR, PROCESS),
    "negatively-regulates": Relation(RKO.negativelyRegulates, REGULATOR, PROCESS),
    "regulates": Relation(RKO.regulates, REGULATOR, PROCESS),
    "participates-in": Relation(RKO.participatesIn, REGULATOR, PROCESS),
    "releases": Relation(RKO.releases, PROCESS, kinds("protein")),
    "associated-with": Relation(RKO.associatedWith, REGULATOR, PROCESS),
}


class ProcessRegulationRecord(RelationRecord):
    """A regulator, its effect, and the process it acts on."""

    relation: Literal[
        "positively-regulates",
        "negatively-regulates",
        "regulates",
        "participates-in",
        "releases",
        "associated-with",
    ]


class ProcessRegulationBuilder(RelationTableBuilder[ProcessRegulationRecord]):
    """``regulator <relation> process`` with evidence and context."""

    name = "process_regulation"
    model = ProcessRegulationRecord
    relations = PROCESS_RELATIONS
