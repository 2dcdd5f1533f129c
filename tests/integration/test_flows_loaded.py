"""Flows that change a loaded entry: one reload each, no warning, the new value in use after it.

Home Assistant 2026.11 warns (and 2026.12 refuses) when a flow reloads an entry that also has
an update listener; these run against entries that are set up, where that would show.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from ipaddress import ip_address
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_ZEROCONF, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import pytest_socket

import custom_components.sunpower_pvs as integration
from custom_components.sunpower_pvs.const import DOMAIN, OPTION_SCAN_INTERVAL
from pvs_simulator import Simulator, SimulatorConfig

from .rig import AFTERNOON

SITE = SimulatorConfig(profile="small", firmware="localapi", speed=0.0, start=AFTERNOON, seed=3)


@pytest.fixture(autouse=True)
def second_loopback_address(socket_enabled: None) -> None:
    """A unit moved to another address: 127.0.0.2, loopback too."""
    pytest_socket.socket_allow_hosts(["127.0.0.1", "127.0.0.2"])


@pytest.fixture
def setups() -> AsyncIterator[list[str]]:
    """The entry ids the integration is set up for, in order (each reload adds one)."""
    calls: list[str] = []
    original = integration.async_setup_entry

    async def counting(hass: HomeAssistant, entry: Any) -> bool:
        calls.append(entry.entry_id)
        return await original(hass, entry)

    with patch.object(integration, "async_setup_entry", counting):
        yield calls


def our_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Warnings and errors about this integration, but Home Assistant's custom-integration note."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and record.name != "asyncio"  # the event loop's note of a slow step, not a warning
        and DOMAIN in record.getMessage()
        and "has not been tested by Home Assistant" not in record.getMessage()
    ]


async def loaded_entry(hass: HomeAssistant, sim: Simulator, **data: str) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SunPower PVS6",
        unique_id=sim.serial,
        data={CONF_HOST: sim.host} | data,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


async def finish(
    hass: HomeAssistant, step: Callable[[], Awaitable[Any]], reason: str
) -> dict[str, Any]:
    result: dict[str, Any] = await step()
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    return result


async def test_reauthentication_reloads_once_with_the_new_password(
    hass: HomeAssistant, setups: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async with Simulator(replace(SITE, password="first")) as sim:
        entry = await loaded_entry(hass, sim, password="first")
        sim.set_password("second")
        flow = await entry.start_reauth_flow(hass)
        await finish(
            hass,
            lambda: hass.config_entries.flow.async_configure(
                flow["flow_id"], {CONF_PASSWORD: "second"}
            ),
            "reauth_successful",
        )
        assert setups == [entry.entry_id, entry.entry_id]
        assert entry.state is ConfigEntryState.LOADED
        assert entry.data[CONF_PASSWORD] == "second"
        # the reloaded entry logged in with it: its first poll succeeded
        assert entry.runtime_data.poll.health.last_success is not None
    assert our_warnings(caplog) == []


async def test_reconfiguration_reloads_once_onto_the_new_address(
    hass: HomeAssistant, setups: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async with Simulator(SITE) as old, Simulator(replace(SITE, host="127.0.0.2")) as new:
        assert new.serial == old.serial  # the same unit, moved to another address
        entry = await loaded_entry(hass, old)
        flow = await entry.start_reconfigure_flow(hass)
        await finish(
            hass,
            lambda: hass.config_entries.flow.async_configure(
                flow["flow_id"], {CONF_HOST: new.host}
            ),
            "reconfigure_successful",
        )
        assert setups == [entry.entry_id, entry.entry_id]
        assert entry.data[CONF_HOST] == new.host
        assert entry.runtime_data.client.host == new.host
        before = new.stats["requests"]
        await entry.runtime_data.poll.async_refresh()
        assert new.stats["requests"] > before
    assert our_warnings(caplog) == []


async def test_reconfiguration_to_the_same_address_changes_nothing(
    hass: HomeAssistant, setups: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async with Simulator(SITE) as sim:
        entry = await loaded_entry(hass, sim)
        coordinator = entry.runtime_data
        flow = await entry.start_reconfigure_flow(hass)
        await finish(
            hass,
            lambda: hass.config_entries.flow.async_configure(
                flow["flow_id"], {CONF_HOST: sim.host}
            ),
            "reconfigure_unchanged",
        )
        assert setups == [entry.entry_id]
        assert entry.runtime_data is coordinator
    assert our_warnings(caplog) == []


async def test_a_discovered_address_change_reloads_once_onto_it(
    hass: HomeAssistant, setups: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async with Simulator(SITE) as old:
        port = old.config.port or int(old.host.rpartition(":")[2])
        async with Simulator(replace(SITE, host="127.0.0.2", port=port)) as new:
            entry = await loaded_entry(hass, old)
            info = ZeroconfServiceInfo(
                ip_address=ip_address("127.0.0.2"),
                ip_addresses=[ip_address("127.0.0.2")],
                hostname="pvs6.local.",
                name="PVS6._pvs6._tcp.local.",
                port=port,
                type="_pvs6._tcp.local.",
                properties={"serialnum": old.serial.lower()},
            )
            await finish(
                hass,
                lambda: hass.config_entries.flow.async_init(
                    DOMAIN, context={"source": SOURCE_ZEROCONF}, data=info
                ),
                "already_configured",
            )
            assert setups == [entry.entry_id, entry.entry_id]
            assert entry.data[CONF_HOST] == new.host
            assert entry.runtime_data.client.host == new.host
            assert entry.state is ConfigEntryState.LOADED
    assert our_warnings(caplog) == []


async def test_new_options_reload_once_and_unchanged_ones_do_not(
    hass: HomeAssistant, setups: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    async with Simulator(SITE) as sim:
        entry = await loaded_entry(hass, sim)
        for interval in (900, 900):
            flow = await hass.config_entries.options.async_init(entry.entry_id)
            result = await hass.config_entries.options.async_configure(
                flow["flow_id"], {OPTION_SCAN_INTERVAL: interval}
            )
            await hass.async_block_till_done()
            assert result["type"] is FlowResultType.CREATE_ENTRY
        assert setups == [entry.entry_id, entry.entry_id]  # the second save changed nothing
        assert entry.runtime_data.poll.interval.total_seconds() == 900
    assert our_warnings(caplog) == []
