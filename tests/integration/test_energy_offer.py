"""The Energy dashboard offer: made once, adds only what is missing, never touches the rest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import dataclasses
import json
from typing import Any

from aiohttp.test_utils import TestClient
from homeassistant.components.energy.data import ENERGY_SOURCE_SCHEMA, async_get_manager
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.compat import FLAT_GRID_SOURCE, POWER_IN_PREFERENCES
from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.energy_offer import (
    BATTERY_CHARGED,
    BATTERY_DISCHARGED,
    GRID_EXPORT,
    GRID_IMPORT,
    SITE_METER_KEYS,
    SOLAR,
)
from custom_components.sunpower_pvs.repairs import ENERGY_OFFER, issue_id
from pvs_simulator import SimulatorConfig
from tests import guards

from .rig import AFTERNOON

type ClientFactory = Callable[[], Awaitable[TestClient]]

GRID = (GRID_IMPORT, GRID_EXPORT)
BATTERY = (BATTERY_CHARGED, BATTERY_DISCHARGED)
# The energy sensors each simulated site reports (import/export once their direction is known).
SITE_SENSORS = {
    "typical": (SOLAR, *GRID),
    "small": (SOLAR,),
    "sunvault": (SOLAR, *GRID, *BATTERY),
}

GAS = {
    "type": "gas",
    "stat_energy_from": "sensor.gas_meter",
    "stat_cost": None,
    "entity_energy_price": None,
    "number_energy_price": 1.2,
}
# A utility meter's import with a tariff, as the running release keeps a grid source.
UTILITY_GRID: dict[str, Any] = (
    {
        "type": "grid",
        "stat_energy_from": "sensor.utility_import",
        "stat_energy_to": None,
        "stat_cost": None,
        "entity_energy_price": "sensor.tariff",
        "number_energy_price": None,
        "stat_compensation": None,
        "entity_energy_price_export": None,
        "number_energy_price_export": None,
        "cost_adjustment_day": 0.5,
    }
    if FLAT_GRID_SOURCE
    else {
        "type": "grid",
        "flow_from": [
            {
                "stat_energy_from": "sensor.utility_import",
                "stat_cost": None,
                "entity_energy_price": "sensor.tariff",
                "number_energy_price": None,
            }
        ],
        "flow_to": [],
        "cost_adjustment_day": 0.5,
    }
)
OTHER_SOLAR = {
    "type": "solar",
    "stat_energy_from": "sensor.other_inverter_energy",
    "config_entry_solar_forecast": None,
}
FRIDGE = {"stat_consumption": "sensor.fridge_energy", "name": "Fridge"}


def site(profile: str) -> SimulatorConfig:
    return SimulatorConfig(profile=profile, firmware="localapi", speed=0.0, start=AFTERNOON, seed=1)


@pytest.fixture(autouse=True)
def energy_dashboard(hass: HomeAssistant) -> None:
    """Home Assistant runs the Energy dashboard (default_config); its preferences are what count.

    Setting up the energy integration itself needs the recorder, which these tests do not.
    """
    hass.config.components.add("energy")


@pytest.fixture
async def repairs(hass: HomeAssistant) -> None:
    """The repairs integration, which runs fix flows."""
    assert await async_setup_component(hass, "repairs", {})


async def set_prefs(hass: HomeAssistant, sources: list[Any], devices: list[Any]) -> None:
    manager = await async_get_manager(hass)
    await manager.async_update({"energy_sources": sources, "device_consumption": devices})


async def prefs(hass: HomeAssistant) -> dict[str, Any] | None:
    """The energy preferences as plain data, compared by value."""
    data = (await async_get_manager(hass)).data
    return json.loads(json.dumps(data)) if data is not None else None


async def site_sensors(hass: HomeAssistant, entry: MockConfigEntry, profile: str) -> list[str]:
    """The site's energy sensors the integration created, in the order the offer lists them."""
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    found = {
        key: registry.async_get_entity_id("sensor", DOMAIN, f"{entry.unique_id}_{key}")
        for key in SITE_METER_KEYS
    }
    assert [key for key, entity in found.items() if entity] == list(SITE_SENSORS[profile])
    return [entity for entity in found.values() if entity]


async def register(hass: HomeAssistant, entry: MockConfigEntry, keys: tuple[str, ...]) -> None:
    """Register sensors the way the sensor platform does when they first appear."""
    registry = er.async_get(hass)
    for key in keys:
        registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{entry.unique_id}_{key}",
            config_entry=entry,
            suggested_object_id=key,
        )
    await hass.async_block_till_done()


def entity_id(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{entry.unique_id}_{key}")
    assert found is not None
    return found


def offer(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id(entry.entry_id, ENERGY_OFFER))


async def start_fix(client: TestClient, entry: MockConfigEntry) -> dict[str, Any]:
    response = await client.post(
        "/api/repairs/issues/fix",
        json={"handler": DOMAIN, "issue_id": issue_id(entry.entry_id, ENERGY_OFFER)},
    )
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def submit(client: TestClient, flow_id: str) -> dict[str, Any]:
    response = await client.post(f"/api/repairs/issues/fix/{flow_id}", json={})
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def accept(hass: HomeAssistant, client: TestClient, entry: MockConfigEntry) -> None:
    form = await start_fix(client, entry)
    assert form["type"] == "form"
    assert form["step_id"] == "confirm"
    done = await submit(client, form["flow_id"])
    assert done["type"] == "create_entry"
    await hass.async_block_till_done()


def _with_power(source: dict[str, Any], power: dict[str, Any]) -> dict[str, Any]:
    """Newer Home Assistant releases take the source's power sensor as well."""
    return source | power if POWER_IN_PREFERENCES else source


def solar(entity: str, power: str) -> dict[str, Any]:
    source = {"type": "solar", "stat_energy_from": entity, "config_entry_solar_forecast": None}
    return _with_power(source, {"stat_rate": power})


def grid(import_: str, export: str, power: str) -> dict[str, Any]:
    """One grid connection: flat from 2026.3 on, flow lists before."""
    if FLAT_GRID_SOURCE:
        return {
            "type": "grid",
            "stat_energy_from": import_,
            "stat_energy_to": export,
            "stat_cost": None,
            "entity_energy_price": None,
            "number_energy_price": None,
            "stat_compensation": None,
            "entity_energy_price_export": None,
            "number_energy_price_export": None,
            "cost_adjustment_day": 0.0,
            "stat_rate": power,
        }
    source = {
        "type": "grid",
        "flow_from": [
            {
                "stat_energy_from": import_,
                "stat_cost": None,
                "entity_energy_price": None,
                "number_energy_price": None,
            }
        ],
        "flow_to": [
            {
                "stat_energy_to": export,
                "stat_compensation": None,
                "entity_energy_price": None,
                "number_energy_price": None,
            }
        ],
        "cost_adjustment_day": 0.0,
    }
    return _with_power(source, {"power": [{"stat_rate": power}]})


def battery(charged: str, discharged: str, power: str) -> dict[str, Any]:
    source = {"type": "battery", "stat_energy_from": discharged, "stat_energy_to": charged}
    return _with_power(source, {"stat_rate": power})


async def test_offer_is_raised_when_the_energy_dashboard_has_no_solar(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    sensors = await site_sensors(hass, setup_entry, "typical")

    issue = offer(hass, setup_entry)
    assert issue is not None
    assert issue.active
    assert issue.is_fixable
    assert issue.translation_key == ENERGY_OFFER
    assert issue.translation_placeholders == {
        "title": setup_entry.title,
        "sensors": "\n".join(f"- {sensor}" for sensor in sensors),
    }
    assert await prefs(hass) is None  # nothing changes until the owner accepts


async def test_no_offer_when_the_energy_dashboard_has_a_solar_source(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    await set_prefs(hass, [OTHER_SOLAR], [])
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await site_sensors(hass, config_entry, "typical")

    assert offer(hass, config_entry) is None
    # Decided for good: removing that source later brings no offer either.
    await set_prefs(hass, [], [])
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert offer(hass, config_entry) is None


@pytest.mark.parametrize("sim_config", [site("sunvault")])
@pytest.mark.usefixtures("repairs")
async def test_accepting_adds_solar_grid_and_battery_and_keeps_the_owners_entries(
    hass: HomeAssistant, config_entry: MockConfigEntry, hass_client: ClientFactory
) -> None:
    await set_prefs(hass, [GAS], [FRIDGE])
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await site_sensors(hass, config_entry, "sunvault")
    sensor = {key: entity_id(hass, config_entry, key) for key in SITE_SENSORS["sunvault"]}
    client = await hass_client()

    form = await start_fix(client, config_entry)
    assert form["description_placeholders"]["sensors"].splitlines() == [
        f"- {sensor[key]}" for key in SITE_SENSORS["sunvault"]
    ]
    assert (await submit(client, form["flow_id"]))["type"] == "create_entry"
    await hass.async_block_till_done()

    data = await prefs(hass)
    assert data is not None
    assert data["energy_sources"] == [
        GAS,
        solar(sensor[SOLAR], entity_id(hass, config_entry, "site_production_power")),
        grid(
            sensor[GRID_IMPORT],
            sensor[GRID_EXPORT],
            entity_id(hass, config_entry, "site_grid_power"),
        ),
        battery(
            sensor[BATTERY_CHARGED],
            sensor[BATTERY_DISCHARGED],
            entity_id(hass, config_entry, "site_battery_power"),
        ),
    ]
    assert data["device_consumption"] == [FRIDGE]
    ENERGY_SOURCE_SCHEMA(data["energy_sources"])  # what the Energy settings would save
    assert offer(hass, config_entry) is None


@pytest.mark.usefixtures("repairs")
async def test_an_existing_grid_source_is_kept_as_it_is(
    hass: HomeAssistant, config_entry: MockConfigEntry, hass_client: ClientFactory
) -> None:
    """A grid source measures the grid already; adding our flows to it would count it twice."""
    await set_prefs(hass, [UTILITY_GRID, GAS], [FRIDGE])
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await site_sensors(hass, config_entry, "typical")

    issue = offer(hass, config_entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["sensors"] == f"- {entity_id(hass, config_entry, SOLAR)}"

    await accept(hass, await hass_client(), config_entry)

    data = await prefs(hass)
    assert data is not None
    assert data["energy_sources"] == [
        UTILITY_GRID,
        GAS,
        solar(
            entity_id(hass, config_entry, SOLAR),
            entity_id(hass, config_entry, "site_production_power"),
        ),
    ]
    assert data["device_consumption"] == [FRIDGE]
    ENERGY_SOURCE_SCHEMA(data["energy_sources"])


@pytest.mark.parametrize("sim_config", [site("small")])
@pytest.mark.usefixtures("repairs")
async def test_a_site_without_consumption_meter_adds_solar_only(
    hass: HomeAssistant, setup_entry: MockConfigEntry, hass_client: ClientFactory
) -> None:
    await site_sensors(hass, setup_entry, "small")

    await accept(hass, await hass_client(), setup_entry)

    assert await prefs(hass) == {
        **(await async_get_manager(hass)).default_preferences(),
        "energy_sources": [
            solar(
                entity_id(hass, setup_entry, SOLAR),
                entity_id(hass, setup_entry, "site_production_power"),
            )
        ],
    }
    assert offer(hass, setup_entry) is None


@pytest.mark.usefixtures("repairs")
async def test_accepting_adds_nothing_when_solar_was_configured_meanwhile(
    hass: HomeAssistant, setup_entry: MockConfigEntry, hass_client: ClientFactory
) -> None:
    await site_sensors(hass, setup_entry, "typical")
    client = await hass_client()
    form = await start_fix(client, setup_entry)

    await set_prefs(hass, [OTHER_SOLAR], [FRIDGE])  # the owner sets up solar in another tab
    result = await submit(client, form["flow_id"])

    assert result["type"] == "abort"
    assert result["reason"] == "solar_configured"
    assert await prefs(hass) == {
        **(await async_get_manager(hass)).default_preferences(),
        "energy_sources": [OTHER_SOLAR],
        "device_consumption": [FRIDGE],
    }
    assert offer(hass, setup_entry) is None


@pytest.mark.usefixtures("repairs")
async def test_the_open_offer_follows_the_grid_sensors_as_they_appear(
    hass: HomeAssistant, setup_entry: MockConfigEntry, hass_client: ClientFactory
) -> None:
    """Import and export may appear after the first night: the offer adds what exists then."""
    registry = er.async_get(hass)
    await site_sensors(hass, setup_entry, "typical")
    solar_sensor = entity_id(hass, setup_entry, SOLAR)
    for key in GRID:  # a site before its first night
        registry.async_remove(entity_id(hass, setup_entry, key))
    await hass.async_block_till_done()
    issue = offer(hass, setup_entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["sensors"] == f"- {solar_sensor}"

    await register(hass, setup_entry, GRID)  # the first night has passed
    sensors = await site_sensors(hass, setup_entry, "typical")

    issue = offer(hass, setup_entry)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["sensors"].splitlines() == [f"- {s}" for s in sensors]
    await accept(hass, await hass_client(), setup_entry)
    data = await prefs(hass)
    assert data is not None
    assert data["energy_sources"] == [
        solar(solar_sensor, entity_id(hass, setup_entry, "site_production_power")),
        grid(
            entity_id(hass, setup_entry, GRID_IMPORT),
            entity_id(hass, setup_entry, GRID_EXPORT),
            entity_id(hass, setup_entry, "site_grid_power"),
        ),
    ]


@pytest.mark.usefixtures("repairs")
async def test_the_offer_is_made_once(
    hass: HomeAssistant, setup_entry: MockConfigEntry, hass_client: ClientFactory
) -> None:
    await site_sensors(hass, setup_entry, "typical")
    await accept(hass, await hass_client(), setup_entry)

    await set_prefs(hass, [], [])  # the owner removes everything again
    await hass.config_entries.async_reload(setup_entry.entry_id)
    await hass.async_block_till_done()

    assert offer(hass, setup_entry) is None


async def test_an_open_offer_comes_back_after_a_restart_and_an_ignored_one_stays_ignored(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    await site_sensors(hass, setup_entry, "typical")
    key = issue_id(setup_entry.entry_id, ENERGY_OFFER)
    registry = ir.async_get(hass)
    registry.async_ignore(DOMAIN, key, True)

    await hass.config_entries.async_unload(setup_entry.entry_id)
    # What a restart loads of an issue that is not persistent: only its id and dismissal.
    ignored = registry.issues[(DOMAIN, key)]
    registry.issues[(DOMAIN, key)] = dataclasses.replace(
        ignored, active=False, data=None, translation_key=None, translation_placeholders=None
    )
    assert await hass.config_entries.async_setup(setup_entry.entry_id)
    await hass.async_block_till_done()

    issue = offer(hass, setup_entry)
    assert issue is not None
    assert issue.active
    assert issue.dismissed_version is not None


async def test_an_open_offer_goes_away_when_the_owner_sets_up_solar(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    await site_sensors(hass, setup_entry, "typical")
    assert offer(hass, setup_entry) is not None

    await set_prefs(hass, [OTHER_SOLAR], [])
    await hass.config_entries.async_reload(setup_entry.entry_id)
    await hass.async_block_till_done()

    assert offer(hass, setup_entry) is None


async def test_removing_the_entry_deletes_its_offer(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    await site_sensors(hass, setup_entry, "typical")
    assert offer(hass, setup_entry) is not None

    await hass.config_entries.async_remove(setup_entry.entry_id)
    await hass.async_block_till_done()

    assert offer(hass, setup_entry) is None


async def test_no_offer_is_decided_without_the_energy_dashboard(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    hass.config.components.remove("energy")
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await site_sensors(hass, config_entry, "typical")
    assert offer(hass, config_entry) is None

    hass.config.components.add("energy")  # the owner adds it to the configuration
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert offer(hass, config_entry) is not None


def test_the_offer_and_its_flow_are_translated() -> None:
    strings = json.loads((guards.INTEGRATION / "strings.json").read_text())
    issue = strings["issues"][ENERGY_OFFER]
    assert "{sensors}" in issue["description"]
    assert "{sensors}" in issue["fix_flow"]["step"]["confirm"]["description"]
    assert set(issue["fix_flow"]["abort"]) == {"solar_configured", "no_sensors"}
