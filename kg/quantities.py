"""Typed quantities: a number or a range with a QUDT unit, shared by every builder that needs one."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal as Choice

from pydantic import Field, model_validator
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg.content import Record
from kg.namespaces import RKO, UNIT, mint_hashed

#: Unit in the content -> QUDT unit
UNITS = {
    "mg": UNIT.MilliGM,
    "IU": UNIT.IU,
    "hour": UNIT.HR,
    "day": UNIT.DAY,
    "week": UNIT.WK,
    "month": UNIT.MO,
    "year": UNIT.YR,
    "percent": UNIT.PERCENT,
}
UnitName = Choice["mg", "IU", "hour", "day", "week", "month", "year", "percent"]


class QuantityRecord(Record):
    """A number, or a range given by a minimum, a maximum or both ("at least 500 mg"), with a unit."""

    value: Decimal | None = Field(default=None, gt=0)
    min: Decimal | None = Field(default=None, gt=0)
    max: Decimal | None = Field(default=None, gt=0)
    unit: UnitName

    @model_validator(mode="after")
    def _value_or_range(self) -> QuantityRecord:
        if (self.value is None) == (self.min is None and self.max is None):
            raise ValueError("give either value, or min and/or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}")
        return self


def add_quantity(graph: Graph, quantity: QuantityRecord) -> URIRef:
    """Add a quantity node, named by its content so equal quantities share one node."""
    parts = [str(part) for part in (quantity.value, quantity.min, quantity.max, quantity.unit)]
    node = mint_hashed("quantity", *parts)
    graph.add((node, RDF.type, RKO.Quantity))
    graph.add((node, RKO.unit, UNITS[quantity.unit]))
    for predicate, number in ((RKO.numericValue, quantity.value), (RKO.minValue, quantity.min), (RKO.maxValue, quantity.max)):
        if number is not None:
            graph.add((node, predicate, Literal(number, datatype=XSD.decimal)))
    return node
