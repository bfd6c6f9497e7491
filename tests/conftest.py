"""Shared fixtures: the fixture content, its built graph, and the real build."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from rdflib import Graph

from kg.build.graph import build_data_graph, load_ontology, merge
from kg.constants import CONTENT_DIR
from kg.release.assemble import BuildResult, build_release

FIXTURE_CONTENT_DIR = Path(__file__).parent / "data" / "content"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-answers`` rewrites the pinned answers of the competency queries."""
    parser.addoption("--update-answers", action="store_true", help="rewrite queries/answers/*.tsv from the current graph")


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
