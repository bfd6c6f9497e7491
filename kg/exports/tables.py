"""CSV, one file per main table: the clinical trials, cancer expression, drugs and their targets.

Columns are plain values (ids, labels, numbers); several values in a cell are joined with
`` | `` as in the curated tables. Rows are sorted, so the files are byte-stable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.build.provenance_reader import StatementEvidence, read_evidence
from kg.exports._curies import curie
from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.namespaces import RKO

MEDIA_TYPE = "text/csv"
Row = dict[str, str]


@dataclass(frozen=True)
class Table:
    """One CSV file: its name, what it holds, its columns, and how to read its rows."""

    filename: str
    description: str
    columns: tuple[str, ...]
    rows: Callable[[Graph], list[Row]]


class CsvExporter(Exporter):
    """One CSV file per main table."""

    name = "csv"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Write each table of :data:`TABLES` from the merged graph."""
        files = []
        for table in TABLES:
            rows = sorted(
                table.rows(source.merged), key=lambda row: [row[column] for column in table.columns]
            )
            files.append(
                ExportFile(
                    table.filename,
                    to_csv(table.columns, rows),
                    MEDIA_TYPE,
                    table.description,
                    rows=len(rows),
                )
            )
        return files


def trial_rows(graph: Graph) -> list[Row]:
    """One row per clinical trial."""
    return [
        {
            "nct_id": text(graph, trial, RKO.nctId),
            "phase": joined(label(graph, phase) for phase in graph.objects(trial, RKO.hasPhase)),
            "condition": text(graph, trial, RKO.conditionDescription),
            "conditions": ids(graph.objects(trial, RKO.studiesCondition)),
            "title": text(graph, trial, DCTERMS.title),
            "primary_outcome": text(graph, trial, RKO.primaryOutcome),
            "enrollment": text(graph, trial, RKO.enrollment),
            "treatment": text(graph, trial, RKO.treatmentDescription),
            "drugs": ids(graph.objects(trial, RKO.testsDrug)),
            "iri": str(trial),
        }
        for trial in graph.subjects(RDF.type, RKO.ClinicalTrial)
    ]


def expression_rows(graph: Graph) -> list[Row]:
    """One row per curated ``expresses`` assertion, with its evidence."""
    return [
        {
            "cancer": curie(evidence.subject),
            "cancer_label": label(graph, evidence.subject),
            "gene": curie(evidence.object),
            "gene_label": label(graph, evidence.object),
            "references": reference_numbers(evidence),
            "source": ids(evidence.sources),
            "section": joined(evidence.sections),
            "quote": joined(evidence.quotes),
            "assertion": curie(evidence.statement),
        }
        for evidence in read_evidence(graph)
        if evidence.predicate == RKO.expresses
    ]


def drug_target_rows(graph: Graph) -> list[Row]:
    """One row per drug and target protein (drugs without a curated target have an empty one)."""
    rows: list[Row] = []
    drug_classes = set(graph.transitive_subjects(RDFS.subClassOf, RKO.Drug))
    for drug in {
        drug for drug_class in drug_classes for drug in graph.subjects(RDF.type, drug_class)
    }:
        details = {
            "drug": curie(drug),
            "drug_label": label(graph, drug),
            "drug_class": ids(graph.objects(drug, RDF.type)),
            "drug_xrefs": ids(graph.objects(drug, SKOS.exactMatch)),
        }
        targets = [
            {"target": curie(target), "target_label": label(graph, target)}
            for target in graph.objects(drug, RKO.targets)
        ]
        rows.extend(details | target for target in targets or [{"target": "", "target_label": ""}])
    return rows


TABLES = (
    Table(
        "rankl-kg-trials.csv",
        "the clinical trials targeting RANKL (Renema et al. 2016, Table 2)",
        (
            "nct_id",
            "phase",
            "condition",
            "conditions",
            "title",
            "primary_outcome",
            "enrollment",
            "treatment",
            "drugs",
            "iri",
        ),
        trial_rows,
    ),
    Table(
        "rankl-kg-expression.csv",
        "which cancers express RANK or RANKL, with the cited references (Table 1)",
        (
            "cancer",
            "cancer_label",
            "gene",
            "gene_label",
            "references",
            "source",
            "section",
            "quote",
            "assertion",
        ),
        expression_rows,
    ),
    Table(
        "rankl-kg-drug-targets.csv",
        "the drugs, their classes and identifiers, and the proteins they target",
        ("drug", "drug_label", "drug_class", "drug_xrefs", "target", "target_label"),
        drug_target_rows,
    ),
)


def reference_numbers(evidence: StatementEvidence) -> str:
    """Return the numbers of the references cited for an assertion, in numeric order."""
    numbers = {ref.number for ref in evidence.references if ref.number is not None}
    return " | ".join(str(number) for number in sorted(numbers))


def text(graph: Graph, node: Node, predicate: URIRef) -> str:
    """Return the literal values of ``predicate`` on ``node`` as one cell."""
    return joined(
        str(value) for value in graph.objects(node, predicate) if isinstance(value, Literal)
    )


def label(graph: Graph, node: Node) -> str:
    """Return the label of ``node``, or its CURIE if it has none."""
    return text(graph, node, RDFS.label) or curie(node)


def ids(nodes: Iterable[Node]) -> str:
    """Return the CURIEs of some nodes as one cell."""
    return joined(curie(node) for node in nodes)


def joined(values: Iterable[str]) -> str:
    """Join the sorted distinct values of one cell with `` | ``."""
    return " | ".join(sorted(set(values)))


def to_csv(columns: tuple[str, ...], rows: list[Row]) -> bytes:
    """Write rows as CSV with a header line."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
