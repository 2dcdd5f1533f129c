"""The energy state's footprint on the owner's disk: few writes, small, and none lost on stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
import json
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.site_energy.coordinator import (
    DAILY_WRITE_BUDGET_BYTES,
    MAX_SAVE_INTERVAL_S,
    SAVE_INTERVAL_S,
    save_interval,
)
from pvs_simulator import Simulator, SimulatorConfig

from .rig import AFTERNOON

HOURS = 2
MIN_POLL_S = 20  # the coordinator's shortest step is longer


def _key(entry: MockConfigEntry) -> str:
    return f"{DOMAIN}.{entry.entry_id}.energy"


async def _run(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    hours: float = HOURS,
) -> list[tuple[float, Any]]:
    """When (seconds from the start) the energy state was written, and what, over ``hours``.

    Polls as the coordinator schedules them; timers are fired only between polls (frozen
    time would otherwise fire the requests' own time-outs).
    """
    key = _key(entry)
    poll = entry.runtime_data.poll
    writes: list[tuple[float, Any]] = []
    elapsed = 0.0
    last = hass_storage.get(key)
    for _ in range(int(hours * 60 * 60 // MIN_POLL_S)):  # bounded
        if elapsed >= hours * 60 * 60:
            break
        interval = poll.update_interval
        assert interval is not None
        simulator.advance(interval.total_seconds())
        freezer.tick(interval)
        elapsed += interval.total_seconds()
        await poll.async_refresh()
        await hass.async_block_till_done()
        async_fire_time_changed(hass)  # the store's delayed write, when due
        await hass.async_block_till_done()
        if hass_storage.get(key) is not last:  # the mocked store keeps a new object per write
            last = hass_storage[key]
            writes.append((elapsed, last))
    return writes


async def _set_up_without_production_meter(
    hass: HomeAssistant, entry: MockConfigEntry, simulator: Simulator
) -> None:
    """Set the entry up on a site whose production meter is gone: inverters count solar."""
    simulator.add_fault(f"vanish={simulator.unit.installation.production_meter}")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.freeze_time(AFTERNOON)
async def test_the_energy_state_is_written_at_most_every_15_minutes_and_on_unload(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    key = _key(setup_entry)
    writes = [when for when, _ in await _run(hass, setup_entry, simulator, freezer, hass_storage)]
    polls = setup_entry.runtime_data.poll
    assert polls.health.consecutive_failures == 0
    # it does save while running, but never twice within the interval
    assert len(writes) >= HOURS * 60 * 60 // SAVE_INTERVAL_S - 1
    gaps = [later - earlier for earlier, later in itertools.pairwise(writes)]
    assert all(gap >= SAVE_INTERVAL_S for gap in gaps), writes
    # the last polls since the last write are not lost: unloading writes them
    solar = setup_entry.runtime_data.energy.ledger.energy.solar
    assert solar is not None
    assert hass_storage[key]["data"]["solar"]["total"] != pytest.approx(solar, abs=1e-6)
    assert await hass.config_entries.async_unload(setup_entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["solar"]["total"] == pytest.approx(solar, abs=1e-6)


@pytest.mark.freeze_time(AFTERNOON)
async def test_a_write_due_by_home_assistants_clock_waits_for_no_event_loop_timer(
    hass: HomeAssistant,
    setup_entry: MockConfigEntry,
    simulator: Simulator,
    hass_storage: dict[str, Any],
) -> None:
    """A host that sleeps: its event loop's clock stands still while the wall clock goes on.

    Frozen time holds the loop's clock; only Home Assistant's (``dt_util.utcnow``) moves, a
    poll every 5 minutes. Timers are fired only up to a minute ahead, so the store's
    15-minute delay never runs out by the loop: each write is brought forward by a poll.
    """
    key = _key(setup_entry)
    poll = setup_entry.runtime_data.poll
    start = dt_util.utcnow()
    elapsed = timedelta()
    writes: list[float] = []
    last = hass_storage.get(key)
    with patch("homeassistant.util.dt.utcnow", lambda: start + elapsed):
        for _ in range(12):  # an hour of polls
            elapsed += timedelta(minutes=5)
            simulator.advance(300)
            await poll.async_refresh()
            await hass.async_block_till_done()
            async_fire_time_changed(hass, datetime.now(UTC) + timedelta(minutes=1))
            await hass.async_block_till_done()
            if hass_storage.get(key) is not last:
                last = hass_storage[key]
                writes.append(elapsed.total_seconds())
    assert poll.health.consecutive_failures == 0
    assert len(writes) >= 3, writes
    gaps = [later - earlier for earlier, later in itertools.pairwise(writes)]
    assert all(gap >= SAVE_INTERVAL_S for gap in gaps), writes


@pytest.mark.freeze_time(AFTERNOON)
async def test_the_inverters_counters_are_saved_only_while_they_count_solar(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    simulator: Simulator,
    hass_storage: dict[str, Any],
) -> None:
    # With a production meter, the inverters' counters are only its stand-in: not saved.
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    ledger = config_entry.runtime_data.energy.ledger
    assert ledger.state.solar.meter_counts
    assert ledger.state.solar.inverters
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[_key(config_entry)]["data"]["solar"]["inverters"] == {}


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(profile="typical", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1)],
)
async def test_without_a_production_meter_the_inverters_counters_are_saved(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    simulator: Simulator,
    hass_storage: dict[str, Any],
) -> None:
    await _set_up_without_production_meter(hass, config_entry, simulator)
    ledger = config_entry.runtime_data.energy.ledger
    assert not ledger.state.solar.meter_counts
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    saved = hass_storage[_key(config_entry)]["data"]["solar"]["inverters"]
    assert set(saved) == set(ledger.state.solar.inverters)
    assert saved


def test_a_large_state_is_saved_less_often_within_the_daily_budget() -> None:
    assert save_interval(2_000) == SAVE_INTERVAL_S
    # 300 inverter counters, about 30 kB: under 1 MB a day
    assert 24 * 60 * 60 / save_interval(30_000) * 30_000 == pytest.approx(DAILY_WRITE_BUDGET_BYTES)
    assert save_interval(30_000) > SAVE_INTERVAL_S
    # never so rarely that a crash would put hours of energy into one
    assert save_interval(10_000_000) == MAX_SAVE_INTERVAL_S


@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(profile="large", firmware="legacy", speed=0.0, start=AFTERNOON, seed=1)],
)
@pytest.mark.freeze_time(AFTERNOON)
async def test_300_inverters_counting_solar_write_under_1_mb_a_day(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    # No production meter: the inverters' counters are the solar source, and are saved.
    await _set_up_without_production_meter(hass, config_entry, simulator)
    writes = await _run(hass, config_entry, simulator, freezer, hass_storage, hours=4)
    assert len(writes) >= 3
    for (earlier, _), (later, stored) in itertools.pairwise(writes):
        assert len(stored["data"]["solar"]["inverters"]) == 300
        size = len(json.dumps(stored, indent=2))  # as the store writes it
        assert size * 24 * 60 * 60 / (later - earlier) <= DAILY_WRITE_BUDGET_BYTES
