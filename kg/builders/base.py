"""The builder interface, the registry of builders, and the context they build into."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.build.content import Evidence, RecordT, Row, load_rows
from kg.build.provenance import add_assertion
from kg.build.quotes import Anchor
from kg.errors import ContentError
from kg.namespaces import ENTITY_KINDS, mint

#: Builder name -> builder class, filled by ``Builder.__init_subclass__``
REGISTRY: dict[str, type[Builder[Any]]] = {}


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
        self.errors.append(row.error(field_name, f"unknown {kind} {local_id!r}: no row of the {kind} table has this id"))
        return None

    def reference(
        self, reference: str, row: Row[Any], field_name: str, kinds: Collection[str] = ENTITY_KINDS
    ) -> URIRef | None:
        """Return the IRI of a ``kind:id`` reference, or record an error: a kind not allowed in
        this field, or an id no table defines."""
        kind, local_id = reference.split(":", 1)
        if kind not in kinds:
            expected = " or ".join(sorted(kinds))
            self.errors.append(row.error(field_name, f"{reference!r} is a {kind}; a {expected} is expected here"))
            return None
        return self.entity(kind, local_id, row, field_name)

    def assert_(self, subject: URIRef, predicate: URIRef, obj: Node, row: Row[Any]) -> None:
        """Add a curated triple with the evidence of ``row`` (see :func:`add_assertion`)."""
        evidence: Evidence = row.record
        add_assertion(self.graph, subject, predicate, obj, evidence, self.anchors.get((evidence.source, evidence.quote)))


class Builder(ABC, Generic[RecordT]):
    """Turns one curated table (``content/<name>.csv`` or ``.yaml``) into triples."""

    #: Table name: the content file stem and the CLI name
    name: ClassVar[str]
    #: The record model every row must validate against
    model: type[RecordT]
    #: The entity kind whose ids this table defines (None for assertion tables)
    kind: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Register every concrete builder under its ``name``."""
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            return
        if cls.name in REGISTRY:
            raise TypeError(f"duplicate builder name {cls.name!r}: {REGISTRY[cls.name]} and {cls}")
        REGISTRY[cls.name] = cls

    def table_path(self, content_dir: Path) -> Path:
        """Return the one table file of this builder."""
        candidates = [content_dir / f"{self.name}{suffix}" for suffix in (".csv", ".yaml")]
        found = [path for path in candidates if path.is_file()]
        if len(found) != 1:
            raise ContentError(content_dir / self.name, None, None, f"expected exactly one of {self.name}.csv or {self.name}.yaml, found {len(found)}")
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

