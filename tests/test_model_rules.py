"""The model rules of docs/model.md (``ontology/sparql/model-*-violation.rq``): each one's header,
its example query, and a small graph that breaks it (run by tests/test_report.py, which
checks that every rule has one)."""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from rdflib import DCTERMS, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.build.quantities import QuantityRecord, add_quantity
from kg.checks.quality import to_store
from kg.constants import QC_QUERIES_DIR
from kg.namespaces import RKO, UNIT, add_replacement, mint, mint_hashed, mint_node
from kg.vocabulary import PREFIXES

GENE = mint("gene", "TNFSF11")
QUANTITY = mint_hashed("quantity", "test")
REGIMEN = mint("trial", "NCT00321464-regimen-1")
OLD_REGIMEN = URIRef("https://w3id.org/rankl-kg/trial/NCT00321464/regimen/1")
#: a slashed IRI in use, not deprecated
SLASHED = URIRef("https://w3id.org/rankl-kg/trial/NCT99999999/regimen/1")
FINDING = mint("disease", "carcinoma-finding-test")
#: an IRI that no build made: deprecated without a replacement
UNREPLACED = URIRef("https://w3id.org/rankl-kg/trial/NCT99999999/regimen/9")

Triples = list[tuple[URIRef, URIRef, URIRef | Literal]]

#: rule -> the triples that break it, and the subject the finding must name
MODEL_VIOLATIONS: dict[str, tuple[Triples, URIRef]] = {
    "model-literal-datatypes": (
        [
            (
                mint("publication", "renema-2016-ref-91"),
                RKO.referenceNumber,
                Literal("91", datatype=XSD.double),
            )
        ],
        mint("publication", "renema-2016-ref-91"),
    ),
    "model-plain-text": ([(GENE, RDFS.label, Literal("RANKL gene", lang="en"))], GENE),
    "model-quantity": (
        [
            (QUANTITY, RDF.type, RKO.Quantity),
            (QUANTITY, RKO.unit, UNIT.MilliGM),
            (QUANTITY, RKO.minValue, Literal("500.0", datatype=XSD.decimal)),
            (QUANTITY, RKO.comparator, RKO.AtMost),
        ],
        QUANTITY,
    ),
    "model-prefixed-name": (
        [(SLASHED, RDF.type, RKO.DoseRegimen)],
        SLASHED,
    ),
    "model-deprecated-iri": (
        [(UNREPLACED, OWL.deprecated, Literal(True))],
        UNREPLACED,
    ),
    "model-figure-quote": (
        [
            (FINDING, RDF.type, RKO.CancerFinding),
            (FINDING, RKO.cohortSize, Literal(40, datatype=XSD.integer)),
        ],
        FINDING,
    ),
}

HEADER = re.compile(r"^# (?P<key>[a-z]+): (?P<value>.+)$", re.MULTILINE)
MODEL_FILES = sorted(QC_QUERIES_DIR.glob("model-*-violation.rq"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda path: path.stem)
def test_header_names_the_rule_its_fact_pattern_and_example(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    header = {match["key"]: match["value"] for match in HEADER.finditer(text)}
    assert header["rule"] == path.name.removesuffix("-violation.rq")  # type: ignore[attr-defined]
    assert header["level"] == "ERROR"
    assert {"description", "fact", "pattern", "example"} <= header.keys()


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda path: path.stem)
def test_example_runs_with_the_graphs_prefixes(path: object, fixture_graph: Graph) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    example = next(match["value"] for match in HEADER.finditer(text) if match["key"] == "example")
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    store = to_store(fixture_graph)
    assert isinstance(store.query(prologue + example), pyoxigraph.QuerySolutions)


def test_a_path_id_gets_a_plain_iri_and_keeps_its_old_one() -> None:
    graph = Graph()
    node = mint_node(graph, "trial", "NCT00321464/regimen/1")
    assert node == REGIMEN
    assert set(graph) == {
        (OLD_REGIMEN, OWL.deprecated, Literal(True)),
        (OLD_REGIMEN, DCTERMS.isReplacedBy, REGIMEN),
    }


def test_a_plain_id_has_no_old_iri() -> None:
    graph = Graph()
    mint_node(graph, "gene", "TNFSF11")
    assert len(graph) == 0


def test_a_local_name_that_needs_escapes_is_refused() -> None:
    with pytest.raises(ValueError, match="prefixed name"):
        mint("gene", "TNF SF11")


def test_replacement_is_deprecated_and_points_to_the_new_iri() -> None:
    graph = Graph()
    add_replacement(graph, OLD_REGIMEN, REGIMEN)
    assert graph.value(OLD_REGIMEN, DCTERMS.isReplacedBy) == REGIMEN


@pytest.mark.parametrize(
    ("fields", "comparator", "label"),
    [
        ({"value": 120, "unit": "mg"}, RKO.EqualTo, "120 mg"),
        ({"value": 61, "unit": "percent", "comparator": "about"}, RKO.Approximately, "about 61 %"),
        ({"min": 500, "unit": "mg"}, RKO.AtLeast, "at least 500 mg"),
        ({"max": 70, "unit": "percent"}, RKO.AtMost, "at most 70 %"),
        (
            {"min": 66.7, "unit": "percent", "comparator": "more-than"},
            RKO.MoreThan,
            "more than 66.7 %",
        ),
        ({"min": 8, "max": 14, "unit": "percent"}, RKO.Between, "8-14 %"),
    ],
)
def test_every_quantity_says_its_comparator(
    fields: dict[str, object], comparator: URIRef, label: str
) -> None:
    graph = Graph()
    node = add_quantity(graph, QuantityRecord.model_validate(fields))
    assert graph.value(node, RKO.comparator) == comparator
    assert str(graph.value(node, RDFS.label)) == label


def test_a_stated_comparator_keeps_the_unqualified_node_as_deprecated() -> None:
    graph = Graph()
    node = add_quantity(
        graph,
        QuantityRecord.model_validate({"value": 61, "unit": "percent", "comparator": "about"}),
    )
    [old] = graph.subjects(DCTERMS.isReplacedBy, node)
    assert old == mint_hashed("quantity", "61", "", "", "percent")
