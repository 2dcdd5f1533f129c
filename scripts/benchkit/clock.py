"""The simulated time of one run, moved by the bench.

It is the simulator's clock (moved with ``POST /_sim/advance``), the client's (handed to it
as ``clock=``) and Home Assistant's ``dt_util.utcnow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# The PVS refreshes its per-device data every 5 minutes of its own clock.
DATA_SET_S = 300.0


@dataclass(slots=True)
class SimulatedTime:
    """Seconds since ``start``; the simulator is started at ``start`` with its clock frozen."""

    start: datetime
    elapsed: float = 0.0

    def advance(self, seconds: float) -> None:
        """Move on; the caller moves the simulator's clock by the same amount."""
        if seconds < 0:
            raise ValueError("simulated time cannot go backwards")
        self.elapsed += seconds

    def monotonic(self) -> float:
        """The client's clock (slow reads are aged by it): simulated seconds."""
        return self.elapsed

    @property
    def now(self) -> datetime:
        """Simulated time."""
        return self.start + timedelta(seconds=self.elapsed)

    def utcnow(self) -> datetime:
        """Home Assistant's ``dt_util.utcnow`` during a run."""
        return self.start + timedelta(seconds=self.elapsed)

    @property
    def data_set(self) -> int:
        """Which 5-minute data set of the PVS is current."""
        return int(self.now.timestamp() // DATA_SET_S)
