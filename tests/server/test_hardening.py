"""Issue 7: refusals the guard closes, request limits, per-client budgets, no leaks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server.backends.oxigraph_store import GraphLoadError
from server.errors import MalformedQueryError, RefusedQueryError, ResultTooLargeError
from server.guard import GuardLimits, check_query
from server.throttle import ClientBudget, ClientThrottle, TooManyRequestsError
from tests.server.conftest import close_workers, make_app

LIMITS = GuardLimits(max_chars=20_000, max_nesting=16)
CANARY = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize(
    "query",
    [
        # '<' read as an IRI would hide SERVICE / FROM / depth from a lexical guard (T1, T2, T8)
        f"SELECT * WHERE {{ VALUES ?v {{ <{CANARY}> }} FILTER(?x<1)SERVICE?v#>\n{{ ?s ?p ?o }} }}",
        "SELECT (1<2 AS ?a)FROM#>\n<file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { FILTER(?a<" + "(" * 5000 + "1" + ")" * 5000 + ">?b) }",
        "SELECT * WHERE { FILTER(?a<'x')SERVICE<" + CANARY + ">#'>\n{ ?s ?p ?o } }",
    ],
)
def test_less_than_cannot_hide_refused_syntax(query: str) -> None:
    with pytest.raises(RefusedQueryError):
        check_query(query, LIMITS)


@pytest.mark.parametrize("escaped", ["\\'", "\\#"])
def test_escapes_in_prefixed_names_cannot_hide_service(escaped: str) -> None:
    query = (
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a{escaped} ?o .\n"
        f"SERVICE <{CANARY}> {{ ?s ?p ?o }} ?s ex:b{escaped} ?o }}"
    )
    with pytest.raises(RefusedQueryError, match="SERVICE"):
        check_query(query, LIMITS)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?o }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o<?p&&?s>?o) FILTER(?o < 3) }",
        "SELECT * WHERE { ?s ?p (?x <http://e/b> 1) }",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (<http://e/a#b>, <http://e/(c)>)) }",
    ],
)
def test_ordinary_iris_and_comparisons_pass(query: str) -> None:
    check_query(query, LIMITS)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> 1 }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        f"LOAD <{CANARY}>",
        "CLEAR ALL",
        "CREATE GRAPH <http://e/g>",
        "DROP SILENT DEFAULT",
        "COPY DEFAULT TO <http://e/g>",
        "MOVE <http://e/a> TO <http://e/b>",
        "ADD <http://e/a> TO <http://e/b>",
    ],
)
def test_every_update_form_is_refused_over_http(client: FlaskClient, update: str) -> None:
    as_query = client.get("/sparql", query_string={"query": update})
    as_update = client.post("/sparql", data={"update": update})
    as_body = client.post(
        "/sparql", data=update, headers={"Content-Type": "application/sparql-update"}
    )
    assert as_query.status_code == 400
    assert (as_update.status_code, as_body.status_code) == (403, 403)
    assert as_body.data.count(b"\n") == 1


def test_long_request_target_is_414(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "x" * 9000})
    assert response.status_code == 414
    assert response.data == b"URI too long: 9014 characters (limit 8190)\n"


def test_oversized_headers_are_431(client: FlaskClient) -> None:
    response = client.get("/health", headers={"X-Padding": "p" * 20_000})
    assert response.status_code == 431
    assert response.data.startswith(b"Request header fields too large")


def test_chunked_body_over_the_limit_is_413_not_cut(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 100_000,
        headers={"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.data == b"Request body too large (limit 65536 bytes)\n"


def test_chunked_body_under_the_limit_is_answered(client: FlaskClient) -> None:
    response = client.post(
        "/sparql",
        data=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 200
    assert response.json == {"head": {}, "boolean": True}


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_limits_concurrency_per_client() -> None:
    throttle = ClientThrottle(ClientBudget(2, 60.0, 30))
    with (
        throttle.admit("a"),
        throttle.admit("a"),
        throttle.admit("b"),
        pytest.raises(TooManyRequestsError) as refused,
        throttle.admit("a"),
    ):
        pass
    assert refused.value.headers == {"Retry-After": "1"}
    with throttle.admit("a"):
        pass


def test_throttle_time_budget_recovers_after_the_window() -> None:
    clock = FakeClock()
    throttle = ClientThrottle(ClientBudget(2, 10.0, 30), clock=clock)
    with throttle.admit("a"):
        clock.now += 11.0
    with pytest.raises(TooManyRequestsError, match="time budget") as refused, throttle.admit("a"):
        pass
    assert refused.value.headers == {"Retry-After": "60"}
    clock.now += 61.0
    with throttle.admit("a"):
        pass


def test_throttle_counts_only_expensive_failures() -> None:
    throttle = ClientThrottle(ClientBudget(2, 60.0, 2))
    for error in (MalformedQueryError("x"), ResultTooLargeError("y"), ResultTooLargeError("z")):
        with pytest.raises(type(error)), throttle.admit("a"):
            raise error
    with pytest.raises(TooManyRequestsError, match="failed queries"), throttle.admit("a"):
        pass


@pytest.fixture
def one_query_per_client_app() -> Iterator[Flask]:
    application = make_app({"CLIENT_MAX_CONCURRENT": 1, "QUERY_TIMEOUT_S": 1.5})
    yield application
    close_workers(application)


def test_second_concurrent_query_of_a_client_is_429(one_query_per_client_app: Flask) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
    client = one_query_per_client_app.test_client()
    answers: list[int] = []
    first = threading.Thread(
        target=lambda: answers.append(
            client.get("/sparql", query_string={"query": slow}).status_code
        )
    )
    first.start()
    while not answers:
        second = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        if second.status_code == 429:
            break
    first.join()
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "1"
    assert second.data == b"Too many concurrent queries (limit 1 per client)\n"


def test_internal_error_is_500_without_traceback_or_path() -> None:
    app = make_app()

    @app.get("/boom")
    def boom() -> str:
        raise ValueError("secret detail in /srv/app/internal/file.py")

    try:
        response = app.test_client().get("/boom")
    finally:
        close_workers(app)
    assert response.status_code == 500
    assert response.data == b"Internal server error\n"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_debugger_console_and_debug_off(app: Flask, client: FlaskClient) -> None:
    assert not app.debug
    assert client.get("/console").status_code == 404


def test_cors_is_exactly_the_documented_headers(client: FlaskClient) -> None:
    response = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    cors = {k: v for k, v in response.headers.items() if k.startswith("Access-Control-")}
    assert response.status_code == 204
    assert cors == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Expose-Headers": "X-Result-Row-Limit, X-Query-Time-Ms, X-Request-Id, "
        "Retry-After, ETag, X-Cache",
        "Access-Control-Max-Age": "86400",
    }


@pytest.mark.parametrize("store_path", [None, "disk"])
def test_rdf_xml_with_entities_is_refused_at_load(tmp_path: Path, store_path: str | None) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    graph = tmp_path / "graph.rdf"
    graph.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/s"><ex:p>&leak;</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    overrides = {"GRAPH_PATH": graph, "STORE_PATH": tmp_path / "store" if store_path else None}
    with pytest.raises(GraphLoadError, match=r"graph\.rdf, line 2.*DOCTYPE") as refused:
        make_app(overrides)
    assert "TOP-SECRET-MARKER" not in str(refused.value)
