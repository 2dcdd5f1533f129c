"""Diagnostics: complete enough for a bug report, with every identity removed."""

from __future__ import annotations

import json

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sunpower_pvs.const import DOMAIN, OPTION_RAW_DIAGNOSTICS
from pvs_simulator import Simulator


async def test_diagnostics_hold_the_data_without_identities(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_entry)
    text = json.dumps(diagnostics)
    data = setup_entry.runtime_data.poll.data
    assert diagnostics["unit"]["generation"] == "localapi"
    assert len(diagnostics["data"]["inverters"]) == len(data.inverters)
    assert "raw_responses" not in diagnostics
    solar = diagnostics["energy"]["solar"]
    assert solar["total"] == setup_entry.runtime_data.energy.ledger.energy.solar
    assert len(solar["inverters"]) == len(data.inverters)
    for serial in [simulator.serial, *data.inverters, *data.meters]:
        assert serial not in text
    assert simulator.host not in text


async def test_raw_responses_are_included_when_asked_and_still_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    config_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    hass.config_entries.async_update_entry(config_entry, options={OPTION_RAW_DIAGNOSTICS: True})
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    assert diagnostics["raw_responses"]
    text = json.dumps(diagnostics)
    for serial in [simulator.serial, *config_entry.runtime_data.poll.data.inverters]:
        assert serial not in text


async def test_diagnostics_answer_in_setup_retry_with_the_reason(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id="ZT0123456789", data={CONF_HOST: "127.0.0.1:1"}
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["state"] == ConfigEntryState.SETUP_RETRY.value
    assert diagnostics["setup_error"]
    assert diagnostics["health"]["consecutive_failures"] >= 1
    assert "ZT0123456789" not in json.dumps(diagnostics)
    assert "127.0.0.1:1" not in json.dumps(diagnostics)


async def test_diagnostics_answer_after_a_refused_password(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=simulator.serial,
        data={CONF_HOST: simulator.host, CONF_PASSWORD: "nope"},
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["state"] == ConfigEntryState.SETUP_ERROR.value
    assert diagnostics["health"]["last_error"] == "auth"
    assert "nope" not in json.dumps(diagnostics)
    assert simulator.serial not in json.dumps(diagnostics)


async def test_diagnostics_answer_while_the_entry_is_unloaded(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
) -> None:
    """As during the reload after new options or a reconfiguration."""
    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    await hass.async_block_till_done()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, setup_entry)
    assert diagnostics["state"] == ConfigEntryState.NOT_LOADED.value
    assert diagnostics["health"]["last_success"] is not None
    assert diagnostics["unit"]["generation"] == "localapi"
    assert simulator.serial not in json.dumps(diagnostics)
