"""Sensor and binary sensor behaviour over time: reboots, night, vanishing devices, problems."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from unittest.mock import patch
import weakref

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_HOST, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs import night, problems
from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.night import daylight
from custom_components.sunpower_pvs.problems import inverter_problem, storage_problem
from custom_components.sunpower_pvs.pvs import (
    Battery,
    EnergyStorage,
    Generation,
    GenericDevice,
    Inverter,
    PVSData,
    Supervisor,
)
from pvs_simulator import Simulator, SimulatorConfig

from .conftest import AFTERNOON

LEGACY = SimulatorConfig(profile="small", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1)
DUSK = datetime(2026, 6, 22, 2, 30, tzinfo=UTC)  # 19:30 in California


def _state(hass: HomeAssistant, registry: er.EntityRegistry, platform: str, unique_id: str) -> str:
    entity_id = registry.async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def _poll(entry: MockConfigEntry, simulator: Simulator, hass: HomeAssistant) -> None:
    simulator.advance(300)
    await entry.runtime_data.poll.async_refresh()
    await hass.async_block_till_done()


@pytest.mark.freeze_time(AFTERNOON)
@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_last_boot_holds_still_between_polls_and_moves_on_reboot(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    unique_id = f"{simulator.serial}_last_boot"
    first = _state(hass, entity_registry, "sensor", unique_id)
    for _ in range(3):
        freezer.tick(300)  # Home Assistant's clock runs with the PVS's
        await _poll(setup_entry, simulator, hass)
        assert _state(hass, entity_registry, "sensor", unique_id) == first

    # A real PVS samples its uptime and its DATATIME at slightly different moments.
    coordinator = setup_entry.runtime_data.poll
    data = coordinator.data
    uptime = data.supervisor.uptime_s
    assert uptime is not None
    sampled_late = replace(data.supervisor, uptime_s=uptime + 45)
    coordinator.async_set_updated_data(replace(data, supervisor=sampled_late))
    await hass.async_block_till_done()
    assert _state(hass, entity_registry, "sensor", unique_id) == first

    simulator.add_fault("reboot=60")
    freezer.tick(300)
    await _poll(setup_entry, simulator, hass)
    rebooted = _state(hass, entity_registry, "sensor", unique_id)
    assert datetime.fromisoformat(rebooted) - datetime.fromisoformat(first) > timedelta(hours=1)


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_a_vanished_inverter_is_unavailable_until_it_returns(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    entity_registry: er.EntityRegistry,
) -> None:
    serial, other = sorted(setup_entry.runtime_data.poll.data.inverters)[:2]
    simulator.add_fault(f"vanish={serial}")
    await _poll(setup_entry, simulator, hass)
    assert _state(hass, entity_registry, "sensor", f"{serial}_power") == STATE_UNAVAILABLE
    assert _state(hass, entity_registry, "sensor", f"{serial}_lifetime_energy") == STATE_UNAVAILABLE
    assert _state(hass, entity_registry, "sensor", f"{other}_power") not in (
        STATE_UNAVAILABLE,
        STATE_UNKNOWN,
    )
    simulator.clear_faults()
    await _poll(setup_entry, simulator, hass)
    assert float(_state(hass, entity_registry, "sensor", f"{serial}_lifetime_energy")) > 0


@pytest.mark.parametrize("firmware", ["legacy", "localapi"])
async def test_night_shows_zero_watts_keeps_energy_and_is_not_a_problem(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, firmware: str
) -> None:
    config = SimulatorConfig(profile="small", firmware=firmware, speed=0.0, start=DUSK, seed=1)
    async with Simulator(config) as sim:
        entry = MockConfigEntry(domain=DOMAIN, unique_id=sim.serial, data={CONF_HOST: sim.host})
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        serials = sorted(entry.runtime_data.poll.data.inverters)
        evening: dict[str, float] = {}
        for _ in range(36):  # three hours, past sunset
            for serial in serials:
                energy = _state(hass, entity_registry, "sensor", f"{serial}_lifetime_energy")
                assert energy not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
                assert float(energy) >= evening.get(serial, 0.0)  # never drops
                evening[serial] = float(energy)
            await _poll(entry, sim, hass)
        raw = await entry.runtime_data.client.poll()
        assert not daylight(raw)  # every inverter asleep: in error, or gone from the varserver
        for serial in serials:
            assert _state(hass, entity_registry, "sensor", f"{serial}_power") == "0.0"
            energy = _state(hass, entity_registry, "sensor", f"{serial}_lifetime_energy")
            assert float(energy) == evening[serial]
            if firmware == "legacy":
                problem = _state(hass, entity_registry, "binary_sensor", f"{serial}_problem")
                assert problem == "off"
        assert await hass.config_entries.async_unload(entry.entry_id)


def _site(*inverters: Inverter, storage: EnergyStorage | None = None) -> PVSData:
    return PVSData(
        generation=Generation.LEGACY,
        supervisor=Supervisor(serial="ZT1", device_type="PVS"),
        inverters={inverter.serial: inverter for inverter in inverters},
        storage={storage.serial: storage} if storage else {},
    )


def test_an_inverter_in_error_while_most_neighbours_produce_is_a_problem() -> None:
    def inverter(serial: str, state: str, power_kw: float | None = None) -> Inverter:
        return Inverter(serial=serial, device_type="Inverter", state=state, power_kw=power_kw)

    broken = inverter("E1", "error")
    producing = [inverter(f"P{n}", "working", 0.3) for n in range(3)]
    sleeping = [inverter(f"S{n}", "error") for n in range(3)]
    stale = inverter("T1", "error", 0.05)  # asleep, still showing its last reading
    assert inverter_problem(broken, _site(broken, *producing)) is True
    assert inverter_problem(broken, _site(broken, *sleeping)) is False
    assert inverter_problem(broken, _site(broken, stale, *sleeping)) is False
    # dawn: one neighbour awake out of four is not yet daylight for this one
    assert inverter_problem(broken, _site(broken, producing[0], *sleeping)) is False
    assert inverter_problem(producing[0], _site(broken, *producing)) is False
    assert inverter_problem(Inverter(serial="E4", device_type="Inverter"), _site()) is None


def test_judging_every_inverter_of_a_poll_looks_at_each_neighbour_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From dusk to dawn every inverter is in error and its problem sensor asks how many
    neighbours produce: at 300 inverters, asking each one anew is 90,000 checks a poll."""
    checks = 0
    real = night.producing

    def counted(inverter: Inverter) -> bool:
        nonlocal checks
        checks += 1
        return real(inverter)

    monkeypatch.setattr(night, "producing", counted)
    monkeypatch.setattr(problems, "producing", counted)
    asleep = [Inverter(serial=f"S{n}", device_type="Inverter", state="error") for n in range(300)]
    data = _site(*asleep)
    assert [inverter_problem(inverter, data) for inverter in asleep] == [False] * 300
    assert checks <= 2 * len(asleep)
    # the next poll is counted anew: most of the neighbours produce again
    awake = [replace(inverter, state="working", power_kw=0.3) for inverter in asleep[1:]]
    assert inverter_problem(asleep[0], _site(asleep[0], *awake)) is True


def test_the_neighbour_count_keeps_no_poll_alive() -> None:
    """By day no problem sensor asks, so a count kept by reference would hold the last
    night's poll (every device of the site) until dusk, and an unloaded entry's for good."""
    asleep = [Inverter(serial=f"S{n}", device_type="Inverter", state="error") for n in range(3)]
    data = _site(*asleep)
    assert inverter_problem(asleep[0], data) is False
    kept = weakref.ref(data)
    del data
    assert kept() is None


def test_sunvault_records_in_error_are_a_problem_only_without_storage_data() -> None:
    bms = GenericDevice(serial="BMS", device_type="ESS BMS", state="error")
    legacy_battery = Battery(
        serial="B1", device_type="Battery", state="error", state_of_charge_pct=60
    )
    silent = EnergyStorage(serial="ESS", device_type="Energy Storage System", state="error")
    healthy = replace(silent, state_of_charge_pct=80)
    assert storage_problem(bms, _site(storage=healthy)) is False
    assert (
        storage_problem(bms, replace(_site(storage=silent), batteries={"B1": legacy_battery}))
        is False
    )
    assert storage_problem(bms, _site(storage=silent)) is True


@pytest.mark.parametrize("sim_config", [LEGACY])
async def test_only_changed_values_are_written(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    coordinator = setup_entry.runtime_data.poll
    data = coordinator.data
    with patch.object(Entity, "async_write_ha_state", autospec=True) as write:
        coordinator.async_set_updated_data(data)
        await hass.async_block_till_done()
        assert write.call_count == 0

        serial = min(data.inverters)
        brighter = replace(data.inverters[serial], power_kw=0.123)
        coordinator.async_set_updated_data(
            replace(data, inverters={**data.inverters, serial: brighter})
        )
        await hass.async_block_till_done()
        written = [call.args[0].unique_id for call in write.call_args_list]
        assert written == [f"{serial}_power"]
