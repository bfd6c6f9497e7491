"""What the search and browse pages read, gathered once from the served graph.

:func:`build_catalogue` runs a few SELECT queries through the backend (so it works over every
backend, a remote endpoint included) and keeps: every entity of a browsable kind with its
label, synonyms, external links and count of curated statements; the search index over those
and over the statements' quotes (:mod:`server.search_index`); and the class-to-class relation
counts the home page's schema drawing needs. Like VoID it is made on first use, not at start,
and then kept for the life of the app (the served graph does not change under a running app).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph

from kg.build.xrefs import iri_to_curie
from kg.constants import BASE_IRI
from kg.namespaces import BUILD_KINDS
from kg.vocabulary import PREFIXES, entity_kinds
from server.page_queries import select
from server.pages.terms import (
    LABEL_IRIS,
    SYNONYM_IRI,
    XREF_IRIS,
    Term,
    kind_of,
    short_name,
    text_of,
)
from server.search_index import SearchDocument, SearchIndex
from server.state import get_state

RDF_NS, RKO_NS = PREFIXES["rdf"], PREFIXES["rko"]
QUOTE_IRI = f"{RKO_NS}quote"
ASSERTION_CLASS = f"{RKO_NS}Assertion"
#: Literal properties that are identifiers (a gene symbol, an NCT number, a DOI, a PMID)
IDENTIFIER_IRIS = (
    f"{RKO_NS}symbol",
    f"{RKO_NS}nctId",
    f"{PREFIXES['bibo']}doi",
    f"{PREFIXES['bibo']}pmid",
)
#: Every predicate the catalogue reads from the entities
READ_IRIS = (*LABEL_IRIS, SYNONYM_IRI, *XREF_IRIS, *IDENTIFIER_IRIS, QUOTE_IRI)
#: Predicates of the evidence model, left out of the schema's relations between classes
EVIDENCE_IRIS = tuple(f"{RDF_NS}{name}" for name in ("type", "subject", "predicate", "object"))


def browsable_kinds() -> tuple[str, ...]:
    """The entity kinds with an index page: all but the internal ones (evidence, quantities)."""
    return tuple(kind for kind in entity_kinds() if kind not in BUILD_KINDS)


def searchable_kinds() -> tuple[str, ...]:
    """The kinds a search can be restricted to: the browsable ones and the curated statements."""
    return (*browsable_kinds(), "assertion")


@dataclass(frozen=True)
class Entry:
    """One entity as an index page lists it."""

    iri: str
    kind: str
    label: str
    synonyms: tuple[str, ...]
    #: External IRIs it is the same as or close to
    xrefs: tuple[str, ...]
    #: Curated statements whose subject or object it is
    statements: int

    @property
    def local_id(self) -> str:
        """The part of the IRI after its kind: ``TNFSF11`` of ``…/gene/TNFSF11``."""
        return self.iri.removeprefix(f"{BASE_IRI}{self.kind}/")


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


def rows_of(query: str, variables: tuple[str, ...]) -> Iterator[tuple[Term | None, ...]]:
    """The rows of an ordered SELECT, read page by page within the result row cap."""
    page = get_state().settings.max_result_rows
    offset = 0
    while True:
        count = 0
        for row in select(f"{query} LIMIT {page} OFFSET {offset}"):
            count += 1
            yield tuple(row[name] for name in variables)
        if count < page:
            return
        offset += page


def value_of(term: Term | None) -> str:
    """The IRI or lexical form of a term ('' for none)."""
    return "" if term is None else text_of(term)


def entity_values_query() -> str:
    """SELECT the labels, synonyms, links, identifiers and quotes of our namespace."""
    values = " ".join(f"<{iri}>" for iri in READ_IRIS)
    return (
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE_IRI}")) }} ORDER BY ?s ?p ?o'
    )


def statements_query() -> str:
    """SELECT every curated statement's subject, predicate and object."""
    return (
        f"SELECT ?a ?s ?p ?o WHERE {{ ?a a <{ASSERTION_CLASS}> ; <{RDF_NS}subject> ?s ; "
        f"<{RDF_NS}predicate> ?p ; <{RDF_NS}object> ?o }} ORDER BY ?a ?s ?p ?o"
    )


def class_relations_query() -> str:
    """SELECT how often instances of one class link to instances of another, by predicate."""
    skipped = ", ".join(f"<{iri}>" for iri in EVIDENCE_IRIS)
    return (
        "SELECT ?c1 ?p ?c2 (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?s a ?c1 . ?o a ?c2 "
        f"FILTER(?p NOT IN ({skipped})) }} GROUP BY ?c1 ?p ?c2 ORDER BY ?c1 ?p ?c2"
    )


def build_catalogue() -> Catalogue:
    """Read the served graph (needs an app context) into a :class:`Catalogue`."""
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for subject, predicate, obj in rows_of(entity_values_query(), ("s", "p", "o")):
        values[value_of(subject)][value_of(predicate)].append(value_of(obj))
    labels = {iri: first_label(by_predicate) for iri, by_predicate in values.items()}
    labels = {iri: label for iri, label in labels.items() if label}
    statements = list(rows_of(statements_query(), ("a", "s", "p", "o")))
    counts: Counter[str] = Counter()
    for _, subject, _, obj in statements:
        for end in {value_of(subject), value_of(obj)}:
            counts[end] += 1
    kinds = browsable_kinds()
    entries = {kind: [] for kind in kinds}  # type: dict[str, list[Entry]]
    documents: list[SearchDocument] = []
    for iri, by_predicate in values.items():
        kind = kind_of(iri)
        if kind not in entries:
            continue
        entry = Entry(
            iri,
            kind,
            labels.get(iri) or iri.rsplit("/", 1)[-1],
            tuple(sorted(set(by_predicate[SYNONYM_IRI]))),
            tuple(sorted({xref for xref_iri in XREF_IRIS for xref in by_predicate[xref_iri]})),
            counts[iri],
        )
        entries[kind].append(entry)
        documents.extend(entity_documents(entry, by_predicate))
    for assertion, subject, predicate, obj in statements:
        iri = value_of(assertion)
        summary = " ".join(
            labels.get(value_of(term)) or shown_name(term) for term in (subject, predicate, obj)
        )
        documents.extend(
            SearchDocument(iri, "assertion", summary, "quote", quote)
            for quote in values.get(iri, {}).get(QUOTE_IRI, [])
        )
    relations = tuple(
        ClassRelation(value_of(c1), value_of(p), value_of(c2), int(value_of(n)))
        for c1, p, c2, n in rows_of(class_relations_query(), ("c1", "p", "c2", "n"))
    )
    return Catalogue(
        {kind: tuple(sorted(found, key=sort_key)) for kind, found in entries.items()},
        SearchIndex(documents),
        relations,
        labels,
    )


def shown_name(term: Term | None) -> str:
    """How a statement's summary names an unlabelled term: a prefixed name, or a literal."""
    return short_name(term.value) if isinstance(term, pyoxigraph.NamedNode) else value_of(term)


def first_label(by_predicate: dict[str, list[str]]) -> str:
    """The first label, in the order the pages prefer them (rdfs:label first)."""
    for label_iri in LABEL_IRIS:
        if by_predicate.get(label_iri):
            return min(by_predicate[label_iri])
    return ""


def sort_key(entry: Entry) -> tuple[str, str]:
    """Entries sort by label, case-folded, then IRI."""
    return (entry.label.casefold(), entry.iri)


def entity_documents(entry: Entry, by_predicate: dict[str, list[str]]) -> list[SearchDocument]:
    """What the search index holds of one entity: label, synonyms, identifiers in any form."""

    def document(field: str, text: str) -> SearchDocument:
        return SearchDocument(entry.iri, entry.kind, entry.label, field, text)

    documents = [document("label", entry.label)]
    documents.extend(document("synonym", synonym) for synonym in entry.synonyms)
    identifiers = {f"{entry.kind}:{entry.local_id}"}
    for xref in entry.xrefs:
        identifiers.add(iri_to_curie(xref) or xref.rstrip("/").rsplit("/", 1)[-1])
    identifiers.update(text for iri in IDENTIFIER_IRIS for text in by_predicate.get(iri, ()))
    documents.extend(document("identifier", identifier) for identifier in sorted(identifiers))
    return documents


def get_catalogue() -> Catalogue:
    """The catalogue of the current app (built on the first call; needs an app context)."""
    catalogue = get_state().catalogue.get()
    if not isinstance(catalogue, Catalogue):
        raise TypeError(f"the server state's catalogue is a {type(catalogue).__name__}")
    return catalogue
