"""Service description, VoID, examples, /health, /metrics, CORS and the app factory."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID

from server.backends.oxigraph_store import GraphLoadError
from server.config import DEFAULTS, ConfigError
from server.describe import DATASET_IRI, QUERY_TIMEOUT, RESULT_ROW_LIMIT, SD
from server.state import ServerState
from tests.server.conftest import MINI_KG_PATH, make_app

SH = Namespace("http://www.w3.org/ns/shacl#")
RKO = Namespace("https://w3id.org/rankl-kg/ontology/")


def test_service_description_at_the_endpoint(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert float(str(graph.value(service, QUERY_TIMEOUT))) == DEFAULTS.query_timeout_s
    assert graph.value(service, RESULT_ROW_LIMIT) == Literal(DEFAULTS.max_result_rows)


def test_service_description_as_json_ld(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"format": "jsonld"})
    assert response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) > 10


def test_void_counts_classes_properties_and_linksets(client: FlaskClient) -> None:
    response = client.get("/.well-known/void")
    graph = Graph().parse(data=response.data, format="turtle")
    assert graph.value(DATASET_IRI, VOID.triples) == Literal(43)
    genes = {
        graph.value(p, VOID.entities)
        for p in graph.objects(DATASET_IRI, VOID.classPartition)
        if graph.value(p, VOID["class"]) == RKO.Gene
    }
    assert genes == {Literal(3)}
    hgnc = [
        linkset
        for linkset in graph.subjects(RDF.type, VOID.Linkset)
        if graph.value(graph.value(linkset, VOID.objectsTarget), VOID.uriSpace)
        == Literal("https://identifiers.org/hgnc:")
    ]
    assert len(hgnc) == 1
    assert graph.value(hgnc[0], VOID.triples) == Literal(3)


def test_examples_are_served(client: FlaskClient) -> None:
    response = client.get("/.well-known/sparql-examples", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.SPARQLExecutable))) == 1


def test_health_reports_the_graph(client: FlaskClient) -> None:
    health = client.get("/health").get_json()
    assert health["status"] == "ok"
    assert health["triples"] == 43
    assert len(health["graph_version"]) == 64


def test_metrics_count_queries(client: FlaskClient) -> None:
    client.get("/sparql", query_string={"query": "ASK {}"})
    client.get("/sparql", query_string={"query": "ASK {"})
    text = client.get("/metrics").data.decode()
    assert 'rankl_kg_sparql_queries_total{outcome="ok"}' in text
    assert 'rankl_kg_sparql_queries_total{outcome="MalformedQueryError"}' in text
    assert "rankl_kg_graph_triples 43.0" in text


def test_cors_preflight_is_204_without_credentials(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_errors_carry_cors_headers_and_no_traceback(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert b"Traceback" not in response.data


def test_factory_defaults(app: Flask) -> None:
    assert ServerState.of(app).settings.max_nesting == 16
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024  # Flask's own key, from the settings
    assert not app.debug


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RANKL_KG_MAX_RESULT_ROWS", "7")
    monkeypatch.setenv("RANKL_KG_GRAPH_PATH", str(MINI_KG_PATH))
    app = make_app({"GRAPH_PATH": MINI_KG_PATH})
    assert ServerState.of(app).settings.max_result_rows == 7


def test_missing_graph_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="run 'rankl-kg build' first"):
        make_app({"GRAPH_PATH": tmp_path / "absent.ttl"})


def test_bad_limit_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="QUERY_TIMEOUT_S must be a positive number"):
        make_app({"QUERY_TIMEOUT_S": 0})


def test_unparsable_graph_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://e/a> <http://e/p> .\n")
    with pytest.raises(GraphLoadError, match=r"broken\.ttl: cannot parse"):
        make_app({"GRAPH_PATH": broken})


def test_void_names_endpoint_uri_space_and_version(client: FlaskClient) -> None:
    from kg import __release_date__, __version__
    from server.describe import PAV

    graph = Graph().parse(
        data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
        format="turtle",
    )
    assert graph.value(DATASET_IRI, VOID.sparqlEndpoint) == URIRef("http://localhost/sparql")
    assert graph.value(DATASET_IRI, VOID.uriSpace) == Literal("https://w3id.org/rankl-kg/")
    assert graph.value(DATASET_IRI, PAV.version) == Literal(__version__)
    assert (
        str(graph.value(DATASET_IRI, URIRef("http://purl.org/dc/terms/issued"))) == __release_date__
    )
