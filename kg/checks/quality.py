"""Ontology quality checks in the style of ``robot report``: SPARQL queries that must find nothing.

Each check is a file ``ontology/sparql/<rule>-violation.rq`` (the ODK convention). Its header
comments name the rule, its level (``ERROR`` or ``WARN``) and what it checks; every row it
returns is one problem, with ``?subject``, ``?property`` and ``?value`` as in ROBOT's report
table.

The checks named ``model-*`` are the model's rules (one per kind of fact, tabled in
``docs/model.md`` from their headers): they also give the kind of fact (``# fact:``), its
pattern (``# pattern:``) and a query a researcher would write (``# example:``). A check whose
header says ``# graph: served`` runs on the served graph (asserted + inferred, after the
reasoner), so it can check what the inferred graph must hold; the others run on the asserted
graph before reasoning.

Like ``robot report --base-iri``, the checks on terms cover the project's own vocabulary
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
from typing import TypeVar

import pyoxigraph
from rdflib import Graph

from kg.constants import QC_QUERIES_DIR
from kg.errors import KGError

_HEADER = re.compile(
    r"^#\s*(?P<key>rule|level|description|fact|pattern|example|graph):\s*(?P<value>.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: The prefix of the checks that are rules of the model, and the header fields they add
MODEL_RULE_PREFIX = "model-"
MODEL_RULE_FIELDS = ("fact", "pattern", "example")


#: A closed list of header values (the level, the graph)
Choice = TypeVar("Choice", bound=StrEnum)


class CheckedGraph(StrEnum):
    """Which graph a check runs on: the asserted graph, or the served one (with the inferences)."""

    ASSERTED = "asserted"
    SERVED = "served"


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
    graph: CheckedGraph = CheckedGraph.ASSERTED
    #: for a model rule: the kind of fact, its triple pattern and an example query
    fact: str = ""
    pattern: str = ""
    example: str = ""

    @property
    def is_model_rule(self) -> bool:
        """Whether this check is one of the model's rules (tabled in docs/model.md)."""
        return self.rule.startswith(MODEL_RULE_PREFIX)


def load_qc_query(path: Path) -> QCQuery:
    """Read a check and its header (``# rule:``, ``# level:``, ``# description:``, and for a
    model rule ``# fact:``, ``# pattern:``, ``# example:``; ``# graph:`` optional).

    :raises ValueError: the header misses a field or names an unknown level or graph
    """
    sparql = path.read_text(encoding="utf-8")
    header = {match["key"].lower(): match["value"] for match in _HEADER.finditer(sparql)}
    required = {"rule", "level", "description"}
    if header.get("rule", "").startswith(MODEL_RULE_PREFIX):
        required |= set(MODEL_RULE_FIELDS)
    missing = required - header.keys()
    if missing:
        raise ValueError(
            f"{path}: header comment lacks {', '.join(sorted(missing))} (write '# rule: ...')"
        )
    return QCQuery(
        rule=header["rule"],
        level=header_choice(path, Level, header["level"].upper(), "level"),
        description=header["description"],
        sparql=sparql,
        path=path,
        graph=header_choice(path, CheckedGraph, header.get("graph", "asserted").lower(), "graph"),
        **{field: header.get(field, "") for field in MODEL_RULE_FIELDS},
    )


def header_choice(path: Path, choices: type[Choice], value: str, field: str) -> Choice:
    """Return ``value`` as a member of ``choices``; raise naming the file and what is allowed."""
    try:
        return choices(value)
    except ValueError:
        allowed = " or ".join(member.value for member in choices)
        raise ValueError(f"{path}: {field} must be {allowed}, got {value!r}") from None


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


def checks_of(graph: CheckedGraph) -> tuple[QCQuery, ...]:
    """Return the checks of ``ontology/sparql`` that run on ``graph``."""
    return tuple(query for query in qc_queries() if query.graph is graph)


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
