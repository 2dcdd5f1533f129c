"""Summaries of a run's samples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math
import statistics


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered), math.ceil(fraction * len(ordered))) - 1)
    return ordered[rank]


def median(values: Sequence[float]) -> float:
    """Median (0 for no values)."""
    return float(statistics.median(values)) if values else 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """Median, 95th percentile, mean and maximum of some samples."""

    n: int
    median: float
    p95: float
    mean: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        """Summarise ``values``."""
        return cls(
            n=len(values),
            median=median(values),
            p95=percentile(values, 0.95),
            mean=statistics.fmean(values) if values else 0.0,
            max=max(values, default=0.0),
        )


def ratio(numerator: float, denominator: float) -> float | None:
    """Numerator / denominator, or None when there is nothing to divide by."""
    return numerator / denominator if denominator else None
