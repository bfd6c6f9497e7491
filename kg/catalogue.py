"""The catalogue of the served graph: every entity with its names and links, and what search holds.

:func:`read_catalogue` reads it through any SPARQL ``select`` function: the release's search
exporter (:mod:`kg.exports.search`) runs it on the built graph, the server's browse pages on
its backend. Both so get the same entries and the same search documents
(:class:`kg.search_index.SearchDocument`): an entity's label, synonyms and identifiers in their
common forms (``gene:TNFSF11``, ``HGNC:11926``, the symbol, an NCT number, a DOI), and the
quotes of the curated statements, each summarised by the labels of its subject, predicate and
object.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph

from kg.build.xrefs import iri_to_curie
from kg.constants import BASE_IRI
from kg.namespaces import BUILD_KINDS
from kg.search_index import SearchDocument
from kg.vocabulary import PREFIXES, entity_kinds

RDF_NS, RKO_NS, SKOS_NS = PREFIXES["rdf"], PREFIXES["rko"], PREFIXES["skos"]
#: What things are named by, best first
LABEL_IRIS = (f"{PREFIXES['rdfs']}label", f"{SKOS_NS}prefLabel", f"{PREFIXES['dcterms']}title")
SYNONYM_IRI = f"{SKOS_NS}altLabel"
#: Links to external terms, with how the pages name them
XREF_IRIS = {f"{SKOS_NS}exactMatch": "exact match", f"{SKOS_NS}closeMatch": "close match"}
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

Subject = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple
Term = Subject | pyoxigraph.Literal


class Row(Protocol):
    """One row of a SELECT answer: a term by variable name, None where it is unbound."""

    def __getitem__(self, name: str, /) -> Term | None: ...


#: Runs one SELECT query and returns its rows
Select = Callable[[str], Iterable[Row]]


def text_of(term: Term) -> str:
    """The IRI, blank-node id or lexical form of a term (a quoted triple as N-Triples)."""
    return str(term) if isinstance(term, pyoxigraph.Triple) else term.value


def kind_of(iri: str) -> str:
    """The kind of an IRI of our namespace (``gene``, ``ontology``…), else ``external``."""
    if not iri.startswith(BASE_IRI):
        return "external"
    return iri.removeprefix(BASE_IRI).split("/", 1)[0]


def short_name(iri: str) -> str:
    """``rko:Gene`` for an IRI under a known prefix, else the IRI."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(name for name, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri.removeprefix(best)}"


def browsable_kinds() -> tuple[str, ...]:
    """The entity kinds with an index page: all but the internal ones (evidence, quantities)."""
    return tuple(kind for kind in entity_kinds() if kind not in BUILD_KINDS)


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
class EntityCatalogue:
    """Entities by kind (sorted by label), the labels of every named IRI, the search documents."""

    entries: dict[str, tuple[Entry, ...]]
    labels: dict[str, str]
    documents: tuple[SearchDocument, ...]


def rows_of(
    select: Select, query: str, variables: tuple[str, ...], page: int
) -> Iterator[tuple[Term | None, ...]]:
    """The rows of an ordered SELECT, read ``page`` rows at a time (within a result cap)."""
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


def read_catalogue(select: Select, page: int) -> EntityCatalogue:
    """Read the served graph through ``select``, ``page`` rows per query, into a catalogue."""
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for subject, predicate, obj in rows_of(select, entity_values_query(), ("s", "p", "o"), page):
        values[value_of(subject)][value_of(predicate)].append(value_of(obj))
    labels = {iri: label for iri, by in values.items() if (label := first_label(by))}
    statements = list(rows_of(select, statements_query(), ("a", "s", "p", "o"), page))
    counts: Counter[str] = Counter()
    for _, subject, _, obj in statements:
        counts.update({value_of(subject), value_of(obj)})
    entries: dict[str, list[Entry]] = {kind: [] for kind in browsable_kinds()}
    documents: list[SearchDocument] = []
    for iri, by_predicate in values.items():
        if (kind := kind_of(iri)) in entries:
            entry = new_entry(iri, kind, labels, by_predicate, counts[iri])
            entries[kind].append(entry)
            documents.extend(entity_documents(entry, by_predicate))
    for assertion, subject, predicate, obj in statements:
        iri = value_of(assertion)
        summary = " ".join(
            labels.get(value_of(t)) or shown_name(t) for t in (subject, predicate, obj)
        )
        documents.extend(
            SearchDocument(iri, "assertion", summary, "quote", quote)
            for quote in values.get(iri, {}).get(QUOTE_IRI, [])
        )
    return EntityCatalogue(
        {kind: tuple(sorted(found, key=sort_key)) for kind, found in entries.items()},
        labels,
        tuple(documents),
    )


def new_entry(
    iri: str, kind: str, labels: dict[str, str], by_predicate: dict[str, list[str]], count: int
) -> Entry:
    """The entry of one entity from the values read for it."""
    return Entry(
        iri,
        kind,
        labels.get(iri) or iri.rsplit("/", 1)[-1],
        tuple(sorted(set(by_predicate[SYNONYM_IRI]))),
        tuple(sorted({xref for xref_iri in XREF_IRIS for xref in by_predicate[xref_iri]})),
        count,
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
