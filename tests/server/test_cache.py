"""Result and guard caches, ETag / If-None-Match and Cache-Control of query results (issue 6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import server.cache
import server.sparql
from server.cache import ByteBoundedLRU
from server.config import ConfigError
from server.guard import CheckedQuery, check_query
from server.state import ServerState, get_state
from server.throttle import ClientBudget, ClientThrottle, Throttle, TooManyRequestsError
from tests.server.conftest import DATA_DIR, close_workers, make_app

RKO = "https://w3id.org/rankl-kg/ontology/"
GENES_QUERY = f"SELECT ?gene WHERE {{ ?gene a <{RKO}Gene> }} ORDER BY ?gene"
ASK_ANYTHING = "ASK { ?s ?p ?o }"
EXTRA_GRAPH = "http://example.org/graph/extra"
JSON = "application/sparql-results+json"
CSV = "text/csv"


def cache_count(app: Flask, outcome: str, cache: str = "result") -> float:
    """Return the ``rankl_kg_cache_{hits,misses}`` counter of ``cache`` in ``app``."""
    with app.app_context():
        registry = get_state().metrics.registry
    value = registry.get_sample_value(f"rankl_kg_cache_{outcome}_total", {"cache": cache})
    return value or 0.0


@pytest.fixture(scope="module")
def cache_app() -> Iterator[Flask]:
    """An app with its own caches and counters, plus a named graph for dataset requests."""
    application = make_app({"EXTRA_NAMED_GRAPHS": {EXTRA_GRAPH: str(DATA_DIR / "extra-graph.nt")}})
    yield application
    close_workers(application)


@pytest.fixture
def cache_client(cache_app: Flask) -> FlaskClient:
    """A test client of the caching app."""
    return cache_app.test_client()


@pytest.fixture(scope="module")
def uncached_app() -> Iterator[Flask]:
    """An app with the result cache turned off (every query runs in a worker)."""
    application = make_app({"RESULT_CACHE_BYTES": 0})
    yield application
    close_workers(application)


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the query text of every job sent to the engine (a spy on ``execute_job``)."""
    sent: list[str] = []
    real = server.sparql.execute_job

    def spy(job: Any, settings: Any) -> Any:
        sent.append(job.query)
        return real(job, settings)

    monkeypatch.setattr(server.sparql, "execute_job", spy)
    return sent


def unique(query: str, tag: str) -> str:
    """Return ``query`` made distinct from other tests' queries by a comment (same answer)."""
    return f"# {tag}\n{query}"


# --- the result cache in the app --------------------------------------------------------


def test_repeated_query_is_answered_from_the_cache(
    cache_app: Flask, cache_client: FlaskClient, executions: list[str]
) -> None:
    query = unique(GENES_QUERY, "repeated")
    hits_before = cache_count(cache_app, "hits")
    first = cache_client.get("/sparql", query_string={"query": query})
    second = cache_client.get("/sparql", query_string={"query": query})
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.data == first.data
    assert executions == [query]
    assert cache_count(cache_app, "hits") == hits_before + 1
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("miss", "hit")


def test_media_types_are_cached_separately(
    cache_client: FlaskClient, executions: list[str]
) -> None:
    query = unique(GENES_QUERY, "media types")
    as_json = cache_client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    as_csv = cache_client.get("/sparql", query_string={"query": query}, headers={"Accept": CSV})
    csv_again = cache_client.get("/sparql", query_string={"query": query, "format": "csv"})
    assert as_json.mimetype == JSON
    assert as_csv.mimetype == CSV
    assert as_csv.data.startswith(b"gene\r\n")
    assert csv_again.data == as_csv.data
    assert executions == [query, query]


def test_protocol_datasets_are_cached_separately(
    cache_client: FlaskClient, executions: list[str]
) -> None:
    count = unique("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "datasets")
    own = cache_client.get("/sparql", query_string={"query": count})
    chosen = cache_client.get(
        "/sparql", query_string={"query": count, "default-graph-uri": EXTRA_GRAPH}
    )
    named_only = cache_client.get(
        "/sparql", query_string={"query": count, "named-graph-uri": EXTRA_GRAPH}
    )
    chosen_again = cache_client.get(
        "/sparql", query_string={"query": count, "default-graph-uri": EXTRA_GRAPH}
    )
    assert len({own.data, chosen.data, named_only.data}) == 3
    assert chosen_again.data == chosen.data
    assert chosen_again.headers["X-Cache"] == "hit"
    assert len(executions) == 3


def test_a_new_graph_version_misses_and_changes_the_etag(
    cache_app: Flask,
    cache_client: FlaskClient,
    executions: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    query = unique(GENES_QUERY, "graph version")
    before = cache_client.get("/sparql", query_string={"query": query})
    same_version = cache_client.get("/sparql", query_string={"query": query})
    monkeypatch.setattr(ServerState.of(cache_app).backend, "version", "0" * 64)
    after = cache_client.get("/sparql", query_string={"query": query})
    assert same_version.headers["X-Cache"] == "hit"
    assert after.data == before.data
    assert executions == [query, query]
    assert after.headers["ETag"] != before.headers["ETag"]


def test_errors_are_not_cached(
    cache_app: Flask, cache_client: FlaskClient, executions: list[str]
) -> None:
    broken = "SELECT * WHERE { ?s ?p }"  # passes the lexical guard, fails in the parser
    hits_before = cache_count(cache_app, "hits")
    answers = [cache_client.get("/sparql", query_string={"query": broken}) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [400, 400]
    assert executions == [broken, broken]
    assert cache_count(cache_app, "hits") == hits_before
    assert "ETag" not in answers[1].headers


def test_volatile_queries_are_not_cached(cache_client: FlaskClient, executions: list[str]) -> None:
    query = "SELECT (STRUUID() AS ?id) WHERE {}"
    answers = [cache_client.get("/sparql", query_string={"query": query}) for _ in range(2)]
    assert executions == [query, query]
    assert answers[0].data != answers[1].data


def test_a_result_over_the_entry_bound_is_not_cached(executions: list[str]) -> None:
    app = make_app({"RESULT_CACHE_BYTES": 4096, "RESULT_CACHE_MAX_ENTRY_FRACTION": 0.5})
    client = app.test_client()
    everything = "CONSTRUCT WHERE { ?s ?p ?o }"
    try:
        big = [
            client.get("/sparql", query_string={"query": everything, "format": "ntriples"})
            for _ in range(2)
        ]
        small = [client.get("/sparql", query_string={"query": ASK_ANYTHING}) for _ in range(2)]
    finally:
        close_workers(app)
    assert len(big[0].data) > 2048
    assert big[1].data == big[0].data
    assert executions == [everything, everything, ASK_ANYTHING]
    assert small[1].headers["X-Cache"] == "hit"


def test_cache_hits_skip_the_throttle_slot(
    cache_app: Flask, cache_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    throttle: Throttle = ServerState.of(cache_app).throttle
    admitted: list[str] = []
    real_admit = throttle.admit

    def spy(client: str) -> Any:
        admitted.append(client)
        return real_admit(client)

    monkeypatch.setattr(throttle, "admit", spy)
    query = unique(GENES_QUERY, "throttle")
    for _ in range(3):
        assert cache_client.get("/sparql", query_string={"query": query}).status_code == 200
    assert len(admitted) == 1


def test_repeated_query_text_is_guarded_once(
    cache_app: Flask, cache_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real_check = check_query

    def spy(query: str, *args: Any) -> CheckedQuery:
        checked.append(query)
        return real_check(query, *args)

    monkeypatch.setattr(server.cache, "check_query", spy)
    query = unique(ASK_ANYTHING, "guard cache")
    hits_before = cache_count(cache_app, "hits", cache="guard")
    for _ in range(3):
        cache_client.get("/sparql", query_string={"query": query})
    cache_client.get("/sparql", query_string={"query": "ASK { SERVICE <http://x/> { } }"})
    refused = cache_client.get("/sparql", query_string={"query": "ASK { SERVICE <http://x/> { } }"})
    assert refused.status_code == 400
    assert checked == [query] + ["ASK { SERVICE <http://x/> { } }"] * 2
    assert cache_count(cache_app, "hits", cache="guard") == hits_before + 2


def test_cache_counters_are_exported(cache_client: FlaskClient) -> None:
    cache_client.get("/sparql", query_string={"query": ASK_ANYTHING})
    exposition = cache_client.get("/metrics").get_data(as_text=True)
    for line in (
        'rankl_kg_cache_hits_total{cache="result"}',
        'rankl_kg_cache_misses_total{cache="result"}',
        'rankl_kg_cache_hits_total{cache="guard"}',
        'rankl_kg_cache_bytes{cache="result"}',
    ):
        assert line in exposition


# --- HTTP validators and caching headers ------------------------------------------------


def test_etag_is_stable_across_identical_requests(uncached_app: Flask) -> None:
    client = uncached_app.test_client()
    answers = [client.get("/sparql", query_string={"query": GENES_QUERY}) for _ in range(2)]
    assert [answer.headers["X-Cache"] for answer in answers] == ["miss", "miss"]
    etag = answers[0].headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    assert answers[1].headers["ETag"] == etag


def test_etag_differs_between_graph_versions(
    cache_client: FlaskClient, web_client: FlaskClient
) -> None:
    on_mini = cache_client.get("/sparql", query_string={"query": ASK_ANYTHING})
    on_web = web_client.get("/sparql", query_string={"query": ASK_ANYTHING})
    assert on_mini.data == on_web.data  # same bytes, different graphs
    assert on_mini.headers["ETag"] != on_web.headers["ETag"]


@pytest.mark.parametrize("method", ["get", "head"])
def test_if_none_match_is_304_without_body(uncached_app: Flask, method: str) -> None:
    client = uncached_app.test_client()
    send: Callable[..., Any] = getattr(client, method)
    first = send("/sparql", query_string={"query": GENES_QUERY})
    etag = first.headers["ETag"]
    for validator in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        revalidated = send(
            "/sparql", query_string={"query": GENES_QUERY}, headers={"If-None-Match": validator}
        )
        assert revalidated.status_code == 304
        assert revalidated.data == b""
        assert revalidated.headers["ETag"] == etag
        assert revalidated.headers["Vary"] == "Accept"
        assert revalidated.cache_control.public
    changed = send(
        "/sparql", query_string={"query": GENES_QUERY}, headers={"If-None-Match": '"other"'}
    )
    assert changed.status_code == 200


def test_head_has_the_headers_of_get_and_no_body(cache_client: FlaskClient) -> None:
    get = cache_client.get("/sparql", query_string={"query": GENES_QUERY})
    head = cache_client.head("/sparql", query_string={"query": GENES_QUERY})
    assert head.status_code == 200
    assert head.data == b""
    for name in ("Content-Type", "ETag", "Cache-Control", "Vary", "Content-Length"):
        assert head.headers[name] == get.headers[name]


def test_get_is_publicly_cacheable_for_the_configured_age(cache_client: FlaskClient) -> None:
    response = cache_client.get("/sparql", query_string={"query": GENES_QUERY})
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Vary"] == "Accept"


def test_post_has_no_caching_header_and_is_never_304(cache_client: FlaskClient) -> None:
    get = cache_client.get("/sparql", query_string={"query": GENES_QUERY})
    posted = cache_client.post(
        "/sparql",
        data=GENES_QUERY,
        content_type="application/sparql-query",
        headers={"If-None-Match": get.headers["ETag"]},
    )
    assert posted.status_code == 200
    assert "Cache-Control" not in posted.headers
    assert posted.headers["ETag"] == get.headers["ETag"]
    assert posted.headers["Vary"] == "Accept"


def test_service_description_and_health_carry_no_result_validators(
    cache_client: FlaskClient,
) -> None:
    for path in ("/sparql", "/health"):
        response = cache_client.get(path)
        assert response.status_code == 200
        assert "ETag" not in response.headers
        assert "X-Cache" not in response.headers


# --- the byte-bounded LRU, the throttle policy and the settings -------------------------


def sized_by_value(key: str, value: str) -> int:
    """Cost of a test entry: the length of its value."""
    return len(value)


def test_lru_evicts_least_recently_used_entries_by_bytes() -> None:
    cache: ByteBoundedLRU[str, str] = ByteBoundedLRU(100, 100, sized_by_value)
    cache.put("a", "x" * 40)
    cache.put("b", "x" * 40)
    assert cache.get("a") is not None  # a is now more recent than b
    cache.put("c", "x" * 40)
    assert (cache.get("a"), cache.get("b")) == ("x" * 40, None)
    assert cache.bytes_used == 80
    cache.put("d", "x" * 90)
    assert (len(cache), cache.bytes_used) == (1, 90)


def test_lru_refuses_entries_over_the_entry_bound_and_replaces_in_place() -> None:
    cache: ByteBoundedLRU[str, str] = ByteBoundedLRU(100, 30, sized_by_value)
    assert not cache.put("big", "x" * 31)
    assert cache.put("a", "x" * 30)
    assert cache.put("a", "x" * 10)
    assert (len(cache), cache.bytes_used, cache.get("big")) == (1, 10, None)


def test_zero_bytes_disables_a_cache() -> None:
    cache: ByteBoundedLRU[str, str] = ByteBoundedLRU(0, 0, sized_by_value)
    assert not cache.put("a", "x")
    assert cache.get("a") is None


def test_throttle_check_counts_nothing_but_refuses_a_client_over_budget() -> None:
    throttle = ClientThrottle(ClientBudget(1, 60.0, 30))
    for _ in range(100):
        throttle.check("a")
    with throttle.admit("a"):  # the checks held no slot
        with pytest.raises(TooManyRequestsError, match="concurrent") as refused:
            throttle.check("a")
        throttle.check("b")
    assert refused.value.headers == {"Retry-After": "1"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("RESULT_CACHE_BYTES", -1),
        ("GUARD_CACHE_BYTES", 1.5),
        ("RESULT_CACHE_MAX_ENTRY_FRACTION", 0),
        ("RESULT_CACHE_MAX_ENTRY_FRACTION", 1.5),
    ],
)
def test_bad_cache_settings_are_refused_by_name(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key):
        make_app({key: value})
