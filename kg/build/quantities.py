"""Typed quantities: a number or a range with a QUDT unit, shared by the builders that need one."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from typing import Literal as Choice

from pydantic import AfterValidator, Field, model_validator
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.build.content import Record
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
#: Unit in the content -> symbol used in quantity labels
UNIT_SYMBOLS = {
    "mg": "mg",
    "IU": "IU",
    "hour": "h",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "percent": "%",
}
#: Time units written in the singular after the number 1
SINGULAR = {"days": "day", "weeks": "week", "months": "month", "years": "year"}


class QuantityRecord(Record):
    """A number, or a range by a minimum, a maximum or both ("at least 500 mg"), with a unit."""

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

    @property
    def label(self) -> str:
        """A human-readable form: ``120 mg``, ``8-14 %``, ``at least 500 mg``, ``at most 2 %``."""
        if self.value is not None:
            text = plain(self.value)
        elif self.min is not None and self.max is not None:
            text = f"{plain(self.min)}-{plain(self.max)}"
        elif self.min is not None:
            text = f"at least {plain(self.min)}"
        else:
            text = f"at most {plain(self.max or Decimal(0))}"
        symbol = UNIT_SYMBOLS[self.unit]
        return f"{text} {SINGULAR.get(symbol, symbol) if text == '1' else symbol}"


def in_percent(quantity: QuantityRecord) -> QuantityRecord:
    """Accept a quantity only in percent (incidences, frequencies, risk reductions)."""
    if quantity.unit != "percent":
        raise ValueError(f"this quantity is given in percent, got unit {quantity.unit!r}")
    return quantity


#: A quantity that must be in percent; the row's error names the field
PercentQuantity = Annotated[QuantityRecord, AfterValidator(in_percent)]


def plain(number: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros: ``Decimal('120.0')`` -> ``120``."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal_literal(number: Decimal) -> Literal:
    """Return the canonical xsd:decimal literal (``120.0``, ``0.25``) that survives Turtle."""
    text = plain(number)
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def add_quantity(graph: Graph, quantity: QuantityRecord) -> URIRef:
    """Add a quantity node, named by its content so equal quantities share one node."""
    parts = [
        plain(part) if part is not None else ""
        for part in (quantity.value, quantity.min, quantity.max)
    ]
    node = mint_hashed("quantity", *parts, quantity.unit)
    graph.add((node, RDF.type, RKO.Quantity))
    graph.add((node, RDFS.label, Literal(quantity.label)))
    graph.add((node, RKO.unit, UNITS[quantity.unit]))
    for predicate, number in (
        (RKO.numericValue, quantity.value),
        (RKO.minValue, quantity.min),
        (RKO.maxValue, quantity.max),
    ):
        if number is not None:
            graph.add((node, predicate, decimal_literal(number)))
    return node
