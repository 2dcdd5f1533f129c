"""The site's energy for the Energy dashboard: solar, grid import and export, home, battery.

Each poll advances one flow per kind (``solar``, ``grid``, ``home``, ``battery``), whatever
the meters' layout; every register is guarded by the rules of ``track``. The whole state is
one dataclass, saved and restored as it is, so a restart resumes where it left off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..night import daylight
from ..pvs import MeterKind, PVSData
from ..site import state_of_charge
from .battery import BatteryFlow
from .grid import GridFlow
from .home import HomeFlow
from .solar import SolarFlow
from .state import dump, load
from .track import Orientation

# The production meter sees only inverter standby draw at night.
NIGHT_PRODUCTION_KW = 0.05


@dataclass(frozen=True, slots=True)
class SiteEnergy:
    """Site counters in kWh; None while unknown (no source, or direction not learnt yet)."""

    solar: float | None = None
    grid_import: float | None = None
    grid_export: float | None = None
    home: float | None = None
    battery_charged: float | None = None
    battery_discharged: float | None = None


@dataclass(slots=True)
class SiteState:
    """Everything the site's counters need to go on after a restart."""

    started: bool = False
    solar: SolarFlow = field(default_factory=SolarFlow)
    grid: GridFlow = field(default_factory=GridFlow)
    home: HomeFlow = field(default_factory=HomeFlow)
    battery: BatteryFlow = field(default_factory=BatteryFlow)
    # Solar produced and battery given (discharge - charge) since the last poll that read
    # every device the site has: a poll without one (a meter missing from the list for an
    # hour, the battery's data gone) carries them, and the grid's growth, to the next poll
    # that has them all, so home and grid flows are always worked out over one span.
    pending_solar: float = 0.0
    pending_battery_out: float = 0.0


class SiteLedger:
    """Site energy counters, advanced by each poll."""

    def __init__(self, grid_override: Orientation | None = None) -> None:
        """``grid_override``: the owner's choice of import register, None to learn it."""
        self.grid_override = grid_override
        self.state = SiteState()

    @property
    def grid_orientation(self) -> Orientation | None:
        """Which consumption register counts import: the owner's choice, else what was learnt."""
        return self.state.grid.orientation(self.grid_override)

    @property
    def energy(self) -> SiteEnergy:
        """The counters now."""
        state = self.state
        return SiteEnergy(
            solar=state.solar.total,
            grid_import=state.grid.imported,
            grid_export=state.grid.exported,
            home=state.home.total,
            battery_charged=state.battery.charged,
            battery_discharged=state.battery.discharged,
        )

    def update(self, data: PVSData, now: float) -> None:
        """Advance the counters by one poll; ``now`` (epoch s) when the PVS sends no clock."""
        state = self.state
        when = data.device_time.timestamp() if data.device_time else now
        production = data.meter(MeterKind.PRODUCTION)
        night = not daylight(data) and (
            production is None or (production.power_kw or 0.0) < NIGHT_PRODUCTION_KW
        )
        state.pending_solar += state.solar.step(data, production, when, started=state.started)
        battery = state.battery.step(
            next(iter(data.storage.values()), None), when, state_of_charge(data)
        )
        if battery is not None:
            charged, discharged = battery
            state.pending_battery_out += discharged - charged
        consumption = data.meter(MeterKind.CONSUMPTION)
        grid_read = consumption is not None and state.grid.read(
            data,
            consumption,
            when,
            night=night,
            override=self.grid_override,
            home=state.home,
        )
        if (grid_read or not state.grid.seen) and (
            battery is not None or not state.battery.awaited(when)
        ):
            state.grid.settle(state.pending_solar, state.pending_battery_out, state.home)
            state.pending_solar = state.pending_battery_out = 0.0
        state.started = True

    def as_dict(self) -> dict[str, Any]:
        """Everything needed to resume after a restart.

        The inverters' counters are left out while the production meter counts solar: they
        only stand in for it while it is missing, and start again from their lifetime
        readings at the first poll after a restart. (At 300 inverters they are nearly all
        of the state's size.)
        """
        saved = dump(self.state)
        if self.state.solar.meter_counts:
            saved["solar"]["inverters"] = {}
        return saved

    def restore(self, stored: dict[str, Any]) -> None:
        """Resume from ``as_dict`` output (the owner's override stays as configured)."""
        self.state = load(SiteState, stored)
