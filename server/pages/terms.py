"""RDF terms as the pages show them: a label, a link, a note, and the kind of thing named."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyoxigraph

from kg.build.xrefs import iri_to_curie
from kg.catalogue import (
    LABEL_IRIS,
    RKO_NS,
    SKOS_NS,
    SYNONYM_IRI,
    XREF_IRIS,
    Subject,
    Term,
    kind_of,
    short_name,
    text_of,
)
from kg.vocabulary import PREFIXES

DEFINITION_IRIS = (f"{SKOS_NS}definition", f"{PREFIXES['obo']}IAO_0000115")
REFERENCE_NUMBER_IRI = f"{RKO_NS}referenceNumber"
#: What the pages name things by: labels, and the numbers of cited references
NAMING_IRIS = (*LABEL_IRIS, REFERENCE_NUMBER_IRI)
TYPE_IRI = f"{PREFIXES['rdf']}type"
#: Predicates shown in the page header rather than as relations (or in the network)
HEADER_IRIS = frozenset({TYPE_IRI, SYNONYM_IRI, *LABEL_IRIS, *DEFINITION_IRIS, *XREF_IRIS})

#: The path on this server where an IRI is served, if it is one of ours
HrefOf = Callable[[str], str | None]


@dataclass(frozen=True)
class TermView:
    """An RDF term as a page shows it: text, link target, and a note (CURIE, language, type)."""

    text: str
    href: str | None = None
    iri: str | None = None
    note: str = ""
    kind: str = "external"


def subject_quads(store: pyoxigraph.Store, node: Subject) -> Iterator[pyoxigraph.Quad]:
    """The default-graph quads with ``node`` as subject."""
    return iter(store.quads_for_pattern(node, None, None, pyoxigraph.DefaultGraph()))


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
