"""The site's past day: run through by the simulator, put into Home Assistant's statistics.

An owner's Home Assistant has history: yesterday's production curve in the graphs, today's
energy on the Energy dashboard. A fresh demo has none, so:

1. The simulator starts at the site's start (the top of the hour 24 hours before the first
   run; later runs of the same configuration keep it, so the counters run on) and, as soon as
   it answers, its clock is moved on to the real now (``POST /_sim/advance``): its counters,
   battery and clock are those of a site that has been running, and every time stamp it sends
   is your clock's (nothing "in 9 hours").
2. The same run is computed here with the simulator's own model (same profile, seed and
   start), and once the integration's sensors are recorded, the hours of the past day before
   each sensor's first state are imported as long-term statistics
   (``recorder/import_statistics``, source ``recorder``, statistic id = entity id): mean / min
   / max for the site's power sensors and each inverter's power, state / sum for the site's
   energy counters.

Home Assistant's own statistics of a counter start at ``sum`` 0 with its first recorded
state, so an imported hour's sum is its state minus that first state (negative before it),
and its state is the first state less the energy the model made between the two: the
hourly changes are the model's, and the sums run on into Home Assistant's without a step.
Only sensors without long-term statistics before their first state get any (a fresh site).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import time

import aiohttp

from .common import numeric
from .ha_client import Rest, WebSocket
from .processes import SimulatorSpec
from .sim_model import run_model
from .site import Site
from .statistics import HOUR, Series, mean_rows, series_for, sum_rows, top_of_hour, whole_hours

DAY = timedelta(days=1)
RECORDED_WAIT_S = 20.0  # the recorder commits every 5 s (configuration.yaml)


def past_day_start(now: datetime) -> datetime:
    """The top of the hour 24 hours before now's: where the simulated day begins."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) - DAY


async def catch_up(session: aiohttp.ClientSession, pvs_url: str) -> float:
    """Move the simulator's clock on to the real now; the simulated seconds it moved."""
    async with session.get(f"{pvs_url}/_sim/stats") as resp:
        resp.raise_for_status()
        simulated = datetime.fromisoformat((await resp.json())["simulated_time"])
    seconds = max(0.0, (datetime.now(UTC) - simulated).total_seconds())
    url = f"{pvs_url}/_sim/advance"
    async with session.post(url, params={"seconds": f"{seconds:.3f}"}) as resp:
        resp.raise_for_status()
    return seconds


async def first_states(
    ws: WebSocket, entity_ids: list[str], since: datetime
) -> dict[str, tuple[float, float]]:
    """Each entity's first numeric recorded state since since: (epoch, value)."""
    history = await ws.call(
        "history/history_during_period",
        start_time=since.isoformat(),
        entity_ids=entity_ids,
        minimal_response=True,
        no_attributes=True,
        significant_changes_only=False,
    )
    first: dict[str, tuple[float, float]] = {}
    for entity_id, states in history.items():
        for item in states:
            state = item.get("s", item.get("state"))
            stamp = item.get("lu") or item.get("lc")
            if stamp is None and "last_updated" in item:
                stamp = datetime.fromisoformat(item["last_updated"]).timestamp()
            if numeric(state) and stamp is not None:
                first[entity_id] = (float(stamp), float(state))
                break
    return first


async def has_statistics_before(
    ws: WebSocket, statistic_ids: list[str], start: datetime, ends: dict[str, datetime]
) -> set[str]:
    """The statistic ids that already have long-term statistics before their end."""
    found = await ws.call(
        "recorder/statistics_during_period",
        start_time=(start - DAY).isoformat(),
        end_time=max(ends.values()).isoformat(),
        statistic_ids=statistic_ids,
        period="hour",
        types=["mean", "sum"],
    )
    return {
        statistic_id
        for statistic_id, rows in found.items()
        if any(row["start"] / 1000 < ends[statistic_id].timestamp() for row in rows)
    }


class PastDay:
    """The past day's statistics of one site's sensors, imported as each is first recorded."""

    def __init__(self, spec: SimulatorSpec, since: datetime) -> None:
        """The hours from since that the simulator spec ran through (from spec.start on)."""
        self.spec = spec
        self.since = since
        self.pending: list[Series] = []
        self.imported: list[str] = []
        self.kept: list[str] = []

    async def plan(self, ws: WebSocket, site: Site) -> None:
        """Which of the site's sensors the model fills in."""
        states = await ws.call("get_states")
        attributes = {s["entity_id"]: s["attributes"] for s in states if site.has(s["entity_id"])}
        self.pending = series_for(site, attributes)

    async def import_recorded(self, ws: WebSocket) -> None:
        """Import the day for every pending sensor recorded by now; the others stay pending."""
        first = await first_states(ws, [s.entity_id for s in self.pending], self.since)
        recorded = [s for s in self.pending if s.entity_id in first]
        if not recorded:
            return
        self.pending = [s for s in self.pending if s.entity_id not in first]
        ends = {s.entity_id: top_of_hour(first[s.entity_id][0]) for s in recorded}
        known = await has_statistics_before(ws, list(ends), self.since, ends)
        self.kept += [s.entity_id for s in recorded if s.entity_id in known]
        fresh = [s for s in recorded if s.entity_id not in known]
        if not fresh:
            return
        now = datetime.now(UTC)
        samples = await asyncio.to_thread(run_model, self.spec, self.spec.start, now, self.since)
        for s in fresh:
            hours = whole_hours(self.since, ends[s.entity_id])
            rows = (
                sum_rows(samples, hours, s.value, first[s.entity_id])
                if s.counter
                else mean_rows(samples, hours, s.value)
            )
            if rows:
                await ws.call("recorder/import_statistics", metadata=s.metadata, stats=rows)
            self.imported.append(s.entity_id)

    async def import_now(self, ws: WebSocket, wait_s: float = RECORDED_WAIT_S) -> None:
        """Import what is recorded, waiting (bounded) for the recorder's next commits."""
        deadline = time.monotonic() + wait_s
        await self.import_recorded(ws)
        while self.pending and time.monotonic() < deadline:
            await asyncio.sleep(2)
            await self.import_recorded(ws)
        await self.stored(ws)

    async def stored(self, ws: WebSocket, limit_s: float = RECORDED_WAIT_S) -> bool:
        """Wait (bounded) until the recorder has written what was imported (it queues it)."""
        deadline = time.monotonic() + limit_s
        while self.imported:
            found = await ws.call(
                "recorder/statistics_during_period",
                start_time=self.since.isoformat(),
                end_time=(self.since + HOUR).isoformat(),
                statistic_ids=self.imported,
                period="hour",
                types=["mean", "sum"],
            )
            if all(found.get(statistic_id) for statistic_id in self.imported):
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(1)
        return True

    async def follow(self, ws: WebSocket, limit_s: float, every_s: float = 20) -> None:
        """Keep importing sensors that get their first value later (bounded by limit_s)."""
        deadline = time.monotonic() + limit_s
        while self.pending and time.monotonic() < deadline:
            await asyncio.sleep(every_s)
            await self.import_recorded(ws)
        await self.stored(ws)

    def describe(self) -> str:
        """What was done, for scripts/develop's summary."""
        parts = []
        if self.imported:
            parts.append(f"the past day of {len(self.imported)} sensors imported")
        if self.kept:
            parts.append(f"the history of {len(self.kept)} sensors kept from earlier runs")
        if self.pending:
            parts.append(f"{len(self.pending)} more once they have a value")
        return "; ".join(parts) or "nothing to import"


async def forget_history(api: Rest, ws: WebSocket, entity_ids: set[str]) -> None:
    """Clear the statistics and recorded states of entities that went with a replaced site."""
    if not entity_ids:
        return
    ids = sorted(entity_ids)
    await ws.call("recorder/clear_statistics", statistic_ids=ids)
    await api.call(
        "POST", "/api/services/recorder/purge_entities", {"entity_id": ids, "keep_days": 0}
    )
