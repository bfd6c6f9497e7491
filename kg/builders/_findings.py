"""Helpers shared by the therapy tables: ``kind:id`` references and IRIs of n-ary findings."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from pydantic import Field
from rdflib import URIRef

from kg.builders.base import BuildContext
from kg.content import Row
from kg.namespaces import ENTITY_KINDS, mint

#: A reference to an entity, ``kind:id``; biomarker ids contain a slash (``protein:COL1A1/CTX``)
Reference = Annotated[str, Field(pattern=r"^[a-z]+:[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?$")]


def resolve(ctx: BuildContext, row: Row[Any], field_name: str, reference: str, kinds: tuple[str, ...] = ENTITY_KINDS) -> URIRef | None:
    """Return the IRI of a ``kind:id`` reference, or record an error naming the field."""
    kind, local_id = reference.split(":", 1)
    if kind not in kinds:
        ctx.errors.append(row.error(field_name, f"{reference!r} must refer to one of: {', '.join(kinds)}"))
        return None
    return ctx.entity(kind, local_id, row, field_name)


def finding_iri(kind: str, parent_id: str, facet: str, *parts: str) -> URIRef:
    """Return a stable IRI for a finding about an entity, under the entity's IRI.

    >>> str(finding_iri("drug", "denosumab", "comparison", "a"))
    'https://w3id.org/rankl-kg/drug/denosumab/comparison/ca978112ca1bbdca'
    """
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return mint(kind, f"{parent_id}/{facet}/{digest}")
