"""N-Triples of the merged graph, gzipped reproducibly."""

from __future__ import annotations

from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.exports.canonical import gzip_bytes, to_ntriples

FILENAME = "rankl-kg.nt.gz"


class NTriplesExporter(Exporter):
    """One sorted N-Triples file of the ontology and the data, gzip without name or time."""

    name = "ntriples"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Serialise the merged graph as gzipped N-Triples."""
        content = gzip_bytes(to_ntriples(source.merged))
        description = "the ontology and the data merged, one sorted triple a line"
        return [
            ExportFile(
                FILENAME, content, "application/gzip", description, triples=len(source.merged)
            )
        ]
