"""Genes (``content/genes.csv``): HGNC symbol, synonyms, links, and the protein each encodes."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kg.build.content import Identifier, Row
from kg.builders._entity import EntityBuilder, EntityRecord
from kg.builders.base import BuildContext
from kg.namespaces import RKO


class GeneRecord(EntityRecord):
    """A gene row; ``id`` is the HGNC symbol."""

    encodes: Identifier | None = None


class GeneBuilder(EntityBuilder[GeneRecord]):
    """Genes and the ``encodes`` relation to their proteins."""

    name = "genes"
    kind = "gene"
    model = GeneRecord
    rdf_class = RKO.Gene
    context = RKO.involvingGene
    expected_links = {RKO.Gene: ("HGNC", "NCBIGene")}

    def add_details(self, ctx: BuildContext, row: Row[GeneRecord], node: URIRef) -> None:
        """Add the symbol and the encoded protein (both directions)."""
        ctx.graph.add((node, RKO.symbol, Literal(row.record.id)))
        if row.record.encodes is None:
            return
        protein = ctx.entity("protein", row.record.encodes, row, "encodes")
        if protein is not None:
            ctx.assert_(node, RKO.encodes, protein, row)
            ctx.graph.add((protein, RKO.encodedBy, node))
