"""A glitch to 0 and a spike of a million kWh never show on any energy sensor.

Every energy register of every device kind (production and consumption meter, an
inverter, the SunVault) reads 0 for one poll and a million kWh more for another, on a site
running through Home Assistant with the recorder on. No energy sensor of the integration,
site or device, may show either: no hour beyond what the site can physically move, none
negative but where a register really runs both ways (a grid meter's net energy).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.recorder.core import Recorder
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
import pytest

from pvs_simulator import SimulatorConfig

from .statistics_rig import (  # noqa: F401 - fixtures
    HOUR,
    RECORD_ENERGY_ONLY,
    StatisticsRig,
    compile_statistics,
    hourly_changes,
    negative_changes,
    recorder_before_hass,
    stats_rig_fixture,
)
from .test_energy_gaps import START, energy_sensors, physical_max_kwh


@pytest.fixture
def recorder_config() -> dict[str, Any]:
    return RECORD_ENERGY_ONLY


GLITCH_SITES = [
    SimulatorConfig(profile="sunvault", firmware="localapi", speed=0.0, start=START, seed=2),
    SimulatorConfig(profile="typical", firmware="legacy", speed=0.0, start=START, seed=2),
]


def _shown(rig: StatisticsRig, sensors: list[str]) -> dict[str, float]:
    """What each energy sensor shows now (those with a number)."""
    shown: dict[str, float] = {}
    for entity_id in sensors:
        state = rig.hass.states.get(entity_id)
        if state is not None and state.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE):
            shown[entity_id] = float(state.state)
    return shown


async def _run_watching(
    rig: StatisticsRig, until: datetime, sensors: list[str], profile: str
) -> None:
    """Poll until ``until``; no sensor's state may move more than its device can between polls."""
    before, then = _shown(rig, sensors), rig.now
    while rig.now < until:
        await rig.poll()
        now, hours = _shown(rig, sensors), (rig.now - then).total_seconds() / 3600
        for entity_id, value in now.items():
            if entity_id not in before:
                continue
            change = value - before[entity_id]
            limit = physical_max_kwh(profile, entity_id) * max(hours, 5 / 60) + 0.05
            assert abs(change) <= limit, (entity_id, before[entity_id], value, rig.now)
            if not entity_id.endswith("_lifetime_net_energy"):
                assert change >= -0.005, (entity_id, before[entity_id], value, rig.now)
        before, then = now, rig.now


@pytest.mark.parametrize("sim_config", GLITCH_SITES, ids=["sunvault-localapi", "typical-legacy"])
@pytest.mark.freeze_time(START)
async def test_a_glitch_to_zero_and_a_spike_never_show_on_any_energy_sensor(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    stats_rig: StatisticsRig,
    sim_config: SimulatorConfig,
) -> None:
    installation = stats_rig.sim.unit.installation
    devices = [
        installation.production_meter,
        installation.consumption_meter,
        installation.inverters[0].serial,
        installation.ess_serial,
    ]
    await stats_rig.run_until(START + timedelta(hours=4))
    sensors = energy_sensors(stats_rig)
    kinds = {entity_id.rsplit("_", 2)[-2] for entity_id in sensors}
    assert any(entity_id.endswith("_lifetime_net_energy") for entity_id in sensors), kinds
    compare_from = stats_rig.now.replace(minute=0, second=0, microsecond=0) + HOUR
    for serial in filter(None, devices):
        # the glitched poll the last of an hour, so the hour's statistics would carry it
        next_hour = stats_rig.now.replace(minute=0, second=0, microsecond=0) + HOUR
        profile = sim_config.profile
        await _run_watching(stats_rig, next_hour - timedelta(minutes=6), sensors, profile)
        stats_rig.fault(f"counter_zero={serial},count=1")
        await _run_watching(stats_rig, next_hour + timedelta(minutes=54), sensors, profile)
        stats_rig.fault(f"counter_jump={serial},kwh=1000000,count=1")
        await _run_watching(stats_rig, next_hour + timedelta(minutes=70), sensors, profile)
    end = stats_rig.now.replace(minute=0, second=0, microsecond=0)

    await compile_statistics(hass, START, end)
    ha = await hourly_changes(hass, sensors, compare_from, end)
    for entity_id, changes in ha.items():
        limit = physical_max_kwh(sim_config.profile, entity_id)
        assert all(abs(change) <= limit for change in changes.values()), (entity_id, changes)
        if not entity_id.endswith("_lifetime_net_energy"):
            assert not negative_changes(changes), (entity_id, negative_changes(changes))
