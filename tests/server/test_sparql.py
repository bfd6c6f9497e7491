"""The SPARQL 1.1 Protocol endpoint through Flask's test client."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, URIRef, Variable
from rdflib.query import Result

from tests.server.conftest import DATA_DIR, close_workers, make_app

RKO = "https://w3id.org/rankl-kg/ontology/"
GENES_QUERY = f"SELECT ?gene WHERE {{ ?gene a <{RKO}Gene> }} ORDER BY ?gene"
GENES = [
    "https://w3id.org/rankl-kg/gene/TNFRSF11A",
    "https://w3id.org/rankl-kg/gene/TNFRSF11B",
    "https://w3id.org/rankl-kg/gene/TNFSF11",
]
CONSTRUCT_QUERY = f"CONSTRUCT {{ ?p <{RKO}encodedBy> ?g }} WHERE {{ ?g <{RKO}encodes> ?p }}"


def json_bindings(body: bytes, variable: str) -> list[str]:
    """Return the values of ``variable`` in a SPARQL JSON result."""
    data = json.loads(body)
    return [row[variable]["value"] for row in data["results"]["bindings"]]


def test_get_select_returns_json_by_default(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": GENES_QUERY})
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert json_bindings(response.data, "gene") == GENES


def test_post_form_and_post_direct_give_the_same_rows(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": GENES_QUERY})
    direct = client.post(
        "/sparql", data=GENES_QUERY.encode(), content_type="application/sparql-query"
    )
    assert form.status_code == direct.status_code == 200
    assert json_bindings(form.data, "gene") == json_bindings(direct.data, "gene") == GENES


@pytest.mark.parametrize(
    ("accept", "mimetype"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_format_follows_accept_q_values(
    client: FlaskClient, accept: str, mimetype: str
) -> None:
    response = client.get(
        "/sparql", query_string={"query": GENES_QUERY}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.vary


def test_select_results_parse_back_in_every_format(client: FlaskClient) -> None:
    def fetch(name: str) -> bytes:
        query = {"query": GENES_QUERY, "format": name}
        return bytes(client.get("/sparql", query_string=query).data)

    xml_result = Result.parse(io.BytesIO(fetch("xml")), format="xml")
    xml_rows = [str(row[Variable("gene")]) for row in xml_result.bindings]
    csv_rows = [row["gene"] for row in csv.DictReader(io.StringIO(fetch("csv").decode()))]
    tsv_lines = fetch("tsv").decode().splitlines()
    assert xml_rows == csv_rows == GENES
    assert tsv_lines == ["?gene", *(f"<{gene}>" for gene in GENES)]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(
    client: FlaskClient, accept: str, rdflib_format: str
) -> None:
    response = client.get(
        "/sparql", query_string={"query": CONSTRUCT_QUERY}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.mimetype == accept
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == 3
    assert (
        URIRef("https://w3id.org/rankl-kg/protein/RANKL"),
        URIRef(f"{RKO}encodedBy"),
        URIRef("https://w3id.org/rankl-kg/gene/TNFSF11"),
    ) in graph


def test_describe_defaults_to_turtle(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": "DESCRIBE <https://w3id.org/rankl-kg/drug/denosumab>"}
    )
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert URIRef("https://w3id.org/rankl-kg/drug/denosumab") in set(graph.subjects())


@pytest.mark.parametrize(
    ("name", "expected"),
    [("json", b'"boolean":true'), ("xml", b"<boolean>true</boolean>"), ("csv", b"true")],
)
def test_ask(client: FlaskClient, name: str, expected: bytes) -> None:
    query = f"ASK {{ ?drug <{RKO}targets> ?protein }}"
    response = client.get("/sparql", query_string={"query": query, "format": name})
    assert response.status_code == 200
    assert expected in response.data


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": GENES_QUERY, "format": "csv"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert response.mimetype == "text/csv"


def test_format_for_the_wrong_result_kind_is_406(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": GENES_QUERY, "format": "turtle"})
    assert response.status_code == 406


def test_unknown_format_is_400_naming_the_choices(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": GENES_QUERY, "format": "yaml"})
    assert response.status_code == 400
    assert b"use one of json, xml" in response.data


def test_unacceptable_accept_is_406(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": GENES_QUERY}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406


def test_syntax_error_is_400_with_parser_position(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.data.startswith(b"Malformed query: error at 1:")
    assert response.data.count(b"\n") == 1


def test_unknown_prefix_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ex:p ?o }"})
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_get_405(client: FlaskClient, method: str) -> None:
    response = getattr(client, method)("/sparql")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_unknown_post_media_type_is_415(client: FlaskClient, content_type: str | None) -> None:
    response = client.post("/sparql", data=GENES_QUERY.encode(), content_type=content_type)
    assert response.status_code == 415


def test_non_utf8_charset_is_415(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=GENES_QUERY.encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
    )
    assert response.status_code == 415


def test_invalid_utf8_body_is_400(client: FlaskClient) -> None:
    response = client.post(
        "/sparql", data=b"SELECT * WHERE { ?s ?p '\xff' }", content_type="application/sparql-query"
    )
    assert response.status_code == 400


def test_two_query_parameters_are_400(client: FlaskClient) -> None:
    query = urlencode([("query", GENES_QUERY), ("query", GENES_QUERY)])
    response = client.get(f"/sparql?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "query_string": {"update": "DROP ALL"}},
        {"method": "POST", "data": {"update": "DROP ALL"}},
        {"method": "POST", "data": b"DROP ALL", "content_type": "application/sparql-update"},
    ],
)
def test_update_requests_are_403(client: FlaskClient, request_kwargs: dict[str, object]) -> None:
    response = client.open("/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert b"read-only" in response.data


def test_update_in_query_parameter_is_400(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "DROP ALL"})
    assert response.status_code == 400


def test_service_and_from_are_refused_with_400(client: FlaskClient) -> None:
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    from_file = "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"
    responses = [client.get("/sparql", query_string={"query": q}) for q in (service, from_file)]
    assert [r.status_code for r in responses] == [400, 400]
    assert b"SERVICE" in responses[0].data
    assert b"FROM" in responses[1].data


def test_deep_nesting_is_refused(client: FlaskClient) -> None:
    query = "SELECT * WHERE " + "{" * 40 + " ?s ?p ?o " + "}" * 40
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert b"nesting depth 40" in response.data


def test_body_over_max_content_length_is_413(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"query": "#" + "x" * 70_000})
    assert response.status_code == 413


def test_query_over_max_chars_is_413(client: FlaskClient) -> None:
    query = GENES_QUERY + " " * 20_001
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert response.status_code == 413
    assert b"Query too long" in response.data


def test_protocol_dataset_selects_graphs() -> None:
    graph_iri = "http://example.org/graph/extra"
    app = make_app({"EXTRA_NAMED_GRAPHS": {graph_iri: str(DATA_DIR / "extra-graph.nt")}})
    client = app.test_client()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        own = client.get("/sparql", query_string={"query": count})
        chosen = client.get(
            "/sparql", query_string={"query": count, "default-graph-uri": graph_iri}
        )
        named = client.get(
            "/sparql",
            query_string={
                "query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                "named-graph-uri": graph_iri,
            },
        )
    finally:
        close_workers(app)
    assert json_bindings(own.data, "n") == ["43"]
    assert json_bindings(chosen.data, "n") == ["1"]
    assert json_bindings(named.data, "g") == [graph_iri]


def test_get_results_are_cacheable_and_timed(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": GENES_QUERY})
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    assert int(response.headers["X-Query-Time-Ms"]) >= 0
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Result-Row-Limit"] == "100000"


def test_row_cap_is_422_asking_for_limit_never_a_truncated_200() -> None:
    app = make_app({"MAX_RESULT_ROWS": 2})
    client = app.test_client()
    try:
        select = client.get("/sparql", query_string={"query": GENES_QUERY})
        construct = client.get("/sparql", query_string={"query": CONSTRUCT_QUERY})
        limited = client.get("/sparql", query_string={"query": GENES_QUERY + " LIMIT 2"})
    finally:
        close_workers(app)
    for refused in (select, construct):
        assert refused.status_code == 422
        assert refused.data == b"Result exceeds 2 rows; add LIMIT/OFFSET\n"
    assert limited.status_code == 200
    assert json_bindings(limited.data, "gene") == GENES[:2]


def test_result_over_byte_cap_is_422() -> None:
    app = make_app({"MAX_RESULT_BYTES": 100})
    try:
        response = app.test_client().get(
            "/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"}
        )
    finally:
        close_workers(app)
    assert response.status_code == 422


def test_query_past_deadline_is_503_and_the_next_query_works() -> None:
    app = make_app({"QUERY_TIMEOUT_S": 0.5})
    client = app.test_client()
    endless = (
        "SELECT (COUNT(*) AS ?n) WHERE "
        "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t }"
    )
    try:
        slow = client.get("/sparql", query_string={"query": endless})
        after = client.get("/sparql", query_string={"query": GENES_QUERY})
    finally:
        close_workers(app)
    assert slow.status_code == 503
    assert slow.data.startswith(b"Query timed out after 0.5 s")
    assert "Retry-After" in slow.headers
    assert after.status_code == 200


#: An ORDER BY over a 4-way cartesian product: pyoxigraph aborts on allocation failure
MEMORY_BOMB = (
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?i ?c ?l LIMIT 10"
)


def test_memory_limit_breach_is_503_naming_the_limit_and_the_next_query_works() -> None:
    limit = 400_000_000
    app = make_app({"WORKER_MEMORY_BYTES": limit})
    client = app.test_client()
    try:
        broken = client.get("/sparql", query_string={"query": MEMORY_BOMB})
        after = client.get("/sparql", query_string={"query": GENES_QUERY})
    finally:
        close_workers(app)
    assert broken.status_code == 503
    assert broken.mimetype == "text/plain"
    assert f"WORKER_MEMORY_BYTES = {limit} bytes" in broken.text
    assert broken.text.startswith("Query exceeded the memory limit")
    assert int(broken.headers["Retry-After"]) > 0
    assert after.status_code == 200
    assert json_bindings(after.data, "gene") == GENES
