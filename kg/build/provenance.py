"""The provenance model: every curated triple also becomes an evidence-bearing rdf:Statement.

For a curated triple ``s p o`` read from a review, the graph holds the triple itself (so simple
queries work; not for refuted or hedged statements) and a node ``assertion:<hash>`` typed
``rdf:Statement`` and ``rko:Assertion`` with ``rdf:subject s``, ``rdf:predicate p``,
``rdf:object o``, ``prov:wasDerivedFrom`` the review, ``rko:section``, ``rko:quote`` and one
``rko:citedReference`` per reference number the review cites for it. The cited works are nodes
``publication/<review>/ref/<n>`` with their number. The quote is pinned to its offsets in the
normalised source text (``rko:quoteStart``, ``rko:quoteEnd``, ``rko:sourceTextSha256``), and the
evidence type (ECO), polarity, species and study model are attached when the row gives them.

The node is the fact itself, as a Biolink association or a Wikidata statement is: a finding
restricted to a context carries one typed qualifier per context entity (``rko:inDisease``,
``rko:inCellType``, ``rko:inAnatomicalEntity``, ``rko:inProcess``, ``rko:involvingProtein``...,
each a sub-property of ``rko:inContext``), so "in which cancers does RANKL promote migration" is
one pattern on it. The data never uses ``rko:inContext`` itself; the served graph infers it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from kg.build.content import EvidenceColumns
from kg.build.quotes import Anchor
from kg.build.xrefs import curie_to_iri
from kg.namespaces import CITO, OBO, RKO, mint, mint_hashed, mint_node


def publication_iri(publication_id: str) -> URIRef:
    """Return the IRI of a source review."""
    return mint("publication", publication_id)


def cited_reference_iri(publication_id: str, number: int) -> URIRef:
    """Return the IRI of entry ``number`` of a review's reference list."""
    return mint("publication", f"{publication_id}/ref/{number}")


#: Species in the content -> NCBI Taxonomy class
SPECIES = {"human": OBO.NCBITaxon_9606, "mouse": OBO.NCBITaxon_10090, "rat": OBO.NCBITaxon_10116}
#: Study model in the content -> rko:StudyModel individual
STUDY_MODELS = {
    "patients": RKO.Patients,
    "clinical-trial": RKO.ClinicalTrialStudy,
    "animal-model": RKO.AnimalModel,
    "cell-line": RKO.CellLine,
    "primary-cells": RKO.PrimaryCells,
    "tissue-samples": RKO.TissueSamples,
    "case-report": RKO.CaseReport,
}


def add_assertion(
    graph: Graph,
    subject: URIRef,
    predicate: URIRef,
    obj: Node,
    evidence: EvidenceColumns,
    anchor: Anchor | None,
    qualifiers: Iterable[tuple[URIRef, URIRef]] = (),
) -> URIRef:
    """Add ``subject predicate obj`` and its evidence; return the assertion node.

    ``qualifiers`` are the row's context entities, each with the typed qualifier of its kind
    (``(rko:inDisease, disease:breast-carcinoma)``), resolved by the caller from the builders.

    A refuted assertion ("X is not cleared by the kidneys") is kept only as its statement node
    with ``rko:polarity rko:Refutes``: the direct triple would assert what the review denies.
    A hedged one ("may control") is kept only as its statement node with ``rko:certainty
    rko:Hedged``: the direct triple would state as a finding what the review offers as a
    possibility.
    """
    if evidence.polarity == "supports" and evidence.certainty == "stated":
        graph.add((subject, predicate, obj))
    node = mint_hashed("assertion", subject, predicate, obj.n3(), evidence.source, evidence.quote)
    source = publication_iri(evidence.source)
    graph.add((node, RDF.type, RDF.Statement))
    graph.add((node, RDF.type, RKO.Assertion))
    graph.add((node, RDF.subject, subject))
    graph.add((node, RDF.predicate, predicate))
    graph.add((node, RDF.object, obj))
    graph.add((node, PROV.wasDerivedFrom, source))
    graph.add((node, RKO.section, Literal(evidence.section)))
    graph.add((node, RKO.quote, Literal(evidence.quote)))
    graph.add((node, RKO.evidenceType, curie_to_iri(evidence.evidence_type)))
    graph.add(
        (node, RKO.polarity, RKO.Supports if evidence.polarity == "supports" else RKO.Refutes)
    )
    if evidence.certainty == "hedged":
        graph.add((node, RKO.certainty, RKO.Hedged))
    if evidence.species:
        graph.add((node, RKO.species, SPECIES[evidence.species]))
    if evidence.model:
        graph.add((node, RKO.studyModel, STUDY_MODELS[evidence.model]))
    for qualifier, entity in qualifiers:
        graph.add((node, qualifier, entity))
    if anchor is not None:
        graph.add((node, RKO.quoteStart, Literal(anchor.start, datatype=XSD.integer)))
        graph.add((node, RKO.quoteEnd, Literal(anchor.end, datatype=XSD.integer)))
        graph.add((node, RKO.sourceTextSha256, Literal(anchor.text_sha256)))
    for number in evidence.refs:
        graph.add((node, RKO.citedReference, add_cited_reference(graph, evidence.source, number)))
    return node


def add_cited_reference(graph: Graph, publication_id: str, number: int) -> URIRef:
    """Add entry ``number`` of a review's reference list (typed, numbered, cited by the review);
    return its IRI. Shared by the assertions that cite it and by the cited-works table."""
    cited = mint_node(graph, "publication", f"{publication_id}/ref/{number}")
    graph.add((cited, RDF.type, RKO.Publication))
    graph.add((cited, RKO.referenceNumber, Literal(number, datatype=XSD.integer)))
    graph.add((publication_iri(publication_id), CITO.cites, cited))
    return cited
