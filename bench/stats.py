"""Percentiles and peak memory, shared by the in-process and HTTP measurements."""

from __future__ import annotations

import math
import resource
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Timed runs per query at most, seconds of timed runs per query, seconds per run."""

    runs: int
    budget_s: float
    timeout_s: float


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of non-empty ``samples``."""
    if not samples:
        raise ValueError("percentile of no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary_ms(samples_s: list[float]) -> dict[str, float | int]:
    """p50, p99 (ms) and the sample count of durations given in seconds."""
    return {
        "p50_ms": round(percentile(samples_s, 0.50) * 1000, 3),
        "p99_ms": round(percentile(samples_s, 0.99) * 1000, 3),
        "runs": len(samples_s),
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports ``ru_maxrss`` in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
