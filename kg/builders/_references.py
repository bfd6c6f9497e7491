"""Typed relations between entities of several kinds, for the biology assertion tables.

A row names its subject and object as ``kind:id`` (``protein:TNFSF11``, ``cell:osteoblast``); the
relation it names fixes the ontology predicate and the kinds its subject and object may be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from rdflib import URIRef

from kg.build.content import EntityRef, EvidenceColumns, Row
from kg.builders.base import BuildContext, Builder


@dataclass(frozen=True)
class Relation:
    """An ontology predicate with the entity kinds allowed at each end."""

    predicate: URIRef
    subject_kinds: frozenset[str]
    object_kinds: frozenset[str]


def kinds(*names: str) -> frozenset[str]:
    """Return a set of entity kinds (reads better in relation tables)."""
    return frozenset(names)


def assert_relation(
    ctx: BuildContext, row: Row[Any], subject: str, relation: Relation, obj: str
) -> tuple[URIRef, URIRef] | None:
    """Resolve both ends and add ``subject predicate object`` with the row's evidence."""
    subject_iri = ctx.reference(subject, row, "subject", relation.subject_kinds)
    object_iri = ctx.reference(obj, row, "object", relation.object_kinds)
    if subject_iri is None or object_iri is None:
        return None
    ctx.assert_(subject_iri, relation.predicate, object_iri, row)
    return subject_iri, object_iri


class RelationRecord(EvidenceColumns):
    """A row ``subject relation object``; subclasses narrow ``relation`` to their vocabulary."""

    subject: EntityRef
    relation: str
    object: EntityRef


RelationRecordT = TypeVar("RelationRecordT", bound=RelationRecord)


class RelationTableBuilder(Builder[RelationRecordT]):
    """A table of typed relations: each row becomes one triple with its evidence."""

    #: relation name in the table -> predicate and allowed kinds
    relations: ClassVar[dict[str, Relation]]

    def add_row(self, ctx: BuildContext, row: Row[RelationRecordT]) -> None:
        """Add the row's triple."""
        record = row.record
        assert_relation(ctx, row, record.subject, self.relations[record.relation], record.object)
