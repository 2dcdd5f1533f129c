"""The Energy dashboard offer: decide whether to make it, and add the site's meters when accepted.

The offer is decided once per config entry, as soon as the site's solar energy sensor exists
and Home Assistant runs the Energy dashboard: it is made when the owner's energy preferences
have no solar source, and never again after that (a ledger in ``.storage`` remembers the
decision across restarts).

Accepting it never changes what the owner configured. Every existing source stays as it is,
and a kind of source is added only when the preferences have none of that kind:

* solar: our production sensor, only while there is no solar source at all (another one
  would most likely measure the same panels);
* grid: one grid source with our import and export sensors, only when there is no grid
  source. An existing grid source already measures the site's grid flow (a utility meter,
  another integration); adding our flows to it would count that flow twice;
* battery: our charged/discharged pair, only when there is no battery source, for the same
  reason.

The one change to existing sources: a grid source saved in the pre-2026.3 shape on a release
that reads only the new one is rewritten in the new shape (same connections, same prices):
Home Assistant could not read it, and refused to save the owner's preferences while it was there.

Each source gets its power sensor too where the running release takes one (our signs are the
ones it expects: grid + import, battery + discharge), and the grid source the shape that
release reads: one flat connection from 2026.3 on, ``flow_from`` / ``flow_to`` lists before.

The offer adds whichever of the site's sensors exist (and are enabled) when the owner accepts
it. The grid sensors exist wherever there is a consumption meter; they show unknown until the
integration has learnt which register counts import (at night), then start counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, cast

from homeassistant.components.energy.const import DOMAIN as ENERGY_DOMAIN
from homeassistant.components.energy.data import (
    BatterySourceType,
    EnergyManager,
    EnergyPreferencesUpdate,
    SolarSourceType,
    SourceType,
    async_get_manager,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, singleton
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .compat import FLAT_GRID_SOURCE, POWER_IN_PREFERENCES
from .const import DOMAIN
from .devices import registered_site_serial
from .identity import site_unique_id

SOLAR: Final = "site_solar_energy"
GRID_IMPORT: Final = "site_grid_import_energy"
GRID_EXPORT: Final = "site_grid_export_energy"
BATTERY_CHARGED: Final = "site_battery_charged_energy"
BATTERY_DISCHARGED: Final = "site_battery_discharged_energy"
SITE_METER_KEYS: Final = (SOLAR, GRID_IMPORT, GRID_EXPORT, BATTERY_CHARGED, BATTERY_DISCHARGED)
SOLAR_POWER: Final = "site_production_power"
GRID_POWER: Final = "site_grid_power"
BATTERY_POWER: Final = "site_battery_power"

STORAGE_KEY: Final = f"{DOMAIN}.energy_offer"
STORAGE_VERSION: Final = 1
LEDGER: HassKey[OfferLedger] = HassKey(STORAGE_KEY)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteMeters:
    """Entity ids of the site's lifetime energy sensors that exist and are enabled."""

    solar: str | None
    grid_import: str | None
    grid_export: str | None
    battery_charged: str | None
    battery_discharged: str | None
    solar_power: str | None = None
    grid_power: str | None = None
    battery_power: str | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """The sources accepting the offer adds now; empty while our solar sensor is missing."""

    sources: tuple[SourceType, ...]

    @property
    def entity_ids(self) -> list[str]:
        """The sensors the sources name: solar, grid import and export, battery in and out."""
        ids: list[str] = []
        for source in self.sources:
            fields = cast(dict[str, Any], source)
            if source["type"] == "grid" and "flow_from" in fields:
                ids += [flow["stat_energy_from"] for flow in fields["flow_from"]]
                ids += [flow["stat_energy_to"] for flow in fields["flow_to"]]
            elif source["type"] == "grid":
                ids += [fields["stat_energy_from"], fields["stat_energy_to"]]
            elif source["type"] == "battery":
                ids += [fields["stat_energy_to"], fields["stat_energy_from"]]
            else:
                ids.append(fields["stat_energy_from"])
        return [entity_id for entity_id in ids if entity_id]


class OfferLedger:
    """The config entries whose offer was decided; kept in storage across restarts."""

    def __init__(self, store: Store[dict[str, list[str]]], decided: set[str]) -> None:
        """Entries decided so far, as loaded from the store."""
        self._store = store
        self._decided = decided

    def __contains__(self, entry_id: str) -> bool:
        """Whether the entry's offer was decided."""
        return entry_id in self._decided

    async def async_add(self, entry_id: str) -> None:
        """Remember that the entry's offer was decided."""
        if entry_id not in self._decided:
            self._decided.add(entry_id)
            await self._store.async_save({"decided": sorted(self._decided)})

    async def async_discard(self, entry_id: str) -> None:
        """Forget a removed entry; drop the file when no entry is left."""
        if entry_id in self._decided:
            self._decided.discard(entry_id)
            if self._decided:
                await self._store.async_save({"decided": sorted(self._decided)})
            else:
                await self._store.async_remove()


@singleton.singleton(LEDGER, async_=True)
async def _async_ledger(hass: HomeAssistant) -> OfferLedger:
    store = Store[dict[str, list[str]]](hass, STORAGE_VERSION, STORAGE_KEY)
    data = await store.async_load() or {}
    return OfferLedger(store, set(data.get("decided", [])))


def site_unique_ids(supervisor_serial: str) -> set[str]:
    """Unique ids of the site's energy sensors the offer can add."""
    return {site_unique_id(supervisor_serial, key) for key in SITE_METER_KEYS}


@callback
def site_meters(hass: HomeAssistant, entry: ConfigEntry) -> SiteMeters:
    """Look the site's energy sensors up in the entity registry, by unique id."""
    registry = er.async_get(hass)
    serial = registered_site_serial(hass, entry.entry_id)

    def entity_id(key: str) -> str | None:
        if serial is None:
            return None
        unique_id = site_unique_id(serial, key)
        found = registry.async_get_entity_id(Platform.SENSOR, DOMAIN, unique_id)
        if found is None or (entity := registry.async_get(found)) is None or entity.disabled:
            return None
        return found

    return SiteMeters(
        solar=entity_id(SOLAR),
        grid_import=entity_id(GRID_IMPORT),
        grid_export=entity_id(GRID_EXPORT),
        battery_charged=entity_id(BATTERY_CHARGED),
        battery_discharged=entity_id(BATTERY_DISCHARGED),
        solar_power=entity_id(SOLAR_POWER),
        grid_power=entity_id(GRID_POWER),
        battery_power=entity_id(BATTERY_POWER),
    )


def _sources(manager: EnergyManager) -> list[SourceType]:
    return list(manager.data["energy_sources"]) if manager.data is not None else []


def _grid_source(meters: SiteMeters) -> SourceType:
    """One grid connection with our import and export, in the shape the running release reads."""
    if FLAT_GRID_SOURCE:
        flat: dict[str, Any] = {
            "type": "grid",
            "stat_energy_from": meters.grid_import,
            "stat_energy_to": meters.grid_export,
            "stat_cost": None,
            "entity_energy_price": None,
            "number_energy_price": None,
            "stat_compensation": None,
            "entity_energy_price_export": None,
            "number_energy_price_export": None,
            "cost_adjustment_day": 0.0,
        }
        if meters.grid_power:
            flat["stat_rate"] = meters.grid_power
        return cast(SourceType, flat)
    legacy: dict[str, Any] = {
        "type": "grid",
        "flow_from": [],
        "flow_to": [],
        "cost_adjustment_day": 0.0,
    }
    if meters.grid_import:
        legacy["flow_from"].append(
            {
                "stat_energy_from": meters.grid_import,
                "stat_cost": None,
                "entity_energy_price": None,
                "number_energy_price": None,
            }
        )
    if meters.grid_export:
        legacy["flow_to"].append(
            {
                "stat_energy_to": meters.grid_export,
                "stat_compensation": None,
                "entity_energy_price": None,
                "number_energy_price": None,
            }
        )
    if POWER_IN_PREFERENCES and meters.grid_power:
        legacy["power"] = [{"stat_rate": meters.grid_power}]
    return cast(SourceType, legacy)


def _flattened(source: SourceType) -> list[SourceType]:
    """A grid source in the pre-2026.3 shape as the flat connections it describes.

    Such a source can only be in current preferences when something wrote the old shape
    after the upgrade (this offer did, before it knew the new one): Home Assistant converts
    it only when it loads an older preferences file, and cannot read it otherwise.
    """
    fields = cast(dict[str, Any], source)
    if source["type"] != "grid" or "flow_from" not in fields:
        return [source]
    imports = list(fields.get("flow_from") or [])
    exports = list(fields.get("flow_to") or [])
    powers = list(fields.get("power") or [])
    connections: list[SourceType] = []
    for index in range(max(len(imports), len(exports), len(powers))):
        drawn = imports[index] if index < len(imports) else {}
        returned = exports[index] if index < len(exports) else {}
        power = powers[index] if index < len(powers) else {}
        flat: dict[str, Any] = {
            "type": "grid",
            "stat_energy_from": drawn.get("stat_energy_from"),
            "stat_energy_to": returned.get("stat_energy_to"),
            "stat_cost": drawn.get("stat_cost"),
            "entity_energy_price": drawn.get("entity_energy_price"),
            "number_energy_price": drawn.get("number_energy_price"),
            "stat_compensation": returned.get("stat_compensation"),
            "entity_energy_price_export": returned.get("entity_energy_price"),
            "number_energy_price_export": returned.get("number_energy_price"),
            "cost_adjustment_day": fields.get("cost_adjustment_day", 0.0),
        }
        flat |= {key: power[key] for key in ("stat_rate", "power_config") if key in power}
        connections.append(cast(SourceType, flat))
    return connections


async def async_flatten_grid_sources(hass: HomeAssistant) -> None:
    """Rewrite grid sources saved in the old shape into the one the running release reads."""
    if not FLAT_GRID_SOURCE or ENERGY_DOMAIN not in hass.config.components:
        return
    manager = await async_get_manager(hass)
    existing = _sources(manager)
    fixed = [flat for source in existing for flat in _flattened(source)]
    if fixed != existing:
        update = cast(EnergyPreferencesUpdate, {"energy_sources": fixed})
        await manager.async_update(update)


def _add_power(source: SourceType, power: str | None) -> None:
    """A solar or battery source's power sensor, where the running release takes one."""
    if POWER_IN_PREFERENCES and power:
        cast(dict[str, Any], source)["stat_rate"] = power


def _offer(existing: list[SourceType], meters: SiteMeters) -> Offer | None:
    """What to add to ``existing``; None when the owner already has a solar source."""
    kinds = {source["type"] for source in existing}
    if "solar" in kinds:
        return None
    if meters.solar is None:
        return Offer(())
    solar = SolarSourceType(
        type="solar", stat_energy_from=meters.solar, config_entry_solar_forecast=None
    )
    _add_power(solar, meters.solar_power)
    added: list[SourceType] = [solar]
    if "grid" not in kinds and (meters.grid_import or meters.grid_export):
        added.append(_grid_source(meters))
    if "battery" not in kinds and meters.battery_charged and meters.battery_discharged:
        battery = BatterySourceType(
            type="battery",
            stat_energy_from=meters.battery_discharged,
            stat_energy_to=meters.battery_charged,
        )
        _add_power(battery, meters.battery_power)
        added.append(battery)
    return Offer(tuple(added))


async def async_pending_offer(hass: HomeAssistant, entry: ConfigEntry) -> Offer | None:
    """What accepting the offer would add now; None once the owner has a solar source."""
    manager = await async_get_manager(hass)
    return _offer(_sources(manager), site_meters(hass, entry))


async def async_decide(hass: HomeAssistant, entry: ConfigEntry) -> Offer | None:
    """Decide the entry's offer, once: the offer to make, or None (not now, or never).

    Nothing is decided while Home Assistant has no Energy dashboard (it comes with
    ``default_config``) or the site's solar sensor does not exist; then the offer is made only
    if the energy preferences have no solar source, and the entry is never offered again.
    """
    if ENERGY_DOMAIN not in hass.config.components:
        return None
    ledger = await _async_ledger(hass)
    if entry.entry_id in ledger or site_meters(hass, entry).solar is None:
        return None
    await ledger.async_add(entry.entry_id)
    offer = await async_pending_offer(hass, entry)
    return offer if offer is not None and offer.sources else None


async def async_accept(hass: HomeAssistant, entry: ConfigEntry) -> Offer | None:
    """Add the offered sources after the owner's; None (nothing added) if solar is configured."""
    manager = await async_get_manager(hass)
    existing = _sources(manager)
    offer = _offer(existing, site_meters(hass, entry))
    if offer is not None and offer.sources:
        # Only the sources are updated; device consumption stays untouched. (The update type
        # is meant to make every key optional, but inherits the required ones.)
        update = cast(EnergyPreferencesUpdate, {"energy_sources": [*existing, *offer.sources]})
        await manager.async_update(update)
    return offer


async def async_forget(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a removed entry's decision."""
    ledger = await _async_ledger(hass)
    await ledger.async_discard(entry_id)
