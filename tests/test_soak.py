"""The short soak: two minutes of mixed load on a live server, a query worker killed every 30 s.

The long one (30 minutes, a kill a minute) is the command in bench/results/soak.md. The
assertions are the guarantees, not timings: no response >= 500 other than the expected 503s
(deadline, memory cap, busy) and the 500 of a query running in the killed worker, and the
server answers after every kill.
"""

from __future__ import annotations

import pytest

from bench.soak import soak_server
from tests.conftest import FIXTURE_CONTENT_DIR

pytestmark = pytest.mark.integration

SECONDS = 120.0
KILL_EVERY_S = 30.0


@pytest.fixture(scope="module")
def soaked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("soak")
    return soak_server(root / "dist", FIXTURE_CONTENT_DIR, SECONDS, KILL_EVERY_S, root / "log")


def test_no_unexpected_response_of_500_or_more(soaked: dict[str, object]) -> None:
    assert soaked["unexpected"] == 0, soaked["unexpected_examples"]
    classes = soaked["classes"]
    assert isinstance(classes, dict)
    assert classes.get("200", 0) > 0


def test_the_server_answers_after_each_kill(soaked: dict[str, object]) -> None:
    kills = soaked["kills"]
    assert isinstance(kills, list)
    assert len(kills) >= SECONDS // KILL_EVERY_S - 1
    assert all(kill.get("pid") for kill in kills), kills
    assert all(kill.get("answered_after_s") is not None for kill in kills), kills
    assert soaked["server_alive_at_end"] is True


def test_the_pathological_queries_are_refused_with_503(soaked: dict[str, object]) -> None:
    classes = soaked["classes"]
    assert isinstance(classes, dict)
    assert classes.get("503 memory cap", 0) >= 1
    assert classes.get("400", 0) >= 1  # the malformed queries


def test_memory_is_reported_with_and_without_the_caches(soaked: dict[str, object]) -> None:
    """The caches fill up to their bounds under distinct queries: the soak reports the PSS
    slope without their bytes beside the one with them."""
    memory = soaked["pss_mb"]
    assert isinstance(memory, dict)
    caches = [mb for _, mb in memory["cache_samples"] if mb is not None]
    assert caches and caches[-1] > 0
    assert memory["baseline_slope_beyond_caches_mb_per_min"] is not None
