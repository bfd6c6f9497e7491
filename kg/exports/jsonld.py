"""JSON-LD of the merged graph, compacted with the project's context, which it carries inline.

The context maps the project's prefixes. The graph file holds it inline (not by IRI), so every
JSON-LD reader takes the file offline with its default document loader (rdflib, pyld,
jsonld.js): nothing is fetched. The same context is published on its own as
``rankl-kg.context.jsonld``, for documents that want to refer to it. rdflib compacts the graph
with that context, and the result is normalised (nodes sorted by ``@id``, the values of each
property sorted; ``@list`` order kept) so that it is byte-stable.
"""

from __future__ import annotations

import json
from typing import Any

from kg.constants import BASE_IRI
from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.exports.canonical import relabelled_graph
from kg.rdf_formats import JSONLD
from kg.vocabulary import PREFIXES

FILENAME = "rankl-kg.jsonld"
CONTEXT_FILENAME = "rankl-kg.context.jsonld"
#: Where the context file is published (the graph file carries the same context inline)
CONTEXT_IRI = f"{BASE_IRI}{CONTEXT_FILENAME}"
MEDIA_TYPE = JSONLD.media_type


class JsonLdExporter(Exporter):
    """The merged graph as compacted JSON-LD, and its context."""

    name = "jsonld"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the graph document and the context document."""
        context = dict(sorted(PREFIXES.items()))
        compacted = json.loads(
            relabelled_graph(source.merged).serialize(
                format=JSONLD.rdflib, context=context, auto_compact=True
            )
        )
        document = {
            "@context": context,
            "@graph": sorted((normalise(node) for node in compacted["@graph"]), key=node_key),
        }
        return [
            ExportFile(
                FILENAME,
                dump(document),
                MEDIA_TYPE,
                "the ontology and the data merged, compacted JSON-LD with its context inline "
                "(read offline)",
                triples=len(source.merged),
            ),
            ExportFile(
                CONTEXT_FILENAME,
                dump({"@context": context}),
                MEDIA_TYPE,
                "the JSON-LD context of rankl-kg.jsonld (which holds it inline) on its own, "
                f"published at {CONTEXT_IRI}",
            ),
        ]


def normalise(node: dict[str, Any]) -> dict[str, Any]:
    """Sort the values of each property of ``node`` (rdflib emits them in store order)."""
    return {
        key: sorted(value, key=value_key) if isinstance(value, list) else value
        for key, value in node.items()
    }


def node_key(node: dict[str, Any]) -> str:
    """Sort nodes by their ``@id``."""
    return str(node["@id"])


def value_key(value: Any) -> str:
    """Sort values by their JSON text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def dump(document: dict[str, Any]) -> bytes:
    """Serialise ``document`` as stable, readable JSON."""
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
