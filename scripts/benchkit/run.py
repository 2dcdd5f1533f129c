"""One run: one site, one firmware generation, one fresh Home Assistant, one simulated stretch.

1. Set up the entry against the site (the first poll included).
2. Steady state: each refresh is started by the poll coordinator's own timer, after the delay
   it asked for (``update_interval``), counted from the end of the previous poll as Home
   Assistant counts it. The simulated clock moves by that delay plus the time the previous
   poll would have taken on a real unit, so polls drift against the PVS's 5-minute data sets
   as they do at home. Before each refresh, the timers due in between run (the store's
   delayed save).
3. Identical answers: refreshes at the moment of the last poll, every answer the byte-for-byte
   repeat of the last one (a refresh whose data did not change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
import gc
from pathlib import Path
import tempfile
import tracemalloc
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .adapter import DOMAIN, Integration
from .clock import SimulatedTime
from .harness import (
    add_entry,
    entity_entries,
    fire_timers,
    home_assistant,
    remove_entry,
    run_refresh_timer,
    settle,
    utcnow_from,
)
from .measure import Freshness, StateCount, StateMeter, StorageMeter, timed, traced_kib
from .samples import Kind, Memory, RawRun, Refresh, Setup
from .site import Load, Site, SiteSpec

# Timers due up to this long before the next poll run ahead of it (the coordinator's own
# timer is due between 1 s early and 0.5 s late).
AHEAD_OF_POLL_S = 3.0
# A bound on the loop, whatever delays the coordinator asks for.
MAX_REFRESHES = 2000


@dataclass(frozen=True, slots=True, kw_only=True)
class RunPlan:
    """What one run measures."""

    site: SiteSpec
    hours: float
    identical: int
    trace_memory: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Paths:
    """Where the simulator and the bench's own package are imported from."""

    sim_root: Path
    scripts_dir: Path


def on_unit_seconds(device_s: Sequence[float], spacing_s: float) -> float:
    """How long these requests take on a real unit, started ``spacing_s`` apart at least."""
    clock = 0.0
    start = float("-inf")
    for seconds in device_s:
        start = max(clock, start + spacing_s)
        clock = start + seconds
    return clock


def _delay_s(poll: DataUpdateCoordinator[Any]) -> float:
    if poll.update_interval is None:
        raise RuntimeError("the poll coordinator has no update interval")
    return poll.update_interval.total_seconds()


@dataclass(slots=True)
class _Run:
    """The moving parts of one run, once Home Assistant and the site are up."""

    plan: RunPlan
    integration: Integration
    hass: HomeAssistant
    site: Site
    clock: SimulatedTime
    storage: StorageMeter
    refreshes: list[Refresh] = field(default_factory=list)
    unchanged: set[str] = field(default_factory=set)
    # the time the last poll takes on a real unit: the clock moves by it before the next
    pending_s: float = 0.0

    def _on_unit(self, load: Load) -> float:
        return on_unit_seconds(load.device_s, self.integration.query_spacing_s)

    async def _between(self, poll: DataUpdateCoordinator[Any]) -> None:
        """Run what falls due before the next poll (the store's delayed save)."""
        fire_timers(self.hass, max(_delay_s(poll) - AHEAD_OF_POLL_S, 0.0))
        await settle(self.hass)

    async def _refresh(
        self, poll: DataUpdateCoordinator[Any], meter: StateMeter, kind: Kind
    ) -> StateCount:
        """One refresh, started by the coordinator's timer; returns the state writes it made."""
        delay = _delay_s(poll)
        mark = await self.site.mark()
        meter.take()
        with timed() as window:
            run_refresh_timer(poll)
            await settle(self.hass)
        count = meter.take()
        if not poll.last_update_success:
            raise RuntimeError(f"poll failed: {poll.last_exception!r}")
        load = await self.site.load_since(mark)
        if load.requests == 0:
            raise RuntimeError("the poll coordinator's timer did not start a refresh")
        self.pending_s = self._on_unit(load)
        self.unchanged.update(count.unchanged_ids)
        self.refreshes.append(
            Refresh(
                kind=kind,
                delay_s=delay,
                cpu_ms=window.cpu_ms,
                wall_ms=window.wall_ms,
                state_changes=count.changed,
                unchanged_writes=count.unchanged,
                requests=load.requests,
                bytes=load.bytes,
                heavy=load.heavy,
                endpoints=load.endpoints,
                on_unit_s=self.pending_s,
                repeated=load.kept,
            )
        )
        return count

    async def _set_up(self) -> tuple[ConfigEntry, Setup]:
        mark = await self.site.mark()
        with timed() as window:
            entry = await add_entry(self.hass, self.integration, self.site.host, self.site.serial)
        load = await self.site.load_since(mark)
        self.pending_s = self._on_unit(load)
        setup = Setup(
            cpu_ms=window.cpu_ms,
            wall_ms=window.wall_ms,
            requests=load.requests,
            on_unit_s=self.pending_s,
        )
        return entry, setup

    async def _steady(
        self, poll: DataUpdateCoordinator[Any], meter: StateMeter, freshness: Freshness
    ) -> None:
        """Poll at the coordinator's own pace for the planned simulated hours."""
        clock, site = self.clock, self.site
        if self.plan.site.bare:
            # From the first poll on, the front answers from the data set it rendered last.
            await site.keep_answers()
        data_set = clock.data_set
        while len(self.refreshes) < MAX_REFRESHES:
            step = self.pending_s + _delay_s(poll)
            if clock.elapsed + step > self.plan.hours * 3600:
                break
            await self._between(poll)
            await site.advance(step)
            clock.advance(step)
            kind: Kind = "new" if clock.data_set != data_set else "late"
            data_set = clock.data_set
            if self.plan.site.bare and kind == "new":
                await site.render()
            await self._refresh(poll, meter, kind)
            freshness.update(clock.now.timestamp() + self.pending_s)
        await self._between(poll)

    async def _identical(self, poll: DataUpdateCoordinator[Any], meter: StateMeter) -> set[str]:
        """Refreshes whose answers all repeat the last ones; the entities they changed.

        They run at the moment of the last poll: the PVS's clock in the answers, the client's
        and Home Assistant's agree, so whatever changes is the integration's doing.
        """
        await self.site.keep_answers()
        changed: set[str] = set()
        for _ in range(self.plan.identical):
            await self._between(poll)
            changed.update((await self._refresh(poll, meter, "identical")).changed_ids)
        await self._between(poll)
        return changed

    async def measure(self) -> RawRun:
        """Set up, poll for the planned hours, repeat identical answers, unload."""
        plan, hass = self.plan, self.hass
        directory = self.integration.directory
        if plan.trace_memory:
            tracemalloc.start()
        entry, setup = await self._set_up()
        poll = self.integration.poll(entry)
        registered = entity_entries(hass, entry)
        memory_setup = traced_kib(directory) if plan.trace_memory else 0.0
        meter = StateMeter(hass, frozenset(e.entity_id for e in registered))
        freshness = Freshness(lambda: self.integration.inverter_stamps(poll))
        gc.collect()
        writes_from = self.storage.count()
        await self._steady(poll, meter, freshness)
        steady_writes = self.storage.since(writes_from)
        simulated_hours = self.clock.elapsed / 3600
        memory = (
            Memory(after_setup=memory_setup, after_run=traced_kib(directory))
            if plan.trace_memory
            else None
        )
        tracemalloc.stop()

        gc.collect()
        writes_from = self.storage.count()
        identical_changed = await self._identical(poll, meter)
        identical_writes = self.storage.since(writes_from)
        meter.close()
        inverters = len(poll.data.inverters)
        await remove_entry(hass, entry)
        return RawRun(
            profile=plan.site.profile,
            firmware=plan.site.firmware,
            server="bare replay" if plan.site.bare else "simulator",
            inverters=inverters,
            entities=len(registered),
            enabled=sum(e.disabled_by is None for e in registered),
            simulated_hours=simulated_hours,
            setup=setup,
            refreshes=self.refreshes,
            steady_writes=steady_writes,
            identical_writes=identical_writes,
            identical_changed=sorted(identical_changed),
            unchanged_written=sorted(self.unchanged),
            freshness_s=freshness.samples,
            memory_kib=memory,
        )


async def run_site(plan: RunPlan, integration: Integration, paths: Paths) -> RawRun:
    """A fresh site, a fresh Home Assistant on a config folder of its own, one run."""
    clock = SimulatedTime(plan.site.start)
    storage = StorageMeter(f"{DOMAIN}.")
    with tempfile.TemporaryDirectory(prefix="sunpower-bench-") as folder:
        work = Path(folder)
        async with Site(plan.site, paths.sim_root, paths.scripts_dir, work) as site:
            with (
                storage.observing(),
                integration.client_with(clock.monotonic),
                utcnow_from(clock.utcnow),
            ):
                async with home_assistant(work / "config") as hass:
                    run = _Run(plan, integration, hass, site, clock, storage)
                    return await run.measure()
