"""A harness that drives polls the way the coordinator schedules them, on simulated time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from unittest.mock import patch

from homeassistant.const import CONF_HOST, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.cadence import BACKOFF_CAP, REFRESH, SETTLE
from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.coordinator import PollCoordinator
from pvs_simulator import Simulator

# Midsummer afternoon in California: inverters produce, meters run both ways.
AFTERNOON = datetime(2026, 6, 21, 20, 0, tzinfo=UTC)
ENERGY_KEYS = ("lifetime_energy", "positive_energy", "negative_energy")


@dataclass
class Clock:
    """Home Assistant's clock as the coordinator sees it, moved with the simulator's."""

    now: datetime = AFTERNOON

    def utcnow(self) -> datetime:
        return self.now


@pytest.fixture
def short_timeouts() -> Iterator[None]:
    """A hang or a slow DeviceList fails after half a second instead of a minute."""
    with (
        patch("custom_components.sunpower_pvs.connection.REQUEST_TIMEOUT", 0.5),
        patch("custom_components.sunpower_pvs.connection.DEVICE_LIST_TIMEOUT", 0.5),
    ):
        yield


@pytest.fixture
def clock() -> Iterator[Clock]:
    clock = Clock()
    with patch(
        "custom_components.sunpower_pvs.coordinator.dt_util", SimpleNamespace(utcnow=clock.utcnow)
    ):
        yield clock


@dataclass
class Rig:
    """Drives polls the way the coordinator schedules them, recording what owners would see."""

    hass: HomeAssistant
    entry: MockConfigEntry
    sim: Simulator
    clock: Clock
    energies: dict[str, list[float]] = field(default_factory=dict)
    outcomes: list[bool] = field(default_factory=list)

    @property
    def coordinator(self) -> PollCoordinator:
        return self.entry.runtime_data.poll

    def state(self, platform: str, unique_id: str) -> str:
        entity_id = er.async_get(self.hass).async_get_entity_id(platform, DOMAIN, unique_id)
        assert entity_id is not None
        state = self.hass.states.get(entity_id)
        assert state is not None
        return state.state

    async def poll(self) -> None:
        """Wait as long as the coordinator asks, then poll."""
        interval = self.coordinator.update_interval
        assert interval is not None
        assert interval <= BACKOFF_CAP + REFRESH + SETTLE  # never longer than one step
        self.sim.advance(interval.total_seconds())
        self.clock.now += interval
        await self.coordinator.async_refresh()
        await self.hass.async_block_till_done()
        self.outcomes.append(self.coordinator.health.consecutive_failures == 0)
        self._record_energies()

    def _record_energies(self) -> None:
        registry = er.async_get(self.hass)
        for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id):
            if not entity.unique_id.endswith(ENERGY_KEYS):
                continue
            state = self.hass.states.get(entity.entity_id)
            if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                continue
            self.energies.setdefault(entity.unique_id, []).append(float(state.state))

    def assert_energies_never_drop(self) -> None:
        assert self.energies
        for unique_id, values in self.energies.items():
            assert values == sorted(values), unique_id


@pytest.fixture
async def rig(hass: HomeAssistant, simulator: Simulator, clock: Clock, short_timeouts: None) -> Rig:
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=simulator.serial, data={CONF_HOST: simulator.host}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    rig = Rig(hass, entry, simulator, clock)
    for _ in range(2):
        await rig.poll()
    return rig
