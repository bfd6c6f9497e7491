"""Biomarkers (``content/biomarkers.yaml``): measurable forms of proteins and what they indicate.

A biomarker is a circulating protein or a fragment of one, so its id is a path under the
protein's: CTX, the C-terminal telopeptide of type I collagen, is ``COL1A1/CTX``, and other tables
refer to it as ``protein:COL1A1/CTX``. Its IRI is ``protein:COL1A1-CTX`` (:func:`mint`); the IRI
of release 0.1, ``protein/COL1A1/CTX``, stays, deprecated.
"""

from __future__ import annotations

from pydantic import Field
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row, StrList
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint_node


class BiomarkerRecord(EvidenceColumns):
    """A biomarker: the protein it is or comes from, and the processes (ids) it indicates."""

    id: Identifier
    protein: Identifier
    label: NonEmpty
    synonyms: StrList = Field(default_factory=list)
    indicates: list[Identifier] = Field(default_factory=list)

    @property
    def local_id(self) -> str:
        """The id other tables use after ``protein:``."""
        return f"{self.protein}/{self.id}"


class BiomarkerBuilder(Builder[BiomarkerRecord]):
    """Biomarker nodes with label, synonyms, measured protein and indicated processes."""

    name = "biomarkers"
    model = BiomarkerRecord
    #: Biomarker ids live in the protein namespace, under their protein
    kind = "protein"

    def defined_ids(
        self, rows: list[Row[BiomarkerRecord]]
    ) -> list[tuple[str, Row[BiomarkerRecord]]]:
        """Return ``<protein>/<id>`` for every row."""
        return [(row.record.local_id, row) for row in rows]

    def add_row(self, ctx: BuildContext, row: Row[BiomarkerRecord]) -> None:
        """Add the biomarker."""
        record = row.record
        node = mint_node(ctx.graph, "protein", record.local_id)
        ctx.assert_(node, RDF.type, RKO.Biomarker, row)
        ctx.graph.add((node, RDFS.label, Literal(record.label)))
        for synonym in record.synonyms:
            ctx.graph.add((node, SKOS.altLabel, Literal(synonym)))
        protein = ctx.entity("protein", record.protein, row, "protein")
        if protein is not None:
            ctx.assert_(node, RKO.measuredProtein, protein, row)
        for process in ctx.entities("process", record.indicates, row, "indicates"):
            ctx.assert_(node, RKO.indicatesProcess, process, row)
