"""The rdflib reference engine as run inside a query worker.

rdflib is the build's toolkit and the reference the other engines are compared with. Its
results are handed to pyoxigraph's serializers
(:func:`server.backends.execution.serialize_result`), so the row and byte caps, the formats and
the error classes are the same as on the oxigraph backend.
Engine flags follow docs/security.md §4: no graph loading from ``FROM`` IRIs, and an audit hook
that refuses any network connection from the worker (the guard refuses SERVICE before any
engine; this is the second wall).
"""

from __future__ import annotations

import sys
from typing import Any

import pyoxigraph
import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import Dataset
from rdflib.namespace import NamespaceManager
from rdflib.query import Result

from server.backends.execution import AnyResult, QueryJob, QueryResult, serialize_result
from server.errors import MalformedQueryError, UnsupportedFeatureError

#: Audit events of outgoing connections, refused in rdflib workers
NETWORK_AUDIT_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "urllib.Request"})


def refuse_network(event: str, _args: tuple[Any, ...]) -> None:
    """Audit hook: raise on any attempt to open a network connection."""
    if event in NETWORK_AUDIT_EVENTS:
        raise PermissionError(f"network access ({event}) is not allowed in a query worker")


def load_dataset(nquads: bytes) -> Dataset:
    """Parse the dataset and lock the worker down for querying it.

    No prefixes are bound, so a query needs its own PREFIX lines, as on the other engines.
    """
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    dataset = Dataset()
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    dataset.parse(data=nquads, format="nquads")
    sys.addaudithook(refuse_network)
    return dataset


def execute_rdflib_query(dataset: Dataset, job: QueryJob) -> QueryResult:
    """Run ``job`` with rdflib and serialize the result like the oxigraph backend does.

    :raises MalformedQueryError: rdflib's parser message (400)
    :raises UnsupportedFeatureError: a protocol dataset (``default-graph-uri``), which this
        backend does not offer (400)
    """
    if job.default_graph_uris is not None or job.named_graph_uris is not None:
        raise UnsupportedFeatureError(
            "default-graph-uri/named-graph-uri are not supported by the rdflib backend"
        )
    try:
        result = dataset.query(job.query, base=job.base_iri)
    except ParseException as error:
        raise MalformedQueryError(f"Malformed query: {error}") from error
    return serialize_result(as_pyoxigraph_result(result), job)


def as_pyoxigraph_result(result: Result) -> AnyResult:
    """Hand an rdflib result over to pyoxigraph through a lossless serialization."""
    if result.type in ("SELECT", "ASK"):
        body = result.serialize(format="json")
        return pyoxigraph.parse_query_results(
            body or b"", format=pyoxigraph.QueryResultsFormat.JSON
        )
    if result.graph is None:
        raise TypeError(f"rdflib returned a {result.type} result without a graph")
    ntriples = result.graph.serialize(format="nt", encoding="utf-8")
    return pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)
