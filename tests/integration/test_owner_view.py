"""What an owner sees: honest times, one battery charge per device, translated states, names."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.const import DOMAIN, OPTION_SCAN_INTERVAL
from pvs_simulator import Simulator, SimulatorConfig

from .rig import AFTERNOON

SUNVAULT_LOCALAPI = SimulatorConfig(
    profile="sunvault", firmware="localapi", speed=0.0, start=AFTERNOON, seed=1
)
SUNVAULT_LEGACY = SimulatorConfig(
    profile="sunvault", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1
)


def _state(hass: HomeAssistant, unique_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


@pytest.fixture(params=["legacy", "localapi"])
def wrong_clock_site(request: pytest.FixtureRequest) -> SimulatorConfig:
    """A PVS whose clock runs 9 hours ahead of Home Assistant's, from when the test starts."""
    return SimulatorConfig(
        profile="small",
        firmware=request.param,
        speed=0.0,
        start=dt_util.utcnow() + timedelta(hours=9),
        seed=1,
    )


@pytest.fixture
def sim_config(request: pytest.FixtureRequest) -> SimulatorConfig:
    """The module's default site; the wrong-clock test asks for its own."""
    if "wrong_clock_site" in request.fixturenames:
        config: SimulatorConfig = request.getfixturevalue("wrong_clock_site")
        return config
    return SimulatorConfig(
        profile="typical", firmware="localapi", speed=0.0, start=AFTERNOON, seed=1
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # last report: one click away
@pytest.mark.usefixtures("wrong_clock_site")
async def test_a_pvs_with_a_wrong_clock_shows_no_time_in_the_future(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    now = dt_util.utcnow()
    serial = simulator.serial
    offset = float(_state(hass, f"{serial}_pvs_clock_offset"))
    assert offset == pytest.approx(9 * 3600, abs=120)
    boot = dt_util.parse_datetime(_state(hass, f"{serial}_last_boot"))
    assert boot is not None
    assert boot <= now
    # by Home Assistant's clock: its uptime before now
    uptime = setup_entry.runtime_data.poll.data.supervisor.uptime_s
    assert uptime is not None
    # (legacy firmware samples the uptime with its 5-minute data set)
    assert abs(boot - (now - timedelta(seconds=uptime))) <= timedelta(minutes=6)
    for inverter in setup_entry.runtime_data.poll.data.inverters:
        shown = _state(hass, f"{inverter}_last_report")
        if shown != STATE_UNKNOWN:
            stamp = dt_util.parse_datetime(shown)
            assert stamp is not None
            assert stamp <= now


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("sim_config", [SUNVAULT_LOCALAPI, SUNVAULT_LEGACY], ids=["lapi", "leg"])
async def test_every_device_has_at_most_one_battery_state_of_charge(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    batteries = Counter(
        entity.device_id
        for entity in er.async_entries_for_config_entry(registry, setup_entry.entry_id)
        if entity.original_device_class == "battery"
    )
    assert batteries
    assert max(batteries.values()) == 1
    # where a device reports the charge the SunStrong app shows, that is its battery one
    data = setup_entry.runtime_data.poll.data
    customers = [
        serial
        for serial, device in (*data.storage.items(), *data.batteries.items())
        if device.customer_state_of_charge_pct is not None
    ]
    assert customers
    for serial in customers:
        unique_id = f"{serial}_customer_state_of_charge"
        entity_id = registry.async_get_entity_id("sensor", DOMAIN, unique_id)
        assert entity_id is not None
        entry = registry.async_get(entity_id)
        assert entry is not None
        assert entry.original_device_class == "battery"


@pytest.mark.parametrize("sim_config", [SUNVAULT_LOCALAPI, SUNVAULT_LEGACY], ids=["lapi", "leg"])
async def test_states_with_a_known_set_of_values_are_translated_options(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    data = setup_entry.runtime_data.poll.data
    storage = next(iter(data.storage))
    assert _state(hass, f"{storage}_operating_mode") == "self_consumption"
    for hub in data.transfer_switches:
        assert _state(hass, f"{hub}_contactor_state") in ("open", "closed")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")  # inverter state
@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(profile="sunvault", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1)],
)
async def test_a_state_outside_the_known_set_shows_unknown_and_breaks_nothing(
    hass: HomeAssistant, setup_entry: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    poll = setup_entry.runtime_data.poll
    data = poll.data
    storage_serial, storage = next(iter(data.storage.items()))
    inverter_serial, inverter = next(iter(data.inverters.items()))
    odd = replace(
        data,
        storage={storage_serial: replace(storage, operating_mode="GRID_SERVICES_2031")},
        inverters={**data.inverters, inverter_serial: replace(inverter, state="hibernating")},
    )
    caplog.clear()
    poll.async_set_updated_data(odd)
    await hass.async_block_till_done()
    assert _state(hass, f"{storage_serial}_operating_mode") == STATE_UNKNOWN
    assert _state(hass, f"{inverter_serial}_state") == STATE_UNKNOWN
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]
    assert "grid_services_2031" in caplog.text  # said once, at debug


async def test_an_interval_below_the_minimum_is_refused_with_the_reason(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    flow = await hass.config_entries.options.async_init(setup_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        flow["flow_id"], {OPTION_SCAN_INTERVAL: 30}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {OPTION_SCAN_INTERVAL: "interval_too_short"}
    result = await hass.config_entries.options.async_configure(
        flow["flow_id"], {OPTION_SCAN_INTERVAL: 7200}
    )
    assert result["errors"] == {OPTION_SCAN_INTERVAL: "interval_too_long"}
    result = await hass.config_entries.options.async_configure(
        flow["flow_id"], {OPTION_SCAN_INTERVAL: 600}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()  # the reload with the new interval, while the PVS runs


async def _add_by_address(hass: HomeAssistant, host: str) -> MockConfigEntry:
    flow = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {CONF_HOST: host})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    entry: MockConfigEntry = result["result"]
    return entry


async def test_a_second_pvs_is_told_apart_and_the_first_keeps_its_names(
    hass: HomeAssistant,
) -> None:
    first_site = SimulatorConfig(profile="small", firmware="legacy", start=AFTERNOON, seed=1)
    second_site = replace(first_site, profile="typical")
    async with Simulator(first_site) as one, Simulator(second_site) as two:
        first = await _add_by_address(hass, one.host)
        second = await _add_by_address(hass, two.host)
        assert first.title == "SunPower PVS6"
        assert second.title == "SunPower PVS6 #2"
        assert two.serial[-5:] not in second.title  # never the default password
        entities = er.async_get(hass)
        devices = dr.async_get(hass)
        names = {
            entry.entry_id: {
                device.name for device in dr.async_entries_for_config_entry(devices, entry.entry_id)
            }
            for entry in (first, second)
        }
        assert {"PVS6", "SunPower site"} <= names[first.entry_id]
        assert not {"PVS6", "SunPower site"} & names[second.entry_id]
        ids = [
            entity.entity_id
            for entity in er.async_entries_for_config_entry(entities, second.entry_id)
        ]
        assert ids
        assert not [entity_id for entity_id in ids if entity_id.endswith("_2")]
        for entry in (first, second):
            assert await hass.config_entries.async_unload(entry.entry_id)
