"""Answering one query on a pyoxigraph store, with no processes involved: store + job -> result.

:func:`execute_query` is the pure core every local backend runs inside its worker processes;
:func:`serialize_result` is shared by every engine (rdflib and remote answers are handed to
pyoxigraph's serializers), so the row and byte caps, the formats and the error classes are the
same everywhere. The whole result is serialized before a status is chosen: a timeout is never
a truncated 200 (docs/security.md T15).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph

from server.errors import MalformedQueryError, ResultTooLargeError, UnsupportedFeatureError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs to answer one query."""

    query: str
    media_type: str
    #: Protocol dataset (``default-graph-uri``/``named-graph-uri``); ``None`` = the store's own
    default_graph_uris: tuple[str, ...] | None = None
    named_graph_uris: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int = 100_000
    max_bytes: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class QueryResult:
    """A complete serialized result."""

    body: bytes
    media_type: str


#: A query result as pyoxigraph gives it, or parsed back from another engine's answer
AnyResult = (
    pyoxigraph.QuerySolutions
    | pyoxigraph.QueryBoolean
    | pyoxigraph.QueryTriples
    | pyoxigraph.QuadParser
)


class CappedLineSink(io.BytesIO):
    """A binary buffer that refuses more than ``max_lines`` lines or ``max_bytes`` bytes.

    Line-based formats (TSV results, N-Triples) have one row or triple per line, so counting
    lines counts rows while the serializer streams; raising from ``write`` stops the query.
    Over a cap the client gets 422 naming the cap, never a truncated 200 (docs/security.md T14).
    """

    def __init__(self, max_lines: int, max_bytes: int, row_limit: int) -> None:
        super().__init__()
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.row_limit = row_limit
        self.line_count = 0

    def write(self, data: ReadableBuffer, /) -> int:
        """Append ``data``; raise :class:`ResultTooLargeError` past a cap."""
        written = super().write(data)
        self.line_count += bytes(data).count(b"\n")
        if self.tell() > self.max_bytes:
            raise ResultTooLargeError(
                f"Result exceeds {self.max_bytes} bytes; add LIMIT/OFFSET or select fewer values"
            )
        if self.line_count > self.max_lines:
            raise ResultTooLargeError(f"Result exceeds {self.row_limit} rows; add LIMIT/OFFSET")
        return written


def serialize_solutions(solutions: pyoxigraph.QuerySolutions, job: QueryJob) -> QueryResult:
    """Serialize SELECT rows (TSV is the capped wire form, then converted if needed)."""
    sink = CappedLineSink(job.max_rows + 1, job.max_bytes, job.max_rows)  # +1: TSV header
    solutions.serialize(sink, format=pyoxigraph.QueryResultsFormat.TSV)
    tsv = sink.getvalue()
    wanted = pyoxigraph.QueryResultsFormat.from_media_type(job.media_type)
    if wanted == pyoxigraph.QueryResultsFormat.TSV:
        body = tsv
    else:
        reparsed = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
        body = reparsed.serialize(format=wanted) or b""
    return QueryResult(body, job.media_type)


def serialize_triples(
    triples: pyoxigraph.QueryTriples | pyoxigraph.QuadParser, job: QueryJob
) -> QueryResult:
    """Serialize CONSTRUCT/DESCRIBE triples (N-Triples is the capped wire form)."""
    sink = CappedLineSink(job.max_rows, job.max_bytes, job.max_rows)
    pyoxigraph.serialize(triples, sink, format=pyoxigraph.RdfFormat.N_TRIPLES)
    ntriples = sink.getvalue()
    wanted = pyoxigraph.RdfFormat.from_media_type(job.media_type)
    if wanted == pyoxigraph.RdfFormat.N_TRIPLES:
        body = ntriples
    else:
        parsed = pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
        body = pyoxigraph.serialize(parsed, format=wanted) or b""
    return QueryResult(body, job.media_type)


def graph_iri(uri: str, parameter: str) -> pyoxigraph.NamedNode:
    """Return ``uri`` as a graph name (400 naming the parameter if it is not an IRI)."""
    try:
        return pyoxigraph.NamedNode(uri)
    except ValueError as error:
        raise MalformedQueryError(f"Invalid {parameter} {uri!r}: {error}") from error


def run_on_store(
    store: pyoxigraph.Store, job: QueryJob
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """Evaluate the query; a protocol dataset replaces the store's default and named graphs."""
    protocol_dataset = job.default_graph_uris is not None or job.named_graph_uris is not None
    if not protocol_dataset:
        return store.query(job.query, base_iri=job.base_iri)
    default_graph: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph]
    default_graph = [graph_iri(uri, "default-graph-uri") for uri in job.default_graph_uris or ()]
    named_graphs: list[pyoxigraph.NamedNode | pyoxigraph.BlankNode]
    named_graphs = [graph_iri(uri, "named-graph-uri") for uri in job.named_graph_uris or ()]
    return store.query(
        job.query, base_iri=job.base_iri, default_graph=default_graph, named_graphs=named_graphs
    )


def execute_query(store: pyoxigraph.Store, job: QueryJob) -> QueryResult:
    """Run ``job`` on ``store`` and serialize the result in ``job.media_type``.

    :raises MalformedQueryError: the parser's message, with line:column (400)
    :raises ResultTooLargeError: more than ``job.max_rows`` rows or ``job.max_bytes`` (422)
    """
    try:
        return serialize_result(run_on_store(store, job), job)
    except SyntaxError as error:
        raise MalformedQueryError(f"Malformed query: {error}") from error
    except RuntimeError as error:
        raise UnsupportedFeatureError(f"Query uses an unsupported feature: {error}") from error


def serialize_result(result: AnyResult, job: QueryJob) -> QueryResult:
    """Serialize any query result in ``job.media_type`` (evaluation happens while streaming)."""
    if isinstance(result, pyoxigraph.QueryBoolean):
        format_ = pyoxigraph.QueryResultsFormat.from_media_type(job.media_type)
        return QueryResult(result.serialize(format=format_) or b"", job.media_type)
    if isinstance(result, pyoxigraph.QuerySolutions):
        return serialize_solutions(result, job)
    return serialize_triples(result, job)
