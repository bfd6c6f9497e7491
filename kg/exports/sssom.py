"""SSSOM: every link from an entity to an external identifier, as a mapping set.

The table itself is written by :func:`kg.links.sssom_tsv` (issue 4's link checks own the
mapping justifications); this module only puts it in the release.
"""

from __future__ import annotations

from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.links import SSSOM_FILENAME, sssom_tsv


class SssomExporter(Exporter):
    """The SSSOM/TSV mapping set of the entity links."""

    name = "sssom"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the mapping set."""
        content = sssom_tsv(source.merged)
        rows = sum(1 for line in content.decode("utf-8").splitlines() if line and not line.startswith("#")) - 1
        description = "the links from entities to external identifiers as an SSSOM mapping set"
        return [ExportFile(SSSOM_FILENAME, content, "text/tab-separated-values", description, rows=rows)]
