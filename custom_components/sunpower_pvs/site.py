"""The site's power flows, from the live feed where there is one, else from the meters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .pvs import Battery, EnergyStorage, LiveData, MeterKind, PVSData

# The consumption meter's CTs see the house load rather than the grid.
LINESIDE = "GROSS_CONSUMPTION_LINESIDE"


@dataclass(frozen=True, slots=True)
class SitePower:
    """kW: production, home consumption, grid (+ import / - export), battery (+ discharge)."""

    time: datetime | None = None
    production_kw: float | None = None
    consumption_kw: float | None = None
    grid_kw: float | None = None
    battery_kw: float | None = None
    state_of_charge_pct: float | None = None
    backup_time_remaining_min: float | None = None


def _kw(value: float | None) -> float | None:
    """To the watt: the resolution of the meters, the same for polled and pushed values."""
    return None if value is None else round(value, 3)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def from_live(live: LiveData, *, metered_grid: bool) -> SitePower:
    """The PVS's own site totals; grid and home only where a consumption meter measures them.

    Without one the PVS still sends a grid and home figure, made up from production alone.
    """
    return SitePower(
        time=live.time,
        production_kw=_kw(live.production_power_kw),
        consumption_kw=_kw(live.consumption_power_kw) if metered_grid else None,
        grid_kw=_kw(live.grid_power_kw) if metered_grid else None,
        battery_kw=_kw(live.battery_power_kw),
        state_of_charge_pct=_rounded(live.state_of_charge_pct, 1),
        backup_time_remaining_min=_rounded(live.backup_time_remaining_min, 0),
    )


def from_meters(data: PVSData, ct_sign: float = 1.0) -> SitePower:
    """Legacy firmware: site power from the meters.

    Production comes from its meter (or the inverters), grid and home from the consumption
    meter as its CTs are placed. ``ct_sign`` is -1 where the consumption CTs were found to be
    installed the other way round (its negative register counts import).
    """
    production_meter = data.meter(MeterKind.PRODUCTION)
    production = production_meter.power_kw if production_meter else None
    if production is None and data.inverters:
        production = sum(inverter.power_kw or 0.0 for inverter in data.inverters.values())
    battery = next(
        (ess.power_kw for ess in data.storage.values() if ess.power_kw is not None), None
    )
    consumption_meter = data.meter(MeterKind.CONSUMPTION)
    grid = home = None
    if consumption_meter is not None and consumption_meter.power_kw is not None:
        measured = consumption_meter.power_kw * ct_sign
        if consumption_meter.subtype == LINESIDE:
            home = measured  # its CTs see the house load
            if production is not None:
                grid = home - production - (battery or 0.0)
        else:
            grid = measured  # its CTs see the grid flow
            if production is not None:
                home = production + grid + (battery or 0.0)
    return SitePower(
        time=data.device_time,
        production_kw=_kw(production),
        consumption_kw=_kw(home),
        grid_kw=_kw(grid),
        battery_kw=_kw(battery),
        state_of_charge_pct=_rounded(state_of_charge(data, customer=True), 1),
    )


def state_of_charge(data: PVSData, *, customer: bool = False) -> float | None:
    """The SunVault's charge, else (legacy ESS status) the mean of its battery modules'.

    ``customer``: the figure the SunStrong app shows (0 % at the floor the BMS keeps) where
    the unit reports it; otherwise the BMS's own, which runs in proportion to the energy.
    """

    def pick(device: EnergyStorage | Battery) -> float | None:
        if customer and device.customer_state_of_charge_pct is not None:
            return device.customer_state_of_charge_pct
        return device.state_of_charge_pct

    ess = next((pick(ess) for ess in data.storage.values()), None)
    if ess is not None:
        return ess
    modules = [
        charge for battery in data.batteries.values() if (charge := pick(battery)) is not None
    ]
    return sum(modules) / len(modules) if modules else None


def site_power(data: PVSData, live: LiveData | None, ct_sign: float = 1.0) -> SitePower:
    """Live figures where the firmware has them (the PVS's own signs), the meters' otherwise."""
    if live is not None:
        return from_live(live, metered_grid=data.meter(MeterKind.CONSUMPTION) is not None)
    return from_meters(data, ct_sign)
