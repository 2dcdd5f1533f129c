"""The running site as Home Assistant shows it: the integration's entity ids and states."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import re
import time

from .common import DOMAIN, numeric
from .ha_client import WebSocket

# The SunPower site device's sensors, by the key their unique ids end in (serial_KEY).
SOLAR = "site_solar_energy"
GRID_IMPORT = "site_grid_import_energy"
GRID_EXPORT = "site_grid_export_energy"
HOME = "site_home_energy"
BATTERY_CHARGED = "site_battery_charged_energy"
BATTERY_DISCHARGED = "site_battery_discharged_energy"
# The ones the integration's Energy dashboard offer adds
OFFERED_ENERGY = (SOLAR, GRID_IMPORT, GRID_EXPORT, BATTERY_CHARGED, BATTERY_DISCHARGED)
PRODUCTION_POWER = "site_production_power"
HOME_POWER = "site_consumption_power"
GRID_POWER = "site_grid_power"
BATTERY_POWER = "site_battery_power"
STATE_OF_CHARGE = "site_state_of_charge"
SITE_KEYS = (
    *OFFERED_ENERGY,
    HOME,
    PRODUCTION_POWER,
    HOME_POWER,
    GRID_POWER,
    BATTERY_POWER,
    STATE_OF_CHARGE,
)

KIND_PATTERNS = {
    "pvs": re.compile(r"^sensor\.(pvs[56]?)_"),
    "production_meter": re.compile(r"^sensor\.(production_meter_[0-9a-z]+)_"),
    "consumption_meter": re.compile(r"^sensor\.(consumption_meter_[0-9a-z]+)_"),
    "sunvault": re.compile(r"^sensor\.(sunvault_[0-9a-z]+)_"),
}
INVERTER_POWER = re.compile(r"sensor\.inverter_[0-9a-z]+_power")


@dataclass(frozen=True)
class Site:
    """The entity ids of one running site, grouped the way the scripts need them."""

    entity_ids: frozenset[str]
    states: dict[str, str]
    unique_ids: dict[str, str]  # entity id -> unique id
    inverters: tuple[str, ...]  # power sensors, sorted
    prefixes: dict[str, str]  # device kind -> entity id prefix (sensor.production_meter_abc123)
    sensors: dict[str, str]  # site sensor key (SOLAR, GRID_POWER, ...) -> entity id
    pvs_serial: str  # from the site sensors' unique ids; its last 5 characters are a password

    def has(self, entity_id: str) -> bool:
        """True when the entity exists."""
        return entity_id in self.entity_ids

    def entity(self, key: str) -> str | None:
        """The entity of the supervisor's (or the site's) sensor key, e.g. last_poll."""
        wanted = f"{self.pvs_serial}_{key}"
        return next((e for e, u in self.unique_ids.items() if u == wanted), None)

    def valued(self, key: str) -> bool:
        """True when the site sensor key exists and has a numeric state."""
        return numeric(self.states.get(self.sensors.get(key, "")))

    @property
    def energy(self) -> dict[str, str]:
        """The site's energy sensors the Energy dashboard offer adds, by key."""
        return {key: e for key, e in self.sensors.items() if key in OFFERED_ENERGY}

    @property
    def powers(self) -> list[str]:
        """Power sensors that must show a value: every inverter and the meters."""
        meters = [
            f"{self.prefixes[kind]}_power"
            for kind in ("production_meter", "consumption_meter")
            if kind in self.prefixes
        ]
        return [*self.inverters, *meters]


async def read_site(ws: WebSocket, entry_id: str | None = None) -> Site:
    """Entity ids of the integration (of entry_id when given) and their current states."""
    registry = await ws.call("config/entity_registry/list")
    ours = sorted(
        (
            e
            for e in registry
            if e["platform"] == DOMAIN and (not entry_id or e["config_entry_id"] == entry_id)
        ),
        key=lambda e: str(e["entity_id"]),
    )
    unique_ids = {str(e["entity_id"]): str(e["unique_id"]) for e in ours}
    sensors: dict[str, str] = {}
    pvs_serial = ""
    for entity_id, unique_id in unique_ids.items():
        for key in SITE_KEYS:
            if unique_id.endswith(f"_{key}"):
                sensors.setdefault(key, entity_id)
                pvs_serial = unique_id.removesuffix(f"_{key}")
    states = {s["entity_id"]: s["state"] for s in await ws.call("get_states")}
    prefixes: dict[str, str] = {}
    for kind, pattern in KIND_PATTERNS.items():
        for entity_id in unique_ids:
            if match := pattern.match(entity_id):
                prefixes.setdefault(kind, f"sensor.{match.group(1)}")
    return Site(
        entity_ids=frozenset(unique_ids),
        states=states,
        unique_ids=unique_ids,
        inverters=tuple(e for e in unique_ids if INVERTER_POWER.fullmatch(e)),
        prefixes=prefixes,
        sensors=sensors,
        pvs_serial=pvs_serial,
    )


async def wait_for_values(
    ws: WebSocket, entry_id: str | None, *, inverters: bool, limit_s: float = 120
) -> Site:
    """Wait (bounded) until the meters and every inverter reported have a numeric power.

    With inverters (daylight, or legacy firmware that keeps some asleep inverters) it also
    waits for the first inverters; on LocalAPI firmware the PVS reports none at night, and
    they appear at sunrise. Only meters without values after limit_s are an error.
    """
    deadline = time.monotonic() + limit_s
    while True:
        site = await read_site(ws, entry_id)
        meters = [p for p in site.powers if p not in site.inverters]
        ready = bool(meters) and all(numeric(site.states.get(p)) for p in site.powers)
        if ready and (site.inverters or not inverters):
            return site
        if time.monotonic() > deadline:
            if ready:
                return site
            raise TimeoutError(f"no values after {limit_s:.0f} s: {len(site.entity_ids)} entities")
        await asyncio.sleep(2)


async def wait_for_sensors(
    ws: WebSocket, entry_id: str | None, keys: list[str], limit_s: float = 60
) -> Site:
    """Wait (bounded) until the site sensors keys (SOLAR, GRID_IMPORT, ...) have a value."""
    deadline = time.monotonic() + limit_s
    while True:
        site = await read_site(ws, entry_id)
        if all(site.valued(key) for key in keys):
            return site
        if time.monotonic() > deadline:
            shown = {key: site.states.get(site.sensors.get(key, "")) for key in keys}
            raise TimeoutError(f"site sensors without a value after {limit_s:.0f} s: {shown}")
        await asyncio.sleep(1)
