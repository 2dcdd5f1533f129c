"""Battery energy: the ESS's charge and discharge registers, else its power integrated.

Which register is which is learnt from the state of charge (discharging empties the
battery, charging fills it). Where the firmware has no registers (legacy ESS status), the
battery's power is integrated over time: trapezoids, split where it changes sign. Across a
gap in its data (up to two hours; nothing is known of a longer outage) the state of charge
tells what the battery took or gave, at the energy per percent learnt from the integration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pvs import EnergyStorage
from .limits import BATTERY_MAX_KW, stamp
from .track import Direction, Orientation, Track

# Across a longer gap (an outage) nothing is known of the battery's power.
MAX_INTEGRATION_GAP_S = 2 * 3600.0
# Samples this close (a poll or two apart) are integrated; a longer gap is bridged by the
# state of charge where its energy per percent is known.
SAMPLE_GAP_S = 600.0
# State of charge integrated over before its energy per percent is trusted.
LEARNT_PCT = 20.0


@dataclass(slots=True)
class Capacity:
    """Energy per percent of charge, charging and discharging, learnt from the integration."""

    charged_kwh: float = 0.0
    charged_pct: float = 0.0
    discharged_kwh: float = 0.0
    discharged_pct: float = 0.0

    def learn(self, charged: float, discharged: float, soc_change: float) -> None:
        """One integrated step that moved one way only.

        Every such step counts, those in which a whole-percent state of charge did not move
        too: over a run of them the changes add up to the true one.
        """
        if charged > 0 and discharged == 0:
            self.charged_kwh += charged
            self.charged_pct += soc_change
        elif discharged > 0 and charged == 0:
            self.discharged_kwh += discharged
            self.discharged_pct -= soc_change

    def kwh_per_pct(self, *, charging: bool) -> float | None:
        """The energy one percent of charge takes (charging) or gives, once known."""
        kwh, pct = (
            (self.charged_kwh, self.charged_pct)
            if charging
            else (self.discharged_kwh, self.discharged_pct)
        )
        return kwh / pct if pct >= LEARNT_PCT else None


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
    sample_soc: float | None = None
    capacity: Capacity = field(default_factory=Capacity)

    def awaited(self, when: float) -> bool:
        """Whether the battery's energy since its last reading can still be had.

        Its registers catch up whenever the battery is back; power integrates only across a
        gap of up to two hours. Flows that need the battery wait for it while it is awaited.
        """
        if self.positive.base is not None:
            return True
        return self.sample is not None and when - self.sample[0] <= MAX_INTEGRATION_GAP_S

    def step(
        self, storage: EnergyStorage | None, when: float, soc: float | None = None
    ) -> tuple[float, float] | None:
        """Battery (charged, discharged) growth this poll; None when its data is missing.

        ``soc``: the site's state of charge in percent (legacy: the modules' mean).
        """
        if storage is None:
            return None
        reported = stamp(storage, when)
        if storage.discharged_energy_kwh is None and storage.charged_energy_kwh is None:
            if storage.power_kw is None:
                return None
            charged, discharged = self._integrate(storage.power_kw, reported, soc)
            self.charged = (self.charged or 0.0) + charged
            self.discharged = (self.discharged or 0.0) + discharged
            return charged, discharged
        if storage.discharged_energy_kwh is None or storage.charged_energy_kwh is None:
            return None
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

    def _integrate(self, power_kw: float, when: float, soc: float | None) -> tuple[float, float]:
        """Battery power (+ discharge) integrated since the last sample: (charged, discharged)."""
        last, self.sample = self.sample, (when, power_kw)
        last_soc, self.sample_soc = self.sample_soc, soc
        if last is None or not 0 < when - last[0] <= MAX_INTEGRATION_GAP_S:
            return 0.0, 0.0
        charged, discharged = _trapezoids(last[1], power_kw, (when - last[0]) / 3600.0)
        soc_change = None if soc is None or last_soc is None else soc - last_soc
        if soc_change is None:
            return charged, discharged
        if when - last[0] <= SAMPLE_GAP_S:
            self.capacity.learn(charged, discharged, soc_change)
            return charged, discharged
        # A gap in the data: the power either side says little of what happened between.
        rate = self.capacity.kwh_per_pct(charging=soc_change > 0)
        if rate is None:
            return charged, discharged
        energy = abs(soc_change) * rate
        return (energy, 0.0) if soc_change > 0 else (0.0, energy)


def _trapezoids(before: float, after: float, hours: float) -> tuple[float, float]:
    """(charged, discharged) between two power samples (+ discharge), split where it crosses 0."""
    if before * after >= 0:
        energy = (before + after) / 2 * hours
        return max(-energy, 0.0), max(energy, 0.0)
    share = before / (before - after)
    first, second = before * share * hours / 2, after * (1 - share) * hours / 2
    return -min(first, second), max(first, second)
