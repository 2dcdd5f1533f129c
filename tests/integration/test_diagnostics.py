"""Diagnostics: complete enough for a bug report, with every identity removed."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sunpower_pvs.const import OPTION_RAW_DIAGNOSTICS
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
