"""When to poll next: once per PVS refresh, just after new data appears; back off on failure.

The PVS refreshes its per-device data every 5 minutes and stamps it (DATATIME / msmtEps).
Polling faster brings nothing new and only loads the box, so the owner's interval can make
polls rarer but never more frequent than the refresh. Times are the PVS's own clock
(``PVSData.device_time``), so a skew between the PVS and Home Assistant does not matter.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import random

from .pvs import PVSData

REFRESH = timedelta(minutes=5)
# How long after its time stamp a new data set is surely readable.
SETTLE = timedelta(seconds=10)
# When the expected data set is late, look once more after this long.
LATE_RETRY = timedelta(seconds=30)
# Back-off after failures: doubling from the first, capped at one refresh so that polling
# resumes within one cadence step once the PVS answers again.
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_CAP = REFRESH


def data_time(data: PVSData) -> datetime | None:
    """The time stamp of the newest per-device data set: inverters, else meters."""
    for devices in (data.inverters.values(), data.meters.values()):
        stamps = [device.last_report for device in devices if device.last_report is not None]
        if stamps:
            return max(stamps)
    return data.supervisor.last_report


def next_poll_delay(
    data: PVSData, interval: timedelta, previous_stamp: datetime | None
) -> tuple[timedelta, bool]:
    """Delay until the next heavy poll, and whether it is a one-off look for late data.

    ``interval`` is the owner's polling interval; ``previous_stamp`` the data time stamp of
    the poll before this one, or None when that poll was itself a late-data look (so there
    is never more than one per refresh).
    """
    stamp = data_time(data)
    now = data.device_time
    if now is None:
        return interval, False
    if stamp is not None:
        # The owner's interval spaces the data sets read, not the polls: a poll that came
        # late in a refresh (the first one after an outage) still reads the next set.
        due = stamp + _periods(interval) * REFRESH + SETTLE - now
        if due > timedelta(0):
            return due, False
        # The set we expected is not there yet: look once more shortly.
        late_by = now - (stamp + REFRESH)
        if previous_stamp is not None and stamp == previous_stamp and late_by < REFRESH:
            return LATE_RETRY, True
    # No recent stamp (inverters asleep, a stalled PVS): the PVS refreshes on 5-minute marks
    # of its clock, so aim just after the next one; the first set at sunrise is then fresh.
    seconds = REFRESH.total_seconds()
    epoch = now.timestamp()
    due = timedelta(seconds=(epoch // seconds + 1) * seconds - epoch) + SETTLE
    return _stretched(due, interval), False


def _periods(interval: timedelta) -> int:
    """Refresh periods between the data sets read at the owner's interval (at least one)."""
    periods = 1
    while periods * REFRESH < interval - REFRESH / 5:
        periods += 1
    return periods


def _stretched(due: timedelta, interval: timedelta) -> timedelta:
    """Whole refresh periods later when the owner polls less often than the PVS refreshes."""
    while due < interval - REFRESH / 5:
        due += REFRESH
    return due


def backoff_delay(failures: int, rng: random.Random) -> timedelta:
    """Jittered exponential back-off after ``failures`` consecutive failed polls."""
    base: timedelta = min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_CAP)
    return base * rng.uniform(0.8, 1.0)
