"""Dose regimens of drugs: the record of a ``regimen`` drug fact and its ``rko:DoseRegimen`` node.

A helper of :mod:`kg.builders.drug_facts`; a ``_`` module is not a builder of its own.
"""

from __future__ import annotations

from typing import Literal as Choice

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from kg.build.content import NonEmpty, Record
from kg.build.quantities import QuantityRecord, add_quantity
from kg.builders._drug_properties import ROUTES
from kg.builders._findings import finding_iri
from kg.namespaces import RKO


class DrugRegimenRecord(Record):
    """A dose regimen a review gives for a drug."""

    dose: QuantityRecord | None = None
    route: Choice["subcutaneous", "intravenous", "oral"] | None = None
    interval: QuantityRecord | None = None
    text: NonEmpty


def add_regimen(graph: Graph, drug_id: str, drug: URIRef, regimen: DrugRegimenRecord) -> URIRef:
    """Add a dose regimen node of the drug and return it."""
    node = finding_iri(graph, "drug", drug_id, "regimen", regimen.text)
    graph.add((node, RDF.type, RKO.DoseRegimen))
    graph.add((node, RKO.regimenDrug, drug))
    graph.add((node, RKO.regimenDescription, Literal(regimen.text)))
    if regimen.route is not None:
        graph.add((node, RKO.route, ROUTES[regimen.route]))
    if regimen.dose is not None:
        graph.add((node, RKO.dose, add_quantity(graph, regimen.dose)))
    if regimen.interval is not None:
        graph.add((node, RKO.dosingInterval, add_quantity(graph, regimen.interval)))
    return node
