"""The cadence rules on their own: aligned to the data, to the clock when data is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.sunpower_pvs.cadence import (
    BACKOFF_CAP,
    LATE_RETRY,
    REFRESH,
    SETTLE,
    backoff_delay,
    next_poll_delay,
)
from custom_components.sunpower_pvs.pvs import Generation, Inverter, PVSData, Supervisor

FIVE_PAST = datetime(2026, 6, 21, 20, 5, tzinfo=UTC)
DEFAULT = timedelta(minutes=5)


def _data(now: datetime, stamp: datetime | None) -> PVSData:
    inverter = Inverter(serial="E1", device_type="Inverter", last_report=stamp)
    return PVSData(
        generation=Generation.LEGACY,
        supervisor=Supervisor(serial="ZT1", device_type="PVS"),
        inverters={"E1": inverter} if stamp else {},
        device_time=now,
    )


def test_the_next_poll_lands_just_after_the_next_data_set() -> None:
    data = _data(FIVE_PAST + timedelta(seconds=40), FIVE_PAST)
    assert next_poll_delay(data, DEFAULT, None) == (REFRESH + SETTLE - timedelta(seconds=40), False)


def test_a_longer_interval_skips_whole_refreshes_and_a_shorter_one_cannot_speed_up() -> None:
    data = _data(FIVE_PAST + timedelta(seconds=40), FIVE_PAST)
    aligned = REFRESH + SETTLE - timedelta(seconds=40)
    assert next_poll_delay(data, timedelta(minutes=10), None)[0] == aligned + REFRESH
    assert next_poll_delay(data, timedelta(minutes=2), None)[0] == aligned


def test_a_poll_late_in_a_refresh_still_reads_the_next_data_set() -> None:
    """The first poll after an outage can come at any time: the next set is not skipped."""
    recovered = _data(FIVE_PAST + timedelta(minutes=1, seconds=26), FIVE_PAST)
    next_set = REFRESH + SETTLE - timedelta(minutes=1, seconds=26)
    assert next_poll_delay(recovered, DEFAULT, None) == (next_set, False)
    assert next_poll_delay(recovered, timedelta(minutes=10), None)[0] == next_set + REFRESH


def test_a_late_data_set_gets_one_more_look() -> None:
    late = _data(FIVE_PAST + REFRESH + SETTLE, FIVE_PAST)
    assert next_poll_delay(late, DEFAULT, FIVE_PAST) == (LATE_RETRY, True)
    # never two looks in a row: after a look, wait for the clock's next 5-minute mark
    assert next_poll_delay(late, DEFAULT, None) == (REFRESH, False)  # 20:15:10


def test_stale_data_aims_at_the_clocks_next_five_minute_mark() -> None:
    night = _data(FIVE_PAST + timedelta(hours=3, seconds=37), FIVE_PAST)
    assert next_poll_delay(night, DEFAULT, FIVE_PAST) == (
        timedelta(seconds=300 - 37) + SETTLE,
        False,
    )


def test_backoff_doubles_with_jitter_and_stays_within_one_refresh() -> None:
    class Fixed:
        def uniform(self, low: float, high: float) -> float:
            return high

    delays = [backoff_delay(failures, Fixed()) for failures in range(1, 8)]  # type: ignore[arg-type]
    assert delays[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert all(delay <= BACKOFF_CAP for delay in delays)
