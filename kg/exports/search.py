"""The search index of the release: ``rankl-kg-search.sqlite``, an SQLite FTS5 database.

It indexes what :func:`kg.catalogue.read_catalogue` reads from the served graph (asserted and
inferred triples): every entity's label, synonyms and identifiers, and every statement's quote
(:mod:`kg.search_index` says how they are folded and ranked). The server searches it as it is;
anyone can query it with ``sqlite3``::

    sqlite3 rankl-kg-search.sqlite \\
      "SELECT label_shown, field, original FROM docs WHERE docs MATCH 'opgl' LIMIT 5"
"""

from __future__ import annotations

import pyoxigraph
from rdflib import Graph

from kg.catalogue import Row, read_catalogue
from kg.exports.base import Exporter, ExportFile, ExportSource
from kg.search_index import SearchIndex

FILENAME = "rankl-kg-search.sqlite"
MEDIA_TYPE = "application/vnd.sqlite3"
#: Rows per catalogue query: the whole answer at once (the build has no result cap)
PAGE = 10_000_000


def served_store(source: ExportSource) -> pyoxigraph.Store:
    """The asserted and inferred triples of ``source`` in one in-memory store."""
    store = pyoxigraph.Store()
    graphs: list[Graph] = (
        [source.merged] if source.inferred is None else [source.merged, source.inferred]
    )
    for graph in graphs:
        store.load(
            graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
    return store


class SearchExporter(Exporter):
    """The release's search index."""

    name = "search"

    def export(self, source: ExportSource) -> list[ExportFile]:
        """Return the index as one SQLite file, the same bytes for the same graphs."""
        store = served_store(source)

        def select(query: str) -> list[Row]:
            solutions = store.query(query)
            if not isinstance(solutions, pyoxigraph.QuerySolutions):
                raise TypeError(f"expected a SELECT query, got {query!r}")
            return list(solutions)

        index = SearchIndex.of_documents(read_catalogue(select, PAGE).documents)
        return [
            ExportFile(
                FILENAME,
                index.to_bytes(),
                MEDIA_TYPE,
                "Search index (SQLite FTS5) of labels, synonyms, identifiers and quotes",
                rows=index.size,
            )
        ]
