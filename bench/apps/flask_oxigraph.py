"""Reference: the barest Flask SPARQL endpoint over an in-memory pyoxigraph store.

No guard, no worker processes, no deadline: the ceiling our server's extra safety is measured
against. The graph is read from the ``BENCH_GRAPH`` environment variable (an N-Triples file).
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from flask import Flask, Response, request


def create_app(graph_path: str) -> Flask:
    """A Flask app answering GET/POST ``/sparql?query=`` from ``graph_path``."""
    store = ox.Store()
    store.bulk_load(path=graph_path, format=ox.RdfFormat.N_TRIPLES)
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        text = request.values.get("query")
        if not text:
            return Response("missing query", status=400, mimetype="text/plain")
        result = store.query(text)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
            return Response(body, mimetype="application/sparql-results+json")
        return Response(
            result.serialize(format=ox.RdfFormat.N_TRIPLES), mimetype="application/n-triples"
        )

    return app


def app_from_environment() -> Flask:
    """The app for ``$BENCH_GRAPH`` (waitress-serve ``--call`` entry point)."""
    return create_app(os.environ["BENCH_GRAPH"])
