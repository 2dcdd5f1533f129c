"""A simulated day: polls follow the PVS's 5-minute refresh, within the request limits."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
import itertools
from typing import Any
from unittest.mock import patch

import pytest

from custom_components.sunpower_pvs.cadence import data_time
from custom_components.sunpower_pvs.pvs import PVSClient
from custom_components.sunpower_pvs.pvs.localapi import (
    DEVICES_QUERY,
    LIVEDATA_QUERY,
    LocalApiTransport,
)
from pvs_simulator import SimulatorConfig

from .rig import AFTERNOON, Rig

DAY = timedelta(hours=24)
FRESH_WITHIN = timedelta(seconds=60)


def _requests(stats: dict[str, Any], endpoint: str) -> int:
    return int(stats["endpoints"].get(endpoint, {}).get("requests", 0))


@pytest.mark.parametrize(
    "sim_config",
    [
        SimulatorConfig(profile="typical", firmware=firmware, speed=0.0, start=AFTERNOON, seed=1)
        for firmware in ("legacy", "localapi")
    ],
    ids=["legacy", "localapi"],
)
async def test_a_day_of_polling_is_gentle_and_fresh(rig: Rig) -> None:
    polls = 0
    queries: Counter[str] = Counter()
    original_poll = PVSClient.poll
    original_query = LocalApiTransport.query

    async def counted_poll(client: PVSClient, **kwargs: Any) -> Any:
        nonlocal polls
        polls += 1
        return await original_poll(client, **kwargs)

    async def counted_query(transport: LocalApiTransport, query: str, what: str) -> Any:
        queries[query] += 1
        return await original_query(transport, query, what)

    stats_before = rig.sim.stats
    started = rig.sim.now
    stamps: list[tuple[Any, Any]] = []
    with (
        patch.object(PVSClient, "poll", counted_poll),
        patch.object(LocalApiTransport, "query", counted_query),
    ):
        while rig.sim.now - started < DAY:
            await rig.poll()
            data = rig.coordinator.data
            stamps.append((data.device_time, data_time(data)))
    stats = rig.sim.stats
    hours = (rig.sim.now - started) / timedelta(hours=1)
    assert all(rig.outcomes)

    heavy_per_hour = polls / hours
    assert heavy_per_hour <= 13
    if rig.coordinator.generation and rig.coordinator.generation.value == "legacy":
        device_lists = _requests(stats, "DeviceList") - _requests(stats_before, "DeviceList")
        assert device_lists == polls
    else:
        assert queries[DEVICES_QUERY] == polls
        # live data rides along with each poll: far below one query per 15 s
        assert queries[LIVEDATA_QUERY] / hours <= 3600 / 15

    # every new data set reached Home Assistant within a minute of its time stamp
    new_sets = [
        (seen, stamp)
        for (seen, stamp), (_, before) in zip(stamps[1:], stamps, strict=False)
        if stamp != before
    ]
    assert len(new_sets) >= 0.9 * len(stamps) * 0.5  # the sun is up for about half the day
    assert all(seen - stamp <= FRESH_WITHIN for seen, stamp in new_sets)
    # and no data set was skipped while the sun was up
    gaps = [later - earlier for (_, earlier), (_, later) in itertools.pairwise(new_sets)]
    assert sum(gap == timedelta(minutes=5) for gap in gaps) >= 0.9 * len(gaps)


@pytest.mark.parametrize(
    "sim_config",
    [
        SimulatorConfig(profile="typical", firmware=firmware, speed=0.0, start=AFTERNOON, seed=1)
        for firmware in ("legacy", "localapi")
    ],
    ids=["legacy", "localapi"],
)
async def test_after_an_outage_no_data_set_is_skipped(rig: Rig) -> None:
    rig.sim.add_fault("reboot=900")
    stamps = []
    for _ in range(30):  # bounded: the outage, the back-off and an hour after it
        await rig.poll()
        if rig.coordinator.health.consecutive_failures == 0:
            stamps.append(data_time(rig.coordinator.data))
    assert not all(rig.outcomes)  # the outage was seen
    # every set from the first one read after the outage on
    sets = sorted({stamp for stamp in stamps if stamp is not None})
    gaps = [later - earlier for earlier, later in itertools.pairwise(sets)]
    assert len(gaps) >= 10
    assert all(gap == timedelta(minutes=5) for gap in gaps), gaps
