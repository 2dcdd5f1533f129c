"""Lifetime counters as Home Assistant shows them: never lower because of a glitch, no spikes.

A total-increasing sensor that drops is read by the recorder as a meter reset, and the next
normal reading then adds the whole lifetime to the statistics: the spike owners see after
a PVS reboot or a bad poll. A reading below the last shown one is therefore held back; only
when it stays far lower for several polls in a row (a counter that really was reset) is it
accepted, once, as the new start; a small dip is never shown. A reading higher than the
device can have produced since the last one is held back the same way until the next poll
confirms it (a one-poll glitch is never shown).

These sensors show the device's own register, so a confirmed jump (a replaced meter with a
higher count) is shown as it is; the site energy sensors (energy.py) count only growth and
absorb it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .energy import BATTERY_MAX_KW, DEFAULT_SERVICE_KW, INVERTER_MAX_KW, MIN_ARRAY_KW, VOLTS
from .energy_track import RESET_MIN_DROP_KWH, RESOLUTION_KWH, allowed_growth
from .pvs import Device, Inverter, Meter, MeterKind, PVSData

CONFIRM_POLLS = 3


def max_power_kw(device: Device, data: PVSData) -> float:
    """The most a device can move energy at: bounds how fast its counter can grow."""
    if isinstance(device, Inverter):
        return INVERTER_MAX_KW
    if isinstance(device, Meter):
        if device.kind is MeterKind.CONSUMPTION:
            rating = device.ct_rating_a
            return rating * VOLTS / 1000 if rating else DEFAULT_SERVICE_KW
        return max(MIN_ARRAY_KW, INVERTER_MAX_KW * len(data.inverters))
    return BATTERY_MAX_KW


@dataclass(slots=True)
class CounterGuard:
    """The last value shown (and its time), and the readings held back."""

    shown: float | None = None
    shown_at: float | None = None
    lower_polls: int = 0
    high: float | None = None
    high_at: float | None = None

    def accept(self, reading: float | None, when: float, max_kw: float) -> float | None:
        """The value to show for a reading at ``when`` (epoch s); None stays unknown."""
        if reading is None:
            return None
        if self.shown is not None and reading < self.shown:
            # Only a counter started again (a reset, a new device) is shown lower, never a sag:
            # the recorder warns about any dip and reads a large one as a new meter.
            self.lower_polls = (
                self.lower_polls + 1 if self.shown - reading >= RESET_MIN_DROP_KWH else 0
            )
            if self.lower_polls < CONFIRM_POLLS:
                return self.shown
        elif self._implausible(reading, when, max_kw):
            self.high, self.high_at = reading, when
            return self.shown
        self.lower_polls = 0
        self.high = self.high_at = None
        self.shown, self.shown_at = reading, when
        return reading

    def _implausible(self, reading: float, when: float, max_kw: float) -> bool:
        """Higher than the device can have produced since the last shown reading, unconfirmed."""
        if self.shown is None or self.shown_at is None:
            return False  # nothing to compare with (first reading, or just restored)
        if reading - self.shown <= allowed_growth(max_kw, when - self.shown_at):
            return False
        confirmed = (
            self.high is not None
            and self.high_at is not None
            and -RESOLUTION_KWH
            <= reading - self.high
            <= allowed_growth(max_kw, when - self.high_at)
        )
        return not confirmed

    def restore(self, value: float) -> None:
        """Start from the value shown before Home Assistant restarted."""
        if self.shown is None or value > self.shown:
            self.shown = value
