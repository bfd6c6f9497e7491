"""bench/cold_path.py without servers: its queries, verdicts and Markdown table."""

from __future__ import annotations

from typing import Any

import pyoxigraph
import pytest

from bench.cold_path import QUERY_DIR, SHAPES, run_table, verdict


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_has_a_query_that_parses(shape: str) -> None:
    text = (QUERY_DIR / f"{shape}.rq").read_text(encoding="utf-8")
    assert isinstance(pyoxigraph.Store().query(text), pyoxigraph.QuerySolutions)


def test_verdict_names_each_missed_target_and_by_how_much() -> None:
    assert verdict(0.8, 1.3) == "met"
    assert verdict(0.4, 1.0) == "missed: req/s 0.50x of target"
    assert verdict(1.0, 2.6) == "missed: p50 2.00x over target"


def shape_record(rps: float | None, p50_ms: float) -> dict[str, Any]:
    return {"rps": rps, "p50_ms": p50_ms, "non2xx": 0}


def test_the_table_has_one_row_per_core_count_and_shape() -> None:
    server = {"pss_mb": 100.0, "load": 1.0, "start_s": 1.0}
    our_shapes = {shape: shape_record(800.0, 2.6) for shape in SHAPES}
    our_shapes["join-through-evidence"] = shape_record(None, 0.0)  # a failed measurement
    ours = {**server, "shapes": our_shapes}
    bare = {**server, "shapes": {shape: shape_record(1000.0, 2.0) for shape in SHAPES}}
    record = {
        "label": "x",
        "commit": "abc",
        "date": "d",
        "settings": {"QUERY_WORKERS": "1"},
        "machine": "m",
        "pyoxigraph": "0",
        "graph": "g",
        "duration_s": 1,
        "cores": {"1": {"ours": ours, "bare": bare}, "2": {"ours": ours, "bare": bare}},
    }
    rows = [line for line in run_table(record) if line.startswith(("| 1 ", "| 2 "))]
    assert len(rows) == 2 * len(SHAPES)
    assert (
        "| 1 | lookup by external id | 800 (2.6) | 1,000 (2.0) | 0.80 | 1.30 | met | 0/0 | –/– |"
        in rows
    )
    assert "| 2 | join through evidence statements | failed |" in rows[-1]
