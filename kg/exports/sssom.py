"""SSSOM: every link from an entity to an external identifier, as a mapping set.

Rows come from the link checks (:func:`kg.checks.links.entity_links`); each says where its
identifier was verified (the reference table) or where it comes from (an NCT number, a printed DOI).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.build.xrefs import ReferenceTerm, get_converter, load_reference
from kg.checks.links import Link, entity_links
from kg.constants import BASE_IRI
from kg.exports._curies import curie
from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.vocabulary import PREFIXES

SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "subject_category",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "comment",
)
SEMAPV = "https://w3id.org/semapv/vocab/"
#: Name of the SSSOM export in ``dist/``
SSSOM_FILENAME = "rankl-kg.sssom.tsv"


class SssomExporter(Exporter):
    """The SSSOM/TSV mapping set of the entity links."""

    name = "sssom"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the mapping set."""
        content = sssom_tsv(source.merged)
        rows = (
            sum(
                1
                for line in content.decode("utf-8").splitlines()
                if line and not line.startswith("#")
            )
            - 1
        )
        description = "the links from entities to external identifiers as an SSSOM mapping set"
        return [
            ExportFile(SSSOM_FILENAME, content, "text/tab-separated-values", description, rows=rows)
        ]


def sssom_rows(graph: Graph, reference: Mapping[str, ReferenceTerm]) -> list[dict[str, str]]:
    """Return one SSSOM mapping row per entity link."""
    rows = []
    for link in entity_links(graph):
        if link.curie is None:
            continue
        term = reference.get(link.curie)
        category = min(
            (t for t in graph.objects(link.subject, RDF.type) if isinstance(t, URIRef)),
            default=None,
        )
        rows.append(
            {
                "subject_id": curie(link.subject),
                "subject_label": str(
                    graph.value(link.subject, RDFS.label)
                    or graph.value(link.subject, DCTERMS.title)
                    or ""
                ),
                "subject_category": curie(category) if isinstance(category, URIRef) else "",
                "predicate_id": "skos:exactMatch",
                "object_id": link.curie,
                "object_label": term.label if term else "",
                "mapping_justification": "semapv:ManualMappingCuration",
                "comment": f"verified in {term.source_file}"
                if term
                else unlisted_link_origin(link),
            }
        )
    return rows


def unlisted_link_origin(link: Link) -> str:
    """Say where a link the reference table does not list comes from (an NCT number or a DOI)."""
    if (link.curie or "").startswith("doi:"):
        return (
            "the DOI the review's reference list prints for this work; not in the reference table"
        )
    return "made from the trial's NCT number as the review gives it; not in the reference table"


def sssom_tsv(graph: Graph, reference: Mapping[str, ReferenceTerm] | None = None) -> bytes:
    """Serialise every entity link as an SSSOM table (YAML metadata block, then TSV rows)."""
    rows = sssom_rows(graph, load_reference() if reference is None else reference)
    used = {
        row[column].split(":", 1)[0]
        for row in rows
        for column in ("subject_id", "subject_category", "object_id")
    }
    curie_map = {prefix: PREFIXES[prefix] for prefix in sorted(used) if prefix in PREFIXES}
    curie_map.update(
        {
            prefix: iri
            for prefix, iri in sorted(get_converter().prefix_map.items())
            if prefix in used
        }
    )
    curie_map.update({"skos": str(SKOS), "semapv": SEMAPV})
    metadata = {
        "curie_map": curie_map,
        "mapping_set_id": f"{BASE_IRI}mappings/rankl-kg.sssom.tsv",
        "mapping_set_title": "RANKL-KG entity links",
        "mapping_set_description": (
            "Every link of a RANKL-KG entity to an external resource, "
            "checked against the project's verified reference table."
        ),
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }
    header = "".join(
        f"#{line}\n"
        for line in yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True).splitlines()
    )
    body = io.StringIO()
    writer = csv.DictWriter(body, fieldnames=SSSOM_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return (header + body.getvalue()).encode("utf-8")
