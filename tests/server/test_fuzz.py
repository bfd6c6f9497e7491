"""Fuzz the endpoint: no answer >= 500 except the documented 503s (with Retry-After).

Default: a few hundred cases per test. ``RANKL_KG_FUZZ_EXAMPLES=10000`` runs that many per
test on demand. The number of cases run is printed (``pytest -s`` shows it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
import requests
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.server.conftest import LiveServer, close_workers, make_app

EXAMPLES = int(os.environ.get("RANKL_KG_FUZZ_EXAMPLES", "300"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SEEDS = [
    "SELECT ?s WHERE { ?s a <https://w3id.org/rankl-kg/ontology/Gene> } LIMIT 5",
    "PREFIX rko: <https://w3id.org/rankl-kg/ontology/> ASK { ?s rko:encodes ?p }",
    'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "^T")) } LIMIT 10',
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } } GROUP BY ?s",
    'DESCRIBE ?s WHERE { ?s ?p "RANKL"@en }',
    'SELECT * WHERE { ?s ?p ?o FILTER(?o > 1e3 && LANG(?o) = "en") } ORDER BY DESC(?s)',
]
TOKENS = [
    "{", "}", "(", ")", "[", "]", "<", ">", "SERVICE", "FROM", "NAMED", "INSERT", '"', "'",
    "\\", "#", "^^", "1e999", "?x", "ex:", "\x00", "\ud800", "*", ".", ";", ",", "|", "/",
    "GRAPH", "UNION", "MINUS", "VALUES", "BIND", "AS", "LIMIT -1", "\n", "<file:///etc/passwd>",
]  # fmt: skip
VARIABLES = st.sampled_from(["?s", "?p", "?o", "?x"])
TERMS = st.one_of(
    VARIABLES,
    st.sampled_from(["<https://w3id.org/rankl-kg/gene/TNFSF11>", "rdf:type", '"RANKL"', "42"]),
)
MEDIA_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/sparql-query",
        "application/sparql-update",
        "application/sparql-query; charset=latin1",
        "text/plain",
        "multipart/form-data; boundary=x",
        "",
        "application/json",
    ]
)
ACCEPTS = st.one_of(
    st.sampled_from(["*/*", "text/csv", "image/png", "application/ld+json;q=0.5,text/*"]),
    # what can travel in a header: visible ASCII, space and tab (no CR/LF)
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just("\t"), max_size=40),
)


@st.composite
def mutated_queries(draw: st.DrawFn) -> str:
    """A seed query with tokens inserted, deleted or the text truncated."""
    query = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(query)))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            query = query[:position] + draw(st.sampled_from(TOKENS)) + query[position:]
        elif choice == 1:
            query = query[:position] + query[position + draw(st.integers(1, 8)) :]
        else:
            query = query[:position] + draw(st.text(max_size=3)) + query[position:]
    return query


@st.composite
def triple_patterns(draw: st.DrawFn, depth: int = 0) -> str:
    """A group graph pattern from the SPARQL grammar (a small, sparql-smith-like subset)."""
    triples = " . ".join(
        f"{draw(TERMS)} {draw(TERMS)} {draw(TERMS)}" for _ in range(draw(st.integers(1, 2)))
    )
    if depth >= 2:
        return f"{{ {triples} }}"
    extra = draw(
        st.sampled_from(["", "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "FILTER NOT EXISTS"])
    )
    if extra in ("OPTIONAL", "MINUS"):
        return f"{{ {triples} {extra} {draw(triple_patterns(depth + 1))} }}"
    if extra == "UNION":
        return f"{{ {draw(triple_patterns(depth + 1))} UNION {draw(triple_patterns(depth + 1))} }}"
    if extra == "FILTER":
        operator = draw(st.sampled_from(["=", "<", "!=", ">="]))
        return f"{{ {triples} FILTER({draw(VARIABLES)} {operator} {draw(TERMS)}) }}"
    if extra == "BIND":
        return f"{{ {triples} BIND(STR({draw(VARIABLES)}) AS ?b) }}"
    if extra == "FILTER NOT EXISTS":
        return f"{{ {triples} FILTER NOT EXISTS {draw(triple_patterns(depth + 1))} }}"
    return f"{{ {triples} }}"


@st.composite
def generated_queries(draw: st.DrawFn) -> str:
    """A query of any form over a generated pattern, with a random solution modifier."""
    pattern = draw(triple_patterns())
    form = draw(
        st.sampled_from(
            ["SELECT *", "SELECT DISTINCT ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"]
        )
    )
    modifier = draw(st.sampled_from(["", " LIMIT 3", " ORDER BY ?s", " OFFSET 1 LIMIT 2"]))
    prefix = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    where = "" if form == "ASK" else " WHERE"
    return f"{prefix}{form}{where} {pattern}{modifier if form != 'ASK' else ''}"


QUERIES = st.one_of(mutated_queries(), generated_queries())


def assert_not_a_server_error(status: int, headers: dict[str, str], body: bytes) -> None:
    """Fail on a status >= 500 unless it is a documented 503 with Retry-After.

    A query worker that dies answers 500 (QueryExecutionError), so a crash fails here too.
    """
    if status == 503:
        assert "Retry-After" in headers, body
        return
    assert status < 500, (status, body)
    assert b"Traceback" not in body


class CaseCounter:
    """Counts the cases a fuzz test really ran (Hypothesis may stop early) and the 503s."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cases = 0
        self.unavailable = 0
        COUNTERS.append(self)

    def record(self, status: int) -> None:
        """Count one checked response."""
        self.unavailable += status == 503

    def report(self) -> None:
        print(  # noqa: T201
            f"\nfuzz {self.name}: {self.cases} cases, 0 responses >= 500 besides "
            f"{self.unavailable} documented 503s (so no crashed worker either)"
        )
        assert self.cases > 0


#: Every counter of this module, for the total printed when the module ends
COUNTERS: list[CaseCounter] = []


@pytest.fixture(scope="module", autouse=True)
def total_cases() -> Iterator[None]:
    """Print the number of cases run by the whole file once its tests are done."""
    started = time.monotonic()
    yield
    total = sum(counter.cases for counter in COUNTERS)
    print(  # noqa: T201
        f"\nfuzz total: {total} cases in {len(COUNTERS)} tests, "
        f"{time.monotonic() - started:.0f} s, "
        f"0 responses >= 500 besides {sum(c.unavailable for c in COUNTERS)} documented 503s"
    )


@pytest.fixture(scope="module")
def fuzz_app() -> Iterator[Flask]:
    """An app with short deadlines and budgets wide enough for one fuzzing client."""
    application = make_app(
        {"QUERY_TIMEOUT_S": 2.0, "CLIENT_ERRORS_PER_MINUTE": 10**6, "QUERY_WORKERS": 2}
    )
    yield application
    close_workers(application)


def check(response: TestResponse, counter: CaseCounter) -> None:
    assert_not_a_server_error(response.status_code, dict(response.headers), response.data)
    counter.record(response.status_code)


def test_fuzz_queries_via_get_and_post(fuzz_app: Flask) -> None:
    client = fuzz_app.test_client()
    counter = CaseCounter("queries")

    @FUZZ_SETTINGS
    @given(query=QUERIES, method=st.sampled_from(["GET", "POST-form", "POST-direct"]))
    def run(query: str, method: str) -> None:
        counter.cases += 1
        # lone surrogates cannot be encoded as UTF-8: send their bytes, as a broken client would
        encoded = query.encode("utf-8", "surrogatepass")
        if method == "GET":
            check(client.get("/sparql", query_string={"query": encoded}), counter)
        elif method == "POST-form":
            check(client.post("/sparql", data={"query": encoded}), counter)
        else:
            headers = {"Content-Type": "application/sparql-query"}
            check(client.post("/sparql", data=encoded, headers=headers), counter)

    run()
    counter.report()


def test_fuzz_parameters_headers_and_content_types(fuzz_app: Flask) -> None:
    client = fuzz_app.test_client()
    counter = CaseCounter("parameters, headers, content types")
    names = st.sampled_from(
        ["query", "update", "format", "default-graph-uri", "named-graph-uri", "x"]
    )

    @FUZZ_SETTINGS
    @given(
        parameters=st.lists(st.tuples(names, st.one_of(QUERIES, st.text(max_size=30))), max_size=4),
        media_type=MEDIA_TYPES,
        accept=ACCEPTS,
        body=st.binary(max_size=200),
        path=st.sampled_from(["/sparql", "/sparql/", "/health", "/.well-known/void", "/metrics"]),
    )
    def run(
        parameters: list[tuple[str, str]], media_type: str, accept: str, body: bytes, path: str
    ) -> None:
        counter.cases += 1
        query_string = [
            (name, value.encode("utf-8", "surrogatepass")) for name, value in parameters
        ]
        headers = {"Accept": accept, "Content-Type": media_type}
        check(client.get(path, query_string=query_string, headers={"Accept": accept}), counter)
        check(client.post(path, query_string=query_string, data=body, headers=headers), counter)

    run()
    counter.report()


@pytest.mark.integration
def test_fuzz_sample_against_a_live_server() -> None:
    counter = CaseCounter("live server")
    with LiveServer(make_app({"QUERY_TIMEOUT_S": 2.0, "CLIENT_ERRORS_PER_MINUTE": 10**6})) as live:
        session = requests.Session()

        @settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 5, 50))
        @given(query=QUERIES, accept=st.sampled_from(["*/*", "text/csv", "image/png"]))
        def run(query: str, accept: str) -> None:
            counter.cases += 1
            response = session.post(
                live.endpoint,
                data={"query": query.encode("utf-8", "surrogatepass")},
                headers={"Accept": accept},
                timeout=30,
            )
            assert_not_a_server_error(
                response.status_code, dict(response.headers), response.content
            )
            counter.record(response.status_code)

        run()
    counter.report()
