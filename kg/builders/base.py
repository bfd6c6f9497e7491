"""The builder interface, the registry of builders, and the context they build into."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.build.content import EvidenceColumns, RecordT, Row, load_rows
from kg.build.provenance import add_assertion
from kg.build.quotes import Anchor
from kg.constants import SHAPES_DIR
from kg.errors import ContentError
from kg.namespaces import BUILD_KINDS, mint
from kg.registry import Registered, Registry

#: Builder name -> builder class; a builder registers itself when its module is imported
REGISTRY: Registry[Builder[Any]] = Registry("builder")


@dataclass
class BuildContext:
    """The graph being built, the ids every table defines, and the errors found so far."""

    graph: Graph
    #: entity kind -> ids defined by the content tables
    index: dict[str, set[str]]
    #: (source, quote) -> where the quote stands in the source text
    anchors: dict[tuple[str, str], Anchor] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    def entity(self, kind: str, local_id: str, row: Row[Any], field_name: str) -> URIRef | None:
        """Return the IRI of a referenced entity, or record an error if no table defines it."""
        if local_id in self.index.get(kind, set()):
            return mint(kind, local_id)
        self.errors.append(
            row.error(
                field_name, f"unknown {kind} {local_id!r}: no row of the {kind} table has this id"
            )
        )
        return None

    def entities(
        self, kind: str, local_ids: Sequence[str], row: Row[Any], field_name: str
    ) -> list[URIRef]:
        """Return the IRIs of the ids of the list field ``field_name`` that a table defines.

        An unknown id is recorded as an error at ``<field_name>.<index>``.
        """
        found = (
            self.entity(kind, local_id, row, f"{field_name}.{index}")
            for index, local_id in enumerate(local_ids)
        )
        return [entity for entity in found if entity is not None]

    def reference(
        self, reference: str, row: Row[Any], field_name: str, kinds: Collection[str] | None = None
    ) -> URIRef | None:
        """Return the IRI of a ``kind:id`` reference, or record an error: a kind not allowed in
        this field (any entity kind by default), or an id no table defines."""
        kind, local_id = reference.split(":", 1)
        kinds = (*table_kinds(), *BUILD_KINDS) if kinds is None else kinds
        if kind not in kinds:
            expected = " or ".join(sorted(kinds))
            self.errors.append(
                row.error(field_name, f"{reference!r} is a {kind}; a {expected} is expected here")
            )
            return None
        return self.entity(kind, local_id, row, field_name)

    def assert_(self, subject: URIRef, predicate: URIRef, obj: Node, row: Row[Any]) -> URIRef:
        """Add a curated triple with the evidence of ``row`` (see :func:`add_assertion`); return
        its evidence node, for a builder that qualifies the statement further."""
        evidence: EvidenceColumns = row.record
        return add_assertion(
            self.graph,
            subject,
            predicate,
            obj,
            evidence,
            self.anchors.get((evidence.source, evidence.quote)),
            context_qualifiers(evidence.context),
        )


class Builder(Registered, ABC, Generic[RecordT]):
    """Turns one curated table (``content/<name>.csv`` or ``.yaml``) into triples.

    A builder is the one place its kind is described: everything below is read from the
    registry by the rest of the code (the entity kinds and prefixes, the context kinds, the
    expected links) and by the compliance tests (shapes, fixture, snapshot, documentation).
    """

    registry = REGISTRY
    #: Table name: the content file stem, the CLI name, and the stem of the shapes file,
    #: fixture (``tests/data/content/<name>.*``) and snapshot (``tests/data/snapshots/<name>.ttl``)
    name: ClassVar[str]
    #: The record model every row must validate against
    model: type[RecordT]
    #: The entity kind of the IRIs this table mints, their namespace segment
    #: (``gene`` -> ``https://w3id.org/rankl-kg/gene/``); None for assertion tables
    kind: ClassVar[str | None] = None
    #: The ontology class of the entities this table defines, if it defines entities
    rdf_class: ClassVar[URIRef | None] = None
    #: The qualifier that restricts a finding to an entity of this kind (a row's ``context``):
    #: a sub-property of ``rko:inContext`` whose range is the kind's class (``rko:inDisease``);
    #: None if no finding can be restricted to one
    context: ClassVar[URIRef | None] = None
    #: Ontology class -> CURIE prefixes its entities should link to (``kg.checks.links``)
    expected_links: ClassVar[Mapping[URIRef, tuple[str, ...]]] = {}
    #: The SHACL file constraining what this builder writes (``<name>.shapes.ttl`` if None)
    shapes_file: ClassVar[str | None] = None

    @classmethod
    def shapes_path(cls, shapes_dir: Path = SHAPES_DIR) -> Path:
        """Return the builder's SHACL shapes file."""
        return shapes_dir / (cls.shapes_file or f"{cls.name}.shapes.ttl")

    def table_path(self, content_dir: Path) -> Path:
        """Return the one table file of this builder."""
        candidates = [content_dir / f"{self.name}{suffix}" for suffix in (".csv", ".yaml")]
        found = [path for path in candidates if path.is_file()]
        if len(found) != 1:
            raise ContentError(
                content_dir / self.name,
                None,
                None,
                f"expected exactly one of {self.name}.csv or {self.name}.yaml, found {len(found)}",
            )
        return found[0]

    def load(self, content_dir: Path) -> tuple[list[Row[RecordT]], list[ContentError]]:
        """Validate the rows of this builder's table."""
        return load_rows(self.table_path(content_dir), self.model)

    def defined_ids(self, rows: list[Row[RecordT]]) -> list[tuple[str, Row[RecordT]]]:
        """Return the entity ids this table defines, with their rows (none by default)."""
        return []

    @abstractmethod
    def add_row(self, ctx: BuildContext, row: Row[RecordT]) -> None:
        """Add the triples of one row to ``ctx.graph``."""


def builder_classes() -> list[type[Builder[Any]]]:
    """Return every registered builder class, in name order."""
    return [REGISTRY[name] for name in sorted(REGISTRY)]


def context_qualifier(kind: str) -> URIRef | None:
    """Return the qualifier property of a context of ``kind`` (``disease`` -> ``rko:inDisease``),
    or None if a finding cannot be restricted to an entity of that kind."""
    qualifiers = (cls.context for cls in builder_classes() if cls.kind == kind and cls.context)
    return next(qualifiers, None)


def context_qualifiers(references: Sequence[str]) -> list[tuple[URIRef, URIRef]]:
    """Return ``(qualifier, entity)`` for each ``kind:id`` of a row's checked ``context``."""
    pairs = []
    for reference in references:
        kind, local_id = reference.split(":", 1)
        qualifier = context_qualifier(kind)
        if qualifier is not None:
            pairs.append((qualifier, mint(kind, local_id)))
    return pairs


def table_kinds() -> tuple[str, ...]:
    """Return the entity kinds the tables mint IRIs in, sorted (several tables may share one)."""
    return tuple(sorted({cls.kind for cls in builder_classes() if cls.kind is not None}))
