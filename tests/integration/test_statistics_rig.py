"""Proof of the statistics rig: a simulated day's hourly sums match the simulator's truth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun import api as freezegun_api
from homeassistant.components.recorder.core import Recorder
from homeassistant.core import HomeAssistant
import pytest

from pvs_simulator import SimulatorConfig

from .statistics_rig import (  # noqa: F401 - fixtures
    RECORD_ENERGY_ONLY,
    TOLERANCE,
    StatisticsRig,
    Truth,
    compile_statistics,
    daily,
    hourly_changes,
    meter_truth,
    negative_changes,
    recorder_before_hass,
    stats_rig_fixture,
    truth_hourly,
    worst_error,
)

# Night in California: the day's production starts a few hours in.
START = datetime(2026, 6, 21, 6, 0, tzinfo=UTC)


@pytest.fixture
def sim_config() -> SimulatorConfig:
    return SimulatorConfig(profile="typical", firmware="localapi", speed=0.0, start=START, seed=1)


@pytest.fixture
def recorder_config() -> dict[str, Any]:
    """Record the energy sensors only: the rest would double the run time."""
    return RECORD_ENERGY_ONLY


def _meter_truths(rig: StatisticsRig) -> dict[str, Truth]:
    installation = rig.sim.unit.installation
    production = installation.production_meter  # its lifetime counter is "net" energy
    production_base = installation.production_base_kwh
    import_base = installation.import_base_kwh
    return {
        rig.entity_id(f"{production}_net_energy"): meter_truth(
            lambda t: production_base + t.pv_kwh
        ),
        rig.entity_id("c_positive_energy"): meter_truth(lambda t: import_base + t.import_kwh),
    }


async def _compare(rig: StatisticsRig, truths: dict[str, Truth], end: datetime) -> None:
    hass = rig.hass
    await compile_statistics(hass, START, end)
    ha = await hourly_changes(hass, truths, START, end)
    truth = truth_hourly(rig.samples, truths, START, end)
    for statistic_id, expected in truth.items():
        assert sum(expected.values()) > 1.0, statistic_id  # energy flowed: not a 0 == 0 pass
        assert not negative_changes(ha[statistic_id]), statistic_id
        worst = worst_error(ha[statistic_id], expected)
        assert worst.error <= TOLERANCE, (statistic_id, worst)
        assert worst_error(daily(ha[statistic_id]), daily(expected)).error <= TOLERANCE


@pytest.mark.freeze_time(START)
async def test_a_day_of_hourly_sums_matches_the_simulator(
    recorder_mock: Recorder, hass: HomeAssistant, stats_rig: StatisticsRig
) -> None:
    started = freezegun_api.real_perf_counter()
    end = START + timedelta(days=1)
    await stats_rig.run_until(end)
    ran = freezegun_api.real_perf_counter() - started
    truths = _meter_truths(stats_rig)
    await _compare(stats_rig, truths, end)
    print(  # wall time per simulated day, seen with -s
        f"1 simulated day: {len(stats_rig.samples)} polls in {ran:.1f} s, "
        f"statistics in {freezegun_api.real_perf_counter() - started - ran:.1f} s"
    )

    # The comparison must be able to fail: the truth an hour late is far off in daylight.
    ha = await hourly_changes(hass, truths, START, end)
    production = next(iter(truths))
    expected = truth_hourly(stats_rig.samples, truths, START, end)[production]
    shifted = {hour + timedelta(hours=1): change for hour, change in expected.items()}
    assert worst_error(ha[production], shifted).error > TOLERANCE


@pytest.mark.freeze_time(START)
async def test_restart_and_reboot_keep_the_sums(
    recorder_mock: Recorder, hass: HomeAssistant, stats_rig: StatisticsRig
) -> None:
    await stats_rig.run_until(START + timedelta(hours=10))  # 03:00 PDT, producing by 06:00
    await stats_rig.restart(timedelta(minutes=17))
    gap = stats_rig.samples[-1].time - stats_rig.samples[-2].time
    assert gap >= timedelta(minutes=17)  # Home Assistant was down, no states meanwhile
    await stats_rig.run_until(START + timedelta(hours=13))
    stats_rig.fault("reboot=900")
    await stats_rig.run_until(START + timedelta(hours=16))
    assert stats_rig.failed_polls > 0  # the reboot was seen
    await _compare(stats_rig, _meter_truths(stats_rig), stats_rig.now)
