"""Battery energy: the ESS's charge and discharge registers, else its power integrated.

Which register is which is learnt from the state of charge (discharging empties the
battery, charging fills it). Where the firmware has no registers (legacy ESS status), the
battery's power is integrated over time: trapezoids, split where it changes sign, never
across a gap longer than an hour (nothing is known of an outage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pvs import EnergyStorage
from .limits import BATTERY_MAX_KW, stamp
from .track import Direction, Orientation, Track

MAX_INTEGRATION_GAP_S = 3600.0


@dataclass(slots=True)
class BatteryFlow:
    """The site's battery counters (kWh charged and discharged) and what they follow."""

    charged: float | None = None
    discharged: float | None = None
    positive: Track = field(default_factory=Track)
    negative: Track = field(default_factory=Track)
    direction: Direction = field(default_factory=Direction)
    state_of_charge: float | None = None
    sample: tuple[float, float] | None = None

    def step(self, storage: EnergyStorage | None, when: float) -> tuple[float, float]:
        """Battery (charged, discharged) growth this poll."""
        if storage is None:
            return 0.0, 0.0
        reported = stamp(storage, when)
        if storage.discharged_energy_kwh is None and storage.charged_energy_kwh is None:
            charged, discharged = self._integrate(storage.power_kw, reported)
            self.charged = (self.charged or 0.0) + charged
            self.discharged = (self.discharged or 0.0) + discharged
            return charged, discharged
        # The varserver's registers, positive first (mapped as discharged / charged).
        positive = self.positive.step(storage.discharged_energy_kwh, reported, BATTERY_MAX_KW)
        negative = self.negative.step(storage.charged_energy_kwh, reported, BATTERY_MAX_KW)
        soc = storage.state_of_charge_pct
        if soc is not None and self.state_of_charge is not None and soc != self.state_of_charge:
            # Discharging empties the battery: the register growing while it does is discharge,
            # and the one growing while it fills is charge (so the other one is discharge).
            if soc < self.state_of_charge:
                self.direction.observe(positive, negative, evidence=True)
            else:
                self.direction.observe(negative, positive, evidence=True)
        self.state_of_charge = soc if soc is not None else self.state_of_charge
        orientation = self.direction.decided
        if orientation is None:
            return 0.0, 0.0
        if orientation is Orientation.POSITIVE:
            discharged_reg, charged_reg = self.positive, self.negative
            discharged, charged = positive, negative
        else:
            discharged_reg, charged_reg = self.negative, self.positive
            discharged, charged = negative, positive
        if self.charged is None or self.discharged is None:
            self.charged, self.discharged = charged_reg.base, discharged_reg.base
            return 0.0, 0.0
        self.charged += charged
        self.discharged += discharged
        return charged, discharged

    def _integrate(self, power_kw: float | None, when: float) -> tuple[float, float]:
        """Battery power (+ discharge) integrated since the last sample: (charged, discharged)."""
        if power_kw is None:
            return 0.0, 0.0
        last, self.sample = self.sample, (when, power_kw)
        if last is None or not 0 < when - last[0] <= MAX_INTEGRATION_GAP_S:
            return 0.0, 0.0
        hours = (when - last[0]) / 3600.0
        before, after = last[1], power_kw
        if before * after >= 0:
            energy = (before + after) / 2 * hours
            return max(-energy, 0.0), max(energy, 0.0)
        # The power crossed zero: two triangles, one each way.
        share = before / (before - after)
        first, second = before * share * hours / 2, after * (1 - share) * hours / 2
        return -min(first, second), max(first, second)
