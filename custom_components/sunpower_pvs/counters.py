"""Lifetime counters as Home Assistant shows them: never lower because of a glitch.

A total-increasing sensor that drops is read by the recorder as a meter reset, and the next
normal reading then adds the whole lifetime to the statistics: the spike owners see after
a PVS reboot or a bad poll. A reading below the last shown one is therefore held back; only
when it stays lower for several polls in a row (a counter that really was reset) is it
accepted, once, as the new start.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIRM_POLLS = 3


@dataclass(slots=True)
class CounterGuard:
    """The last value shown, and how many polls in a row read lower."""

    shown: float | None = None
    lower_polls: int = 0

    def accept(self, reading: float | None) -> float | None:
        """The value to show for a reading (None stays unknown: it is no drop)."""
        if reading is None:
            return None
        if self.shown is not None and reading < self.shown:
            self.lower_polls += 1
            if self.lower_polls < CONFIRM_POLLS:
                return self.shown
        self.lower_polls = 0
        self.shown = reading
        return reading

    def restore(self, value: float) -> None:
        """Start from the value shown before Home Assistant restarted."""
        if self.shown is None or value > self.shown:
            self.shown = value
