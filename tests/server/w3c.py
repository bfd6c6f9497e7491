"""Read the W3C SPARQL 1.1 manifests and write EARL reports (used by the W3C runners)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.constants import DIST_DIR

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
EARL = Namespace("http://www.w3.org/ns/earl#")
DOAP = Namespace("http://usefulinc.com/ns/doap#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

#: The project as the EARL test subject
SUBJECT = URIRef("https://w3id.org/rankl-kg/sparql")
#: The W3C test data the tests use, copied into the repository with its licence
W3C_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "w3c"


def w3c_dir() -> Path:
    """Return the W3C SPARQL 1.1 test folder (env RANKL_KG_W3C_DIR or the copy in
    tests/data/w3c)."""
    configured = os.environ.get("RANKL_KG_W3C_DIR")
    base = Path(configured) if configured else W3C_DATA_DIR
    return base / "sparql11" if (base / "sparql11").is_dir() else base


def earl_dir() -> Path:
    """Return where EARL reports go (env RANKL_KG_EARL_DIR, default dist/earl)."""
    configured = os.environ.get("RANKL_KG_EARL_DIR")
    return Path(configured) if configured else DIST_DIR / "earl"


@dataclass(frozen=True)
class HttpRequest:
    """One ``ht:Request`` of a protocol test and its expected response."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: frozenset[str]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    """One ``mf:ProtocolTest``: requests run in order, plus the graphs it needs."""

    iri: URIRef
    name: str
    requests: tuple[HttpRequest, ...]
    graph_data: dict[str, Path] = field(default_factory=dict)

    @property
    def local_name(self) -> str:
        """Return the fragment of the test IRI, e.g. ``query_get``."""
        return str(self.iri).rsplit("#", 1)[-1]


@dataclass(frozen=True)
class SyntaxTest:
    """One positive or negative query syntax test."""

    iri: URIRef
    query_path: Path
    positive: bool


def manifest_entries(graph: Graph) -> list[Node]:
    """Return the ``mf:entries`` list of a manifest, in order."""
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = graph.value(manifest, MF.entries)
    return list(Collection(graph, entries)) if entries is not None else []


def read_body(graph: Graph, request: Node) -> bytes | None:
    """Return the encoded body of an ``ht:Request`` (``cnt:characterEncoding``)."""
    body = graph.value(request, HT.body)
    if body is None:
        return None
    encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(body, CNT.chars)).encode(encoding)


def read_request(graph: Graph, request: Node) -> HttpRequest:
    """Turn one ``ht:Request`` into an :class:`HttpRequest`."""
    headers_list = graph.value(request, HT.headers)
    headers = {
        str(graph.value(header, HT.fieldName)): str(graph.value(header, HT.fieldValue))
        for header in (Collection(graph, headers_list) if headers_list is not None else [])
    }
    response = graph.value(request, HT.resp)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    expected_format = graph.value(response, MF.expectedFormat)
    return HttpRequest(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=headers,
        body=read_body(graph, request),
        expected_status=frozenset(
            str(status).rsplit("#", 1)[-1] for status in graph.objects(response, MF.expectedStatus)
        ),
        expected_format=None if expected_format is None else str(expected_format),
        expected_boolean=(
            bool(expected_boolean.toPython()) if isinstance(expected_boolean, Literal) else None
        ),
    )


def read_protocol_tests(manifest_path: Path) -> list[ProtocolTest]:
    """Return the protocol tests of ``manifest_path`` in manifest order."""
    graph = Graph().parse(manifest_path, format="turtle")
    tests = []
    for entry in manifest_entries(graph):
        requests = graph.value(graph.value(entry, MF.action), HT.requests)
        if requests is None:
            raise ValueError(f"{manifest_path}: test {entry} has no ht:requests list")
        graph_data = {
            str(graph.value(data, RDFS.label)): Path(
                str(graph.value(data, UT.graph)).removeprefix("file://")
            )
            for data in graph.objects(entry, UT.graphData)
        }
        tests.append(
            ProtocolTest(
                iri=URIRef(str(entry)),
                name=str(graph.value(entry, MF.name)),
                requests=tuple(read_request(graph, r) for r in Collection(graph, requests)),
                graph_data=graph_data,
            )
        )
    return tests


def read_syntax_tests(manifest_path: Path) -> list[SyntaxTest]:
    """Return the positive and negative syntax tests of ``manifest_path``."""
    graph = Graph().parse(manifest_path, format="turtle")
    tests = []
    for entry in manifest_entries(graph):
        kinds = set(graph.objects(entry, RDF.type))
        action = str(graph.value(entry, MF.action)).removeprefix("file://")
        tests.append(
            SyntaxTest(
                iri=URIRef(str(entry)),
                query_path=Path(action),
                positive=MF.PositiveSyntaxTest11 in kinds,
            )
        )
    return tests


def iter_graph_files(tests: list[ProtocolTest]) -> Iterator[tuple[str, Path]]:
    """Yield every (graph IRI, file) the protocol tests need, once each."""
    seen: dict[str, Path] = {}
    for test in tests:
        seen.update(test.graph_data)
    yield from sorted(seen.items())


def write_earl(outcomes: dict[URIRef, URIRef], report_name: str) -> Path:
    """Write an EARL report (one ``earl:Assertion`` per test) and return its path."""
    graph = Graph()
    graph.bind("earl", EARL)
    graph.bind("doap", DOAP)
    graph.add((SUBJECT, RDF.type, DOAP.Project))
    graph.add((SUBJECT, DOAP.name, Literal("RANKL-KG SPARQL endpoint")))
    now = Literal(
        datetime.now(UTC).isoformat(), datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
    )
    for number, (test, outcome) in enumerate(sorted(outcomes.items()), start=1):
        assertion = URIRef(f"{SUBJECT}#{report_name}-assertion-{number}")
        result = URIRef(f"{SUBJECT}#{report_name}-result-{number}")
        graph.add((assertion, RDF.type, EARL.Assertion))
        graph.add((assertion, EARL.assertedBy, SUBJECT))
        graph.add((assertion, EARL.subject, SUBJECT))
        graph.add((assertion, EARL.test, test))
        graph.add((assertion, EARL.mode, EARL.automatic))
        graph.add((assertion, EARL.result, result))
        graph.add((result, RDF.type, EARL.TestResult))
        graph.add((result, EARL.outcome, outcome))
        graph.add((result, DCTERMS.date, now))
    target = earl_dir() / f"{report_name}.ttl"
    target.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(target, format="turtle")
    return target


def summarize(outcomes: dict[URIRef, URIRef]) -> str:
    """Return e.g. ``passed 27, inapplicable 7, failed 0``."""
    counts = dict.fromkeys(("passed", "inapplicable", "failed"), 0)
    for outcome in outcomes.values():
        counts[str(outcome).rsplit("#", 1)[-1]] += 1
    return ", ".join(f"{name} {count}" for name, count in counts.items())
