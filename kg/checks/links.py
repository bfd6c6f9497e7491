"""External links: label agreement with the reference table, link coverage, and the SSSOM export.

A link (``skos:exactMatch``) is accepted when its CURIE is a verified row of
``ontology/imports/reference-xrefs.tsv`` and the row's names agree with the entity's names (see
:func:`label_problem`). Links to ClinicalTrials.gov are the exception: they are made from the
trial's NCT number, which the reference table does not hold, so only their form is checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.build.labels import label_problem
from kg.build.xrefs import ReferenceTerm, iri_to_curie, load_reference
from kg.checks.quality import Finding, Level
from kg.constants import BASE_IRI
from kg.namespaces import BIBO, RKO
from kg.vocabulary import entity_kinds

#: Resources whose links are made from the entity's own id, not looked up in the reference table
SELF_IDENTIFIED_PREFIXES = frozenset({"clinicaltrials"})


@dataclass(frozen=True)
class Link:
    """One ``skos:exactMatch`` of an entity."""

    subject: URIRef
    iri: URIRef
    curie: str | None


def entity_links(graph: Graph) -> list[Link]:
    """Return every ``skos:exactMatch`` of an entity (not of an ontology term), sorted."""
    links = [
        Link(subject, obj, iri_to_curie(str(obj)))
        for subject, obj in graph.subject_objects(SKOS.exactMatch)
        if isinstance(subject, URIRef)
        and isinstance(obj, URIRef)
        and entity_kind(subject) is not None
    ]
    return sorted(links, key=lambda link: (str(link.subject), str(link.iri)))


def entity_kind(node: Node) -> str | None:
    """Return the entity kind of an IRI minted by the project (``gene`` ...), or None."""
    text = str(node)
    if not text.startswith(BASE_IRI):
        return None
    kind = text[len(BASE_IRI) :].split("/", 1)[0]
    return kind if kind in entity_kinds() else None


def entity_names(graph: Graph, subject: URIRef) -> list[str]:
    """Return what an entity is called: its id, labels, synonyms, titles and gene symbols.

    A protein is also called by the symbol of the gene that encodes it.
    """
    names = [str(subject).rsplit("/", 1)[-1]]
    for predicate in (RDFS.label, SKOS.altLabel, DCTERMS.title, RKO.symbol):
        names.extend(str(value) for value in graph.objects(subject, predicate))
    for gene in graph.subjects(RKO.encodes, subject):
        names.extend(str(symbol) for symbol in graph.objects(gene, RKO.symbol))
    return names


def check_links(
    graph: Graph, reference: Mapping[str, ReferenceTerm] | None = None
) -> list[Finding]:
    """Check every entity link against the reference table, and every entity's link coverage."""
    terms = load_reference() if reference is None else reference
    links = entity_links(graph)
    findings = [
        finding for link in links if (finding := check_link(graph, link, terms)) is not None
    ]
    return sorted(findings + check_coverage(graph, links, terms))


def check_link(graph: Graph, link: Link, reference: Mapping[str, ReferenceTerm]) -> Finding | None:
    """Check one link: a known resource, a verified identifier, and agreeing labels."""
    subject = str(link.subject)
    if link.curie is None:
        return Finding(
            Level.ERROR,
            "unknown_link",
            subject,
            str(SKOS.exactMatch),
            f"{link.iri} is not an IRI of a resource the project links to",
        )
    if link.curie.split(":", 1)[0] in SELF_IDENTIFIED_PREFIXES or is_printed_doi(graph, link):
        return None
    term = reference.get(link.curie)
    if term is None:
        return Finding(
            Level.ERROR,
            "unverified_link",
            subject,
            str(SKOS.exactMatch),
            f"{link.curie} is not a verified identifier in ontology/imports/reference-xrefs.tsv",
        )
    problem = label_problem(subject, link.curie, term, entity_names(graph, link.subject))
    return (
        None
        if problem is None
        else Finding(Level.ERROR, "label_mismatch", subject, str(SKOS.exactMatch), problem)
    )


def is_printed_doi(graph: Graph, link: Link) -> bool:
    """Whether ``link`` is the DOI a cited work's own record prints (its ``bibo:doi``).

    A DOI copied from a review's reference list identifies that work by definition; there is
    no label to compare, so the reference table does not need to list it.
    """
    curie = link.curie or ""
    return curie.startswith("doi:") and (link.subject, BIBO.doi, Literal(curie[4:])) in graph


def check_coverage(
    graph: Graph, links: list[Link], reference: Mapping[str, ReferenceTerm]
) -> list[Finding]:
    """Require the links the reference table offers for an entity; warn about entities without any.

    What the table offers an entity: the terms of the expected resources that share a reference
    row's entity name and kind with one of the entity's links.
    """
    curies_by_subject: dict[URIRef, set[str]] = defaultdict(set)
    for link in links:
        if link.curie is not None:
            curies_by_subject[link.subject].add(link.curie)
    groups: dict[tuple[str, str], list[ReferenceTerm]] = defaultdict(list)
    for term in reference.values():
        groups[(term.entity, term.kind)].append(term)
    findings: list[Finding] = []
    for subject, prefixes in expected_links(graph).items():
        have = curies_by_subject.get(subject, set())
        if not have:
            findings.append(
                Finding(
                    Level.WARN,
                    "no_verified_link",
                    str(subject),
                    str(SKOS.exactMatch),
                    f"no link to any of {', '.join(prefixes)}: "
                    "the reference table has no verified term for it",
                )
            )
            continue
        offered = {
            term.curie
            for curie in have
            if curie in reference
            for term in groups[(reference[curie].entity, reference[curie].kind)]
            if term.prefix in prefixes
        }
        findings.extend(
            Finding(
                Level.ERROR,
                "missing_link",
                str(subject),
                str(SKOS.exactMatch),
                f"the reference table has {curie} ({reference[curie].label!r}) for this entity; "
                "add it to its xrefs",
            )
            for curie in sorted(offered - have)
        )
    return findings


def expected_links(graph: Graph) -> dict[URIRef, tuple[str, ...]]:
    """Return each entity of a linked class with the resources it should link to.

    Each builder declares what its class links to (``Builder.expected_links``). Publications
    count when they carry a DOI: the reviews, and the cited works whose reference list entry
    prints one.
    """
    from kg.builders import expected_links as declared  # lazily: the builders import this module

    expected: dict[URIRef, list[str]] = defaultdict(list)
    for rdf_class, prefixes in declared().items():
        for subject in graph.subjects(RDF.type, rdf_class):
            if not isinstance(subject, URIRef) or entity_kind(subject) is None:
                continue
            if rdf_class == RKO.Publication and (subject, BIBO.doi, None) not in graph:
                continue
            expected[subject].extend(
                prefix for prefix in prefixes if prefix not in expected[subject]
            )
    return {subject: tuple(prefixes) for subject, prefixes in expected.items()}


def link_counts(graph: Graph) -> Counter[str]:
    """Count the entity links per target resource (CURIE prefix)."""
    return Counter(
        link.curie.split(":", 1)[0] for link in entity_links(graph) if link.curie is not None
    )
