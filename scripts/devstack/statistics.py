"""Hourly long-term statistics of the site's sensors, computed from the simulator's model.

Rows as ``recorder/import_statistics`` takes them: mean / min / max for measurements (the
site's power sensors, each inverter's power, the battery's charge), state / sum for the
site's energy counters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import itertools
from typing import Any

from pvs_simulator.site import Reading

from .sim_model import Sample
from .site import (
    BATTERY_CHARGED,
    BATTERY_DISCHARGED,
    BATTERY_POWER,
    GRID_EXPORT,
    GRID_IMPORT,
    GRID_POWER,
    HOME,
    HOME_POWER,
    PRODUCTION_POWER,
    SOLAR,
    STATE_OF_CHARGE,
    Site,
)

HOUR = timedelta(hours=1)

# What each site sensor follows in the simulator's model: kW (powers), kWh (counters), %.
POWERS: dict[str, Callable[[Reading], float]] = {
    PRODUCTION_POWER: lambda r: r.flows.pv_kw,
    HOME_POWER: lambda r: r.flows.load_kw,
    GRID_POWER: lambda r: r.flows.net_kw,
    BATTERY_POWER: lambda r: r.flows.ess_kw,
}
PERCENTAGES: dict[str, Callable[[Reading], float]] = {
    STATE_OF_CHARGE: lambda r: r.totals.soc * 100.0,
}
COUNTERS: dict[str, Callable[[Reading], float]] = {
    SOLAR: lambda r: r.totals.pv_kwh,
    GRID_IMPORT: lambda r: r.totals.import_kwh,
    GRID_EXPORT: lambda r: r.totals.export_kwh,
    HOME: lambda r: r.totals.load_kwh,
    BATTERY_CHARGED: lambda r: r.totals.charge_kwh,
    BATTERY_DISCHARGED: lambda r: r.totals.discharge_kwh,
}
POWER_SCALE = {"W": 1000.0, "kW": 1.0}
ENERGY_SCALE = {"Wh": 1000.0, "kWh": 1.0, "MWh": 0.001}


def _at(samples: list[Sample], epoch: float, value: Callable[[Sample], float]) -> float:
    """A counter's model value at epoch, between the two samples around it."""
    for before, after in itertools.pairwise(samples):
        if before.epoch <= epoch <= after.epoch:
            share = (epoch - before.epoch) / (after.epoch - before.epoch)
            return value(before) + share * (value(after) - value(before))
    return value(samples[-1] if epoch > samples[-1].epoch else samples[0])


def mean_rows(
    samples: list[Sample], hours: list[datetime], value: Callable[[Sample], float]
) -> list[dict[str, Any]]:
    """Hourly mean / min / max of value."""
    rows = []
    for hour in hours:
        lo, hi = hour.timestamp(), (hour + HOUR).timestamp()
        values = [value(s) for s in samples if lo <= s.epoch < hi]
        if values:
            rows.append(
                {
                    "start": hour.isoformat(),
                    "mean": sum(values) / len(values),
                    "min": min(values),
                    "max": max(values),
                }
            )
    return rows


def sum_rows(
    samples: list[Sample],
    hours: list[datetime],
    value: Callable[[Sample], float],
    first: tuple[float, float],
) -> list[dict[str, Any]]:
    """Hourly state / sum of a counter whose first recorded state was first (epoch, state)."""
    when, state = first
    at_first = _at(samples, when, value)
    rows = []
    for hour in hours:
        end_state = state - (at_first - _at(samples, (hour + HOUR).timestamp(), value))
        rows.append({"start": hour.isoformat(), "state": end_state, "sum": end_state - state})
    return rows


@dataclass(frozen=True, slots=True)
class Series:
    """One statistic to import: what it follows in the model, and how."""

    entity_id: str
    value: Callable[[Sample], float]
    counter: bool
    unit: str | None
    unit_class: str | None

    @property
    def metadata(self) -> dict[str, Any]:
        """``recorder/import_statistics`` metadata: Home Assistant's own for such a sensor."""
        return {
            "has_sum": self.counter,
            "mean_type": 0 if self.counter else 1,  # none / arithmetic
            "name": None,
            "source": "recorder",
            "statistic_id": self.entity_id,
            "unit_class": self.unit_class,
            "unit_of_measurement": self.unit,
        }


def _scaled(fn: Callable[[Reading], float], scale: float) -> Callable[[Sample], float]:
    return lambda sample: fn(sample.reading) * scale


def _inverter(serial: str, scale: float) -> Callable[[Sample], float]:
    return lambda sample: sample.inverters.get(serial, 0.0) * scale


def series_for(site: Site, attributes: dict[str, dict[str, Any]]) -> list[Series]:
    """The site's sensors the model can fill in, with their units."""
    out: list[Series] = []

    def add(entity_id: str, fn: Callable[[Reading], float], scales: dict[str, float]) -> None:
        unit = attributes.get(entity_id, {}).get("unit_of_measurement")
        if unit in scales:
            counter = scales is ENERGY_SCALE
            unit_class = "energy" if counter else "power"
            out.append(Series(entity_id, _scaled(fn, scales[unit]), counter, unit, unit_class))

    for table, scales in ((POWERS, POWER_SCALE), (COUNTERS, ENERGY_SCALE)):
        for key, fn in table.items():
            if key in site.sensors:
                add(site.sensors[key], fn, scales)
    for key, fn in PERCENTAGES.items():
        if key in site.sensors:
            out.append(Series(site.sensors[key], _scaled(fn, 1.0), False, "%", None))
    for entity_id in site.inverters:
        unit = attributes.get(entity_id, {}).get("unit_of_measurement")
        serial = site.unique_ids[entity_id].removesuffix("_power").lower()
        if unit in POWER_SCALE:
            out.append(
                Series(entity_id, _inverter(serial, POWER_SCALE[unit]), False, unit, "power")
            )
    return out


def whole_hours(start: datetime, end: datetime) -> list[datetime]:
    """The whole hours from start up to end."""
    hours = []
    while start + HOUR <= end:
        hours.append(start)
        start += HOUR
    return hours


def top_of_hour(epoch: float) -> datetime:
    """The start of the hour epoch is in."""
    return datetime.fromtimestamp(epoch, UTC).replace(minute=0, second=0, microsecond=0)
