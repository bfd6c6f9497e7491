"""The CI skip rule: in CI a skipped test fails, unless it is allowed to skip.

``tests/conftest.py`` imports the hook, which registers it; it lives here, away from the graph
fixtures, so that a probe run of pytest (tests/test_packaging.py) loads nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

__all__ = ["ALLOWED_CI_SKIPS", "in_ci", "pytest_runtest_makereport"]

#: Test ids (node ids) that may skip even in CI; every other skip fails there (a fresh clone and
#: ``scripts/install-system-deps.sh`` give every test its input)
ALLOWED_CI_SKIPS: frozenset[str] = frozenset()


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``, as GitHub Actions, GitLab and most others set
    it)."""
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
