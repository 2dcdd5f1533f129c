"""The Energy dashboard offer, through Home Assistant's own Energy integration and websocket API.

Accepting the offer must leave preferences the running release reads: ``energy/save_prefs``
(the Energy settings page saving them) and ``energy/validate`` succeed, and the grid source
names our import and export sensors. An owner who accepted the offer on a release before
2026.3 (old grid shape) and upgraded must end up with the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient
from homeassistant.components.energy import data as energy_data
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.sunpower_pvs.compat import FLAT_GRID_SOURCE
from custom_components.sunpower_pvs.const import DOMAIN, OPTION_GRID_IMPORT_REGISTER
from custom_components.sunpower_pvs.energy_offer import GRID_EXPORT, GRID_IMPORT, SOLAR
from custom_components.sunpower_pvs.repairs import ENERGY_OFFER, issue_id
from pvs_simulator import Simulator

from .statistics_rig import recorder_before_hass  # noqa: F401 - the recorder's database first

type ClientFactory = Callable[[], Awaitable[TestClient]]

ENERGY_STORE = "energy"
# The preferences file's format; releases before 2026.3 know only minor version 1.
STORE_MINOR_VERSION = getattr(energy_data, "STORAGE_MINOR_VERSION", 1)


@pytest.fixture
async def energy(recorder_mock: Recorder, hass: HomeAssistant) -> None:
    """Home Assistant's Energy integration (with the recorder it needs) and repairs."""
    assert await async_setup_component(hass, "energy", {})
    assert await async_setup_component(hass, "repairs", {})
    await hass.async_block_till_done()


@pytest.fixture
def entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """The simulated site, with the import register known so the grid sensors count at once."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SunPower PVS6",
        unique_id=simulator.serial,
        data={"host": simulator.host},
        options={OPTION_GRID_IMPORT_REGISTER: "positive"},
    )
    entry.add_to_hass(hass)
    return entry


def sensor(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    found = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{entry.unique_id}_{key}")
    assert found is not None
    return found


async def ws(hass_ws_client: WebSocketGenerator, hass: HomeAssistant, **message: Any) -> Any:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(message)
    reply = await client.receive_json()
    assert reply["success"], reply
    return reply["result"]


async def accept_offer(hass: HomeAssistant, client: TestClient, entry: MockConfigEntry) -> None:
    fix = issue_id(entry.entry_id, ENERGY_OFFER)
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": fix}
    )
    form = await response.json()
    assert form["step_id"] == "confirm", form
    response = await client.post(f"/api/repairs/issues/fix/{form['flow_id']}", json={})
    assert (await response.json())["type"] == "create_entry"
    await hass.async_block_till_done()


def grid_pairs(sources: list[dict[str, Any]]) -> list[tuple[str | None, str | None]]:
    """(import, export) of every grid connection, in whichever shape the release keeps."""
    pairs: list[tuple[str | None, str | None]] = []
    for source in sources:
        if source["type"] != "grid":
            continue
        if "flow_from" in source:
            pairs += [(flow["stat_energy_from"], None) for flow in source["flow_from"]] + [
                (None, flow["stat_energy_to"]) for flow in source["flow_to"]
            ]
        else:
            pairs.append((source["stat_energy_from"], source["stat_energy_to"]))
    return pairs


async def assert_prefs_work(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, entry: MockConfigEntry
) -> None:
    """The Energy settings can be saved as they are, validate cleanly and track our grid."""
    # The recorder's first five-minute statistics: validation wants each sensor's metadata.
    await async_wait_recording_done(hass)
    now = dt_util.utcnow()
    period = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    do_adhoc_statistics(hass, start=period)
    await async_wait_recording_done(hass)
    prefs = await ws(hass_ws_client, hass, type="energy/get_prefs")
    imported, exported = sensor(hass, entry, GRID_IMPORT), sensor(hass, entry, GRID_EXPORT)
    if FLAT_GRID_SOURCE:
        assert grid_pairs(prefs["energy_sources"]) == [(imported, exported)]
        assert all("flow_from" not in source for source in prefs["energy_sources"])
    else:
        assert grid_pairs(prefs["energy_sources"]) == [(imported, None), (None, exported)]
    saved = await ws(
        hass_ws_client,
        hass,
        type="energy/save_prefs",
        energy_sources=prefs["energy_sources"],
        device_consumption=prefs["device_consumption"],
    )
    assert saved["energy_sources"] == prefs["energy_sources"]
    validation = await ws(hass_ws_client, hass, type="energy/validate")
    assert validation["energy_sources"] == [[] for _ in prefs["energy_sources"]]


@pytest.mark.usefixtures("energy")
async def test_accepted_offer_saves_and_validates_in_the_energy_settings(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client: ClientFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await accept_offer(hass, await hass_client(), entry)
    await assert_prefs_work(hass, hass_ws_client, entry)


def _legacy_prefs(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """What accepting the offer stored on Home Assistant 2025.x / 2026.2 (store minor 1 or 2)."""

    def entity(key: str) -> str:
        return f"sensor.sunpower_site_{key.removeprefix('site_')}"

    return {
        "energy_sources": [
            {
                "type": "solar",
                "stat_energy_from": entity(SOLAR),
                "config_entry_solar_forecast": None,
            },
            {
                "type": "grid",
                "flow_from": [
                    {
                        "stat_energy_from": entity(GRID_IMPORT),
                        "stat_cost": None,
                        "entity_energy_price": None,
                        "number_energy_price": None,
                    }
                ],
                "flow_to": [
                    {
                        "stat_energy_to": entity(GRID_EXPORT),
                        "stat_compensation": None,
                        "entity_energy_price": None,
                        "number_energy_price": None,
                    }
                ],
                "cost_adjustment_day": 0.0,
            },
        ],
        "device_consumption": [],
    }


@pytest.mark.parametrize(
    "minor_version",
    [
        1,  # accepted on an older release, then upgraded: Home Assistant migrates the file
        99,  # written in the old shape by a release of the offer that did not know the new one
    ],
)
async def test_old_shape_grid_preferences_end_up_working(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    minor_version: int,
) -> None:
    # Entity ids as the site's sensors get them, registered before anything loads.
    registry = er.async_get(hass)
    for key in (SOLAR, GRID_IMPORT, GRID_EXPORT):
        registry.async_get_or_create(
            "sensor",
            DOMAIN,
            f"{entry.unique_id}_{key}",
            config_entry=entry,
            suggested_object_id=f"sunpower_site_{key.removeprefix('site_')}",
        )
    hass_storage[ENERGY_STORE] = {
        "version": 1,
        "minor_version": min(minor_version, STORE_MINOR_VERSION),
        "key": ENERGY_STORE,
        "data": _legacy_prefs(hass, entry),
    }
    assert await async_setup_component(hass, "energy", {})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await assert_prefs_work(hass, hass_ws_client, entry)
