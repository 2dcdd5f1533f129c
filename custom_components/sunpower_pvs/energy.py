"""Site energy for the Energy dashboard: solar, grid import and export, home, battery.

The ledger turns each poll into growth of six site counters, whatever the meters' layout:

* **Solar**: the production meter's lifetime register; where there is none or it has never
  read above 0 (CTs not installed), the growth of the inverters' lifetime counters, each
  followed on its own so one missing from a poll, waking at sunrise or replaced adds no jump.
* **Grid** from the consumption meter, as its ``subtype`` says its CTs are placed:
  ``NET_CONSUMPTION_LOADSIDE`` (and meters without a subtype) see the grid: one register
  counts import, the other export. ``GROSS_CONSUMPTION_LINESIDE`` sees the house load: grid
  flow per poll is load growth minus solar growth (minus battery discharge, plus charge),
  split into import or export. A PVS5 meter without ``pos_ltea`` gets it from net + neg.
  Which register is import is learnt from the data (it grows at night), or set by the owner.
* **Home**: solar + import - export + discharge - charge (load side), the load register
  (line side). Per-poll timing differences can make the sum dip for a poll; the counter then
  waits until the sum is above it again.
* **Battery**: the ESS's charge and discharge registers where the firmware has them (which
  is which is learnt from the state of charge: discharging empties it, charging fills it),
  otherwise battery power integrated over time (trapezoids, split where it changes sign).

Until a direction is known its counters stay unknown rather than guess. Every register is
guarded by ``energy_track``'s rules. The whole ledger is kept in the store, so a restart of
Home Assistant resumes where it left off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .energy_track import Direction, Orientation, Track
from .night import daylight
from .pvs import Device, EnergyStorage, Inverter, Meter, MeterKind, PVSData
from .site import LINESIDE

# Microinverters deliver up to about 0.45 kW AC.
INVERTER_MAX_KW = 0.5
MIN_ARRAY_KW = 5.0
# A 200 A service at 240 V when the meter does not say its CT rating.
VOLTS = 240.0
DEFAULT_SERVICE_KW = 48.0
BATTERY_MAX_KW = 15.0
# Battery power is not integrated across a longer gap (an outage): nothing is known of it.
MAX_INTEGRATION_GAP_S = 3600.0
# The production meter sees only inverter standby draw at night.
NIGHT_PRODUCTION_KW = 0.05


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


@dataclass(frozen=True, slots=True)
class SiteEnergy:
    """Site counters in kWh; None while unknown (no source, or direction not learnt yet)."""

    solar: float | None = None
    grid_import: float | None = None
    grid_export: float | None = None
    home: float | None = None
    battery_charged: float | None = None
    battery_discharged: float | None = None


def _storage(data: PVSData) -> EnergyStorage | None:
    return next(iter(data.storage.values()), None)


def _stamp(device_time: float | None, fallback: float) -> float:
    return device_time if device_time is not None else fallback


def _registers(meter: Meter) -> tuple[float | None, float | None]:
    """Positive and negative register; one missing is derived from net = pos - neg."""
    pos, neg, net = meter.positive_energy_kwh, meter.negative_energy_kwh, meter.net_energy_kwh
    if pos is None and neg is not None and net is not None:
        pos = net + neg
    if neg is None and pos is not None and net is not None:
        neg = pos - net
    return pos, neg


def _add(total: float | None, growth: float) -> float | None:
    return None if total is None else total + growth


class SiteLedger:
    """Site energy counters, advanced by each poll."""

    def __init__(self, grid_override: Orientation | None = None) -> None:
        """``grid_override``: the owner's choice of import register, None to learn it."""
        self.grid_override = grid_override
        self.started = False
        self.solar: float | None = None
        self.meter_counts = False
        self.production = Track()
        self.inverters: dict[str, Track] = {}
        self.grid_positive = Track()
        self.grid_negative = Track()
        self.grid_direction = Direction()
        self.grid_import: float | None = None
        self.grid_export: float | None = None
        self.home: float | None = None
        self.home_sum: float | None = None
        self.battery_positive = Track()
        self.battery_negative = Track()
        self.battery_direction = Direction()
        self.battery_soc: float | None = None
        self.charged: float | None = None
        self.discharged: float | None = None
        self.battery_sample: tuple[float, float] | None = None

    @property
    def grid_orientation(self) -> Orientation | None:
        """Which consumption register counts import: the owner's choice, else what was learnt."""
        return self.grid_override or self.grid_direction.decided

    @property
    def energy(self) -> SiteEnergy:
        """The counters as sensors show them."""
        return SiteEnergy(
            solar=self.solar,
            grid_import=self.grid_import,
            grid_export=self.grid_export,
            home=self.home,
            battery_charged=self.charged,
            battery_discharged=self.discharged,
        )

    def update(self, data: PVSData, now: float) -> None:
        """Advance the counters by one poll; ``now`` (epoch s) when the PVS sends no clock."""
        when = _stamp(data.device_time.timestamp() if data.device_time else None, now)
        production = data.meter(MeterKind.PRODUCTION)
        night = not daylight(data) and (
            production is None or (production.power_kw or 0.0) < NIGHT_PRODUCTION_KW
        )
        solar = self._solar(data, production, when)
        charged, discharged = self._battery(data, when)
        consumption = data.meter(MeterKind.CONSUMPTION)
        if consumption is not None:
            self._grid(
                data, consumption, when, night=night, solar=solar, battery_out=discharged - charged
            )
        self.started = True

    def _solar(self, data: PVSData, meter: Meter | None, when: float) -> float:
        """Solar growth this poll; starts the counter at the first lifetime seen."""
        reading = meter.net_energy_kwh if meter else None
        from_meter = 0.0
        if meter is not None:
            reported = meter.last_report.timestamp() if meter.last_report else None
            limit = max_power_kw(meter, data)
            from_meter = self.production.step(reading, _stamp(reported, when), limit)
        self.meter_counts = self.meter_counts or (reading or 0.0) > 0.0
        from_inverters = 0.0
        lifetimes = 0.0
        for serial, inverter in data.inverters.items():
            lifetime = inverter.lifetime_energy_kwh
            reported = inverter.last_report.timestamp() if inverter.last_report else None
            new = self.started and serial not in self.inverters
            track = self.inverters.setdefault(serial, Track())
            limit = max_power_kw(inverter, data)
            from_inverters += track.step(lifetime, _stamp(reported, when), limit, new=new)
            lifetimes += lifetime or 0.0
        if self.solar is None:
            if self.meter_counts:
                self.solar = reading
            elif any(track.base is not None for track in self.inverters.values()):
                self.solar = lifetimes
            return 0.0
        growth = from_meter if self.meter_counts else from_inverters
        self.solar += growth
        return growth

    def _battery(self, data: PVSData, when: float) -> tuple[float, float]:
        """Battery (charged, discharged) growth this poll."""
        storage = _storage(data)
        if storage is None:
            return 0.0, 0.0
        stamp = storage.last_report.timestamp() if storage.last_report else when
        if storage.discharged_energy_kwh is None and storage.charged_energy_kwh is None:
            charged, discharged = self._integrate(storage.power_kw, stamp)
            self.charged = (self.charged or 0.0) + charged
            self.discharged = (self.discharged or 0.0) + discharged
            return charged, discharged
        # The varserver's registers, positive first (mapped as discharged / charged).
        positive = self.battery_positive.step(storage.discharged_energy_kwh, stamp, BATTERY_MAX_KW)
        negative = self.battery_negative.step(storage.charged_energy_kwh, stamp, BATTERY_MAX_KW)
        soc = storage.state_of_charge_pct
        if soc is not None and self.battery_soc is not None and soc != self.battery_soc:
            # Discharging empties the battery: the register growing while it does is discharge,
            # and the one growing while it fills is charge (so the other one is discharge).
            if soc < self.battery_soc:
                self.battery_direction.observe(positive, negative, evidence=True)
            else:
                self.battery_direction.observe(negative, positive, evidence=True)
        self.battery_soc = soc if soc is not None else self.battery_soc
        orientation = self.battery_direction.decided
        if orientation is None:
            return 0.0, 0.0
        if orientation is Orientation.POSITIVE:
            discharged_reg, charged_reg = self.battery_positive, self.battery_negative
            discharged, charged = positive, negative
        else:
            discharged_reg, charged_reg = self.battery_negative, self.battery_positive
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
        last, self.battery_sample = self.battery_sample, (when, power_kw)
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

    def _grid(
        self,
        data: PVSData,
        meter: Meter,
        when: float,
        *,
        night: bool,
        solar: float,
        battery_out: float,
    ) -> None:
        """Import, export and home growth from the consumption meter."""
        service_kw = max_power_kw(meter, data)
        stamp = _stamp(meter.last_report.timestamp() if meter.last_report else None, when)
        pos, neg = _registers(meter)
        grew_pos = self.grid_positive.step(pos, stamp, service_kw)
        grew_neg = self.grid_negative.step(neg, stamp, service_kw)
        self.grid_direction.observe(grew_pos, grew_neg, evidence=night)
        orientation = self.grid_orientation
        if orientation is None:
            return
        drawn_reg = (
            self.grid_positive if orientation is Orientation.POSITIVE else self.grid_negative
        )
        other_reg = (
            self.grid_negative if orientation is Orientation.POSITIVE else self.grid_positive
        )
        drawn = grew_pos if orientation is Orientation.POSITIVE else grew_neg
        other = grew_neg if orientation is Orientation.POSITIVE else grew_pos
        if meter.subtype == LINESIDE:
            self._lineside(drawn_reg, drawn, solar, battery_out)
            return
        if self.grid_import is None or self.grid_export is None:
            self.grid_import, self.grid_export = drawn_reg.base, other_reg.base
            return
        self.grid_import += drawn
        self.grid_export += other
        self._home(solar + drawn - other + battery_out)

    def _lineside(self, load_reg: Track, load: float, solar: float, battery_out: float) -> None:
        """The CTs see the house: the grid supplies what solar and battery do not."""
        if self.home is None or self.grid_import is None or self.grid_export is None:
            self.home = load_reg.base
            self.grid_import = self.grid_export = 0.0
            return
        self.home += load
        flow = load - solar - battery_out
        self.grid_import += max(flow, 0.0)
        self.grid_export += max(-flow, 0.0)

    def _home(self, growth: float) -> None:
        if self.home is None or self.home_sum is None:
            self.home = self.home_sum = 0.0
            return
        self.home_sum += growth
        self.home = max(self.home, self.home_sum)

    def as_dict(self) -> dict[str, Any]:
        """Everything needed to resume after a restart."""
        return {
            "started": self.started,
            "solar": self.solar,
            "meter_counts": self.meter_counts,
            "production": self.production.as_dict(),
            "inverters": {serial: track.as_dict() for serial, track in self.inverters.items()},
            "grid_positive": self.grid_positive.as_dict(),
            "grid_negative": self.grid_negative.as_dict(),
            "grid_direction": self.grid_direction.as_dict(),
            "grid_import": self.grid_import,
            "grid_export": self.grid_export,
            "home": self.home,
            "home_sum": self.home_sum,
            "battery_positive": self.battery_positive.as_dict(),
            "battery_negative": self.battery_negative.as_dict(),
            "battery_direction": self.battery_direction.as_dict(),
            "battery_soc": self.battery_soc,
            "charged": self.charged,
            "discharged": self.discharged,
            "battery_sample": list(self.battery_sample) if self.battery_sample else None,
        }

    def restore(self, stored: dict[str, Any]) -> None:
        """Resume from ``as_dict`` output (the owner's override stays as configured)."""
        self.started = bool(stored.get("started"))
        self.solar = stored.get("solar")
        self.meter_counts = bool(stored.get("meter_counts"))
        self.production = Track.from_dict(stored.get("production", {}))
        self.inverters = {
            serial: Track.from_dict(track) for serial, track in stored.get("inverters", {}).items()
        }
        self.grid_positive = Track.from_dict(stored.get("grid_positive", {}))
        self.grid_negative = Track.from_dict(stored.get("grid_negative", {}))
        self.grid_direction = Direction.from_dict(stored.get("grid_direction", {}))
        self.grid_import = stored.get("grid_import")
        self.grid_export = stored.get("grid_export")
        self.home = stored.get("home")
        self.home_sum = stored.get("home_sum")
        self.battery_positive = Track.from_dict(stored.get("battery_positive", {}))
        self.battery_negative = Track.from_dict(stored.get("battery_negative", {}))
        self.battery_direction = Direction.from_dict(stored.get("battery_direction", {}))
        self.battery_soc = stored.get("battery_soc")
        self.charged = stored.get("charged")
        self.discharged = stored.get("discharged")
        sample = stored.get("battery_sample")
        self.battery_sample = (float(sample[0]), float(sample[1])) if sample else None
