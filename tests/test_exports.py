"""Every export format: produced, byte-stable, and read back by a parser the project did not write.

The fixture content is exported without the build's gates (they have their own tests). Each
round trip is compared with the graph it was made from: isomorphic for the RDF formats, the
same counts for the lossy tabular ones (KGX, SSSOM, CSV), with what they leave out said below.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from importlib.resources import files as package_files
from pathlib import Path

import owlready2
import pyoxigraph
import pytest
from bmt import Toolkit
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS
from sssom.parsers import parse_sssom_table

import kg
from kg.build.graph import build_data_graph, load_ontology, merge
from kg.checks.links import entity_links
from kg.checks.reasoning import materialise
from kg.exports import REGISTRY, ExportFile, ExportSource, export_all, get_exporter
from kg.exports.base import Exporter
from kg.exports.jsonld import CONTEXT_FILENAME, CONTEXT_IRI
from kg.exports.kgx import AGENT_TYPE, INFORES_AGGREGATOR, KNOWLEDGE_LEVEL, curated_edges
from kg.exports.manifest import build_manifest
from kg.exports.void import add_data_dumps
from kg.namespaces import RKO
from kg.release.assemble import BuildResult, release_files
from kg.safe_rdf import load_rdf
from tests._jsonld_js import jsonld_js_counts
from tests.conftest import FIXTURE_CONTENT_DIR


def export_source() -> ExportSource:
    """The fixture content's graphs, parsed afresh (so blank-node labels differ every time)."""
    ontology = load_ontology()
    data = build_data_graph(FIXTURE_CONTENT_DIR)
    return ExportSource(ontology, data, merge(ontology, data), materialise(ontology, data))


@pytest.fixture(scope="module")
def source() -> ExportSource:
    return export_source()


@pytest.fixture(scope="module")
def source_again() -> ExportSource:
    return export_source()


@pytest.fixture(scope="module")
def exported(fixture_release: BuildResult) -> Path:
    """The folder of the fixture release, as the build wrote it (read-only)."""
    return fixture_release.release_dir


def by_name(files: list[ExportFile]) -> dict[str, ExportFile]:
    return {file.name: file for file in files}


def rapper(path: Path, syntax: str) -> Graph:
    """Parse ``path`` with raptor's rapper and return its N-Triples output as a graph."""
    if shutil.which("rapper") is None:
        pytest.fail(
            "rapper is not installed; run scripts/install-system-deps.sh (Debian raptor2-utils)"
        )
    result = subprocess.run(
        [
            "rapper",
            "--quiet",
            "--input",
            syntax,
            "--output",
            "ntriples",
            str(path),
            "https://w3id.org/rankl-kg/",
        ],
        capture_output=True,
        check=True,
    )
    return Graph().parse(data=result.stdout.decode("utf-8"), format="nt")


# --- the registry and the release ---------------------------------------------------------


def test_every_format_is_in_the_release(exported: Path) -> None:
    names = {path.name for path in exported.iterdir()}
    expected = {
        "rankl-kg.ttl",
        "rankl-kg-ontology.ttl",
        "rankl-kg-data.ttl",
        "rankl-kg-inferred.ttl",
        "rankl-kg.nt.gz",
        "rankl-kg.jsonld",
        CONTEXT_FILENAME,
        "rankl-kg-ontology.owl",
        "rankl-kg_nodes.tsv",
        "rankl-kg_edges.tsv",
        "rankl-kg.sssom.tsv",
        "rankl-kg-trials.csv",
        "rankl-kg-expression.csv",
        "rankl-kg-drug-targets.csv",
        "rankl-kg-search.sqlite",
        "CHANGELOG.tsv",
        "manifest.json",
    }
    assert names == expected


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="turtle"):
        get_exporter("excel")


def test_duplicate_exporter_name_is_refused() -> None:
    with pytest.raises(TypeError, match="duplicate exporter name 'turtle'"):
        type("AnotherTurtle", (Exporter,), {"name": "turtle", "export": lambda self, source: []})


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_each_format_is_byte_identical_from_a_fresh_parse(
    name: str, source: ExportSource, source_again: ExportSource
) -> None:
    assert by_name(export_all(source, [name])) == by_name(export_all(source_again, [name]))


def test_release_is_byte_identical_when_rebuilt_in_place(
    source_again: ExportSource, exported: Path
) -> None:
    rebuilt = release_files(source_again, exported)
    assert {file.name: file.content for file in rebuilt} == {
        p.name: p.read_bytes() for p in exported.iterdir()
    }


def test_gzip_header_has_no_name_and_no_time(exported: Path) -> None:
    header = (exported / "rankl-kg.nt.gz").read_bytes()[:10]
    flags, mtime = header[3], int.from_bytes(header[4:8], "little")
    assert (flags & 0x08, mtime) == (0, 0)


# --- the manifest -------------------------------------------------------------------------


def test_manifest_lists_every_other_file_with_its_hash_and_counts(
    exported: Path, source: ExportSource
) -> None:
    manifest = json.loads((exported / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["name"]: entry for entry in manifest["files"]}
    assert set(entries) == {path.name for path in exported.iterdir()} - {"manifest.json"}
    for name, entry in entries.items():
        content = (exported / name).read_bytes()
        assert entry["bytes"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert entries["rankl-kg.ttl"]["triples"] == len(source.merged)
    assert entries["rankl-kg-ontology.owl"]["triples"] == len(source.ontology)
    assert manifest["version"] == kg.__version__


def test_manifest_entry_changes_with_content() -> None:
    one = build_manifest([ExportFile("a.csv", b"x\n", "text/csv", "a", rows=1)])
    two = build_manifest([ExportFile("a.csv", b"y\n", "text/csv", "a", rows=1)])
    assert one.content != two.content


# --- RDF formats, read back by raptor (rapper), pyld and owlready2 ------------------------


@pytest.mark.parametrize(
    ("filename", "graph_of"),
    [
        ("rankl-kg.ttl", lambda s: s.merged),
        ("rankl-kg-ontology.ttl", lambda s: s.ontology),
        ("rankl-kg-data.ttl", lambda s: s.data),
        ("rankl-kg-inferred.ttl", lambda s: merge(s.merged, s.inferred or Graph())),
    ],
)
def test_turtle_read_by_rapper_is_isomorphic(
    filename: str, graph_of: Callable[[ExportSource], Graph], exported: Path, source: ExportSource
) -> None:
    assert isomorphic(rapper(exported / filename, "turtle"), graph_of(source))


@pytest.mark.parametrize("filename", ["rankl-kg.ttl", "rankl-kg-data.ttl", "rankl-kg-inferred.ttl"])
def test_turtle_has_no_escaped_local_names(filename: str, exported: Path) -> None:
    """``trial:NCT00321464\\/regimen\\/1`` is valid Turtle 1.1, but Virtuoso 7 loads it as an IRI
    with backslashes: such IRIs are written in full instead."""
    text = (exported / filename).read_text(encoding="utf-8")
    assert "\\/" not in text


def test_inferred_turtle_adds_the_inferences(exported: Path, source: ExportSource) -> None:
    assert source.inferred is not None and len(source.inferred) > 0
    parsed = rapper(exported / "rankl-kg-inferred.ttl", "turtle")
    assert len(parsed) == len(source.merged | source.inferred) > len(source.merged)


def test_ntriples_gzip_read_by_rapper_is_isomorphic(
    exported: Path, source: ExportSource, tmp_path: Path
) -> None:
    plain = tmp_path / "rankl-kg.nt"
    plain.write_bytes(gzip.decompress((exported / "rankl-kg.nt.gz").read_bytes()))
    assert isomorphic(rapper(plain, "ntriples"), source.merged)


def test_rdfxml_ontology_read_by_rapper_is_isomorphic(exported: Path, source: ExportSource) -> None:
    assert isomorphic(rapper(exported / "rankl-kg-ontology.owl", "rdfxml"), source.ontology)


def test_rdfxml_ontology_loads_in_owlready2(exported: Path, source: ExportSource) -> None:
    world = owlready2.World()
    ontology = world.get_ontology(f"file://{exported / 'rankl-kg-ontology.owl'}").load()
    loaded = {cls.iri for cls in ontology.classes()}
    expected = {
        str(cls)
        for cls in source.ontology.subjects(RDF.type, OWL.Class)
        if isinstance(cls, URIRef) and str(cls).startswith(str(RKO._NS))
    }
    assert expected and expected <= loaded
    assert (
        world[str(RKO.Cancer)] is not None
        and world[str(RKO.Disease)] in world[str(RKO.Cancer)].is_a
    )


def turtle_count(path: Path) -> int:
    """The distinct triples of a Turtle file, as pyoxigraph reads them."""
    return len(set(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE)))


def test_jsonld_carries_the_published_context_inline(exported: Path) -> None:
    document = json.loads((exported / "rankl-kg.jsonld").read_text(encoding="utf-8"))
    published = json.loads((exported / CONTEXT_FILENAME).read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict) and document["@context"] == published["@context"]
    assert CONTEXT_IRI.endswith(f"/{CONTEXT_FILENAME}")


@pytest.mark.usefixtures("no_network")
def test_jsonld_read_by_pyld_with_its_default_loader_is_isomorphic(
    exported: Path, source: ExportSource
) -> None:
    document = json.loads((exported / "rankl-kg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    graph = Graph().parse(data=nquads, format="nt")
    assert isomorphic(graph, source.merged)
    assert len(graph) == turtle_count(exported / "rankl-kg.ttl")


@pytest.mark.usefixtures("no_network")
def test_jsonld_read_by_plain_rdflib_is_isomorphic(exported: Path, source: ExportSource) -> None:
    """``Graph().parse(file)`` as anyone would call it: no safe loader, no document loader set."""
    graph = Graph().parse(exported / "rankl-kg.jsonld")
    assert isomorphic(graph, source.merged)
    assert len(graph) == turtle_count(exported / "rankl-kg.ttl")


@pytest.mark.integration
def test_jsonld_read_by_jsonld_js_with_its_default_loader_has_the_turtle_triples(
    exported: Path,
) -> None:
    """jsonld.js (node) reads each JSON-LD file of the release offline; the graph file gives the
    triples of the Turtle, the context file (a context alone) none."""
    graph, context = exported / "rankl-kg.jsonld", exported / CONTEXT_FILENAME
    counts = jsonld_js_counts([graph, context])
    assert counts == {
        graph.resolve(): turtle_count(exported / "rankl-kg.ttl"),
        context.resolve(): 0,
    }


def test_jsonld_read_by_rdflib_through_the_safe_loader_is_isomorphic(
    exported: Path, source: ExportSource
) -> None:
    assert isomorphic(load_rdf(exported / "rankl-kg.jsonld", Graph()), source.merged)


def test_rdfxml_ontology_read_by_rdflib_through_the_safe_loader_is_isomorphic(
    exported: Path, source: ExportSource
) -> None:
    assert isomorphic(load_rdf(exported / "rankl-kg-ontology.owl", Graph()), source.ontology)


# --- tabular formats: same counts (lossy by design) ---------------------------------------


@pytest.fixture(scope="module")
def biolink() -> Toolkit:
    """The Biolink Model Toolkit on the model the biolink-model package ships (no download)."""
    schema = str(package_files("biolink_model") / "schema" / "biolink_model.yaml")
    return Toolkit(schema, predicate_map={"predicate mappings": []})


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_kgx_nodes_have_biolink_categories(exported: Path, biolink: Toolkit) -> None:
    nodes = read_tsv(exported / "rankl-kg_nodes.tsv")
    categories = {category for node in nodes for category in node["category"].split("|")}
    assert {"biolink:Gene", "biolink:Protein", "biolink:Disease", "biolink:Drug"} <= categories
    assert all(biolink.is_category(category) for category in categories), categories
    assert all(biolink.get_element(column) is not None for column in nodes[0]), list(nodes[0])


def test_kgx_edges_have_biolink_predicates_and_provenance(exported: Path, biolink: Toolkit) -> None:
    edges = read_tsv(exported / "rankl-kg_edges.tsv")
    assert all(biolink.is_predicate(edge["predicate"]) for edge in edges), {
        edge["predicate"] for edge in edges
    }
    assert all(biolink.get_element(column) is not None for column in edges[0]), list(edges[0])
    levels = set(biolink.view.get_enum("KnowledgeLevelEnum").permissible_values)
    agents = set(biolink.view.get_enum("AgentTypeEnum").permissible_values)
    for edge in edges:
        assert (edge["knowledge_level"], edge["agent_type"]) == (KNOWLEDGE_LEVEL, AGENT_TYPE)
        assert edge["knowledge_level"] in levels and edge["agent_type"] in agents
        assert edge["primary_knowledge_source"].startswith(f"{INFORES_AGGREGATOR}-")
        assert edge["aggregator_knowledge_source"] == INFORES_AGGREGATOR
        assert edge["publications"].startswith(("PMID:", "doi:"))
    assert "biolink:expresses" in {edge["predicate"] for edge in edges}


def test_kgx_counts_match_the_graph(exported: Path, source: ExportSource) -> None:
    """Lossy: typing assertions become categories, literal-valued assertions are left out."""
    edges = read_tsv(exported / "rankl-kg_edges.tsv")
    node_ids = {node["id"] for node in read_tsv(exported / "rankl-kg_nodes.tsv")}
    assert len(edges) == len(curated_edges(source.merged)) > 0
    assert {edge["subject"] for edge in edges} | {edge["object"] for edge in edges} <= node_ids


def test_sssom_read_by_sssom_py_has_every_entity_link(exported: Path, source: ExportSource) -> None:
    mapping_set = parse_sssom_table(exported / "rankl-kg.sssom.tsv")
    assert len(mapping_set.df) == len(entity_links(source.merged)) > 0
    assert set(mapping_set.df["predicate_id"]) == {"skos:exactMatch"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_tables_have_one_row_per_graph_record(exported: Path, source: ExportSource) -> None:
    graph = source.merged
    trials = read_csv(exported / "rankl-kg-trials.csv")
    expression = read_csv(exported / "rankl-kg-expression.csv")
    targets = read_csv(exported / "rankl-kg-drug-targets.csv")
    assert len(trials) == len(set(graph.subjects(RDF.type, RKO.ClinicalTrial))) > 0
    assert len(expression) == len(set(graph.subjects(RDF.predicate, RKO.expresses))) > 0
    assert {row["target"] for row in targets if row["drug"] == "drug:denosumab"} == {
        "protein:TNFSF11"
    }
    assert all(row["nct_id"].startswith("NCT") and row["enrollment"].isdigit() for row in trials)


# --- the VoID helper for the endpoint -----------------------------------------------------


def test_void_links_every_rdf_dump(exported: Path) -> None:
    graph, dataset = Graph(), URIRef("https://w3id.org/rankl-kg/void#dataset")
    linked = add_data_dumps(graph, dataset, exported, "http://127.0.0.1:8000/download/")
    dumps = {
        str(dump) for dump in graph.objects(dataset, URIRef("http://rdfs.org/ns/void#dataDump"))
    }
    assert linked == len(dumps) == 7
    assert "http://127.0.0.1:8000/download/rankl-kg.nt.gz" in dumps
    assert "http://127.0.0.1:8000/download/rankl-kg_edges.tsv" not in dumps


def test_void_without_a_manifest_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="rankl-kg build"):
        add_data_dumps(Graph(), URIRef("urn:x"), tmp_path, "http://127.0.0.1/")


def test_kgx_categories_come_from_exact_matches_only(source: ExportSource) -> None:
    """The Assertion class is only a close match of biolink:Association: no node gets it."""
    assert (
        RKO.Assertion,
        SKOS.closeMatch,
        URIRef("https://w3id.org/biolink/vocab/Association"),
    ) in source.ontology
    nodes = by_name(export_all(source, ["kgx"]))["rankl-kg_nodes.tsv"].content.decode("utf-8")
    assert "biolink:Association" not in nodes
    assert io.StringIO(nodes).readline().startswith("id\tcategory")
