"""The exporter interface, the registry of exporters, and what they export from."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from rdflib import Graph

from kg.registry import Registered, Registry

#: Exporter name -> exporter class; an exporter registers itself when its module is imported
REGISTRY: Registry[Exporter] = Registry("exporter")


@dataclass(frozen=True)
class ExportSource:
    """The graphs of one build: the ontology, the instance data, and the two merged."""

    ontology: Graph
    data: Graph
    merged: Graph
    #: triples a reasoner entailed from ``merged`` (not in it), if the build ran one
    inferred: Graph | None = None


@dataclass(frozen=True)
class ExportFile:
    """One file of the release, with what the manifest says about it."""

    name: str
    content: bytes
    media_type: str
    description: str
    #: triples serialised in the file (RDF formats), else None
    triples: int | None = None
    #: data rows (tables), else None
    rows: int | None = None


class Exporter(Registered, ABC):
    """Writes the build in one format; registered under ``name``, the ``--format`` choice."""

    registry = REGISTRY
    #: The format's name on the command line
    name: ClassVar[str]

    @abstractmethod
    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the files of this format, each byte-identical for the same graphs."""
