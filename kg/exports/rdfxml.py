"""RDF/XML of the ontology, the syntax every OWL tool (Protégé, the OWL API, owlready2) reads.

rdflib's RDF/XML writers order subjects and namespaces by hash, so the bytes change between
runs; pyoxigraph's streaming writer keeps the order it is given, so it is fed the sorted
N-Triples of the canonical graph.
"""

from __future__ import annotations

import io

import pyoxigraph

from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.exports.canonical import to_ntriples
from kg.vocabulary import PREFIXES

FILENAME = "rankl-kg-ontology.owl"


class RdfXmlExporter(Exporter):
    """The ontology as RDF/XML; blank nodes keep their canonical labels as ``rdf:nodeID``."""

    name = "rdfxml"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Serialise the ontology as RDF/XML."""
        triples = pyoxigraph.parse(
            to_ntriples(source.ontology), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
        output = io.BytesIO()
        pyoxigraph.serialize(triples, output, pyoxigraph.RdfFormat.RDF_XML, prefixes=PREFIXES)
        description = "the ontology alone as RDF/XML, for Protégé and other OWL tools"
        return [
            ExportFile(
                FILENAME,
                output.getvalue(),
                "application/rdf+xml",
                description,
                triples=len(source.ontology),
            )
        ]
