"""The evidence reader reads back what the provenance writer writes, from rdflib or pyoxigraph."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from kg.build.content import EvidenceColumns
from kg.build.provenance import add_assertion, cited_reference_iri, publication_iri
from kg.build.provenance_reader import (
    CitedReference,
    OxigraphTriples,
    evidence_about,
    read_evidence,
)
from kg.builders.base import context_qualifiers
from kg.namespaces import OBO, RKO, mint

GENE, CANCER = mint("gene", "TNFSF11"), mint("disease", "breast-cancer")


def written_graph() -> Graph:
    """One stated finding citing two references, and one hedged one from another review."""
    graph = Graph()
    stated = EvidenceColumns.model_validate({  # as a content row gives the reference numbers
        "source": "renema-2016", "section": "Table 1", "refs": "12; 3",
        "quote": "RANKL is expressed", "species": "human", "context": "gene:TNFRSF11A",
    })  # fmt: skip
    hedged = EvidenceColumns(
        source="other-2020", section="Discussion", quote="RANKL may be", certainty="hedged"
    )
    add_assertion(
        graph, CANCER, RKO.expresses, GENE, stated, None, context_qualifiers(stated.context)
    )
    add_assertion(graph, GENE, RKO.encodes, mint("protein", "RANKL"), hedged, None)
    return graph


def test_the_reader_gives_back_what_the_writer_wrote() -> None:
    by_predicate = {evidence.predicate: evidence for evidence in read_evidence(written_graph())}
    stated, hedged = by_predicate[RKO.expresses], by_predicate[RKO.encodes]
    assert (stated.subject, stated.predicate, stated.object) == (CANCER, RKO.expresses, GENE)
    assert stated.sources == (publication_iri("renema-2016"),)
    assert (stated.sections, stated.quotes) == (("Table 1",), ("RANKL is expressed",))
    assert stated.references == (
        CitedReference(cited_reference_iri("renema-2016", 3), 3),
        CitedReference(cited_reference_iri("renema-2016", 12), 12),
    )
    assert stated.species == (OBO.NCBITaxon_9606,)
    assert stated.contexts == (mint("gene", "TNFRSF11A"),)
    assert not stated.refuted
    assert hedged.certainties == (RKO.Hedged,)


def test_a_statement_without_its_object_is_an_error() -> None:
    graph = written_graph()
    statement = next(iter(graph.subjects(RKO.quote, None)))
    graph.remove((statement, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#object"), None))
    with pytest.raises(ValueError, match="lacks"):
        read_evidence(graph)


def test_a_pyoxigraph_store_reads_the_same_as_rdflib() -> None:
    graph = written_graph()
    store = pyoxigraph.Store()
    store.load(
        graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
    )
    from_store = evidence_about(OxigraphTriples(store), GENE)
    from_graph = evidence_about(graph, GENE)
    assert len(from_store) == 2
    assert sorted(from_store, key=str) == sorted(from_graph, key=str)
