"""Typed quantities: a number or a range with a QUDT unit and a comparator, shared by the builders.

One pattern for every measured number: an ``rko:Quantity`` node with ``rko:unit``,
``rko:comparator`` (how the figure is meant: equal to, about, at least, at most, more or less
than, between) and the value (``rko:numericValue``) or the bounds (``rko:minValue``,
``rko:maxValue``) the comparator speaks of.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from typing import Literal as Choice

from pydantic import AfterValidator, Field, model_validator
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.build.content import Record
from kg.namespaces import RKO, UNIT, add_replacement, mint_hashed

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
#: The comparator a content row may state -> the words of its label
STATED_COMPARATORS = {"about": "about", "more-than": "more than", "less-than": "less than"}
#: Comparator name -> rko:Comparator individual
COMPARATORS = {
    "equal-to": RKO.EqualTo,
    "about": RKO.Approximately,
    "at-least": RKO.AtLeast,
    "at-most": RKO.AtMost,
    "more-than": RKO.MoreThan,
    "less-than": RKO.LessThan,
    "between": RKO.Between,
}


class QuantityRecord(Record):
    """A number, or a range by a minimum, a maximum or both ("at least 500 mg"), with a unit.

    ``comparator`` is given where the review qualifies the figure beyond what the fields say:
    ``about`` ("approximately 61%", a value or a range), ``more-than`` (a minimum, "more than
    two-thirds"), ``less-than`` (a maximum). Otherwise a value is exact, a minimum alone "at
    least", a maximum alone "at most" ("up to"), and both a range.
    """

    value: Decimal | None = Field(default=None, gt=0)
    min: Decimal | None = Field(default=None, gt=0)
    max: Decimal | None = Field(default=None, gt=0)
    unit: UnitName
    comparator: Choice["about", "more-than", "less-than"] | None = None

    @model_validator(mode="after")
    def _value_or_range(self) -> QuantityRecord:
        if (self.value is None) == (self.min is None and self.max is None):
            raise ValueError("give either value, or min and/or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}")
        if self.comparator == "more-than" and (self.min is None or self.max is not None):
            raise ValueError("comparator 'more-than' goes with a min and no max")
        if self.comparator == "less-than" and (self.max is None or self.min is not None):
            raise ValueError("comparator 'less-than' goes with a max and no min")
        return self

    @property
    def comparator_name(self) -> str:
        """The comparator stated, or the one the fields imply (``equal-to``, ``at-least``...)."""
        if self.comparator is not None:
            return self.comparator
        if self.value is not None:
            return "equal-to"
        if self.min is not None and self.max is not None:
            return "between"
        return "at-least" if self.min is not None else "at-most"

    @property
    def label(self) -> str:
        """A human-readable form: ``120 mg``, ``8-14 %``, ``at least 500 mg``, ``about 61 %``."""
        if self.value is not None:
            text = plain(self.value)
        elif self.min is not None and self.max is not None:
            text = f"{plain(self.min)}-{plain(self.max)}"
        elif self.min is not None:
            text = f"at least {plain(self.min)}"
        else:
            text = f"at most {plain(self.max or Decimal(0))}"
        symbol = UNIT_SYMBOLS[self.unit]
        text = f"{text} {SINGULAR.get(symbol, symbol) if text == '1' else symbol}"
        if self.comparator is None:
            return text
        words = STATED_COMPARATORS[self.comparator]
        return f"{words} {text.removeprefix('at least ').removeprefix('at most ')}"


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
    """Add a quantity node, named by its content so equal quantities share one node.

    A stated comparator is part of the name; the node of the same figure without it (the IRI of
    release 0.1) is kept, deprecated and replaced by this one.
    """
    parts = [
        plain(part) if part is not None else ""
        for part in (quantity.value, quantity.min, quantity.max)
    ]
    node = mint_hashed("quantity", *parts, quantity.unit)
    if quantity.comparator is not None:
        unqualified, node = (
            node,
            mint_hashed("quantity", *parts, quantity.unit, quantity.comparator),
        )
        add_replacement(graph, unqualified, node)
    graph.add((node, RDF.type, RKO.Quantity))
    graph.add((node, RDFS.label, Literal(quantity.label)))
    graph.add((node, RKO.unit, UNITS[quantity.unit]))
    graph.add((node, RKO.comparator, COMPARATORS[quantity.comparator_name]))
    for predicate, number in (
        (RKO.numericValue, quantity.value),
        (RKO.minValue, quantity.min),
        (RKO.maxValue, quantity.max),
    ):
        if number is not None:
            graph.add((node, predicate, decimal_literal(number)))
    return node
