"""The exporter interface, the registry of exporters, and what they export from."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from rdflib import Graph

#: Exporter name -> exporter class, filled by ``Exporter.__init_subclass__``
REGISTRY: dict[str, type[Exporter]] = {}


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


class Exporter(ABC):
    """Writes the build in one format; registered under ``name``, the ``--format`` choice."""

    #: The format's name on the command line
    name: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Register every concrete exporter under its ``name``."""
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            return
        if cls.name in REGISTRY:
            raise TypeError(f"duplicate exporter name {cls.name!r}: {REGISTRY[cls.name]} and {cls}")
        REGISTRY[cls.name] = cls

    @abstractmethod
    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the files of this format, each byte-identical for the same graphs."""
