"""kg.safe_rdf: RDF/XML DTDs, foreign JSON-LD contexts and owl:imports never get through.

Network-facing cases (a loopback listener that must see zero connections) are in
test_no_outbound.py; these tests check the refusals and what still loads.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.build.graph import build_data_graph, load_ontology
from kg.checks.reasoning import (
    child_output,
    dl_input,
    materialise,
    materialise_result,
    start_materialise,
)
from kg.checks.shapes import load_shapes
from kg.errors import KGError
from kg.exports.jsonld import CONTEXT_IRI
from kg.safe_rdf import UnsafeRdfError, load_rdf, read_checked_rdf
from kg.vocabulary import PREFIXES
from tests.conftest import FIXTURE_CONTENT_DIR
from tests.live_processes import ends_within

LEAK_MARKER = "TOP-SECRET-7f3a"
RDF_XML_HEAD = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/">'
)
LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
{RDF_XML_HEAD}
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&lol3;</ex:p></rdf:Description>
</rdf:RDF>
"""
PLAIN_RDF_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment is fine -->
{RDF_XML_HEAD}
 <rdf:Description rdf:about="http://example.org/s"><ex:p>plain</ex:p></rdf:Description>
</rdf:RDF>
"""


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def external_entity_document(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY xxe SYSTEM "{secret.as_uri()}"> ]>
{RDF_XML_HEAD}
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>
"""


# --- RDF/XML ----------------------------------------------------------------------------------


def test_entity_expansion_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "laughs.rdf", LAUGHS)
    with pytest.raises(
        UnsafeRdfError, match=r"laughs\.rdf, line 2: <!DOCTYPE declarations are not allowed"
    ):
        load_rdf(path)


def test_external_entity_is_refused_and_the_secret_never_read(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", LEAK_MARKER)
    path = write(tmp_path, "xxe.owl", external_entity_document(secret))
    with pytest.raises(UnsafeRdfError) as caught:
        load_rdf(path)
    assert LEAK_MARKER not in str(caught.value)
    with pytest.raises(UnsafeRdfError):
        read_checked_rdf(path)


def test_entity_declaration_without_doctype_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "entity.rdf",
        PLAIN_RDF_XML.replace("<!-- a comment is fine -->", '<!ENTITY x "y">'),
    )
    with pytest.raises(UnsafeRdfError, match=r"line 2: <!ENTITY"):
        load_rdf(path)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(LAUGHS.encode("utf-16"), id="utf-16-with-bom"),
        pytest.param(LAUGHS.encode("utf-16-le"), id="utf-16-without-bom"),
        pytest.param(
            LAUGHS.replace('version="1.0"', 'version="1.0" encoding="ISO-8859-1"').encode(),
            id="declared-latin-1",
        ),
    ],
)
def test_rdfxml_the_scan_cannot_read_is_refused(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(UnsafeRdfError, match="must be encoded in UTF-8"):
        load_rdf(write(tmp_path, "wide.rdf", content))


def test_plain_rdfxml_loads(tmp_path: Path) -> None:
    graph = load_rdf(write(tmp_path, "plain.rdf", PLAIN_RDF_XML))
    assert set(graph) == {
        (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("plain"))
    }


# --- JSON-LD ----------------------------------------------------------------------------------


def jsonld(context: object) -> str:
    return json.dumps({"@context": context, "@id": "http://example.org/s", "rdfs:label": "s"})


@pytest.mark.parametrize(
    ("context", "where"),
    [
        pytest.param("http://example.org/ctx.jsonld", "$.@context", id="remote-iri"),
        pytest.param("file:///etc/passwd", "$.@context", id="file-iri"),
        pytest.param("../secrets/ctx.jsonld", "$.@context", id="relative-path"),
        pytest.param(
            [{"rdfs": str(RDFS)}, "https://example.org/c"], r"$.@context[1]", id="in-an-array"
        ),
        pytest.param(
            {"p": {"@id": "http://example.org/p", "@context": "https://example.org/c"}},
            "$.@context.p.@context",
            id="scoped",
        ),
        pytest.param({"@import": "https://example.org/c"}, "$.@context.@import", id="import"),
    ],
)
def test_foreign_jsonld_context_is_refused_naming_where(
    tmp_path: Path, context: object, where: str
) -> None:
    path = write(tmp_path, "doc.jsonld", jsonld(context))
    with pytest.raises(UnsafeRdfError) as caught:
        load_rdf(path)
    assert caught.value.path == path and caught.value.where == where


def test_context_nested_in_a_node_is_refused(tmp_path: Path) -> None:
    document = {
        "@context": {"rdfs": str(RDFS)},
        "@graph": [{"@id": "http://example.org/s", "@context": "http://example.org/c"}],
    }
    with pytest.raises(UnsafeRdfError, match=r"\$\.@graph\[0\]\.@context"):
        load_rdf(write(tmp_path, "nested.jsonld", json.dumps(document)))


def test_the_project_context_resolves_locally(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ours.jsonld",
        json.dumps({"@context": CONTEXT_IRI, "@id": "gene:TNFSF11", "rdfs:label": "TNFSF11"}),
    )
    graph = load_rdf(path)
    assert set(graph) == {(URIRef(f"{PREFIXES['gene']}TNFSF11"), RDFS.label, Literal("TNFSF11"))}


def test_inline_context_loads(tmp_path: Path) -> None:
    graph = load_rdf(write(tmp_path, "inline.jsonld", jsonld({"rdfs": str(RDFS)})))
    assert set(graph) == {(URIRef("http://example.org/s"), RDFS.label, Literal("s"))}


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(UnsafeRdfError, match=r"broken\.jsonld, content: not valid JSON"):
        load_rdf(write(tmp_path, "broken.jsonld", "{"))


# --- owl:imports ------------------------------------------------------------------------------


def test_owl_imports_are_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(
        tmp_path,
        "onto.ttl",
        "<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        "  <http://www.w3.org/2002/07/owl#imports> <http://example.org/other.owl> .\n",
    )
    with caplog.at_level(logging.WARNING, logger="kg.safe_rdf"):
        graph = load_rdf(path)
    assert set(graph) == {(URIRef("http://example.org/o"), RDF.type, OWL.Ontology)}
    assert (
        "onto.ttl: owl:imports ignored" in caplog.text
        and "http://example.org/other.owl" in caplog.text
    )


def test_the_build_parses_the_ontology_and_shapes_through_the_checks(tmp_path: Path) -> None:
    ontology = write(
        tmp_path,
        "onto.ttl",
        "<http://example.org/o> <http://www.w3.org/2002/07/owl#imports> <http://example.org/x> .\n",
    )
    assert len(load_ontology(ontology)) == 0
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    write(
        shapes,
        "a.ttl",
        "<http://example.org/s> <http://www.w3.org/2002/07/owl#imports> <http://example.org/x> .\n",
    )
    assert len(load_shapes(shapes)) == 0


def test_hermit_input_has_no_owl_imports(tmp_path: Path) -> None:
    ontology = load_rdf(
        write(
            tmp_path,
            "onto.ttl",
            "<http://example.org/o> a <http://www.w3.org/2002/07/owl#Ontology> .\n",
        )
    )
    ontology.add((URIRef("http://example.org/o"), OWL.imports, URIRef("http://example.org/x.owl")))
    assert not list(dl_input(ontology, ontology).triples((None, OWL.imports, None)))


# --- the server's entry point -----------------------------------------------------------------


def test_server_loads_checked_content_into_pyoxigraph(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ours.jsonld",
        json.dumps({"@context": CONTEXT_IRI, "@id": "gene:TNFSF11", "rdfs:label": "TNFSF11"}),
    )
    store = pyoxigraph.Store()
    store.load(
        input=read_checked_rdf(path), format=pyoxigraph.RdfFormat.JSON_LD, base_iri=path.as_uri()
    )
    assert len(store) == 1


def test_server_entry_point_refuses_unknown_suffixes(tmp_path: Path) -> None:
    with pytest.raises(UnsafeRdfError, match=r"unknown RDF suffix '\.exe'"):
        read_checked_rdf(write(tmp_path, "graph.exe", "x"))


# --- the reasoners' deadline ------------------------------------------------------------------


def test_a_child_past_its_deadline_is_killed_with_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    script = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen(['sleep', '600'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "sys.stdout.flush()\ntime.sleep(600)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    with pytest.raises(KGError, match="sleeper did not finish within 2 s"):
        child_output(process, "sleeper", 2)
    grandchild = int(pid_file.read_text())
    assert ends_within(grandchild, seconds=5)


def test_materialisation_in_a_child_matches_the_in_process_one(tmp_path: Path) -> None:
    ontology = load_ontology()
    data = build_data_graph(FIXTURE_CONTENT_DIR)
    inferred = materialise_result(start_materialise(ontology, data, tmp_path))
    assert set(inferred) == set(materialise(ontology, data)) and len(inferred) > 0
