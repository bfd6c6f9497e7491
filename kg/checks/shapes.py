"""SHACL validation of the built graph against ``shapes/``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import SH

from kg.constants import SHAPES_DIR
from kg.safe_rdf import load_rdf


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a SHACL run."""

    conforms: bool
    violations: int
    text: str
    results: Graph


def load_shapes(shapes_dir: Path = SHAPES_DIR) -> Graph:
    """Parse every ``*.ttl`` file of ``shapes_dir`` into one shapes graph."""
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        load_rdf(path, shapes)
    return shapes


def validate_graph(graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``graph`` (data merged with the ontology, so subclass targets apply).

    pyshacl never follows owl:imports here (``do_owl_imports=False``) and gets no graph by IRI.
    """
    conforms, results, text = pyshacl.validate(
        graph,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        allow_warnings=True,
        do_owl_imports=False,
    )
    violations = sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))
    return ValidationReport(
        conforms=bool(conforms), violations=violations, text=str(text), results=results
    )
