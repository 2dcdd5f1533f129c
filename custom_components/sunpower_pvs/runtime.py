"""What a loaded entry holds: the client, one coordinator per kind of data, the health monitor.

* ``poll``: the PVS's data, one poll per refresh (``coordinator``);
* ``energy``: the site's energy counters, advanced by each poll (``site_energy``);
* ``site_power``: the site's power, from each poll and the live feed (``site_power``);
* ``health``: repair issues for conditions that last (``health_monitor``);
* ``live_feed``: the telemetry stream or live-data polling, where the firmware has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from homeassistant.config_entries import ConfigEntry

from .coordinator import PollCoordinator
from .health_monitor import HealthMonitor
from .live import LiveFeed
from .pvs import PVSClient
from .site_energy import EnergyCoordinator
from .site_power import SitePowerCoordinator


@dataclass(slots=True, kw_only=True)
class PVSRuntime:
    """The runtime data of one config entry."""

    client: PVSClient
    session: aiohttp.ClientSession
    poll: PollCoordinator
    energy: EnergyCoordinator
    site_power: SitePowerCoordinator
    health: HealthMonitor
    live_feed: LiveFeed | None = None


type PVSConfigEntry = ConfigEntry[PVSRuntime]
