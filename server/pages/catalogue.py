"""What the search and browse pages read, gathered once from the served graph.

:func:`build_catalogue` reads, through the backend (so it works over every backend, a remote
endpoint included), every entity of a browsable kind with its label, synonyms, external links
and count of curated statements (:func:`kg.catalogue.read_catalogue`), and the class-to-class
relation counts the home page's schema drawing needs. Search answers from the release's index
(``rankl-kg-search.sqlite``, built with the release from the same catalogue,
:mod:`kg.exports.search`); a graph served from outside a release has its index built here from
the catalogue. Like VoID it is made on first use, not at start, and then kept for the life of
the app (the served graph does not change under a running app).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.catalogue import Entry, browsable_kinds, read_catalogue, rows_of, short_name, value_of
from kg.exports.search import FILENAME as SEARCH_FILENAME
from kg.search_index import SearchIndex
from kg.vocabulary import PREFIXES
from server.page_queries import select
from server.state import get_state

RDF_NS = PREFIXES["rdf"]
#: Predicates of the evidence model, left out of the schema's relations between classes
EVIDENCE_IRIS = tuple(f"{RDF_NS}{name}" for name in ("type", "subject", "predicate", "object"))


def searchable_kinds() -> tuple[str, ...]:
    """The kinds a search can be restricted to: the browsable ones and the curated statements."""
    return (*browsable_kinds(), "assertion")


@dataclass(frozen=True)
class ClassRelation:
    """Instances of ``source`` linked to ones of ``target`` by ``predicate``, ``count`` times."""

    source: str
    predicate: str
    target: str
    count: int


@dataclass(frozen=True)
class Catalogue:
    """Entities by kind (sorted by label), the search index, and the relations between classes."""

    entries: dict[str, tuple[Entry, ...]]
    index: SearchIndex
    relations: tuple[ClassRelation, ...]
    #: Labels of the ontology's terms and of the entities, by IRI
    labels: dict[str, str]

    def label(self, iri: str) -> str:
        """The label of an IRI, else its prefixed name."""
        return self.labels.get(iri) or short_name(iri)


def class_relations_query() -> str:
    """SELECT how often instances of one class link to instances of another, by predicate."""
    skipped = ", ".join(f"<{iri}>" for iri in EVIDENCE_IRIS)
    return (
        "SELECT ?c1 ?p ?c2 (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s a ?c1 . ?o a ?c2 "
        f"FILTER(?p NOT IN ({skipped})) }} GROUP BY ?c1 ?p ?c2 ORDER BY ?c1 ?p ?c2"
    )


def build_catalogue() -> Catalogue:
    """Read the served graph (needs an app context) into a :class:`Catalogue`."""
    state = get_state()
    page = state.settings.max_result_rows
    entities = read_catalogue(select, page)
    index_file = state.release_dir / SEARCH_FILENAME
    relations = tuple(
        ClassRelation(value_of(c1), value_of(p), value_of(c2), int(value_of(n)))
        for c1, p, c2, n in rows_of(select, class_relations_query(), ("c1", "p", "c2", "n"), page)
    )
    index = release_index(index_file)
    if index is None:
        index = SearchIndex.of_documents(entities.documents)
    return Catalogue(entities.entries, index, relations, entities.labels)


def release_index(path: Path) -> SearchIndex | None:
    """The search index of the served release, if the graph is served from one."""
    return SearchIndex.from_bytes(path.read_bytes()) if path.is_file() else None


def get_catalogue() -> Catalogue:
    """The catalogue of the current app (built on the first call; needs an app context)."""
    catalogue = get_state().catalogue.get()
    if not isinstance(catalogue, Catalogue):
        raise TypeError(f"the server state's catalogue is a {type(catalogue).__name__}")
    return catalogue
