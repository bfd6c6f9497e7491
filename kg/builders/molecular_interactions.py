"""Molecule-to-molecule relations (``content/molecular_interactions.csv``).

Binding, receptor and decoy-receptor relations, shedding by proteases, TRAF adaptors,
activation and inhibition, and factors that raise (or, with no direction given, regulate) the
expression of a gene. Small-molecule
chemicals (glycosaminoglycans, prostaglandin E2) may bind, inhibit or raise expression too.
"""

from __future__ import annotations

from typing import Literal

from kg.builders._references import Relation, RelationRecord, RelationTableBuilder, kinds
from kg.namespaces import RKO

PROTEIN = kinds("protein")
MOLECULE = kinds("protein", "chemical")
MOLECULE_RELATIONS = {
    "binds": Relation(RKO.binds, MOLECULE, MOLECULE),
    "receptor-for": Relation(RKO.receptorFor, PROTEIN, PROTEIN),
    "decoy-receptor-for": Relation(RKO.decoyReceptorFor, PROTEIN, PROTEIN),
    "binds-adaptor": Relation(RKO.bindsAdaptor, PROTEIN, PROTEIN),
    "predominant-adaptor": Relation(RKO.predominantAdaptor, PROTEIN, PROTEIN),
    "sheds": Relation(RKO.sheds, PROTEIN, PROTEIN),
    "activates": Relation(RKO.activates, PROTEIN, PROTEIN),
    "inhibits": Relation(RKO.inhibits, MOLECULE, PROTEIN),
    "increases-expression-of": Relation(RKO.increasesExpressionOf, MOLECULE, kinds("gene")),
    "regulates-expression-of": Relation(RKO.regulatesExpressionOf, MOLECULE, kinds("gene")),
    "regulates-transcription-of": Relation(RKO.regulatesTranscriptionOf, PROTEIN, kinds("gene")),
    "has-component": Relation(RKO.hasComponent, PROTEIN, PROTEIN),
}


class MolecularInteractionRecord(RelationRecord):
    """One relation between two molecules, as a review states it."""

    relation: Literal[
        "binds",
        "receptor-for",
        "decoy-receptor-for",
        "binds-adaptor",
        "predominant-adaptor",
        "sheds",
        "activates",
        "inhibits",
        "increases-expression-of",
        "regulates-expression-of",
        "regulates-transcription-of",
        "has-component",
    ]


class MolecularInteractionBuilder(RelationTableBuilder[MolecularInteractionRecord]):
    """``protein|chemical <relation> protein|chemical|gene`` with evidence."""

    name = "molecular_interactions"
    model = MolecularInteractionRecord
    relations = MOLECULE_RELATIONS
