"""Gates on a written release: the manifest, every RDF file re-parsed and counted, smoke queries."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyoxigraph
from rdflib import Graph
from rdflib.query import ResultRow

from kg.constants import GRAPH_FILENAME, INFERRED_GRAPH_FILENAME
from kg.exports.manifest import FILENAME as MANIFEST_FILENAME
from kg.rdf_formats import known_suffixes, syntax_of_suffix
from kg.release.verify import ReleaseCheckError, verify_release


def check_release(release_dir: Path, built: Graph) -> None:
    """Run every gate on a written release: the manifest, the RDF parsers, the smoke queries.

    :raises ReleaseCheckError: naming the gate and the file that failed it
    """
    parse_gate(release_dir, verify_release(release_dir))
    smoke_gate(release_dir, built)


def parse_gate(release_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Re-parse every RDF file of the release (no network); compare its triples with the manifest.

    :raises ReleaseCheckError: naming the file that does not parse or has another count
    """
    for entry in entries:
        if entry.get("triples") is not None:
            check_rdf_file(release_dir / entry["name"], entry["triples"])


def check_rdf_file(path: Path, expected: int) -> None:
    """Raise unless ``path`` parses into ``expected`` distinct triples."""
    try:
        count = count_triples(path)
    except (SyntaxError, ValueError, KeyError, OSError, EOFError) as error:
        raise ReleaseCheckError("parse", path, f"does not parse: {error}") from error
    if count != expected:
        raise ReleaseCheckError(
            "parse", path, f"parsed {count} triples, {MANIFEST_FILENAME} says {expected}"
        )


def count_triples(path: Path) -> int:
    """Parse an RDF file (gzipped if it ends in ``.gz``) and count its distinct triples.

    JSON-LD is read as a reader with no network would read it: pyoxigraph has no document
    loader here, so a remote ``@context`` fails the gate. The release's JSON-LD carries its
    context inline (kg/exports/jsonld.py), which every reader takes offline.
    """
    data, name = path.read_bytes(), PurePosixPath(path.name)
    if name.suffix == ".gz":
        data, name = gzip.decompress(data), name.with_suffix("")
    syntax = syntax_of_suffix(name.suffix)
    if syntax is None:
        raise ValueError(f"no RDF parser for {name.suffix!r}; known: {', '.join(known_suffixes())}")
    return len(set(pyoxigraph.parse(data, format=syntax.oxigraph)))


SMOKE_PREFIXES = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX rko: <https://w3id.org/rankl-kg/ontology/>
"""


@dataclass(frozen=True)
class SmokeQuery:
    """A count of distinct ``?x`` that a written graph must get right.

    The merged export must give the count of the graph built in memory; every served graph must
    lie within ``[minimum, maximum]``, bounds that hold for any content (the fixture's too).
    """

    name: str
    pattern: str
    minimum: int
    maximum: int | None = None

    @property
    def sparql(self) -> str:
        """The counting query."""
        return f"{SMOKE_PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?count) WHERE {{ {self.pattern} }}"


SMOKE_QUERIES = (
    SmokeQuery("clinical trials", "?x a rko:ClinicalTrial .", minimum=1),
    SmokeQuery(
        "subjects of Table 1 assertions (cancers)",
        '?a a rko:Assertion ; rko:section "Table 1" ; rdf:subject ?x .',
        minimum=1,
    ),
    SmokeQuery("curated assertions", "?x a rko:Assertion .", minimum=1),
    SmokeQuery(
        "source reviews without an assertion",
        "?x a rko:Publication . FILTER EXISTS { ?x cito:cites ?cited } "
        "FILTER NOT EXISTS { ?a prov:wasDerivedFrom ?x }",
        0,
        0,
    ),
    SmokeQuery(
        "assertions without a quote",
        "?x a rko:Assertion . FILTER NOT EXISTS { ?x rko:quote ?quote }",
        0,
        0,
    ),
)


def smoke_gate(release_dir: Path, built: Graph) -> None:
    """Run :data:`SMOKE_QUERIES` on the written merged graph (against ``built``) and inferred graph.

    :raises ReleaseCheckError: naming the file and the query whose count is wrong
    """
    for name, expected in ((GRAPH_FILENAME, built), (INFERRED_GRAPH_FILENAME, None)):
        path = release_dir / name
        store = pyoxigraph.Store()
        try:
            store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
        except (SyntaxError, OSError) as error:
            raise ReleaseCheckError("smoke", path, f"cannot load: {error}") from error
        for query in SMOKE_QUERIES:
            check_smoke_count(
                path,
                query,
                store_count(store, query),
                None if expected is None else graph_count(expected, query),
            )


def check_smoke_count(path: Path, query: SmokeQuery, written: int, built: int | None) -> None:
    """Raise unless the written count equals the built one (if given) and lies within the bounds."""
    if built is not None and written != built:
        raise ReleaseCheckError(
            "smoke", path, f"{written} {query.name}, the graph built in memory has {built}"
        )
    if written < query.minimum or (query.maximum is not None and written > query.maximum):
        bounds = (
            f"at least {query.minimum}"
            if query.maximum is None
            else f"between {query.minimum} and {query.maximum}"
        )
        raise ReleaseCheckError("smoke", path, f"{written} {query.name}, expected {bounds}")


def store_count(store: pyoxigraph.Store, query: SmokeQuery) -> int:
    """Run a smoke query on a pyoxigraph store."""
    solutions = store.query(query.sparql)
    if isinstance(solutions, pyoxigraph.QuerySolutions):
        for solution in solutions:
            return int(solution["count"].value)
    raise ValueError(f"smoke query {query.name!r} returned no row")


def graph_count(graph: Graph, query: SmokeQuery) -> int:
    """Run a smoke query on an rdflib graph."""
    for row in graph.query(query.sparql):
        if isinstance(row, ResultRow):
            return int(row[0])
    raise ValueError(f"smoke query {query.name!r} returned no row")
