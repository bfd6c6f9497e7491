"""Shared fixtures: the fixture content, its built graph, and the real build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.build.graph import build_data_graph, load_ontology, merge
from kg.constants import CONTENT_DIR
from kg.release.assemble import BuildResult, build_release

FIXTURE_CONTENT_DIR = Path(__file__).parent / "data" / "content"
#: Test ids (node ids) that may skip even in CI; every other skip fails there (a fresh clone and
#: ``scripts/install-system-deps.sh`` give every test its input)
ALLOWED_CI_SKIPS: frozenset[str] = frozenset()


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``, as GitHub Actions, GitLab and most others set it)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, None]:
    """In CI, report a skipped test (a missing input or tool) as failed, unless it is allowed."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail") or item.nodeid in ALLOWED_CI_SKIPS:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI (CI=true), which counts as a failure: {reason}"


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
