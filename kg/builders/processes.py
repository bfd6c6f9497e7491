"""Biological processes and signalling pathways (``content/processes.csv``), linked to GO."""

from __future__ import annotations

from kg.builders._entity import EntityBuilder, EntityRecord
from kg.namespaces import RKO


class ProcessBuilder(EntityBuilder[EntityRecord]):
    """Entities of kind ``process``, typed rko:BiologicalProcess and linked to GO terms."""

    name = "processes"
    kind = "process"
    model = EntityRecord
    rdf_class = RKO.BiologicalProcess
    context = RKO.inProcess
    expected_links = {RKO.BiologicalProcess: ("GO",)}
