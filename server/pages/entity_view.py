"""What an entity page shows, gathered from the entity's neighbourhood as plain data.

:func:`build_entity_page` reads a small pyoxigraph store (the entity's triples, the evidence of
its relations, and the labels of what they name; see :mod:`server.linked_data`) into an
:class:`EntityPage` that ``templates/entity.html`` draws. The evidence is read with the
project's one reader of the provenance model, :mod:`kg.build.provenance_reader`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph
from rdflib import URIRef

from kg.build.provenance_reader import (
    OxigraphTriples,
    StatementEvidence,
    evidence_about,
    to_oxigraph,
)
from kg.catalogue import SYNONYM_IRI, XREF_IRIS, Term, kind_of, text_of
from kg.vocabulary import PREFIXES
from server.pages.terms import (
    DEFINITION_IRIS,
    HEADER_IRIS,
    TYPE_IRI,
    Labeller,
    TermView,
    subject_quads,
)

#: Predicates by which an evidence node points at the entity; they are shown as evidence
EVIDENCE_ROLE_IRIS = frozenset(
    {f"{PREFIXES['rdf']}{role}" for role in ("subject", "predicate", "object")}
)
#: Most rows listed under one predicate; the rest are counted
MAX_ROWS_PER_GROUP = 200

#: A relation's (subject, predicate, object) as text: how evidence is matched to relations
TripleKey = tuple[str, str, str]


@dataclass(frozen=True)
class EvidenceView:
    """One curated statement behind a relation as the page shows it: quote, place, citations."""

    assertion: TermView
    quote: str
    section: str
    source: TermView | None
    references: tuple[TermView, ...]


@dataclass(frozen=True)
class Relation:
    """The other end of one relation, with its evidence."""

    other: TermView
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class RelationGroup:
    """All relations of one predicate in one direction (``outgoing``: the entity is subject)."""

    predicate: TermView
    outgoing: bool
    relations: tuple[Relation, ...]
    hidden: int = 0


@dataclass(frozen=True)
class EntityPage:
    """Everything the entity page shows but its network (:mod:`server.pages.network_drawing`)."""

    iri: str
    title: str
    kind: str
    types: tuple[TermView, ...]
    synonyms: tuple[str, ...]
    definitions: tuple[str, ...]
    xrefs: tuple[TermView, ...]
    attributes: tuple[tuple[TermView, TermView], ...]
    groups: tuple[RelationGroup, ...]
    evidence_count: int = 0


def build_entity_page(
    store: pyoxigraph.Store, node: pyoxigraph.NamedNode, labeller: Labeller
) -> EntityPage:
    """Gather the entity's header, and its relations with their evidence."""
    outgoing = list(subject_quads(store, node))
    by_predicate: dict[str, list[Term]] = defaultdict(list)
    for quad in outgoing:
        by_predicate[quad.predicate.value].append(quad.object)
    statements = evidence_about(OxigraphTriples(store), URIRef(node.value))
    evidence = evidence_index(statements, labeller)
    return EntityPage(
        iri=node.value,
        title=labeller.label(node.value),
        kind=kind_of(node.value),
        types=tuple(labeller.view(t) for t in by_predicate[TYPE_IRI]),
        synonyms=tuple(sorted(text_of(t) for t in by_predicate[SYNONYM_IRI])),
        definitions=tuple(text_of(t) for iri in DEFINITION_IRIS for t in by_predicate[iri]),
        xrefs=tuple(xref_views(by_predicate, labeller)),
        attributes=tuple(
            (labeller.view(quad.predicate), labeller.view(quad.object))
            for quad in outgoing
            if isinstance(quad.object, pyoxigraph.Literal)
            and quad.predicate.value not in HEADER_IRIS
        ),
        groups=relation_groups(store, node, outgoing, evidence, labeller),
        evidence_count=len({str(statement.statement) for statement in statements}),
    )


def xref_views(by_predicate: dict[str, list[Term]], labeller: Labeller) -> Iterator[TermView]:
    """External identifiers, shown as CURIEs linking to their IRIs (close matches marked)."""
    for xref_iri, relation in XREF_IRIS.items():
        for term in by_predicate[xref_iri]:
            view = labeller.view(term)
            note = "" if relation == "exact match" else relation
            yield TermView(view.text, view.href, view.iri, note, view.kind)


def evidence_index(
    statements: list[StatementEvidence], labeller: Labeller
) -> dict[TripleKey, list[EvidenceView]]:
    """The evidence of the relations the entity takes part in, by their (s, p, o) text."""
    index: dict[TripleKey, list[EvidenceView]] = defaultdict(list)
    for statement in statements:
        key = (str(statement.subject), str(statement.predicate), str(statement.object))
        index[key].append(evidence_view(statement, labeller))
    return index


def evidence_view(statement: StatementEvidence, labeller: Labeller) -> EvidenceView:
    """How the page shows one statement's evidence: its first review, references by number."""
    return EvidenceView(
        assertion=labeller.view(to_oxigraph(statement.statement)),
        quote=" ".join(statement.quotes),
        section=", ".join(statement.sections),
        source=labeller.view(to_oxigraph(statement.sources[0])) if statement.sources else None,
        references=tuple(
            TermView(
                f"ref. {reference.number or 0}",
                labeller.href_of(str(reference.iri)) or str(reference.iri),
                str(reference.iri),
                kind="publication",
            )
            for reference in statement.references
        ),
    )


def relation_groups(
    store: pyoxigraph.Store,
    node: pyoxigraph.NamedNode,
    outgoing: list[pyoxigraph.Quad],
    evidence: dict[TripleKey, list[EvidenceView]],
    labeller: Labeller,
) -> tuple[RelationGroup, ...]:
    """Relations to other resources in both directions, grouped by predicate."""
    edges: dict[tuple[str, bool], list[tuple[Term, TripleKey]]] = defaultdict(list)
    for quad in outgoing:
        if quad.predicate.value not in HEADER_IRIS and not isinstance(
            quad.object, pyoxigraph.Literal
        ):
            key = (node.value, quad.predicate.value, text_of(quad.object))
            edges[(quad.predicate.value, True)].append((quad.object, key))
    for quad in store.quads_for_pattern(None, None, node, pyoxigraph.DefaultGraph()):
        if quad.predicate.value not in EVIDENCE_ROLE_IRIS:
            key = (text_of(quad.subject), quad.predicate.value, node.value)
            edges[(quad.predicate.value, False)].append((quad.subject, key))
    groups = []
    for (predicate, is_outgoing), others in sorted(
        edges.items(), key=lambda item: (not item[0][1], item[0][0])
    ):
        relations = sorted(
            (Relation(labeller.view(other), tuple(evidence.get(key, ()))) for other, key in others),
            key=lambda relation: relation.other.text.lower(),
        )
        groups.append(
            RelationGroup(
                labeller.view(pyoxigraph.NamedNode(predicate)),
                is_outgoing,
                tuple(relations[:MAX_ROWS_PER_GROUP]),
                max(0, len(relations) - MAX_ROWS_PER_GROUP),
            )
        )
    return tuple(groups)
