"""Every IRI of the graph dereferences at its own path: HTML for people, RDF for programs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pyld import jsonld
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.namespaces import RKO
from tests._jsonld_js import jsonld_js_counts

GENE = URIRef("https://w3id.org/rankl-kg/gene/TNFSF11")
EXPRESSION_EVIDENCE = URIRef("https://w3id.org/rankl-kg/assertion/0a1b2c3d4e5f6071")
TARGET_EVIDENCE = URIRef("https://w3id.org/rankl-kg/assertion/1b2c3d4e5f607182")

RDF_CASES = [
    ("text/turtle", "turtle"),
    ("application/ld+json", "json-ld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
]


def parse(body: bytes, rdflib_format: str) -> Graph:
    """Parse a response body back into a graph."""
    return Graph().parse(data=body, format=rdflib_format)


@pytest.mark.parametrize(("mimetype", "rdflib_format"), RDF_CASES)
def test_rdf_clients_get_the_description(
    web_client: FlaskClient, mimetype: str, rdflib_format: str
) -> None:
    response = web_client.get("/gene/TNFSF11", headers={"Accept": mimetype})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    graph = parse(response.data, rdflib_format)
    assert (GENE, RDFS.label, Literal("TNFSF11")) in graph
    assert (GENE, RKO.encodes, URIRef("https://w3id.org/rankl-kg/protein/RANKL")) in graph


JSONLD_DOCUMENTS = [
    pytest.param("/gene/TNFSF11", {}, id="entity"),
    pytest.param("/ontology/Gene", {}, id="ontology-term"),
    pytest.param("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, id="construct"),
    pytest.param("/sparql", {}, id="service-description"),
    pytest.param("/.well-known/void", {}, id="void"),
    pytest.param("/.well-known/sparql-examples", {}, id="sparql-examples"),
]


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize(("path", "query"), JSONLD_DOCUMENTS)
def test_served_jsonld_is_read_offline_by_default_loaders(
    web_client: FlaskClient, path: str, query: dict[str, str]
) -> None:
    """The JSON-LD the server writes needs no context fetch: rdflib and pyld (default document
    loaders) read as many triples as the Turtle of the same resource holds."""
    turtle = web_client.get(path, query_string=query, headers={"Accept": "text/turtle"})
    response = web_client.get(path, query_string=query, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    expected = len(parse(turtle.data, "turtle"))
    assert expected > 0
    assert len(parse(response.data, "json-ld")) == expected
    nquads = jsonld.to_rdf(json.loads(response.data), {"format": "application/n-quads"})
    assert len(Graph().parse(data=nquads, format="nt")) == expected


@pytest.mark.integration
def test_served_jsonld_is_read_offline_by_jsonld_js(
    web_client: FlaskClient, tmp_path: Path
) -> None:
    """jsonld.js (node, default document loader) reads the same triple counts as the Turtle."""
    expected, paths = {}, []
    for index, param in enumerate(JSONLD_DOCUMENTS):
        path, query = param.values
        assert isinstance(path, str) and isinstance(query, dict)
        body = web_client.get(
            path, query_string=query, headers={"Accept": "application/ld+json"}
        ).data
        turtle = web_client.get(path, query_string=query, headers={"Accept": "text/turtle"}).data
        file = tmp_path / f"{index}.jsonld"
        file.write_bytes(body)
        paths.append(file)
        expected[file.resolve()] = len(parse(turtle, "turtle"))
    assert jsonld_js_counts(paths) == expected


def test_description_carries_the_evidence_of_relations_in_both_directions(
    web_client: FlaskClient,
) -> None:
    graph = parse(web_client.get("/gene/TNFSF11?format=ttl").data, "turtle")
    # the gene is the object of the expression statement: its evidence node comes along
    assert (EXPRESSION_EVIDENCE, RDF.object, GENE) in graph
    assert (EXPRESSION_EVIDENCE, RKO.quote, Literal("Breast carcinoma [51–56] [57–60]")) in graph
    assert (EXPRESSION_EVIDENCE, RKO.section, Literal("Table 1")) in graph
    # evidence about other entities, and their own triples, stay out
    assert not list(graph.triples((TARGET_EVIDENCE, None, None)))
    assert not list(graph.triples((URIRef("https://w3id.org/rankl-kg/gene/TNFRSF11A"), None, None)))


def test_turtle_declares_only_the_prefixes_it_uses(web_client: FlaskClient) -> None:
    body = web_client.get("/gene/TNFSF11?format=ttl").data.decode()
    assert "@prefix gene:" in body
    assert "@prefix trial:" not in body


@pytest.mark.parametrize(
    ("value", "mimetype"),
    [
        ("ttl", "text/turtle"),
        ("turtle", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("ntriples", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("html", "text/html"),
    ],
)
def test_format_parameter_wins_over_accept(
    web_client: FlaskClient, value: str, mimetype: str
) -> None:
    response = web_client.get(f"/drug/denosumab?format={value}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == mimetype


@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml;q=0.9"])
def test_browsers_and_plain_clients_get_html(web_client: FlaskClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    response = web_client.get("/drug/denosumab", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Vary"] == "Accept"


def test_accept_q_values_are_honoured(web_client: FlaskClient) -> None:
    accept = "text/html;q=0.5, text/turtle;q=0.9"
    assert web_client.get("/drug/denosumab", headers={"Accept": accept}).mimetype == "text/turtle"


def test_link_header_names_the_alternates(web_client: FlaskClient) -> None:
    link = web_client.get("/drug/denosumab").headers["Link"]
    assert '</drug/denosumab?format=ttl>; rel="alternate"; type="text/turtle"' in link


@pytest.mark.parametrize(
    "path",
    [
        "/publication/renema-2016/ref/51",  # an IRI with slashes in its local part
        "/assertion/0a1b2c3d4e5f6071",
        "/ontology/Gene",
        "/disease/breast-cancer",  # only an object of other triples, plus its own label
    ],
)
def test_every_kind_of_iri_dereferences(web_client: FlaskClient, path: str) -> None:
    response = web_client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    subject = URIRef(f"https://w3id.org/rankl-kg{path}")
    assert list(parse(response.data, "turtle").triples((subject, None, None)))


@pytest.mark.parametrize("path", ["/gene/NOPE", "/ontology/Nothing", "/trial/NCT0 0"])
def test_unknown_iris_are_404(web_client: FlaskClient, path: str) -> None:
    response = web_client.get(path)
    assert response.status_code == 404
    assert "not in the graph" in response.get_data(as_text=True)


def test_unknown_format_is_400_naming_the_choices(web_client: FlaskClient) -> None:
    response = web_client.get("/gene/TNFSF11?format=pdf")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "'format'" in text
    assert "ttl" in text


def test_unacceptable_accept_is_406_listing_the_offer(web_client: FlaskClient) -> None:
    response = web_client.get("/gene/TNFSF11", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)
