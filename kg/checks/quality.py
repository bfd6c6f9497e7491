"""Ontology quality checks in the style of ``robot report``: SPARQL queries that must find nothing.

Each check is a file ``ontology/sparql/<rule>-violation.rq`` (the ODK convention). Its header
comments name the rule, its level (``ERROR`` or ``WARN``) and what it checks; every row it
returns is one problem, with ``?subject``, ``?property`` and ``?value`` as in ROBOT's report
table. Like ``robot report --base-iri``, the checks on terms cover the project's own vocabulary
(``rko:``), not the external terms it refers to. The queries run on pyoxigraph, which answers
them in milliseconds where rdflib's SPARQL engine takes seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from kg.constants import QC_QUERIES_DIR
from kg.errors import KGError

_HEADER = re.compile(
    r"^#\s*(?P<key>rule|level|description):\s*(?P<value>.+?)\s*$", re.IGNORECASE | re.MULTILINE
)


class Level(StrEnum):
    """How bad a finding is: errors fail the build, warnings are printed."""

    ERROR = "ERROR"
    WARN = "WARN"


@dataclass(frozen=True, order=True)
class Finding:
    """One row of the quality report: a rule broken by one subject."""

    level: Level
    rule: str
    subject: str
    property: str
    value: str


class QualityError(KGError):
    """A quality check found errors; the message is the report of every finding."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(f"quality checks failed:\n{format_report(findings)}")


@dataclass(frozen=True)
class QCQuery:
    """One ``*-violation.rq`` check."""

    rule: str
    level: Level
    description: str
    sparql: str
    path: Path


def load_qc_query(path: Path) -> QCQuery:
    """Read a check and its header (``# rule:``, ``# level:``, ``# description:``).

    :raises ValueError: the header misses a field or names an unknown level
    """
    sparql = path.read_text(encoding="utf-8")
    header = {match["key"].lower(): match["value"] for match in _HEADER.finditer(sparql)}
    missing = {"rule", "level", "description"} - header.keys()
    if missing:
        raise ValueError(
            f"{path}: header comment lacks {', '.join(sorted(missing))} (write '# rule: ...')"
        )
    try:
        level = Level(header["level"].upper())
    except ValueError:
        raise ValueError(f"{path}: level must be ERROR or WARN, got {header['level']!r}") from None
    return QCQuery(
        rule=header["rule"],
        level=level,
        description=header["description"],
        sparql=sparql,
        path=path,
    )


@cache
def qc_queries(directory: Path = QC_QUERIES_DIR) -> tuple[QCQuery, ...]:
    """Return every check of ``directory``, in file-name order."""
    return tuple(load_qc_query(path) for path in sorted(directory.glob("*-violation.rq")))


def to_store(graph: Graph) -> pyoxigraph.Store:
    """Copy ``graph`` into an in-memory pyoxigraph store."""
    store = pyoxigraph.Store()
    store.load(
        graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    return store


def run_qc_query(store: pyoxigraph.Store, query: QCQuery) -> list[Finding]:
    """Run one check; each row it returns is a finding."""
    try:
        solutions = store.query(query.sparql)
    except SyntaxError as exc:
        raise ValueError(f"{query.path}: not a valid SPARQL query: {exc}") from exc
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TypeError(f"{query.path}: a check must be a SELECT query")
    return [
        Finding(
            query.level,
            query.rule,
            term_text(row["subject"]),
            term_text(row["property"]),
            term_text(row["value"]),
        )
        for row in solutions
    ]


def run_qc_queries(graph: Graph, queries: Iterable[QCQuery] | None = None) -> list[Finding]:
    """Run every check (default: all of ``ontology/sparql``) on ``graph``."""
    store = to_store(graph)
    findings: list[Finding] = []
    for query in qc_queries() if queries is None else queries:
        findings.extend(run_qc_query(store, query))
    return sorted(findings)


def term_text(term: object) -> str:
    """Return a result term as text: an IRI bare, a literal's lexical form, nothing as ''."""
    if term is None:
        return ""
    value = getattr(term, "value", None)
    return str(value) if value is not None else str(term)


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """Return the findings that fail the build."""
    return [finding for finding in findings if finding.level is Level.ERROR]


def format_report(findings: Iterable[Finding]) -> str:
    """Format findings as ROBOT's report table (tab-separated, with a header and a summary)."""
    rows = sorted(findings)
    lines = ["Level\tRule Name\tSubject\tProperty\tValue"]
    lines.extend(f"{f.level.value}\t{f.rule}\t{f.subject}\t{f.property}\t{f.value}" for f in rows)
    counts = {level: sum(1 for f in rows if f.level is level) for level in Level}
    lines.append(f"{counts[Level.ERROR]} error(s), {counts[Level.WARN]} warning(s)")
    return "\n".join(lines)
