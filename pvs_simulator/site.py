"""Energy flows of the site over simulated time, integrated into lifetime counters."""

from __future__ import annotations

from dataclasses import dataclass, replace
import math

from .battery import BATTERY_KWH, DEFAULT_CONTROL, EssControl, battery_kw
from .profiles import SiteProfile
from .sun import Household, Sky

METER_REFRESH_S = 15
DEVICE_REFRESH_S = 300


@dataclass(frozen=True, slots=True)
class Flows:
    """Instantaneous powers in kW. ``ess_kw`` > 0 discharges the battery."""

    pv_kw: float
    load_kw: float
    ess_kw: float
    irradiance: float

    @property
    def net_kw(self) -> float:
        """Grid flow: positive imports, negative exports."""
        return self.load_kw - self.pv_kw - self.ess_kw


@dataclass(frozen=True, slots=True)
class Totals:
    """Energies in kWh accumulated since the simulation started, and the battery's charge."""

    pv_kwh: float = 0.0
    load_kwh: float = 0.0
    import_kwh: float = 0.0
    export_kwh: float = 0.0
    discharge_kwh: float = 0.0
    charge_kwh: float = 0.0
    soc: float = 0.6


@dataclass(frozen=True, slots=True)
class Reading:
    """Flows and totals at one instant, and the battery settings they were dispatched under."""

    epoch: float
    flows: Flows
    totals: Totals
    control: EssControl = DEFAULT_CONTROL


class Site:
    """Integrates the sun, the house and the battery in 15-second steps.

    Meter readings are latched at every 15-second boundary and device readings at every
    5-minute boundary, the cadences the real supervisor refreshes at.
    """

    def __init__(
        self,
        profile: SiteProfile,
        seed: int,
        start_epoch: float,
        control: EssControl = DEFAULT_CONTROL,
    ) -> None:
        """Begin integrating at the 5-minute boundary before ``start_epoch``."""
        self._profile = profile
        self._sky = Sky(seed)
        self._household = Household(seed, profile.load_scale)
        origin = math.floor(start_epoch / DEVICE_REFRESH_S) * DEVICE_REFRESH_S
        self._totals = Totals()
        self._control = control
        self._epoch = float(origin)
        self._flows = self._flows_at(self._epoch, self._totals.soc)
        first = self.live
        self.meter_reading = first
        self.device_reading = first
        self.last_daylight: Reading | None = (
            first if first.flows.pv_kw > 0 else self._sunset(origin)
        )
        self.advance_to(start_epoch)

    @property
    def sky(self) -> Sky:
        """The weather driving production."""
        return self._sky

    @property
    def live(self) -> Reading:
        """The state at the latest integrated instant."""
        return Reading(self._epoch, self._flows, self._totals, self._control)

    @property
    def control(self) -> EssControl:
        """The battery's mode and reserve now."""
        return self._control

    def set_control(self, control: EssControl) -> None:
        """New battery settings from the latest integrated instant on (advance first)."""
        self._control = control
        # The battery answers at once: the next step starts from the new dispatch.
        self._flows = self._flows_at(self._epoch, self._totals.soc)

    def advance_to(self, epoch: float) -> None:
        """Integrate up to ``epoch``, latching readings at refresh boundaries."""
        while self._epoch < epoch:
            boundary = (math.floor(self._epoch / METER_REFRESH_S) + 1) * METER_REFRESH_S
            end = min(float(boundary), epoch)
            self._step(end)
            if end == boundary:
                reading = self.live
                self.meter_reading = reading
                if boundary % DEVICE_REFRESH_S == 0:
                    self.device_reading = reading
                    if reading.flows.pv_kw > 0:
                        self.last_daylight = reading

    def _sunset(self, before: float) -> Reading | None:
        """The last daylight refresh before a start in the dark, for stale night values."""
        for back in range(1, 24 * 3600 // DEVICE_REFRESH_S):
            epoch = before - back * DEVICE_REFRESH_S
            flows = self._flows_at(epoch, self._totals.soc)
            if flows.pv_kw > 0:
                return Reading(epoch, flows, self._totals, self._control)
        return None

    def _step(self, end: float) -> None:
        hours = (end - self._epoch) / 3600.0
        before = self._flows
        soc = self._totals.soc
        after = self._flows_at(end, soc)
        # Trapezoids: clients integrating the sampled powers see the same energy.
        pv = (before.pv_kw + after.pv_kw) / 2 * hours
        load = (before.load_kw + after.load_kw) / 2 * hours
        ess = (before.ess_kw + after.ess_kw) / 2 * hours
        imported = (max(before.net_kw, 0.0) + max(after.net_kw, 0.0)) / 2 * hours
        exported = (max(-before.net_kw, 0.0) + max(-after.net_kw, 0.0)) / 2 * hours
        totals = self._totals
        self._totals = replace(
            totals,
            pv_kwh=totals.pv_kwh + pv,
            load_kwh=totals.load_kwh + load,
            import_kwh=totals.import_kwh + imported,
            export_kwh=totals.export_kwh + exported,
            discharge_kwh=totals.discharge_kwh + max(ess, 0.0),
            charge_kwh=totals.charge_kwh + max(-ess, 0.0),
            soc=min(1.0, max(0.0, soc - ess / BATTERY_KWH)),
        )
        self._epoch = end
        self._flows = after

    def _flows_at(self, epoch: float, soc: float) -> Flows:
        irradiance = self._sky.irradiance(epoch)
        pv_kw = self._profile.peak_kw * 0.92 * irradiance
        load_kw = self._household.load_kw(epoch, irradiance)
        ess_kw = (
            battery_kw(self._control, pv_kw=pv_kw, load_kw=load_kw, soc=soc, epoch=epoch)
            if self._profile.ess
            else 0.0
        )
        return Flows(pv_kw=pv_kw, load_kw=load_kw, ess_kw=ess_kw, irradiance=irradiance)
