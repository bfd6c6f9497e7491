"""The lists that must agree with the builder registry, each failing with the fix to make.

The Python lists (entity kinds, context kinds, expected links) are derived from the registry;
what RDF files say about them is checked here instead: the kinds and classes of the entity shape
(``shapes/entities.shapes.ttl``), the disjointness axiom of the ontology, and each kind's context
qualifier.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg import rko_gen
from kg.builders import builder_classes
from kg.builders._entity import EntityBuilder
from kg.constants import SHAPES_DIR
from kg.namespaces import BUILD_KINDS, RKO, mint
from kg.registry import Registered, Registry
from kg.safe_rdf import load_rdf
from kg.vocabulary import ENTITY_KINDS

ENTITY_SHAPE = URIRef("https://w3id.org/rankl-kg/shapes/EntityShape")
#: Classes the ontology's disjointness axiom lacks today; adding them changes the released
#: ontology, so it waits for a release that may change it (then empty this)
NOT_YET_DISJOINT = {RKO.ChemicalEntity}
#: Classes of nodes the build makes besides the tables' entities
BUILD_CLASSES = {RKO.DoseRegimen, RKO.Quantity, RKO.Assertion}


def test_rko_module_is_in_sync_with_the_ontology() -> None:
    assert rko_gen.main(["--check"]) == 0, "run: python -m kg.rko_gen"


def test_entity_kinds_are_the_builders_kinds() -> None:
    declared = {cls.kind for cls in builder_classes() if cls.kind is not None}
    assert set(ENTITY_KINDS) == declared | set(BUILD_KINDS)
    assert mint("gene", "TNFSF11") == URIRef("https://w3id.org/rankl-kg/gene/TNFSF11")
    with pytest.raises(ValueError, match="not a lower-case word"):
        mint("Gene/", "x")


def test_entity_shape_lists_the_entity_builders() -> None:
    shapes = load_rdf(SHAPES_DIR / "entities.shapes.ttl", Graph())
    entity_builders = [cls for cls in builder_classes() if issubclass(cls, EntityBuilder)]
    classes = {cls.rdf_class for cls in entity_builders}
    targeted = set(shapes.objects(ENTITY_SHAPE, SH.targetClass))
    assert targeted == classes, (
        f"set sh:targetClass of rkshapes:EntityShape in shapes/entities.shapes.ttl to: "
        f"{', '.join(sorted(cls.n3(shapes.namespace_manager) for cls in classes))}"
    )
    pattern = str(shapes.value(ENTITY_SHAPE, SH.pattern))
    match = re.search(r"/\(([a-z_|]+)\)/", pattern)
    assert match is not None, f"rkshapes:EntityShape's sh:pattern names no kinds: {pattern}"
    kinds = {cls.kind for cls in entity_builders}
    assert set(match[1].split("|")) == kinds, (
        f"set the kinds in rkshapes:EntityShape's sh:pattern to ({'|'.join(sorted(kinds))})"
    )


def test_disjointness_axiom_lists_every_builder_class(ontology_graph: Graph) -> None:
    members: set[URIRef] = set()
    for axiom in ontology_graph.subjects(RDF.type, OWL.AllDisjointClasses):
        items = ontology_graph.value(axiom, OWL.members)
        assert items is not None
        members.update(
            node for node in Collection(ontology_graph, items) if isinstance(node, URIRef)
        )
    classes = {cls.rdf_class for cls in builder_classes() if cls.rdf_class is not None}
    missing = classes - members - NOT_YET_DISJOINT
    assert not missing, (
        f"add {sorted(missing)} to the owl:AllDisjointClasses axiom of ontology/rankl-kg.ttl"
    )
    assert not NOT_YET_DISJOINT & members, "the axiom lists it now: empty NOT_YET_DISJOINT"
    extra = members - classes - BUILD_CLASSES
    assert not extra, f"the disjointness axiom lists classes no builder defines: {sorted(extra)}"


def test_each_context_qualifier_is_a_typed_sub_property_of_in_context(
    ontology_graph: Graph,
) -> None:
    """A builder's ``context`` is the qualifier a row's context of its kind becomes: declared in
    the ontology under rko:inContext, with the builder's class as range."""
    for cls in builder_classes():
        if cls.context is None:
            continue
        qualifier = cls.context
        assert (qualifier, RDFS.subPropertyOf, RKO.inContext) in ontology_graph, (
            f"{cls.__name__}.context: declare {qualifier} rdfs:subPropertyOf rko:inContext"
        )
        assert (qualifier, RDFS.range, cls.rdf_class) in ontology_graph, (
            f"{cls.__name__}.context: give {qualifier} the range {cls.rdf_class}"
        )


def test_registry_rejects_a_duplicate_name_and_forgets_an_unregistered_one() -> None:
    class Plugin(Registered):
        registry = Registry("plugin")

    class One(Plugin):
        name = "one"

    version = Plugin.registry.version
    with pytest.raises(TypeError, match="duplicate plugin name 'one'"):

        class Again(Plugin):
            name = "one"

    Plugin.registry.unregister("one")
    assert "one" not in Plugin.registry
    assert Plugin.registry.version == version + 1
