"""Fixtures: a simulated PVS on loopback and a config entry pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from unittest.mock import PropertyMock, patch

from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.const import DOMAIN
from pvs_simulator import Simulator, SimulatorConfig

from .rig import AFTERNOON, clock, rig, short_timeouts  # noqa: F401 - shared fixtures


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """The options the statistics rig's entry is set up with; override per test."""
    return {}


@pytest.fixture
def sim_config() -> SimulatorConfig:
    """The simulated site; override or parametrize per test."""
    return SimulatorConfig(
        profile="typical", firmware="localapi", speed=0.0, start=AFTERNOON, seed=1
    )


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Home Assistant's test harness blocks sockets; the simulator listens on 127.0.0.1 only."""


@pytest.fixture(autouse=True)
def no_telemetry_stream(unused_tcp_port: int) -> Iterator[None]:
    """Point the live feed at a closed port unless a test hands it the simulator's stream."""
    with patch("custom_components.sunpower_pvs.live.TELEMETRY_PORT", unused_tcp_port):
        yield


@pytest.fixture(autouse=True)
def no_query_spacing() -> Iterator[None]:
    """The simulator does not need the seconds between queries a real PVS asks for."""
    with patch("custom_components.sunpower_pvs.connection.MIN_QUERY_INTERVAL", 0.0):
        yield


@pytest.fixture
def entity_registry_enabled_by_default() -> Iterator[None]:
    """Create the entities that are disabled by default too, so snapshots cover them."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
async def simulator(sim_config: SimulatorConfig) -> AsyncIterator[Simulator]:
    """A running simulated PVS."""
    async with Simulator(sim_config) as sim:
        yield sim


@pytest.fixture
def config_entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    """A config entry for the simulated PVS, added to Home Assistant but not set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SunPower PVS6",
        unique_id=simulator.serial,
        data={CONF_HOST: simulator.host},
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def setup_entry(hass: HomeAssistant, config_entry: MockConfigEntry) -> MockConfigEntry:
    """The config entry, set up."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry
