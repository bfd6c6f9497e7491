"""Turtle: the ontology alone, the data alone, the two merged, and merged with inferences."""

from __future__ import annotations

from rdflib import Graph

from kg.build.graph import merge
from kg.constants import GRAPH_FILENAME, ONTOLOGY_FILENAME
from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.exports.canonical import to_nested_turtle, to_turtle

MEDIA_TYPE = "text/turtle"
DATA_FILENAME = "rankl-kg-data.ttl"
INFERRED_FILENAME = "rankl-kg-inferred.ttl"


class TurtleExporter(Exporter):
    """Four Turtle files; the inferred one only when the build ran a reasoner."""

    name = "turtle"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Serialise each graph of the build as Turtle."""
        files = [
            ExportFile(
                ONTOLOGY_FILENAME,
                to_nested_turtle(source.ontology),
                MEDIA_TYPE,
                "the ontology alone",
                triples=len(source.ontology),
            ),
            turtle_file(
                DATA_FILENAME, "the instance data alone, without the ontology", source.data
            ),
            turtle_file(GRAPH_FILENAME, "the ontology and the data merged", source.merged),
        ]
        if source.inferred is not None:
            entailed = merge(source.merged, source.inferred)
            files.append(
                turtle_file(
                    INFERRED_FILENAME, "the merged graph with the reasoner's inferences", entailed
                )
            )
        return files


def turtle_file(name: str, description: str, graph: Graph) -> ExportFile:
    """Return ``graph`` as a Turtle export file."""
    return ExportFile(name, to_turtle(graph), MEDIA_TYPE, description, triples=len(graph))
