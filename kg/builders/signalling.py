"""Signalling pathways traced step by step (``content/signalling.csv``).

A row puts one molecule (or sub-pathway) at a numbered step of a pathway, with the role the
molecules of that step play: RANKL (ligand) -> RANK (receptor) -> TRAF adaptors -> kinase
cascades -> transcription factors -> effector genes. Ordering by step number traces the signal.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF, XSD

from kg.build.content import EntityRef, EvidenceColumns, Identifier, Row
from kg.builders._references import kinds
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint_node

#: Role in the table -> rko:SignallingRole individual
ROLES = {
    "ligand": RKO.LigandRole,
    "receptor": RKO.ReceptorRole,
    "adaptor": RKO.AdaptorRole,
    "kinase": RKO.KinaseRole,
    "g-protein": RKO.GProteinRole,
    "transcription-factor": RKO.TranscriptionFactorRole,
    "effector-gene": RKO.EffectorGeneRole,
}
PARTICIPANT_KINDS = kinds("protein", "gene", "process")


class SignallingStepRecord(EvidenceColumns):
    """One participant of one step of a pathway."""

    pathway: Identifier
    step: int = Field(gt=0, strict=False)
    role: Literal[
        "ligand",
        "receptor",
        "adaptor",
        "kinase",
        "g-protein",
        "transcription-factor",
        "effector-gene",
    ]
    participant: EntityRef
    repressed: bool = False


class SignallingBuilder(Builder[SignallingStepRecord]):
    """Step nodes ``process:<pathway>-step-<n>`` with their role and participants."""

    name = "signalling"
    model = SignallingStepRecord

    def add_row(self, ctx: BuildContext, row: Row[SignallingStepRecord]) -> None:
        """Add the step (once) and the participant with the row's evidence."""
        record = row.record
        pathway = ctx.entity("process", record.pathway, row, "pathway")
        participant = ctx.reference(record.participant, row, "participant", PARTICIPANT_KINDS)
        if pathway is None or participant is None:
            return
        step = mint_node(ctx.graph, "process", f"{record.pathway}/step/{record.step}")
        role = ROLES[record.role]
        known_role = ctx.graph.value(step, RKO.stepRole)
        if known_role is not None and known_role != role:
            ctx.errors.append(
                row.error(
                    "role",
                    f"step {record.step} of {record.pathway} already has another role; "
                    "one role per step",
                )
            )
            return
        graph = ctx.graph
        graph.add((pathway, RKO.hasStep, step))
        graph.add((step, RDF.type, RKO.SignallingStep))
        graph.add((step, RKO.stepNumber, RDFLiteral(record.step, datatype=XSD.integer)))
        graph.add((step, RKO.stepRole, role))
        ctx.assert_(
            step,
            RKO.repressedParticipant if record.repressed else RKO.hasParticipant,
            participant,
            row,
        )
