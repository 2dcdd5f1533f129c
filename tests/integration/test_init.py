"""Setting up, unloading and reloading an entry; errors during setup; devices coming and going."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs import async_remove_config_entry_device
from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.pvs import Generation
from pvs_simulator import Simulator, SimulatorConfig

from .conftest import AFTERNOON
from .devices import entry_device


async def test_setup_and_unload_logs_out(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    assert setup_entry.state is ConfigEntryState.LOADED
    assert setup_entry.runtime_data.poll.generation is Generation.LOCALAPI
    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert setup_entry.state is ConfigEntryState.NOT_LOADED
    endpoints = simulator.stats["endpoints"]
    assert isinstance(endpoints, dict)
    assert endpoints["auth?logout"]["requests"] == 1


async def test_pvs_away_at_setup_retries_with_a_reason(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(domain=DOMAIN, unique_id="ZT01", data={CONF_HOST: "127.0.0.1:1"})
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "cannot_connect"


async def test_another_unit_at_the_address_is_refused(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="ZTNOTTHISONE", data={CONF_HOST: simulator.host}
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.error_reason_translation_key == "wrong_unit"


async def test_refused_password_starts_reauth(hass: HomeAssistant, simulator: Simulator) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=simulator.serial,
        data={CONF_HOST: simulator.host, CONF_PASSWORD: "nope"},
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(profile="small", firmware="legacy", speed=0.0, start=AFTERNOON)],
)
async def test_firmware_upgrade_while_running_reloads_on_the_new_interface(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    before = setup_entry.runtime_data
    assert before.poll.generation is Generation.LEGACY
    simulator.set_firmware("localapi")
    simulator.advance(300)
    await before.poll.async_refresh()
    await hass.async_block_till_done()
    assert setup_entry.state is ConfigEntryState.LOADED
    assert setup_entry.runtime_data is not before  # reloaded, not merely relabelled
    assert setup_entry.runtime_data.poll.generation is Generation.LOCALAPI
    assert setup_entry.runtime_data.poll.data.generation is Generation.LOCALAPI


async def test_stale_devices_can_be_removed_current_ones_cannot(
    hass: HomeAssistant, setup_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    data = setup_entry.runtime_data.poll.data
    inverter = next(iter(data.inverters))
    current = entry_device(hass, setup_entry.entry_id, inverter)
    assert current is not None
    assert not await async_remove_config_entry_device(hass, setup_entry, current)
    site = entry_device(hass, setup_entry.entry_id, f"{data.supervisor.serial}_site")
    assert site is not None
    assert not await async_remove_config_entry_device(hass, setup_entry, site)
    stale = device_registry.async_get_or_create(
        config_entry_id=setup_entry.entry_id, identifiers={(DOMAIN, "E00REPLACEDLONGAGO")}
    )
    assert await async_remove_config_entry_device(hass, setup_entry, stale)


async def test_an_inverter_that_appears_later_gets_its_entities_without_reload(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
) -> None:
    serial = next(iter(setup_entry.runtime_data.poll.data.inverters))
    # Remove the inverter's entities and device as if it had never been seen, then poll again.
    device_registry = dr.async_get(hass)
    device = entry_device(hass, setup_entry.entry_id, serial)
    assert device is not None
    await hass.config_entries.async_unload(setup_entry.entry_id)
    device_registry.async_remove_device(device.id)
    simulator.add_fault(f"vanish={serial}")
    assert await hass.config_entries.async_setup(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert entity_registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_power") is None

    simulator.clear_faults()
    simulator.advance(300)
    await setup_entry.runtime_data.poll.async_refresh()
    await hass.async_block_till_done()
    entity_id = entity_registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_power")
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state not in ("unavailable", "unknown")


async def test_the_energy_ledger_survives_a_reload_and_goes_with_the_entry(
    hass: HomeAssistant, setup_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    solar = setup_entry.runtime_data.energy.ledger.energy.solar
    assert solar is not None
    key = f"{DOMAIN}.{setup_entry.entry_id}.energy"
    await hass.config_entries.async_unload(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["solar"]["total"] == pytest.approx(solar, abs=5e-4)
    hass_storage[key]["data"]["solar"]["total"] = solar - 1.0  # what the ledger had counted
    assert await hass.config_entries.async_setup(setup_entry.entry_id)
    await hass.async_block_till_done()
    # resumed from the store, not started afresh from the meter's register
    assert setup_entry.runtime_data.energy.ledger.energy.solar == pytest.approx(solar - 1.0)
    assert await hass.config_entries.async_remove(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
