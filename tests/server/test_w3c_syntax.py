"""W3C SPARQL 1.1 query syntax tests through a live server; writes dist/earl/syntax-query.ttl.

Every negative query must get 400. Every positive one must be accepted, except those using a
feature the endpoint refuses on purpose (SERVICE, FROM/FROM NAMED, deep nesting): those must
get 400 with the refusal message and are reported ``earl:inapplicable``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import URIRef

from tests.server.conftest import LiveServer, collect_outcomes, make_app
from tests.server.w3c import EARL, SyntaxTest, read_syntax_tests, w3c_dir

pytestmark = pytest.mark.integration

MANIFEST_PATH = w3c_dir() / "syntax-query" / "manifest.ttl"
TESTS = read_syntax_tests(MANIFEST_PATH) if MANIFEST_PATH.is_file() else []
#: Starts of the guard's messages for features refused on purpose
REFUSALS = (
    b"SERVICE (federated query)",
    b"FROM / FROM NAMED",
    b"Query nesting depth",
    b"Query uses an unsupported feature",
)


@pytest.fixture(scope="module")
def syntax_server() -> Iterator[LiveServer]:
    """A live server over the mini graph."""
    with LiveServer(make_app()) as server:
        yield server


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> Iterator[dict[URIRef, URIRef]]:
    """Collect EARL outcomes; write the report at the end of the module."""
    yield from collect_outcomes(request.config, "syntax-query")


def post_query(server: LiveServer, query: bytes) -> tuple[int, bytes]:
    """POST ``query`` as application/sparql-query; return status and body."""
    request = urllib.request.Request(
        server.endpoint,
        data=query,
        headers={"Content-Type": "application/sparql-query"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.skipif(not TESTS, reason=f"W3C syntax-query manifest not found at {MANIFEST_PATH}")
@pytest.mark.parametrize("test", TESTS, ids=[str(t.iri).rsplit("#", 1)[-1] for t in TESTS])
def test_w3c_query_syntax(
    syntax_server: LiveServer, outcomes: dict[URIRef, URIRef], test: SyntaxTest
) -> None:
    outcomes[test.iri] = EARL.failed
    status, body = post_query(syntax_server, test.query_path.read_bytes())
    if not test.positive:
        assert status == 400, body[:300]
        outcomes[test.iri] = EARL.passed
        return
    if status == 400 and body.startswith(REFUSALS):
        outcomes[test.iri] = EARL.inapplicable
        return
    assert status == 200, body[:300]
    outcomes[test.iri] = EARL.passed
