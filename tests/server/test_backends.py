"""One battery over every store backend: the same behaviour from oxigraph (in memory and on
disk), rdflib, a remote endpoint (a live rankl-kg server) and a real Virtuoso 7.

The battery runs the protocol behaviours (400, row and byte caps, ASK, CONSTRUCT, 503 at the
deadline) and the pages over the fixture release through ``/sparql``; the competency answers on
the real build are compared with the pinned ones in tests/content/test_backends_answers.py. The
remote and Virtuoso backends start real servers on 127.0.0.1 and are integration tests.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Dataset

from bench.endpoints import free_port
from kg.constants import GRAPH_FILENAME
from kg.release.assemble import BuildResult
from server.backends import BACKENDS as BACKEND_FACTORIES
from server.backends import Backend
from server.backends.execution import QueryJob
from server.backends.oxigraph_store import STORE_MARKER_NAME, GraphLoadError, open_disk_store
from server.backends.rdflib_engine import execute_rdflib_query, refuse_network
from server.backends.remote import BackendUnavailableError, RemoteBackend, check_answer
from server.config import STORE_BACKENDS, ConfigError
from server.errors import (
    MalformedQueryError,
    QueryTimeoutError,
    ResultTooLargeError,
    UnsupportedFeatureError,
)
from server.state import ServerState
from tests.server.backend_battery import (
    BACKENDS,
    JSON_RESULTS,
    NTRIPLES,
    ask_endpoint,
    backend_app_over,
)
from tests.server.conftest import MINI_KG_PATH, make_app

GENE = "https://w3id.org/rankl-kg/gene/TNFSF11"
#: About 7 million pairs of triples of the fixture release: seconds on every engine, so it
#: misses the deadline
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?r FILTER(STR(?a) < STR(?b)) }"
TINY_DEADLINE_S = 0.5


@pytest.fixture(scope="module")
def graph_file(fixture_release: BuildResult) -> Path:
    """The Turtle export of the fixture release."""
    return next(path for path in fixture_release.files if path.name == GRAPH_FILENAME)


@pytest.fixture(scope="module")
def reference(graph_file: Path) -> pyoxigraph.Store:
    """The export in an in-process pyoxigraph store, the reference for the answers."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(graph_file), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module", params=BACKENDS)
def backend_app(
    request: pytest.FixtureRequest, graph_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An app over the fixture release on the backend named by the parameter."""
    with backend_app_over(request.param, graph_file, tmp_path_factory) as app:
        yield app


@pytest.fixture
def battery_client(backend_app: Flask) -> FlaskClient:
    """A test client of the app under test."""
    return backend_app.test_client()


def reference_triples(store: pyoxigraph.Store, query: str) -> set[str]:
    """The triples of a CONSTRUCT query on the reference store, as N-Triples lines."""
    triples = store.query(query)
    assert isinstance(triples, pyoxigraph.QueryTriples)
    return {str(triple) for triple in triples}


def parsed_triples(body: bytes, rdf_format: pyoxigraph.RdfFormat) -> set[str]:
    """The triples of an RDF document, as N-Triples lines."""
    return {str(quad.triple) for quad in pyoxigraph.parse(body, format=rdf_format)}


def run_job(
    app: Flask,
    query: str,
    media_type: str,
    timeout_s: float = 20.0,
    max_rows: int = 100_000,
    max_bytes: int = 20 * 1024 * 1024,
) -> bytes:
    """Run a job straight on the app's backend (below the guard and the HTTP layer)."""
    job = QueryJob(query=query, media_type=media_type, max_rows=max_rows, max_bytes=max_bytes)
    backend = ServerState.of(app).backend
    return backend.execute(job, timeout_s=timeout_s, queue_timeout_s=30.0).body


def test_malformed_query_is_400(battery_client: FlaskClient, backend_app: Flask) -> None:
    response = ask_endpoint(battery_client, "SELECT ?s WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Malformed query")
    with pytest.raises(MalformedQueryError, match="Malformed query"):
        run_job(backend_app, "SELECT ?s WHERE { ?s ?p }", JSON_RESULTS)


def test_a_result_over_the_row_cap_is_refused(backend_app: Flask) -> None:
    with pytest.raises(ResultTooLargeError, match="exceeds 10 rows"):
        run_job(backend_app, "SELECT * WHERE { ?s ?p ?o }", JSON_RESULTS, max_rows=10)


def test_a_result_over_the_byte_cap_is_refused(backend_app: Flask) -> None:
    with pytest.raises(ResultTooLargeError, match="exceeds 1000 bytes"):
        run_job(backend_app, "SELECT * WHERE { ?s ?p ?o }", JSON_RESULTS, max_bytes=1000)


def test_a_construct_over_the_cap_is_refused(backend_app: Flask) -> None:
    with pytest.raises(ResultTooLargeError, match="exceeds 10 rows"):
        run_job(backend_app, "CONSTRUCT WHERE { ?s ?p ?o }", NTRIPLES, max_rows=10)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"ASK {{ <{GENE}> ?p ?o }}", True),
        (f"ASK {{ <{GENE}> <urn:x-no-such-predicate> ?o }}", False),
    ],
)
def test_ask(battery_client: FlaskClient, query: str, expected: bool) -> None:
    response = ask_endpoint(battery_client, query)
    assert response.mimetype == JSON_RESULTS
    assert json.loads(response.get_data())["boolean"] is expected


def test_construct_gives_the_reference_triples(
    battery_client: FlaskClient, reference: pyoxigraph.Store
) -> None:
    query = f"CONSTRUCT {{ <{GENE}> ?p ?o }} WHERE {{ <{GENE}> ?p ?o }}"
    response = ask_endpoint(battery_client, query, accept="text/turtle")
    assert response.mimetype == "text/turtle"
    served = parsed_triples(response.get_data(), pyoxigraph.RdfFormat.TURTLE)
    assert served == reference_triples(reference, query)
    assert len(served) > 3


def test_select_formats_agree(battery_client: FlaskClient) -> None:
    query = f"SELECT ?p ?o WHERE {{ <{GENE}> ?p ?o }}"
    rows = {}
    for media_type in (JSON_RESULTS, "application/sparql-results+xml", "text/tab-separated-values"):
        response = ask_endpoint(battery_client, query, accept=media_type)
        assert response.mimetype == media_type
        format_ = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
        parsed = pyoxigraph.parse_query_results(response.get_data(), format=format_)
        assert isinstance(parsed, pyoxigraph.QuerySolutions)
        rows[media_type] = sorted((str(row["p"]), str(row["o"])) for row in parsed)
    assert len({tuple(found) for found in rows.values()}) == 1


def test_entity_pages_work(battery_client: FlaskClient, reference: pyoxigraph.Store) -> None:
    page = battery_client.get("/gene/TNFSF11", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "TNFSF11" in page.get_data(as_text=True)
    described = battery_client.get("/gene/TNFSF11?format=nt")
    triples = parsed_triples(described.get_data(), pyoxigraph.RdfFormat.N_TRIPLES)
    assert reference_triples(reference, f"CONSTRUCT WHERE {{ <{GENE}> ?p ?o }}") <= triples
    assert battery_client.get("/gene/NO_SUCH_GENE").status_code == 404


def test_health_and_void_come_through_the_backend(
    battery_client: FlaskClient, backend_app: Flask, reference: pyoxigraph.Store
) -> None:
    health = battery_client.get("/health").get_json()
    assert health["backend"] == ServerState.of(backend_app).backend.name
    assert health["triples"] == len(reference) > 1000
    void = battery_client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert void.status_code == 200
    assert f"{health['triples']}" in void.get_data(as_text=True)


def test_a_slow_query_times_out_with_503(backend_app: Flask) -> None:
    with pytest.raises(QueryTimeoutError, match="timed out") as raised:
        run_job(backend_app, SLOW_QUERY, JSON_RESULTS, timeout_s=TINY_DEADLINE_S)
    assert raised.value.status == 503
    assert "Retry-After" in (raised.value.headers or {})


# --- the backends one by one ----------------------------------------------------------------


def test_a_remote_syntax_error_is_400_with_its_message_shortened() -> None:
    response = requests.Response()
    response.status_code = 400
    response.raw = io.BytesIO(b"Virtuoso 37000 Error SP030: SPARQL compiler: syntax error\n" * 500)
    with pytest.raises(MalformedQueryError, match="SP030") as raised:
        check_answer(response, timeout_s=2.0)
    assert len(raised.value.message) < 400


def test_a_refused_connection_is_503_backend_unavailable() -> None:
    backend = RemoteBackend(f"http://127.0.0.1:{free_port()}/sparql", None, None, workers=1)
    job = QueryJob(query="ASK {}", media_type=JSON_RESULTS)
    with pytest.raises(BackendUnavailableError, match="Backend unavailable") as raised:
        backend.execute(job, timeout_s=5.0, queue_timeout_s=1.0)
    assert raised.value.status == 503


@pytest.mark.parametrize(
    ("status", "headers"),
    [(206, {}), (200, {"X-SQL-State": "S1TAT"}), (504, {}), (500, {})],
    ids=["partial", "anytime", "gateway-timeout", "virtuoso-timeout"],
)
def test_partial_or_timed_out_remote_answers_are_503(status: int, headers: dict[str, str]) -> None:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    response.raw = io.BytesIO(b"Virtuoso S1T00 Error SR171: Transaction timed out")
    with pytest.raises(QueryTimeoutError):
        check_answer(response, timeout_s=2.0)


def test_rdflib_workers_refuse_network_access() -> None:
    with pytest.raises(PermissionError, match=r"socket\.connect"):
        refuse_network("socket.connect", (("127.0.0.1", 80),))


def test_the_rdflib_backend_refuses_a_protocol_dataset() -> None:
    job = QueryJob("ASK {}", JSON_RESULTS, default_graph_uris=("urn:x-graph",))
    with pytest.raises(UnsupportedFeatureError, match="default-graph-uri"):
        execute_rdflib_query(Dataset(), job)


def test_the_disk_store_is_built_once_and_rebuilt_when_the_graph_changes(tmp_path: Path) -> None:
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(MINI_KG_PATH.read_bytes())
    store_path = tmp_path / "store"
    first = open_disk_store(graph, store_path)
    marker = (store_path / STORE_MARKER_NAME).read_text(encoding="utf-8")
    assert open_disk_store(graph, store_path) == first
    assert (store_path / STORE_MARKER_NAME).read_text(encoding="utf-8") == marker
    graph.write_text(
        graph.read_text(encoding="utf-8") + "\n<urn:x-a> <urn:x-b> <urn:x-c> .\n", encoding="utf-8"
    )
    second = open_disk_store(graph, store_path)
    assert second.triple_count == first.triple_count + 1
    assert second.version != first.version
    assert len(pyoxigraph.Store.read_only(str(store_path))) == second.triple_count


def test_a_directory_that_is_no_store_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(GraphLoadError, match="holds no rankl-kg store marker"):
        open_disk_store(MINI_KG_PATH, tmp_path)
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"STORE_BACKEND": "sqlite"}, "STORE_BACKEND must be one of oxigraph, rdflib, remote"),
        ({"STORE_BACKEND": "remote"}, "needs REMOTE_ENDPOINT_URL"),
        ({"STORE_BACKEND": "remote", "REMOTE_ENDPOINT_URL": "ftp://x/sparql"}, "http"),
        (
            {"STORE_BACKEND": "rdflib", "STORE_PATH": "store"},
            "STORE_PATH is for STORE_BACKEND=oxigraph",
        ),
        ({"REMOTE_ENDPOINT_URL": "http://127.0.0.1:1/sparql"}, "is for STORE_BACKEND=remote only"),
    ],
)
def test_backend_settings_are_checked(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_app(settings)


def test_every_store_backend_setting_has_a_factory() -> None:
    assert set(BACKEND_FACTORIES) == set(STORE_BACKENDS)
    remote: Backend = RemoteBackend("http://127.0.0.1:1/sparql", None, None, workers=1)
    remote.start()
    assert remote.worker_pids() == []
    remote.stop()
