"""The same site read through either firmware generation gives the same entities and values."""

from __future__ import annotations

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.const import DOMAIN
from pvs_simulator import Simulator, SimulatorConfig

from .conftest import AFTERNOON

# Entities only one interface can fill, per device kind (pvs-protocol.md sections 3 and 4).
PROBLEM_AND_STATE = {"problem", "state"}  # the LocalAPI has no per-device STATE
LEGACY_ONLY: dict[str, set[str]] = {
    # dl_* counters, firmware string, Get_Comm's network view and the grid profile
    "supervisor": PROBLEM_AND_STATE
    | {"firmware", "cpu_load", "memory_used", "flash_available", "untransmitted_records"}
    | {"communication_errors", "error_count", "skipped_scans", "scan_time"}
    | {"active_interface", "wifi_signal", "cellular_state", "grid_profile", "cloud_connection"},
    # the meter subtype and the summed current (the varserver has the per-leg currents)
    "meters": PROBLEM_AND_STATE | {"subtype", "current"},
    "inverters": PROBLEM_AND_STATE,
    # climate and per-leg figures that only the legacy ESS status report carries
    "storage": PROBLEM_AND_STATE | {"enclosure_temperature", "enclosure_humidity"},
    "transfer_switches": PROBLEM_AND_STATE | {"humidity"},
}
LOCALAPI_ONLY: dict[str, set[str]] = {
    # usage percentages in place of the dl_* figures
    "supervisor": {"cpu_usage", "ram_usage", "flash_usage", "flash_wear"},
    # the backup time comes from the live data, which legacy firmware does not have
    "site": {"backup_time_remaining"},
    "meters": set(),
    "inverters": set(),
    # the varserver's ess record; the legacy report has state of charge per battery only
    "storage": {
        "state_of_charge",
        "customer_state_of_charge",
        "state_of_health",
        "battery_voltage",
        "charged_energy",
        "discharged_energy",
        "charge_limit",
        "discharge_limit",
        "inverter_temperature",
        "max_cell_temperature",
        "min_cell_temperature",
        "max_cell_voltage",
        "min_cell_voltage",
        # the owner's settings: the legacy interface has no documented control
        "control_mode",
        "backup_reserve",
    },
    "transfer_switches": {"pv_disconnect_state"},
}
# Lifetime counters and powers that both interfaces read from the same device registers.
COMPARED = ("power", "lifetime_energy", "net_energy", "positive_energy", "negative_energy")


# Device kinds only the legacy interface lists (DeviceList records and the ESS status report).
LEGACY_ONLY_DEVICES = {
    "batteries",
    "storage_inverters",
    "ess_hubs",
    "pv_disconnects",
    "other_devices",
}
KINDS = ("meters", "inverters", "storage", "transfer_switches", *sorted(LEGACY_ONLY_DEVICES))

type Site = tuple[dict[tuple[str, str], str], dict[str, str]]


async def _read_site(hass: HomeAssistant, firmware: str, profile: str) -> Site:
    """Each entity's state keyed by (device serial, description key), and each device's kind."""
    config = SimulatorConfig(profile=profile, firmware=firmware, speed=0.0, start=AFTERNOON, seed=1)
    async with Simulator(config) as sim:
        entry = MockConfigEntry(domain=DOMAIN, unique_id=sim.serial, data={CONF_HOST: sim.host})
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        data = entry.runtime_data.poll.data
        kinds = {serial: kind for kind in KINDS for serial in getattr(data, kind)}
        kinds[data.supervisor.serial] = "supervisor"
        kinds[f"{data.supervisor.serial}_site"] = "site"
        registry = er.async_get(hass)
        devices = dr.async_get(hass)
        states: dict[tuple[str, str], str] = {}
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
            device = devices.async_get(entity.device_id or "")
            assert device is not None
            ((_, serial),) = device.identifiers
            state = hass.states.get(entity.entity_id)
            # Site sensors' unique ids start with the supervisor's serial, not the site's id.
            key = entity.unique_id.removeprefix(f"{serial.removesuffix('_site')}_")
            states[serial, key] = state.state if state else "disabled"
        assert await hass.config_entries.async_remove(entry.entry_id)
        await hass.async_block_till_done()
        return states, kinds


@pytest.mark.parametrize("profile", ["typical", "lineside", "sunvault"])
async def test_both_generations_give_the_same_entities(hass: HomeAssistant, profile: str) -> None:
    legacy, legacy_kinds = await _read_site(hass, "legacy", profile)
    localapi, localapi_kinds = await _read_site(hass, "localapi", profile)

    assert set(localapi_kinds) <= set(legacy_kinds)
    legacy_only_devices = {serial for serial in legacy_kinds if serial not in localapi_kinds}
    assert {legacy_kinds[serial] for serial in legacy_only_devices} <= LEGACY_ONLY_DEVICES
    shared = {
        ident: state for ident, state in legacy.items() if ident[0] not in legacy_only_devices
    }

    for serial, key in set(shared) - set(localapi):
        assert key in LEGACY_ONLY[legacy_kinds[serial]], (legacy_kinds[serial], key)
    for serial, key in set(localapi) - set(shared):
        assert key in LOCALAPI_ONLY[localapi_kinds[serial]], (localapi_kinds[serial], key)
    compared = [ident for ident in set(shared) & set(localapi) if ident[1] in COMPARED]
    assert len(compared) > 10
    for ident in compared:
        assert float(shared[ident]) == pytest.approx(float(localapi[ident]), rel=1e-3), ident
