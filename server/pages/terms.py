"""RDF terms as the pages show them: a label, a link, a note, and the kind of thing named."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph

from kg.build.xrefs import iri_to_curie
from kg.constants import BASE_IRI
from kg.vocabulary import PREFIXES

SKOS_NS = PREFIXES["skos"]
RKO_NS = PREFIXES["rko"]
DEFINITION_IRIS = (f"{SKOS_NS}definition", f"{PREFIXES['obo']}IAO_0000115")
LABEL_IRIS = (f"{PREFIXES['rdfs']}label", f"{SKOS_NS}prefLabel", f"{PREFIXES['dcterms']}title")
REFERENCE_NUMBER_IRI = f"{RKO_NS}referenceNumber"
#: What the pages name things by: labels, and the numbers of cited references
NAMING_IRIS = (*LABEL_IRIS, REFERENCE_NUMBER_IRI)
SYNONYM_IRI = f"{SKOS_NS}altLabel"
XREF_IRIS = {f"{SKOS_NS}exactMatch": "exact match", f"{SKOS_NS}closeMatch": "close match"}
TYPE_IRI = f"{PREFIXES['rdf']}type"
#: Predicates shown in the page header rather than as relations (or in the network)
HEADER_IRIS = frozenset({TYPE_IRI, SYNONYM_IRI, *LABEL_IRIS, *DEFINITION_IRIS, *XREF_IRIS})

#: The path on this server where an IRI is served, if it is one of ours
HrefOf = Callable[[str], str | None]
Subject = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple
Term = Subject | pyoxigraph.Literal


@dataclass(frozen=True)
class TermView:
    """An RDF term as a page shows it: text, link target, and a note (CURIE, language, type)."""

    text: str
    href: str | None = None
    iri: str | None = None
    note: str = ""
    kind: str = "external"


def text_of(term: Term) -> str:
    """The IRI, blank-node id or lexical form of a term (a quoted triple as N-Triples)."""
    return str(term) if isinstance(term, pyoxigraph.Triple) else term.value


def subject_quads(store: pyoxigraph.Store, node: Subject) -> Iterator[pyoxigraph.Quad]:
    """The default-graph quads with ``node`` as subject."""
    return iter(store.quads_for_pattern(node, None, None, pyoxigraph.DefaultGraph()))


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


def reference_number(store: pyoxigraph.Store, reference: Term) -> int:
    """The ``rko:referenceNumber`` of a cited reference (0 if it has none)."""
    if isinstance(reference, pyoxigraph.Literal):
        return 0
    predicate = pyoxigraph.NamedNode(REFERENCE_NUMBER_IRI)
    for quad in store.quads_for_pattern(reference, predicate, None, pyoxigraph.DefaultGraph()):
        return int(text_of(quad.object))
    return 0


class Labeller:
    """Turns store terms into :class:`TermView` objects, caching the labels it looks up."""

    def __init__(self, store: pyoxigraph.Store, href_of: HrefOf) -> None:
        self.store = store
        self.href_of = href_of
        self.cache: dict[str, str] = {}

    def label(self, iri: str) -> str:
        """The English or untagged label of an IRI, else its prefixed name."""
        if iri not in self.cache:
            self.cache[iri] = self.lookup_label(iri) or short_name(iri)
        return self.cache[iri]

    def lookup_label(self, iri: str) -> str | None:
        """The first label (or title) in English or without language; a cited reference's number."""
        node = pyoxigraph.NamedNode(iri)
        for label_iri in LABEL_IRIS:
            predicate = pyoxigraph.NamedNode(label_iri)
            for quad in self.store.quads_for_pattern(
                node, predicate, None, pyoxigraph.DefaultGraph()
            ):
                if isinstance(quad.object, pyoxigraph.Literal) and quad.object.language in (
                    None,
                    "en",
                ):
                    return quad.object.value
        number = reference_number(self.store, node)
        return f"reference {number}" if number else None

    def view(self, term: Term) -> TermView:
        """A view of any term: IRIs get labels and links, literals their language or type."""
        if isinstance(term, pyoxigraph.NamedNode):
            iri = term.value
            curie = iri_to_curie(iri)
            href = self.href_of(iri) or iri
            return TermView(curie or self.label(iri), href, iri, curie or "", kind_of(iri))
        if isinstance(term, pyoxigraph.Literal):
            note = term.language or short_name(term.datatype.value)
            if note in ("xsd:string", "rdf:langString"):
                note = ""
            return TermView(term.value, note=note, kind="literal")
        return TermView(str(term), kind="blank")
