"""Home consumption where the meters see the grid: solar + import - export + discharge - charge.

Per-poll timing differences between the meters can make that sum dip for a poll; the counter
then waits until the running sum is above it again, so it never drops.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class HomeFlow:
    """The site's home counter, and the running sum it follows."""

    total: float | None = None
    running: float | None = None

    def add(self, growth: float) -> None:
        """One poll's net growth; the first poll starts both from 0."""
        if self.total is None or self.running is None:
            self.total = self.running = 0.0
            return
        self.running += growth
        self.total = max(self.total, self.running)
