"""Live site power: the PVS6 telemetry stream, its reconnects, the 15-second fallback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
import itertools
from unittest.mock import patch

from homeassistant.const import CONF_HOST, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sunpower_pvs.const import DOMAIN, OPTION_LIVE_FEED
from custom_components.sunpower_pvs.live import LiveFeed
from custom_components.sunpower_pvs.pvs import TELEMETRY_PORT, LiveData
from pvs_simulator import Simulator, SimulatorConfig

from .rig import AFTERNOON

SUNVAULT = SimulatorConfig(profile="sunvault", firmware="localapi", speed=0.0, start=AFTERNOON)


@pytest.fixture
def stream_port(simulator: Simulator) -> Iterator[None]:
    """The live feed reaches the simulator's telemetry socket."""
    assert simulator.telemetry_port is not None
    with patch("custom_components.sunpower_pvs.live.TELEMETRY_PORT", simulator.telemetry_port):
        yield


async def _until(condition: Callable[[], bool], what: str) -> None:
    """Let the event loop run until ``condition`` holds (bounded)."""
    for _ in range(400):
        if condition():
            return
        await asyncio.sleep(0.01)
    pytest.fail(f"timed out waiting for {what}")


def _state(hass: HomeAssistant, key: str, serial: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, f"{serial}_{key}")
    assert entity_id is not None, key
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def _feed(entry: MockConfigEntry) -> LiveFeed:
    feed = entry.runtime_data.live_feed
    assert feed is not None
    return feed


def _live(entry: MockConfigEntry) -> LiveData | None:
    """The newest live data the site power sensors show."""
    live: LiveData | None = entry.runtime_data.site_power.live
    return live


def _telemetry_connections(sim: Simulator) -> int:
    endpoint = sim.stats["endpoints"].get("telemetry", {})  # type: ignore[union-attr]
    return int(endpoint.get("requests", 0))


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_site_power_follows_the_stream_within_one_frame(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    feed = _feed(setup_entry)
    await _until(lambda: feed.streaming, "the stream")
    serial = simulator.serial
    for _ in range(3):
        simulator.advance(60)  # the next frame carries a different sun
        before = _live(setup_entry)
        await _until(lambda before=before: _live(setup_entry) is not before, "a frame")
        live = _live(setup_entry)
        assert live is not None
        assert live.production_power_kw is not None
        shown = float(_state(hass, "site_production_power", serial))
        assert shown == pytest.approx(live.production_power_kw * 1000, abs=1)
        soc = float(_state(hass, "site_state_of_charge", serial))
        assert soc == pytest.approx(live.state_of_charge_pct, abs=0.05)  # to a tenth
    assert simulator.stats["config_commands"] == []  # enabling the stream is not one


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_the_stream_reconnects_when_closed_and_after_a_reboot(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    feed = _feed(setup_entry)
    await _until(lambda: feed.streaming, "the stream")
    simulator.advance(600)  # the PVS closes the socket after 10 minutes
    await _until(lambda: _telemetry_connections(simulator) >= 2, "a reconnect")
    await _until(lambda: feed.streaming, "the stream again")

    with (
        patch("custom_components.sunpower_pvs.live.STREAM_RETRY_FIRST_S", 0.05),
        patch("custom_components.sunpower_pvs.live.LIVE_POLL_INTERVAL_S", 0.02),
    ):
        connections = _telemetry_connections(simulator)
        simulator.add_fault("reboot=30")
        simulator.advance(31)  # back up, with the stream switched off again by the reboot
        await _until(lambda: _telemetry_connections(simulator) > connections, "a new stream")
        await _until(lambda: feed.streaming, "frames after the reboot")


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_without_the_stream_live_data_is_polled(
    hass: HomeAssistant, config_entry: MockConfigEntry, simulator: Simulator
) -> None:
    with patch("custom_components.sunpower_pvs.live.LIVE_POLL_INTERVAL_S", 0.02):
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        feed = _feed(config_entry)
        before = _live(config_entry)
        simulator.advance(30)
        await _until(
            lambda: _live(config_entry) is not None and _live(config_entry) != before,
            "polled live data",
        )
        assert not feed.streaming
        assert _telemetry_connections(simulator) == 0
        assert await hass.config_entries.async_unload(config_entry.entry_id)


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_at_most_one_write_per_five_seconds(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    feed = _feed(setup_entry)
    await _until(lambda: feed.streaming, "the stream")
    unique_id = f"{simulator.serial}_site_production_power"
    writes: list[tuple[datetime, float]] = []
    original = Entity.async_write_ha_state

    def counted(entity: Entity) -> None:
        live = _live(setup_entry)
        if entity.unique_id == unique_id and live and live.time:
            writes.append((live.time, float(entity.state)))
        original(entity)

    with patch.object(Entity, "async_write_ha_state", counted):
        for _ in range(60):  # a simulated hour, a minute of frames at a time
            before = _live(setup_entry)
            simulator.advance(60)
            await _until(lambda before=before: _live(setup_entry) is not before, "frames")
            await asyncio.sleep(0.05)
    assert 0 < len(writes) <= 3600 / 5
    for (earlier, before), (later, after) in itertools.pairwise(writes):
        assert after != before  # never an unchanged value
        # at most one write per 5 s of the PVS clock, unless the power jumped by 500 W
        assert later - earlier >= timedelta(seconds=5) or abs(after - before) >= 500


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_the_option_turns_the_live_feed_off(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=simulator.serial,
        data={CONF_HOST: simulator.host},
        options={OPTION_LIVE_FEED: False},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.live_feed is None
    simulator.advance(60)
    await asyncio.sleep(0.1)
    assert _telemetry_connections(simulator) == 0
    # the site sensors still show the live data of each poll
    assert float(_state(hass, "site_production_power", simulator.serial)) > 0
    assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(("profile", "grid_from_meter"), [("typical", True), ("lineside", False)])
async def test_on_legacy_firmware_site_power_follows_the_meters(
    hass: HomeAssistant, profile: str, grid_from_meter: bool
) -> None:
    config = SimulatorConfig(profile=profile, firmware="legacy", speed=0.0, start=AFTERNOON)
    async with Simulator(config) as sim:
        entry = MockConfigEntry(domain=DOMAIN, unique_id=sim.serial, data={CONF_HOST: sim.host})
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.runtime_data.live_feed is None
        meters = {meter.kind.value: meter for meter in entry.runtime_data.poll.data.meters.values()}
        production = meters["production"].power_kw
        consumption = meters["consumption"].power_kw
        assert production is not None
        assert consumption is not None
        shown = {
            key: float(_state(hass, key, sim.serial)) / 1000
            for key in ("site_production_power", "site_grid_power", "site_consumption_power")
        }
        assert shown["site_production_power"] == pytest.approx(production, abs=1e-3)
        if grid_from_meter:  # load-side CTs see the grid
            assert shown["site_grid_power"] == pytest.approx(consumption, abs=1e-3)
            assert shown["site_consumption_power"] == pytest.approx(
                production + consumption, abs=1e-3
            )
        else:  # line-side CTs see the house
            assert shown["site_consumption_power"] == pytest.approx(consumption, abs=1e-3)
            assert shown["site_grid_power"] == pytest.approx(consumption - production, abs=1e-3)
        assert await hass.config_entries.async_unload(entry.entry_id)


SITE_POWER = ("site_production_power", "site_grid_power", "site_consumption_power")


async def _poll_through_outage(entry: MockConfigEntry, sim: Simulator) -> None:
    """Polls (each after the back-off's delay) until the grace period is over."""
    poll = entry.runtime_data.poll
    for _ in range(4):  # bounded: the grace period is two failed polls
        sim.advance(60)
        await poll.async_refresh()
    assert not poll.last_update_success


@pytest.mark.parametrize(
    "sim_config",
    [SUNVAULT, SimulatorConfig(profile="typical", firmware="legacy", speed=0.0, start=AFTERNOON)],
    ids=["localapi-stream", "legacy-meters"],
)
async def test_site_power_turns_unavailable_in_an_outage_and_comes_back(
    hass: HomeAssistant, config_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """With polls failing and no live data coming, the last figures are not the site's."""
    serial = simulator.serial
    port = simulator.telemetry_port or TELEMETRY_PORT
    with (
        patch("custom_components.sunpower_pvs.live.TELEMETRY_PORT", port),
        patch("custom_components.sunpower_pvs.site_power.LIVE_FRESH_S", 0.05),
    ):
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        await hass.async_block_till_done()
        setup_entry = config_entry
        if (feed := setup_entry.runtime_data.live_feed) is not None:
            await _until(lambda: feed.streaming, "the stream")
        simulator.add_fault("reboot=900")
        await _poll_through_outage(setup_entry, simulator)
        await _until(
            lambda: all(_state(hass, key, serial) == STATE_UNAVAILABLE for key in SITE_POWER),
            "site power unavailable",
        )
        simulator.advance(900)  # the PVS is back
        await setup_entry.runtime_data.poll.async_refresh()
        await _until(
            lambda: all(_state(hass, key, serial) != STATE_UNAVAILABLE for key in SITE_POWER),
            "site power back",
        )


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_site_power_stays_while_the_stream_runs_and_polls_fail(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """The live figures are fresh while frames keep coming, whatever the heavy reads do."""
    feed = _feed(setup_entry)
    await _until(lambda: feed.streaming, "the stream")
    simulator.add_fault("status=500,path=vars,count=50")  # varserver reads fail, the socket runs
    await _poll_through_outage(setup_entry, simulator)
    simulator.advance(30)
    before = _live(setup_entry)
    await _until(lambda: _live(setup_entry) is not before, "a frame")
    assert _state(hass, "site_production_power", simulator.serial) != STATE_UNAVAILABLE


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize(
    "sim_config",
    [SimulatorConfig(profile="small", firmware="localapi", speed=0.0, start=AFTERNOON)],
)
async def test_without_a_consumption_meter_there_is_no_grid_or_home_power(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    """The PVS's live grid and home figures are made up from production alone there."""
    registry = er.async_get(hass)
    serial = simulator.serial
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_site_grid_power") is None
    assert (
        registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_site_consumption_power") is None
    )
    assert float(_state(hass, "site_production_power", serial)) > 0


@pytest.mark.usefixtures("stream_port")
@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_a_poll_does_not_read_live_data_while_the_stream_delivers_it(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    feed = _feed(setup_entry)
    await _until(lambda: feed.stream_live() is not None, "the stream")
    simulator.advance(300)
    await setup_entry.runtime_data.poll.async_refresh()
    await hass.async_block_till_done()
    assert "livedata" not in setup_entry.runtime_data.client.last_raw_responses
    data = setup_entry.runtime_data.poll.data
    assert data.live is not None  # the stream's, for the PVS clock and the site power
    assert data.live.time is not None


@pytest.mark.parametrize("sim_config", [SUNVAULT])
async def test_without_the_stream_a_poll_reads_live_data(
    hass: HomeAssistant, setup_entry: MockConfigEntry, simulator: Simulator
) -> None:
    assert _feed(setup_entry).stream_live() is None  # the stream's port is closed here
    simulator.advance(300)
    await setup_entry.runtime_data.poll.async_refresh()
    await hass.async_block_till_done()
    assert "livedata" in setup_entry.runtime_data.client.last_raw_responses
