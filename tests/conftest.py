"""Shared fixtures: the fixture content, its built graph, and the real build.

Tests that build or read the real curated content (``content/``) pin what curators wrote, so
adding a biomarker may break them: they live under ``tests/content/`` and are marked ``slow``
(``make test-fast`` leaves them out). Every test under ``tests/content/``, and every test that
asks for ``real_build`` or ``real_graph`` wherever it lives, gets the mark here.
"""

from __future__ import annotations

import functools
import gc
import shutil
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.sparql import Query

from kg.build.graph import build_data_graph, load_ontology, merge
from kg.constants import CONTENT_DIR
from kg.release.assemble import BuildResult, build_release
from tests import ci_skips

#: The CI skip rule (tests/ci_skips.py), registered by being a hook of this conftest
pytest_runtest_makereport = ci_skips.pytest_runtest_makereport

FIXTURE_CONTENT_DIR = Path(__file__).parent / "data" / "content"
#: Tests of the real curated content
CONTENT_TESTS_DIR = Path(__file__).parent / "content"
#: Fixtures that build the real curated content
REAL_CONTENT_FIXTURES = frozenset({"real_build", "real_graph"})

#: Allocations between two young-generation garbage collections (CPython's default is 700)
GC_YOUNG_THRESHOLD = 50_000


def pytest_configure(config: pytest.Config) -> None:
    """Collect cyclic garbage less often: rdflib makes millions of small objects, and with the
    session's graphs alive every full collection walks all of them (a third of the unit tests'
    time went into it). Only when memory is freed changes, not what any test does."""
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-answers`` rewrites the pinned answers of the competency queries."""
    parser.addoption(
        "--update-answers",
        action="store_true",
        help="rewrite queries/answers/*.tsv from the current graph",
    )
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/data/snapshots/*.ttl from the fixture build",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` the tests of the real content: under tests/content/ or using the real build."""
    for item in items:
        under_content = item.path.is_relative_to(CONTENT_TESTS_DIR)
        if under_content or REAL_CONTENT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@functools.lru_cache(maxsize=4096)
def prepared_query(
    text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...] | None
) -> Query:
    """``text`` parsed and translated once (what ``rdflib.plugins.sparql.prepareQuery`` does)."""
    return translateQuery(parseQuery(text), base, None if namespaces is None else dict(namespaces))


@pytest.fixture(scope="session", autouse=True)
def sparql_parsed_once() -> Iterator[None]:
    """rdflib parses the text of every query it runs, and pyshacl runs each SHACL-SPARQL
    constraint once per focus node: half of a SHACL validation went into parsing the same few
    queries again. Here rdflib runs a query text it has seen as the prepared query (the same
    algebra, evaluated the same way), in this process only."""
    original = processor.SPARQLProcessor.query

    def query(
        self: processor.SPARQLProcessor,
        text_or_query: str | Query,
        init_bindings: Mapping[str, Any] | None = None,
        init_ns: Mapping[str, Any] | None = None,
        base: str | None = None,
        debug: bool = False,
    ) -> Mapping[str, Any]:
        prepared = text_or_query
        if isinstance(text_or_query, str):
            namespaces = None if init_ns is None else tuple(sorted(init_ns.items()))
            prepared = prepared_query(text_or_query, base, namespaces)
        return original(self, prepared, init_bindings, init_ns, base, debug)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(processor.SPARQLProcessor, "query", query)
        yield


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture content, for tests that break it."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT_DIR, target)
    return target


@pytest.fixture(scope="session")
def ontology_graph() -> Graph:
    """The project's ontology."""
    return load_ontology()


@pytest.fixture(scope="session")
def fixture_graph(ontology_graph: Graph) -> Graph:
    """The fixture content built and merged with the ontology (read-only: copy before changing)."""
    return merge(ontology_graph, build_data_graph(FIXTURE_CONTENT_DIR))


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture content built once into a temporary dist/ (read-only: copy it to change it)."""
    return build_release(
        content_dir=FIXTURE_CONTENT_DIR, dist_dir=tmp_path_factory.mktemp("fixture") / "dist"
    )


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real curated content built into a temporary dist/."""
    return build_release(content_dir=CONTENT_DIR, dist_dir=tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def real_graph(real_build: BuildResult) -> Graph:
    """The real merged graph (read-only)."""
    return real_build.graph


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test on any name lookup or connection (a JSON-LD reader fetching a context)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"tried to reach the network: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
