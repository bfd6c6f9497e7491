"""Reading the provenance model back: the evidence of each curated statement.

:mod:`kg.build.provenance` writes every curated triple as an ``rko:Assertion`` node (an
``rdf:Statement``) carrying its evidence. This module is the one place that reads that model,
into :class:`StatementEvidence` records: the release diff and the KGX and CSV exports read an
rdflib graph, the entity pages a pyoxigraph store (through :class:`OxigraphTriples`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF
from rdflib.term import Node

from kg.builders import context_properties
from kg.namespaces import RKO


class TripleSource(Protocol):
    """The two lookups the reader needs; an rdflib ``Graph`` is one."""

    def subjects(self, predicate: Node, object: Node, /) -> Iterable[Node]:
        """The subjects of ``? predicate object``."""
        ...

    def objects(self, subject: Node, predicate: Node, /) -> Iterable[Node]:
        """The objects of ``subject predicate ?``."""
        ...


@dataclass(frozen=True)
class CitedReference:
    """An entry of a review's reference list cited for a statement (its number if recorded)."""

    iri: Node
    number: int | None


@dataclass(frozen=True)
class StatementEvidence:
    """One curated statement (``rdf:subject``, ``rdf:predicate``, ``rdf:object``) and its evidence.

    Values the model allows several of are tuples, sorted so records compare and print stably.
    """

    statement: Node
    subject: Node
    predicate: Node
    object: Node
    #: ``prov:wasDerivedFrom``: the reviews
    sources: tuple[Node, ...]
    sections: tuple[str, ...]
    quotes: tuple[str, ...]
    #: In the order of their numbers (unnumbered ones first)
    references: tuple[CitedReference, ...]
    evidence_types: tuple[Node, ...]
    polarities: tuple[Node, ...]
    #: ``rko:Hedged`` for a possibility the review offers, else empty
    certainties: tuple[Node, ...]
    species: tuple[Node, ...]
    study_models: tuple[Node, ...]
    #: The typed context qualifiers (``rko:inDisease``, ``rko:inCellType``...) and
    #: ``rko:inContext``: the entities the finding is restricted to
    contexts: tuple[Node, ...]

    @property
    def refuted(self) -> bool:
        """True if the review denies the triple (``rko:polarity rko:Refutes``)."""
        return RKO.Refutes in self.polarities


def read_evidence(graph: TripleSource) -> list[StatementEvidence]:
    """Every ``rko:Assertion`` of ``graph`` with its evidence, sorted by statement IRI.

    :raises ValueError: a statement lacks a single ``rdf:subject``, ``rdf:predicate`` or
        ``rdf:object`` (the shapes forbid it, so a built graph never has one)
    """
    found = []
    for statement in sorted(graph.subjects(RDF.type, RKO.Assertion), key=str):
        evidence = evidence_of(graph, statement)
        if evidence is None:
            raise ValueError(
                f"assertion {statement} lacks rdf:subject, rdf:predicate or rdf:object"
            )
        found.append(evidence)
    return found


def statements_about(graph: TripleSource, node: Node) -> list[Node]:
    """The ``rko:Assertion`` nodes with ``node`` as ``rdf:subject`` or ``rdf:object``.

    Subjects first, each once, in the order ``graph`` gives them.
    """
    found: list[Node] = []
    for role in (RDF.subject, RDF.object):
        for statement in graph.subjects(role, node):
            if statement not in found and RKO.Assertion in graph.objects(statement, RDF.type):
                found.append(statement)
    return found


def evidence_about(graph: TripleSource, node: Node) -> list[StatementEvidence]:
    """The evidence of every statement about ``node``; malformed statements are left out."""
    records = (evidence_of(graph, statement) for statement in statements_about(graph, node))
    return [record for record in records if record is not None]


def evidence_of(graph: TripleSource, statement: Node) -> StatementEvidence | None:
    """The evidence recorded on one statement node; None unless it has exactly one
    ``rdf:subject``, ``rdf:predicate`` and ``rdf:object``."""
    roles = [
        list(graph.objects(statement, role)) for role in (RDF.subject, RDF.predicate, RDF.object)
    ]
    if any(len(values) != 1 for values in roles):
        return None

    def nodes(*predicates: URIRef) -> tuple[Node, ...]:
        values = {
            value for predicate in predicates for value in graph.objects(statement, predicate)
        }
        return tuple(sorted(values, key=str))

    def texts(predicate: URIRef) -> tuple[str, ...]:
        values = graph.objects(statement, predicate)
        return tuple(sorted(str(value) for value in values if isinstance(value, Literal)))

    return StatementEvidence(
        statement=statement,
        subject=roles[0][0],
        predicate=roles[1][0],
        object=roles[2][0],
        sources=nodes(PROV.wasDerivedFrom),
        sections=texts(RKO.section),
        quotes=texts(RKO.quote),
        references=cited_references(graph, statement),
        evidence_types=nodes(RKO.evidenceType),
        polarities=nodes(RKO.polarity),
        certainties=nodes(RKO.certainty),
        species=nodes(RKO.species),
        study_models=nodes(RKO.studyModel),
        contexts=nodes(RKO.inContext, *context_properties()),
    )


def cited_references(graph: TripleSource, statement: Node) -> tuple[CitedReference, ...]:
    """The references cited for a statement, in the order of their numbers."""
    references = []
    for reference in graph.objects(statement, RKO.citedReference):
        numbers = sorted(
            int(str(number))
            for number in graph.objects(reference, RKO.referenceNumber)
            if isinstance(number, Literal)
        )
        references.append(CitedReference(reference, numbers[0] if numbers else None))
    return tuple(sorted(references, key=lambda ref: (ref.number or 0, str(ref.iri))))


OxigraphTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple


class OxigraphTriples:
    """The default graph of a pyoxigraph store as a :class:`TripleSource` of rdflib terms.

    A quoted triple (RDF 1.2) has no rdflib term; it is read as a literal of its N-Triples
    text, which is all the evidence reader does with it.
    """

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def subjects(self, predicate: Node, object: Node, /) -> Iterator[Node]:
        """The subjects of ``? predicate object``, in the store's order."""
        quads = self.store.quads_for_pattern(
            None,
            pyoxigraph.NamedNode(str(predicate)),
            to_oxigraph(object),
            pyoxigraph.DefaultGraph(),
        )
        return (to_rdflib(quad.subject) for quad in quads)

    def objects(self, subject: Node, predicate: Node, /) -> Iterator[Node]:
        """The objects of ``subject predicate ?``, in the store's order (none of a literal)."""
        start = to_oxigraph(subject)
        if isinstance(start, pyoxigraph.Literal):
            return iter(())
        quads = self.store.quads_for_pattern(
            start, pyoxigraph.NamedNode(str(predicate)), None, pyoxigraph.DefaultGraph()
        )
        return (to_rdflib(quad.object) for quad in quads)


def to_rdflib(term: OxigraphTerm) -> Node:
    """The rdflib term of a pyoxigraph term."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return Literal(str(term))


def to_oxigraph(node: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """The pyoxigraph term of an rdflib IRI, blank node or literal.

    :raises TypeError: for other rdflib nodes (variables, graphs)
    """
    if isinstance(node, URIRef):
        return pyoxigraph.NamedNode(str(node))
    if isinstance(node, BNode):
        return pyoxigraph.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return pyoxigraph.Literal(str(node), language=node.language)
        datatype = pyoxigraph.NamedNode(str(node.datatype)) if node.datatype else None
        return pyoxigraph.Literal(str(node), datatype=datatype)
    raise TypeError(f"no pyoxigraph term for {node!r}")
