"""The competency queries: ``queries/*.ttl``, one SIB sparql-examples executable per file.

Each file holds one ``sh:SPARQLExecutable`` with the researcher's question (``rdfs:comment``)
and exactly one query text under ``sh:select``, ``sh:ask``, ``sh:construct`` or ``sh:describe``.
The tests (pinned answers) and the benchmark read them through :func:`load_competency_queries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.constants import QUERIES_DIR
from kg.query_parameters import QueryParameter, QueryParameterError, read_parameters

#: The folder of the competency queries
COMPETENCY_QUERIES_DIR = QUERIES_DIR
#: The query properties of SIB sparql-examples and the query form each one holds
#: (``sh:describe`` is theirs, not in rdflib's SH namespace)
QUERY_FORMS = {
    SH.select: "SELECT",
    SH.ask: "ASK",
    SH.construct: "CONSTRUCT",
    URIRef(f"{SH._NS}describe"): "DESCRIBE",
}


class CompetencyQueryError(ValueError):
    """A query file is not one executable with a question and one query text."""


@dataclass(frozen=True)
class CompetencyQuery:
    """One competency query: file stem, question, SPARQL text, form (``SELECT`` …) and the
    parameters it declares (:mod:`kg.query_parameters`; none for most)."""

    name: str
    question: str
    text: str
    form: str
    parameters: tuple[QueryParameter, ...] = ()


def read_competency_query(path: Path) -> CompetencyQuery:
    """Read one query file; raise :class:`CompetencyQueryError` naming the file and the fault."""
    graph = Graph().parse(path, format="turtle")
    executables = list(graph.subjects(RDF.type, SH.SPARQLExecutable))
    if len(executables) != 1:
        raise CompetencyQueryError(
            f"{path}: expected one sh:SPARQLExecutable, found {len(executables)}"
        )
    executable = executables[0]
    question = graph.value(executable, RDFS.comment)
    texts = [
        (form, str(text))
        for kind, form in QUERY_FORMS.items()
        if (text := graph.value(executable, kind)) is not None
    ]
    if question is None or len(texts) != 1:
        raise CompetencyQueryError(
            f"{path}: needs an rdfs:comment and exactly one sh:select/ask/construct/describe"
        )
    form, sparql = texts[0]
    try:
        parameters = tuple(read_parameters(graph, executable, sparql))
    except QueryParameterError as error:
        raise CompetencyQueryError(f"{path}: {error}") from error
    return CompetencyQuery(
        name=path.stem, question=str(question), text=sparql, form=form, parameters=parameters
    )


def load_competency_queries(directory: Path = COMPETENCY_QUERIES_DIR) -> list[CompetencyQuery]:
    """Every ``*.ttl`` query of ``directory``, sorted by file name; raise if there is none."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise CompetencyQueryError(f"no *.ttl competency query files in {directory}")
    return [read_competency_query(path) for path in files]
