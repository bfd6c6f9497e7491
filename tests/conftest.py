"""Shared fixtures: the fixture content, its built graph, and the real build.

Tests that build or read the real curated content (``content/``) pin what curators wrote, so
adding a biomarker may break them: they live under ``tests/content/`` and are marked ``slow``
(``make test-fast`` leaves them out). Every test under ``tests/content/``, and every test that
asks for ``real_build`` or ``real_graph`` wherever it lives, gets the mark here.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Generator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.build.graph import build_data_graph, load_ontology, merge
from kg.constants import CONTENT_DIR
from kg.release.assemble import BuildResult, build_release

FIXTURE_CONTENT_DIR = Path(__file__).parent / "data" / "content"
#: Tests of the real curated content
CONTENT_TESTS_DIR = Path(__file__).parent / "content"
#: Fixtures that build the real curated content
REAL_CONTENT_FIXTURES = frozenset({"real_build", "real_graph"})

#: Test ids (node ids) that may skip even in CI; every other skip fails there (a fresh clone and
#: ``scripts/install-system-deps.sh`` give every test its input)
ALLOWED_CI_SKIPS: frozenset[str] = frozenset()


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``, as GitHub Actions, GitLab and most others set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """In CI, report a skipped test (a missing input or tool) as failed, unless it is allowed."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if (
        not (report.skipped and in_ci())
        or hasattr(report, "wasxfail")
        or item.nodeid in ALLOWED_CI_SKIPS
    ):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI (CI=true), which counts as a failure: {reason}"


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
