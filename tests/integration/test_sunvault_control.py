"""SunVault control: battery mode and backup reserve, written safely, shown as the PVS has them."""

from __future__ import annotations

from typing import Any

from homeassistant.components.number import ATTR_VALUE, SERVICE_SET_VALUE
from homeassistant.components.select import ATTR_OPTION, SERVICE_SELECT_OPTION
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.const import DOMAIN
from pvs_simulator import Simulator, SimulatorConfig
from pvs_simulator.battery import EssControl

from .rig import AFTERNOON

SUNVAULT = SimulatorConfig(profile="sunvault", firmware="localapi", speed=0.0, start=AFTERNOON)
pytestmark = pytest.mark.usefixtures("entity_registry_enabled_by_default")


def _entity_id(hass: HomeAssistant, simulator: Simulator, platform: str, key: str) -> str | None:
    serial = simulator.unit.installation.ess_serial
    assert serial is not None
    return er.async_get(hass).async_get_entity_id(platform, DOMAIN, f"{serial}_{key}")


def _mode(hass: HomeAssistant, simulator: Simulator) -> tuple[str, str]:
    entity_id = _entity_id(hass, simulator, "select", "control_mode")
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    return entity_id, state.state


def _reserve(hass: HomeAssistant, simulator: Simulator) -> tuple[str, str]:
    entity_id = _entity_id(hass, simulator, "number", "backup_reserve")
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    return entity_id, state.state


def _writes(simulator: Simulator) -> list[Any]:
    commands = simulator.stats["config_commands"]
    assert isinstance(commands, list)
    return commands


async def _select(hass: HomeAssistant, entity_id: str, option: str) -> None:
    await hass.services.async_call(
        "select",
        SERVICE_SELECT_OPTION,
        {ATTR_ENTITY_ID: entity_id, ATTR_OPTION: option},
        blocking=True,
    )


async def _set_reserve(hass: HomeAssistant, entity_id: str, value: float) -> None:
    await hass.services.async_call(
        "number", SERVICE_SET_VALUE, {ATTR_ENTITY_ID: entity_id, ATTR_VALUE: value}, blocking=True
    )


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_the_settings_show_what_the_pvs_holds_and_nothing_is_written_at_setup(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    assert _mode(hass, simulator)[1] == "self_consumption"
    assert float(_reserve(hass, simulator)[1]) == pytest.approx(30.0)
    assert await hass.config_entries.async_reload(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert _writes(simulator) == []  # neither at setup nor on a reload


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_mode_and_a_reserve_are_written_and_read_back(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    entity_id, _ = _mode(hass, simulator)
    await _select(hass, entity_id, "backup_only")
    assert simulator.unit.site.control.mode == "BACKUP_ONLY"
    assert _mode(hass, simulator)[1] == "backup_only"  # at once, before the next poll

    entity_id, _ = _reserve(hass, simulator)
    await _set_reserve(hass, entity_id, 55)
    assert simulator.unit.site.control.reserve == pytest.approx(0.55)
    assert float(_reserve(hass, simulator)[1]) == pytest.approx(55.0)
    assert len(_writes(simulator)) == 2


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_change_made_in_the_app_shows_at_the_next_poll(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    simulator.unit.set_ess_control(EssControl("ENERGY_ARBITRAGE", 0.8))
    simulator.advance(300)
    await setup_entry.runtime_data.poll.async_refresh()
    await hass.async_block_till_done()
    assert _mode(hass, simulator)[1] == "energy_arbitrage"
    assert float(_reserve(hass, simulator)[1]) == pytest.approx(80.0)
    # both settings in one query of the poll
    raw = setup_entry.runtime_data.client.last_raw_responses
    assert set(raw["ESS settings"]) == {
        "/ess/config/dcm/mode_param/control_mode",
        "/ess/config/dcm/control_param/min_customer_soc",
    }


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_write_the_pvs_ignores_shows_its_value_and_says_so(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    entity_id, _ = _reserve(hass, simulator)
    simulator.add_fault("write_ignored")
    with pytest.raises(HomeAssistantError) as caught:
        await _set_reserve(hass, entity_id, 90)
    assert caught.value.translation_key == "setting_not_applied"
    assert float(_reserve(hass, simulator)[1]) == pytest.approx(30.0)
    assert simulator.unit.site.control.reserve == pytest.approx(0.30)


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_refused_write_changes_nothing_and_says_so(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    entity_id, _ = _mode(hass, simulator)
    simulator.add_fault("status=400,path=vars?set")
    with pytest.raises(HomeAssistantError) as caught:
        await _select(hass, entity_id, "standby")
    assert caught.value.translation_key == "setting_refused"
    assert _mode(hass, simulator)[1] == "self_consumption"
    assert simulator.unit.site.control.mode == "SELF_CONSUMPTION"


@pytest.mark.usefixtures("short_timeouts")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_write_that_times_out_says_so_and_keeps_the_pvs_value(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    entity_id, _ = _mode(hass, simulator)
    simulator.add_fault("hang,path=vars?set")
    with pytest.raises(HomeAssistantError) as caught:
        await _select(hass, entity_id, "standby")
    assert caught.value.translation_key == "setting_failed"
    assert _mode(hass, simulator)[1] == "self_consumption"


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_session_that_expired_before_the_write_is_renewed_and_the_write_lands(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    entity_id, _ = _reserve(hass, simulator)
    simulator.expire_sessions()
    await _set_reserve(hass, entity_id, 100)
    assert simulator.unit.site.control.reserve == pytest.approx(1.0)
    assert float(_reserve(hass, simulator)[1]) == pytest.approx(100.0)


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_an_invalid_value_is_refused_before_any_request(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    client = setup_entry.runtime_data.client
    before = client.request_count
    entity_id, _ = _reserve(hass, simulator)
    with pytest.raises(ServiceValidationError):
        await _set_reserve(hass, entity_id, 150)
    mode_id, _ = _mode(hass, simulator)
    with pytest.raises(ServiceValidationError):
        await _select(hass, mode_id, "tariff_optimizer")
    with pytest.raises(ValueError, match="whole percent"):
        await client.set_backup_reserve(30.5)
    with pytest.raises(ValueError, match="operating mode"):
        await client.set_control_mode("TARIFF_OPTIMIZER")
    assert client.request_count == before
    assert _writes(simulator) == []


@pytest.mark.parametrize(
    "sim_config",
    [
        SimulatorConfig(profile="sunvault", firmware="legacy", speed=0.0, start=AFTERNOON),
        SimulatorConfig(profile="typical", firmware="localapi", speed=0.0, start=AFTERNOON),
    ],
    ids=["legacy-sunvault", "localapi-no-storage"],
)
async def test_no_control_where_the_pvs_offers_none(
    hass: HomeAssistant, setup_entry: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, setup_entry.entry_id)
    assert not [entry for entry in entries if entry.domain in ("select", "number")]
    assert setup_entry.runtime_data.poll.data.generation  # set up and polled
