"""The ontology parses, declares an OWL 2 header, and stays in sync with kg.namespaces.RKO."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.builders.base import SYMMETRIC_PROPERTIES
from kg.namespaces import OBO, RKO

DEFINITION = OBO.IAO_0000115
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.NamedIndividual,
    OWL.AnnotationProperty,
)


def rko_terms(graph: Graph) -> set[URIRef]:
    return {
        subject
        for term_type in TERM_TYPES
        for subject in graph.subjects(RDF.type, term_type)
        if isinstance(subject, URIRef) and subject.startswith(str(RKO._NS))
    }


def test_header_has_version_licence_and_description(ontology_graph: Graph) -> None:
    ontology = URIRef("https://w3id.org/rankl-kg/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in ontology_graph
    for predicate in (
        OWL.versionIRI,
        URIRef("http://purl.org/dc/terms/license"),
        URIRef("http://purl.org/dc/terms/description"),
    ):
        assert ontology_graph.value(ontology, predicate) is not None, predicate


def test_every_term_has_label_and_definition(ontology_graph: Graph) -> None:
    missing = sorted(
        str(term)
        for term in rko_terms(ontology_graph)
        if ontology_graph.value(term, RDFS.label) is None
        or ontology_graph.value(term, DEFINITION) is None
    )
    assert missing == []


def test_namespace_class_lists_exactly_the_ontology_terms(ontology_graph: Graph) -> None:
    declared = {URIRef(f"{RKO._NS}{name}") for name in RKO.__annotations__}
    assert declared == rko_terms(ontology_graph)


def test_gene_and_drug_are_disjoint(ontology_graph: Graph) -> None:
    disjoint_sets = [
        set(ontology_graph.collection(members))
        for node in ontology_graph.subjects(RDF.type, OWL.AllDisjointClasses)
        for members in ontology_graph.objects(node, OWL.members)
    ]
    assert any({RKO.Gene, RKO.Drug} <= members for members in disjoint_sets)


def test_builders_know_the_symmetric_properties(ontology_graph: Graph) -> None:
    declared = set(ontology_graph.subjects(RDF.type, OWL.SymmetricProperty))
    assert declared == SYMMETRIC_PROPERTIES


def test_an_inverse_names_its_canonical_property_once(ontology_graph: Graph) -> None:
    canonical = set(ontology_graph.objects(None, OWL.inverseOf))
    inverses = set(ontology_graph.subjects(OWL.inverseOf, None))
    assert not canonical & inverses, "a property is either canonical or an inverse"
    for inverse in inverses:
        assert len(list(ontology_graph.objects(inverse, OWL.inverseOf))) == 1, inverse
    assert not canonical & set(ontology_graph.subjects(RDF.type, OWL.SymmetricProperty))
