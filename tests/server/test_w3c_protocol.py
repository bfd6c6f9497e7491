"""W3C SPARQL 1.1 Protocol tests against a live server; writes dist/earl/protocol.ttl.

Query tests must pass. Tests named ``update_*`` are for an update service: this endpoint is
read-only, so their update request must be refused with a 4xx (reported ``earl:inapplicable``).
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from rdflib import URIRef

from tests.server.conftest import LiveServer, collect_outcomes, make_app
from tests.server.w3c import (
    EARL,
    HttpRequest,
    ProtocolTest,
    iter_graph_files,
    read_protocol_tests,
    w3c_dir,
)

pytestmark = pytest.mark.integration

MANIFEST_PATH = w3c_dir() / "protocol" / "manifest.ttl"
TESTS = read_protocol_tests(MANIFEST_PATH) if MANIFEST_PATH.is_file() else []
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}
SPARQL_RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def w3c_server() -> Iterator[LiveServer]:
    """A live server whose dataset also holds the protocol tests' named graphs."""
    graphs = {iri: str(path) for iri, path in iter_graph_files(TESTS)}
    with LiveServer(make_app({"EXTRA_NAMED_GRAPHS": graphs})) as server:
        yield server


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> Iterator[dict[URIRef, URIRef]]:
    """Collect each test's EARL outcome; write the report when the module is done."""
    yield from collect_outcomes(request.config, "protocol")


def send(server: LiveServer, http_request: HttpRequest) -> tuple[int, str, bytes]:
    """Send the request exactly as the manifest gives it; return status, media type, body."""
    endpoint = urlsplit(server.endpoint)
    path = endpoint.path + http_request.path.removeprefix("/sparql")
    connection = http.client.HTTPConnection(endpoint.hostname or "", endpoint.port, timeout=30)
    try:
        connection.request(http_request.method, path, http_request.body, http_request.headers)
        response = connection.getresponse()
        media_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
        return response.status, media_type, response.read()
    finally:
        connection.close()


def parse_boolean(media_type: str, body: bytes) -> bool:
    """Read the boolean of an ASK result in SPARQL JSON or XML."""
    if media_type == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    element = ET.fromstring(body)  # noqa: S314 (our own server's response)
    found = element.find(f"{SPARQL_RESULTS_NS}boolean")
    assert found is not None, "XML result without <boolean>"
    return found.text == "true"


def check_response(http_request: HttpRequest, status: int, media_type: str, body: bytes) -> None:
    """Assert the status class, format and boolean the manifest expects."""
    status_class = f"StatusCode{status // 100}xx"
    assert status_class in http_request.expected_status, (status, body[:300])
    if http_request.expected_format == "boolean":
        assert media_type in RESULT_TYPES - {"text/csv", "text/tab-separated-values"}
    if http_request.expected_format == "tabular":
        assert media_type in RESULT_TYPES
    if http_request.expected_format == "RDF":
        assert media_type in RDF_TYPES
    if http_request.expected_boolean is not None:
        assert parse_boolean(media_type, body) is http_request.expected_boolean


def run_update_test(server: LiveServer, test: ProtocolTest) -> None:
    """A read-only endpoint must refuse the update request with 4xx."""
    status, _, body = send(server, test.requests[0])
    assert 400 <= status < 500, (status, body[:300])


@pytest.mark.skipif(not TESTS, reason=f"W3C protocol manifest not found at {MANIFEST_PATH}")
@pytest.mark.parametrize("test", TESTS, ids=[test.local_name for test in TESTS])
def test_w3c_protocol(
    w3c_server: LiveServer, outcomes: dict[URIRef, URIRef], test: ProtocolTest
) -> None:
    outcomes[test.iri] = EARL.failed
    if test.local_name.startswith("update_"):
        run_update_test(w3c_server, test)
        outcomes[test.iri] = EARL.inapplicable
        return
    for http_request in test.requests:
        check_response(http_request, *send(w3c_server, http_request))
    outcomes[test.iri] = EARL.passed
