"""Structural features of proteins (``content/protein_features.yaml``).

What the review says of a protein's build: its membrane topology (RANK a type I transmembrane
protein, RANKL a type II membrane protein), its oligomeric state (RANKL a homotrimer), whether it
has a signal peptide, and its domains. A domain is a node ``protein:<id>-domain-<domain>`` with the
side of the membrane it lies on, its terminus, its repeat motifs, N-glycosylation and binding sites
and the molecules bound through it. Every row states one feature, so each fact keeps its own
quote; several rows may describe the same domain. Every triple is a curated assertion.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.build.content import EntityRef, EvidenceColumns, Identifier, NonEmpty, Row
from kg.builders._references import kinds
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint_node

TOPOLOGIES = {
    "type-i-transmembrane": RKO.TypeITransmembrane,
    "type-ii-membrane": RKO.TypeIIMembrane,
}
OLIGOMERS = {"homotrimer": RKO.Homotrimer, "trimer": RKO.Trimer}
SIDES = {"extracellular": RKO.Extracellular, "cytoplasmic": RKO.Cytoplasmic}
TERMINI = {"N": RKO.NTerminus, "C": RKO.CTerminus}
MOTIFS = {"cysteine-rich-repeat": RKO.CysteineRichRepeat}
#: Kinds of molecule a domain can bind
BINDERS = kinds("protein", "chemical")
#: The fields a row may state exactly one of
FEATURES = ("topology", "oligomer", "signal_peptide", "domain")


class ProteinFeatureRecord(EvidenceColumns):
    """One feature of a protein: its topology, oligomeric state, signal peptide, or a domain."""

    protein: Identifier
    topology: Literal["type-i-transmembrane", "type-ii-membrane"] | None = None
    oligomer: Literal["homotrimer", "trimer"] | None = None
    signal_peptide: bool | None = None
    domain: Identifier | None = None
    label: NonEmpty | None = None
    side: Literal["extracellular", "cytoplasmic"] | None = None
    terminus: Literal["N", "C"] | None = None
    repeat_motif: Literal["cysteine-rich-repeat"] | None = None
    repeats: int | None = Field(default=None, gt=0)
    glycosylation_sites: int | None = Field(default=None, gt=0)
    binding_sites: int | None = Field(default=None, gt=0)
    binds: list[EntityRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_feature_per_row(self) -> ProteinFeatureRecord:
        given = [name for name in FEATURES if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of {', '.join(FEATURES)}; got {', '.join(given) or 'none'}"
            )
        domain_fields = (
            self.label,
            self.side,
            self.terminus,
            self.repeat_motif,
            self.repeats,
            self.glycosylation_sites,
            self.binding_sites,
            *self.binds,
        )
        if self.domain is None and any(value is not None for value in domain_fields):
            raise ValueError(
                "label, side, terminus, repeats, sites and binds describe a domain: "
                "give 'domain' too"
            )
        if (self.repeats is None) != (self.repeat_motif is None):
            raise ValueError("give 'repeats' and 'repeat_motif' together")
        return self


class ProteinFeatureBuilder(Builder[ProteinFeatureRecord]):
    """Topology, oligomeric state, signal peptide and domains of proteins, each with evidence."""

    name = "protein_features"
    model = ProteinFeatureRecord

    def add_row(self, ctx: BuildContext, row: Row[ProteinFeatureRecord]) -> None:
        """Add the row's one feature."""
        record = row.record
        protein = ctx.entity("protein", record.protein, row, "protein")
        if protein is None:
            return
        if record.topology is not None:
            ctx.assert_(protein, RKO.membraneTopology, TOPOLOGIES[record.topology], row)
        elif record.oligomer is not None:
            ctx.assert_(protein, RKO.oligomericState, OLIGOMERS[record.oligomer], row)
        elif record.signal_peptide is not None:
            ctx.assert_(protein, RKO.hasSignalPeptide, RDFLiteral(record.signal_peptide), row)
        elif record.domain is not None:
            self.add_domain(ctx, row, protein, record.domain)

    def add_domain(
        self, ctx: BuildContext, row: Row[ProteinFeatureRecord], protein: URIRef, domain_id: str
    ) -> None:
        """Add the domain node, its link to the protein and what the row says of it."""
        record = row.record
        domain = mint_node(ctx.graph, "protein", f"{record.protein}/domain/{domain_id}")
        ctx.graph.add((domain, RDF.type, RKO.ProteinDomain))
        if record.label is not None:
            ctx.graph.add((domain, RDFS.label, RDFLiteral(record.label)))
        ctx.assert_(protein, RKO.hasDomain, domain, row)
        if record.side is not None:
            ctx.assert_(domain, RKO.membraneSide, SIDES[record.side], row)
        if record.terminus is not None:
            ctx.assert_(domain, RKO.atTerminus, TERMINI[record.terminus], row)
        if record.repeat_motif is not None:
            ctx.assert_(domain, RKO.repeatMotif, MOTIFS[record.repeat_motif], row)
        for predicate, count in (
            (RKO.repeatCount, record.repeats),
            (RKO.glycosylationSiteCount, record.glycosylation_sites),
            (RKO.bindingSiteCount, record.binding_sites),
        ):
            if count is not None:
                ctx.assert_(domain, predicate, RDFLiteral(count, datatype=XSD.integer), row)
        for index, reference in enumerate(record.binds):
            partner = ctx.reference(reference, row, f"binds.{index}", BINDERS)
            if partner is not None:
                ctx.assert_(domain, RKO.domainBinds, partner, row)
