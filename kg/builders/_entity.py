"""What every entity table shares: id, label, synonyms, definition and external links."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.build.content import EvidenceColumns, Identifier, NonEmpty, Row, StrList
from kg.build.labels import label_problem
from kg.build.xrefs import curie_to_iri, load_reference
from kg.builders.base import BuildContext, Builder
from kg.namespaces import RKO, mint


class EntityRecord(EvidenceColumns):
    """An entity row: the columns every entity table has."""

    id: Identifier
    label: NonEmpty
    synonyms: StrList = []
    definition: str | None = None
    xrefs: StrList = []


EntityT = TypeVar("EntityT", bound=EntityRecord)


class EntityBuilder(Builder[EntityT]):
    """Adds an entity's type (with evidence), label, synonyms, definition and checked links."""

    kind: ClassVar[str]
    #: The ontology class of the table's entities (a row may refine it, see ``class_column``)
    rdf_class: ClassVar[URIRef]
    #: The record field read from the table's ``class`` column, if rows name their own
    #: ontology class (a subclass of ``rdf_class``: ``Carcinoma``, ``MonoclonalAntibody``...)
    class_column: ClassVar[str | None] = None

    def defined_ids(self, rows: list[Row[EntityT]]) -> list[tuple[str, Row[EntityT]]]:
        """Return the ids the table defines."""
        return [(row.record.id, row) for row in rows]

    def entity_class(self, record: EntityT) -> URIRef:
        """Return the ontology class of the row's entity: the one its class column names, if any."""
        if self.class_column is None:
            return self.rdf_class
        return RKO[getattr(record, self.class_column)]

    def add_row(self, ctx: BuildContext, row: Row[EntityT]) -> None:
        """Add the common triples, then the kind-specific ones."""
        record = row.record
        node = mint(self.kind, record.id)
        self.add_type_and_definition(ctx, row, node)
        ctx.graph.add((node, RDFS.label, Literal(record.label)))
        for synonym in record.synonyms:
            ctx.graph.add((node, SKOS.altLabel, Literal(synonym)))
        reference = load_reference()
        for curie in record.xrefs:
            if curie not in reference:
                ctx.errors.append(
                    row.error(
                        "xrefs",
                        f"{curie} is not a verified identifier in "
                        "ontology/imports/reference-xrefs.tsv",
                    )
                )
                continue
            problem = label_problem(
                f"{self.kind}:{record.id}",
                curie,
                reference[curie],
                [record.id, record.label, *record.synonyms],
            )
            if problem is not None:
                ctx.errors.append(row.error("xrefs", problem))
                continue
            ctx.graph.add((node, SKOS.exactMatch, curie_to_iri(curie)))
        self.add_details(ctx, row, node)

    def add_type_and_definition(self, ctx: BuildContext, row: Row[EntityT], node: URIRef) -> None:
        """Add the entity's class and definition; the row's quote evidences the definition if
        there is one (the quote then defines the entity), else the class (it names the entity)."""
        record = row.record
        entity_class = self.entity_class(record)
        if record.definition:
            ctx.graph.add((node, RDF.type, entity_class))
            ctx.assert_(node, SKOS.definition, Literal(record.definition), row)
        else:
            ctx.assert_(node, RDF.type, entity_class, row)

    def add_details(self, ctx: BuildContext, row: Row[EntityT], node: URIRef) -> None:
        """Add the triples only this kind of entity has (nothing by default)."""
