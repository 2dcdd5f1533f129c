"""Simulated days through Home Assistant with the recorder on, against the simulator's truth.

Home Assistant's clock (freezegun) follows the simulator's, so recorded states carry
simulated time stamps and the recorder compiles long-term statistics over simulated hours.
Mark the test ``@pytest.mark.freeze_time(<the simulator's start>)`` so Home Assistant and
the recorder start on simulated time: moving the clock back to it later would put the
recorder's run start after every state. Import the fixtures into the test module::

    from .statistics_rig import recorder_before_hass, stats_rig_fixture  # noqa: F401

    @pytest.mark.freeze_time(START)
    async def test_x(recorder_mock: Recorder, hass: HomeAssistant, stats_rig: StatisticsRig):
        await stats_rig.run_until(START + timedelta(days=1))
        await compile_statistics(hass, START, stats_rig.now)
        ha = await hourly_changes(hass, {entity_id}, START, stats_rig.now)
        truth = truth_hourly(stats_rig.samples, {entity_id: meter_truth(fn)}, START, ...)

A ``recorder_config`` fixture returning ``RECORD_ENERGY_ONLY`` halves the run time.

Frozen time freezes the event loop's timers too: nothing timed fires (request timeouts,
sleeps) until the clock moves, so waits are bounded in real time instead (``hang`` and
``latency`` faults would only trip that bound).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
import logging
import math
import threading
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder.core import Recorder
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
)
from pytest_homeassistant_custom_component.typing import RecorderInstanceContextManager

from custom_components.sunpower_pvs.const import DOMAIN
from custom_components.sunpower_pvs.coordinator import PollCoordinator
from pvs_simulator import Simulator
from pvs_simulator.site import Reading, Totals

HOUR = timedelta(hours=1)
PERIOD = timedelta(minutes=5)  # the recorder's short-term statistics period
# The meters count in 0.01 kWh: below that a difference is resolution, not error.
ENERGY_FLOOR_KWH = 0.01
TOLERANCE = 0.01
# Real seconds one set-up, poll or unload may take before the test fails instead of hanging.
REAL_TIMEOUT_S = 30.0
# The shortest step the coordinator asks for (late-data look, first back-off) is 24 s.
MIN_STEP = timedelta(seconds=10)
# For a ``recorder_config`` fixture: recording every sensor's states doubles the run time.
RECORD_ENERGY_ONLY: dict[str, Any] = {"include": {"entity_globs": ["sensor.*energy*"]}}
NOISY_LOGGERS = ("sqlalchemy.engine", "homeassistant.components.recorder")


@dataclass(frozen=True, slots=True)
class Sample:
    """A successful poll: Home Assistant's time then and the simulator's data sets it read."""

    time: datetime
    meter: Reading  # 15-second meter refresh: meter counters
    device: Reading  # 5-minute device refresh: inverters, battery
    live: Reading  # the instant: livedata


Truth = Callable[[Sample], float]


def meter_truth(value: Callable[[Totals], float]) -> Truth:
    """A sensor fed by the meter data set (e.g. ``lambda t: base + t.import_kwh``)."""
    return lambda sample: value(sample.meter.totals)


def device_truth(value: Callable[[Totals], float]) -> Truth:
    """A sensor fed by the 5-minute device data set."""
    return lambda sample: value(sample.device.totals)


def live_truth(value: Callable[[Totals], float]) -> Truth:
    """A sensor fed by livedata."""
    return lambda sample: value(sample.live.totals)


@dataclass
class StatisticsRig:
    """Polls on the coordinator's own schedule with both clocks moved together."""

    hass: HomeAssistant
    entry: MockConfigEntry
    sim: Simulator
    freezer: FrozenDateTimeFactory
    samples: list[Sample] = field(default_factory=list)
    failed_polls: int = 0
    refreshes: int = 0

    @property
    def coordinator(self) -> PollCoordinator:
        coordinator: PollCoordinator = self.entry.runtime_data.poll
        return coordinator

    @property
    def now(self) -> datetime:
        return dt_util.utcnow()

    def entity_id(self, unique_id_suffix: str) -> str:
        """The one entity of the entry whose unique id ends with ``unique_id_suffix``."""
        registry = er.async_get(self.hass)
        found = [
            entity.entity_id
            for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id)
            if entity.unique_id.endswith(unique_id_suffix)
        ]
        assert len(found) == 1, (unique_id_suffix, found)
        return found[0]

    def fault(self, spec: str) -> None:
        """Inject a simulator fault (``reboot=900``, ``counter_drop=SERIAL``, ...)."""
        self.sim.add_fault(spec)

    async def start(self) -> None:
        """Set the entry up at the current simulated time."""
        setup = self.hass.config_entries.async_setup(self.entry.entry_id)
        assert await self._bounded(setup, "setup")
        await self.hass.async_block_till_done()
        # Refreshes, however started, tell the listeners: counting them catches a double poll.
        self.entry.async_on_unload(self.coordinator.async_add_listener(self._count_refresh))
        self._sample()

    async def poll(self) -> None:
        """Wait as long as the coordinator asks, then poll."""
        interval = self.coordinator.update_interval
        assert interval is not None
        assert MIN_STEP <= interval <= 2 * HOUR, interval
        self._move(interval)
        await self.hass.async_block_till_done()  # timers now due (live feed) run first
        refreshes = self.refreshes
        await self._bounded(self.coordinator.async_refresh(), "poll")
        await self.hass.async_block_till_done()
        # Listeners hear every refresh but repeated failures: more than one is a second poll.
        assert self.refreshes <= refreshes + 1, "polled twice: is Home Assistant's timer on?"
        self._sample()

    async def run_until(self, end: datetime) -> None:
        """Poll until simulated time reaches ``end`` (the last poll may pass it)."""
        for _ in range(math.ceil((end - self.now) / MIN_STEP) + 1):
            if self.now >= end:
                return
            await self.poll()
        raise AssertionError(f"still short of {end} at {self.now}")

    async def restart(self, offline: timedelta) -> None:
        """Home Assistant stops, stays down for ``offline``, and starts again."""
        unload = self.hass.config_entries.async_unload(self.entry.entry_id)
        assert await self._bounded(unload, "unload")
        await self.hass.async_block_till_done()
        self._move(offline)
        await self.start()

    def _move(self, delta: timedelta) -> None:
        self.sim.advance(delta.total_seconds())
        self.freezer.move_to(self.sim.now)

    @callback
    def _count_refresh(self) -> None:
        self.refreshes += 1

    def _sample(self) -> None:
        """Record what the entities show now; a failed poll shows the previous sample."""
        if self.coordinator.health.consecutive_failures or not self.coordinator.last_update_success:
            self.failed_polls += 1
            return
        site = self.sim.unit.site
        self.samples.append(Sample(self.now, site.meter_reading, site.device_reading, site.live))

    async def _bounded[T](self, work: Coroutine[Any, Any, T], what: str) -> T:
        """Await ``work`` with a real-time limit: loop timers do not run on frozen time."""
        task: asyncio.Task[T] = self.hass.async_create_task(work, eager_start=True)
        finished = threading.Event()
        task.add_done_callback(lambda _: finished.set())
        if not await self.hass.async_add_executor_job(finished.wait, REAL_TIMEOUT_S):
            task.cancel()
            raise AssertionError(f"{what} at {self.now} still running after {REAL_TIMEOUT_S} s")
        result: T = task.result()
        return result


@pytest.fixture(name="mock_recorder_before_hass")
def recorder_before_hass(async_test_recorder: RecorderInstanceContextManager) -> None:
    """The recorder's database before ``hass``, which an autouse fixture creates early."""


@pytest.fixture(name="stats_rig")
async def stats_rig_fixture(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    simulator: Simulator,
    freezer: FrozenDateTimeFactory,
    entry_options: dict[str, Any],
) -> AsyncIterator[StatisticsRig]:
    """The simulated PVS set up in Home Assistant at the simulator's start, recorder on."""
    assert dt_util.utcnow() <= simulator.now, "mark the test freeze_time(<simulator start>)"
    freezer.move_to(simulator.now)
    # Polls are driven by the rig; Home Assistant's own timer would poll a second time.
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=simulator.serial,
        data={CONF_HOST: simulator.host},
        options=entry_options,
        pref_disable_polling=True,
    )
    entry.add_to_hass(hass)
    # The test harness logs every SQL statement; over simulated days that is most of the time.
    levels = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    rig = StatisticsRig(hass, entry, simulator, freezer)
    await rig.start()
    yield rig
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


# Ground truth, the way the recorder samples it.


def truth_hourly(
    samples: list[Sample], truths: Mapping[str, Truth], start: datetime, end: datetime
) -> dict[str, dict[datetime, float]]:
    """Per statistic id and hour in [start, end): the change the recorder should report.

    The sum of hour H is the last state in H minus the last state before H (the first
    state ever when there is none), and a sensor shows the last successful poll's data.
    """
    result: dict[str, dict[datetime, float]] = {}
    for statistic_id, truth in truths.items():

        def value_before(moment: datetime, truth: Truth = truth) -> float:
            shown = [sample for sample in samples if sample.time < moment] or samples[:1]
            return truth(shown[-1])

        result[statistic_id] = {
            hour: value_before(hour + HOUR) - value_before(hour) for hour in hours(start, end)
        }
    return result


def hours(start: datetime, end: datetime) -> list[datetime]:
    """The whole UTC hours from the one holding ``start`` up to ``end`` (exclusive)."""
    first = start.replace(minute=0, second=0, microsecond=0)
    return [first + n * HOUR for n in range(int((end - first) / HOUR))]


# Home Assistant's long-term statistics.


async def compile_statistics(hass: HomeAssistant, start: datetime, end: datetime) -> None:
    """Compile every 5-minute period between start and end, in order (hours at :55)."""
    period = start.replace(minute=start.minute - start.minute % 5, second=0, microsecond=0)
    while period + PERIOD <= end:
        do_adhoc_statistics(hass, start=period)  # the recorder runs its queue in order
        period += PERIOD
    await async_wait_recording_done(hass)


async def hourly_changes(
    hass: HomeAssistant, statistic_ids: Iterable[str], start: datetime, end: datetime
) -> dict[str, dict[datetime, float]]:
    """Per statistic id and hour in [start, end): the change of ``sum`` over that hour."""
    ids = set(statistic_ids)
    first = start.replace(minute=0, second=0, microsecond=0)
    query = partial(statistics_during_period, hass, first - HOUR, end, ids, "hour", None, {"sum"})
    rows = await get_instance(hass).async_add_executor_job(query)
    result: dict[str, dict[datetime, float]] = {}
    for statistic_id in ids:
        sums = {
            dt_util.utc_from_timestamp(row["start"]): row.get("sum") or 0.0
            for row in rows.get(statistic_id, [])
        }
        # An hour without a row kept the sum of the hour before.
        previous = sums.get(first - HOUR, 0.0)
        changes: dict[datetime, float] = {}
        for hour in hours(start, end):
            current = sums.get(hour, previous)
            changes[hour] = current - previous
            previous = current
        result[statistic_id] = changes
    return result


def daily(changes: Mapping[datetime, float]) -> dict[date, float]:
    """Hourly changes summed per local day (the energy dashboard's days)."""
    days: dict[date, float] = {}
    for hour, change in changes.items():
        day = dt_util.as_local(hour).date()
        days[day] = days.get(day, 0.0) + change
    return days


# Checks.


def negative_changes[K](changes: Mapping[K, float]) -> dict[K, float]:
    """Periods whose sum went down (a counter dip read as a reset, a glitch let through)."""
    return {key: change for key, change in changes.items() if change < -1e-9}


@dataclass(frozen=True, slots=True)
class Worst[K]:
    """The period furthest from the truth; ``error`` <= TOLERANCE passes."""

    error: float  # relative, after the absolute floor; 0 within it
    key: K | None
    ha: float
    truth: float


def worst_error[K](
    ha: Mapping[K, float], truth: Mapping[K, float], floor: float = ENERGY_FLOOR_KWH
) -> Worst[K]:
    """Worst excess of |ha - truth| over ``floor``, relative to truth.

    ``error <= 0.01`` is ``|ha - truth| <= 1 % * truth + floor``. A period the truth has and
    Home Assistant lacks counts as 0 there.
    """
    worst: Worst[K] = Worst(0.0, None, 0.0, 0.0)
    for key, expected in truth.items():
        got = ha.get(key, 0.0)
        excess = max(0.0, abs(got - expected) - floor)
        if excess == 0.0:
            continue
        error = excess / abs(expected) if expected else math.inf
        if error > worst.error:
            worst = Worst(error, key, got, expected)
    return worst
