"""Benchmark: cost per poll inside Home Assistant and load on the PVS (issue 10).

Runs the integration inside a real Home Assistant core (the test harness's
``async_test_home_assistant``, custom integrations enabled) against the in-process PVS
simulator, for several site sizes and both firmware generations, over a simulated day.
Writes ``bench.json`` and ``bench.md`` to ``--out`` (default ``out/bench/``).

The simulator's clock is frozen and moved by the bench: the coordinator is refreshed at its
``update_interval`` measured, like Home Assistant does, from the end of the previous poll. How
long a poll takes on a real unit is modelled from the simulator's latency model plus the
client's spacing between queries, so poll times drift against the PVS's 5-minute refresh as
they do in a real installation. The run fails only if the run itself breaks: no thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
import gc
import json
import logging
import os
from pathlib import Path
import platform
import random
import statistics
import sys
import time
import tracemalloc
from typing import Any, NamedTuple
from unittest.mock import patch

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from aiohttp import ThreadedResolver, web  # noqa: E402
from homeassistant import loader  # noqa: E402
from homeassistant.const import (  # noqa: E402
    CONF_HOST,
    EVENT_STATE_CHANGED,
    __version__ as ha_version,
)
from homeassistant.core import (  # noqa: E402
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import entity_registry as er  # noqa: E402
from homeassistant.helpers.entity import Entity  # noqa: E402

import custom_components.sunpower_pvs as integration  # noqa: E402
from custom_components.sunpower_pvs.const import (  # noqa: E402
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    OPTION_LIVE_FEED,
)
from custom_components.sunpower_pvs.coordinator import PVSCoordinator  # noqa: E402
from custom_components.sunpower_pvs.entity import identity  # noqa: E402
from custom_components.sunpower_pvs.pvs import http as pvs_http  # noqa: E402
from custom_components.sunpower_pvs.pvs.slow_reads import SlowReads  # noqa: E402
from pvs_simulator import Simulator, SimulatorConfig  # noqa: E402
from pvs_simulator.config import Firmware  # noqa: E402
from pvs_simulator.latency import device_seconds  # noqa: E402
from pvs_simulator.pipeline import pvs_behaviour  # noqa: E402
from pvs_simulator.profiles import PROFILES  # noqa: E402

# 11:00 in California on midsummer's day: a simulated day covers a whole daylight and night.
START = datetime(2026, 6, 21, 18, 0, tzinfo=UTC)
# The spacing the client keeps between queries on a real unit (patched to 0 in-process).
REAL_QUERY_SPACING_S = 2.0
INTEGRATION_DIR = str(REPO_ROOT / "custom_components" / "sunpower_pvs")
# A bound on the day's loop, whatever delays the coordinator asks for.
MAX_POLLS_PER_DAY = 2000
FULL_PROFILES = ("small", "typical", "medium", "large")
FIRMWARES: tuple[Firmware, ...] = ("legacy", "localapi")


class Request(NamedTuple):
    """One request the client sent, as the bench keeps it."""

    endpoint: str
    match: bool
    heavy: bool


@dataclass(slots=True)
class Probe:
    """Counters the patched hooks feed while a run is in progress."""

    writes: int = 0
    redundant: int = 0
    state_events: int = 0
    sim_cpu_s: float = 0.0
    # (endpoint, with match=, heavy) per request: the path strings themselves are the
    # client's, and keeping them would count as memory the integration retains.
    paths: list[Request] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    new_reports: list[float] = field(default_factory=list)
    report_entities: set[str] = field(default_factory=set)
    entry_entities: set[str] = field(default_factory=set)


PROBE = Probe()
# The simulated PVS of the run in progress: its clock is the clock of the whole run.
CURRENT: list[Simulator] = []


def sim_utcnow() -> datetime:
    """Home Assistant's ``utcnow`` during a run: the simulated clock."""
    return CURRENT[-1].now if CURRENT else datetime.now(UTC)


def sim_monotonic() -> float:
    """The client's monotonic clock (slow reads) during a run: the simulated clock."""
    return sim_utcnow().timestamp()


@dataclass(frozen=True, slots=True)
class Options:
    """What one bench invocation measures."""

    profiles: tuple[str, ...]
    firmwares: tuple[Firmware, ...]
    hours: float
    memory_hours: float
    seed: int = 1
    trace_frames: int = 1
    # real seconds of each live-feed run (a simulated minute each); 0 leaves it out
    live_seconds: float = 0.0


# Hooks: counted writes, the requests the client sends, the simulator's own CPU.


def _counting_write(original: Callable[[Entity], None]) -> Callable[[Entity], None]:
    def async_write_ha_state(self: Entity) -> None:
        if self.platform is None or self.platform.platform_name != DOMAIN:
            original(self)
            return
        before = self.hass.states.get(self.entity_id) if self.entity_id else None
        original(self)
        PROBE.writes += 1
        PROBE.written.append(self.entity_id)
        after = self.hass.states.get(self.entity_id) if self.entity_id else None
        if (
            before is not None
            and after is not None
            and before.state == after.state
            and before.attributes == after.attributes
        ):
            # Written although nothing an owner or the recorder sees changed.
            PROBE.redundant += 1

    return async_write_ha_state


type GetFn = Callable[..., Awaitable[Any]]


def _recording_get(original: GetFn) -> GetFn:
    async def _get(self: Any, scheme: str, path: str, *args: Any, **kwargs: Any) -> Any:
        endpoint, match = endpoint_of(path)
        PROBE.paths.append(Request(endpoint, match, is_heavy(path)))
        return await original(self, scheme, path, *args, **kwargs)

    return _get


type Middleware = Callable[[web.Request, Callable[..., Any]], Awaitable[web.StreamResponse]]


def _timed_middleware(original: Middleware) -> Middleware:
    @web.middleware
    async def pvs_behaviour(request: web.Request, handler: Any) -> web.StreamResponse:
        started = time.process_time()
        try:
            return await original(request, handler)
        finally:
            PROBE.sim_cpu_s += time.process_time() - started

    return pvs_behaviour


def _plain_resolver(_hass: HomeAssistant) -> ThreadedResolver:
    """A resolver Home Assistant can close at stop (it calls ``real_close`` on its own)."""
    resolver = ThreadedResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    return resolver


@contextmanager
def hooks() -> Iterator[None]:
    """Patch the counting hooks in for the duration of the bench."""
    with ExitStack() as stack:
        stack.enter_context(
            patch("custom_components.sunpower_pvs.connection.MIN_QUERY_INTERVAL", 0.0)
        )
        # No zeroconf (nor network integration) in this bare core: a plain resolver will do,
        # the simulator is addressed by IP.
        stack.enter_context(
            patch(
                "homeassistant.helpers.aiohttp_client._async_make_resolver",
                side_effect=_plain_resolver,
            )
        )
        # Time runs on the simulated clock: the coordinator compares the PVS's clock with
        # utcnow, and the client re-reads slow data by its age.
        stack.enter_context(patch("homeassistant.util.dt.utcnow", sim_utcnow))
        stack.enter_context(patch.object(SlowReads.__init__, "__defaults__", (sim_monotonic,)))
        stack.enter_context(
            patch.object(
                Entity, "async_write_ha_state", _counting_write(Entity.async_write_ha_state)
            )
        )
        stack.enter_context(patch.object(pvs_http.Http, "_get", _recording_get(pvs_http.Http._get)))
        stack.enter_context(
            patch("pvs_simulator.server.pvs_behaviour", _timed_middleware(pvs_behaviour))
        )
        yield


# Requests: names as in the simulator's stats, heavy ones, and how long they take on a unit.


def endpoint_of(path: str) -> tuple[str, bool]:
    """The simulator's endpoint name of a request path, and whether it carries ``match=``."""
    route, _, query = path.partition("?")
    if route == "/cgi-bin/dl_cgi":
        for part in query.split("&"):
            if part.startswith("Command="):
                return part.removeprefix("Command="), False
        return "dl_cgi", False
    if route.startswith("/cgi-bin/dl_cgi/"):
        return route.removeprefix("/cgi-bin/dl_cgi/"), False
    if route == "/auth":
        return ("auth?logout" if "logout" in query else "auth?login"), False
    if route == "/vars":
        return "vars", "match=" in query
    return route.lstrip("/") or "/", False


def is_heavy(path: str) -> bool:
    """A full device read: DeviceList (legacy), devices/list, or a /sys/devices vars query."""
    endpoint, _ = endpoint_of(path)
    return endpoint in ("DeviceList", "devices/list") or (
        endpoint == "vars" and "match=/sys/devices" in path
    )


def device_duration(paths: list[Request], profile: str, rng: random.Random) -> float:
    """Seconds a real unit takes for these requests, spaced as the client spaces them."""
    clock = 0.0
    start = float("-inf")
    for endpoint, match, _heavy in paths:
        start = max(clock, start + REAL_QUERY_SPACING_S)
        clock = start + device_seconds(endpoint, PROFILES[profile], match=match, rng=rng)
    return clock


# Statistics helpers.


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    """Median (0 for no values)."""
    return statistics.median(values) if values else 0.0


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "platform": platform.platform(),
    }


# One run: one site, one firmware generation, one Home Assistant.


@callback
def _on_state_changed(event: Event[EventStateChangedData]) -> None:
    # A callback: runs in the event loop (a plain function would go to the executor and
    # cost a thread hand-off per state, which is the bench's cost, not the integration's).
    entity_id = event.data["entity_id"]
    if entity_id not in PROBE.entry_entities:
        return
    PROBE.state_events += 1
    new_state = event.data["new_state"]
    if entity_id in PROBE.report_entities and new_state is not None:
        with suppress(ValueError):
            PROBE.new_reports.append(datetime.fromisoformat(new_state.state).timestamp())


@dataclass(slots=True)
class Poll:
    """One coordinator refresh as the bench saw it."""

    cpu_s: float
    sim_cpu_s: float
    writes: int
    state_events: int
    paths: list[Request]
    device_s: float
    written: list[str]


async def _refresh(
    hass: HomeAssistant, coordinator: PVSCoordinator, profile: str, rng: random.Random
) -> Poll:
    PROBE.paths.clear()
    PROBE.written.clear()
    writes, events, sim_cpu = PROBE.writes, PROBE.state_events, PROBE.sim_cpu_s
    started = time.process_time()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    cpu = time.process_time() - started
    if not coordinator.last_update_success:
        raise RuntimeError(f"poll failed: {coordinator.last_exception!r}")
    paths = list(PROBE.paths)
    coordinator._unschedule_refresh()
    return Poll(
        cpu_s=cpu,
        sim_cpu_s=PROBE.sim_cpu_s - sim_cpu,
        writes=PROBE.writes - writes,
        state_events=PROBE.state_events - events,
        paths=paths,
        device_s=device_duration(paths, profile, rng),
        written=list(PROBE.written),
    )


def _next_delay(coordinator: PVSCoordinator) -> float:
    """The delay the coordinator chose for its next poll; the bench runs that poll itself."""
    interval = coordinator.update_interval
    coordinator._unschedule_refresh()
    if interval is None:
        raise RuntimeError("the coordinator has no update interval")
    return interval.total_seconds()


def _traced_kib(snapshot: tracemalloc.Snapshot, *, all_frames: bool) -> float:
    pattern = INTEGRATION_DIR + os.sep + "*"
    filtered = snapshot.filter_traces([tracemalloc.Filter(True, pattern, all_frames=all_frames)])
    return sum(stat.size for stat in filtered.statistics("filename")) / 1024


async def run_site(
    profile: str,
    firmware: Firmware,
    hours: float,
    *,
    memory: bool,
    seed: int = 1,
    trace_frames: int = 1,
) -> dict[str, Any]:
    """Set up the integration in a fresh Home Assistant and poll it for ``hours``."""
    # Imported here, after the integration: `custom_components` is then this repository's.
    from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    rng = random.Random(seed)
    config = SimulatorConfig(
        profile=profile, firmware=firmware, speed=0.0, start=START, latency=False, seed=seed
    )
    result: dict[str, Any] = {"profile": profile, "firmware": firmware, "hours": hours}
    async with Simulator(config) as sim, async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        CURRENT.append(sim)
        PROBE.entry_entities.clear()
        PROBE.report_entities.clear()
        PROBE.new_reports.clear()
        unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, _on_state_changed)
        # The poll path alone: the live feed is measured on its own (run_live).
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="PVS",
            unique_id=sim.serial,
            data={CONF_HOST: sim.host},
            options={OPTION_LIVE_FEED: False},
        )
        entry.add_to_hass(hass)

        marks: dict[str, float] = {}
        setup_entry = integration.async_setup_entry
        first_refresh = PVSCoordinator.async_config_entry_first_refresh

        async def timed_setup_entry(hass: HomeAssistant, entry: Any) -> bool:
            marks["setup_entry"] = time.perf_counter()
            return await setup_entry(hass, entry)

        async def timed_first_refresh(self: PVSCoordinator) -> None:
            await first_refresh(self)
            marks["first_data"] = time.perf_counter()

        if memory:
            gc.collect()
            tracemalloc.start(trace_frames)
        PROBE.paths.clear()
        with (
            patch.object(integration, "async_setup_entry", timed_setup_entry),
            patch.object(PVSCoordinator, "async_config_entry_first_refresh", timed_first_refresh),
        ):
            started = time.perf_counter()
            if not await hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError(f"setup failed: {entry.state}")
            await hass.async_block_till_done()
            set_up = time.perf_counter()
        setup_paths = list(PROBE.paths)
        coordinator: PVSCoordinator = entry.runtime_data
        delay = _next_delay(coordinator)
        result["default_interval_s"] = coordinator.config_entry.options.get(
            "scan_interval", DEFAULT_SCAN_INTERVAL.total_seconds()
        )
        registry = er.async_get(hass)
        entries = er.async_entries_for_config_entry(registry, entry.entry_id)
        PROBE.entry_entities.update(e.entity_id for e in entries)
        report_ids = {
            f"{identity(inverter, coordinator.data)}_last_report"
            for inverter in coordinator.data.inverters.values()
        }
        PROBE.report_entities.update(e.entity_id for e in entries if e.unique_id in report_ids)
        result |= {
            "inverters": len(coordinator.data.inverters),
            "entities": len(entries),
            "entities_with_state": len(
                [e for e in entries if hass.states.get(e.entity_id) is not None]
            ),
            "setup": {
                "to_first_data_wall_ms": (marks["first_data"] - marks["setup_entry"]) * 1000,
                "total_wall_ms": (set_up - started) * 1000,
                "to_first_data_device_s": device_duration(setup_paths, profile, rng),
                "requests": len(setup_paths),
            },
        }
        if memory:
            gc.collect()
            after_setup = tracemalloc.take_snapshot()

        # Redundant writes count from here on: the states Home Assistant writes while adding the
        # entities (on 2025.4 also over placeholders it made itself) are not poll updates.
        redundant_before = PROBE.redundant
        stats_before = sim.stats
        polls: list[Poll] = []
        freshness: list[float] = []
        seen: set[float] = set(PROBE.new_reports)
        PROBE.new_reports.clear()
        elapsed = result["setup"]["to_first_data_device_s"]
        day = hours * 3600.0
        delays: list[float] = []
        while elapsed + delay <= day and len(polls) < MAX_POLLS_PER_DAY:
            elapsed += delay
            sim.advance((START + timedelta(seconds=elapsed) - sim.now).total_seconds())
            poll = await _refresh(hass, coordinator, profile, rng)
            polls.append(poll)
            delays.append(delay)
            delay = _next_delay(coordinator)
            visible = sim.now.timestamp() + poll.device_s
            for report in PROBE.new_reports:
                if report not in seen:
                    seen.add(report)
                    freshness.append(visible - report)
            PROBE.new_reports.clear()
            elapsed += poll.device_s
        stats_after = sim.stats
        redundant = PROBE.redundant - redundant_before
        # Polls that bring nothing new (simulated clock not moved) must write nothing.
        unchanged: list[int] = []
        unchanged_ids: list[str] = []
        for _ in range(2):
            repeat = await _refresh(hass, coordinator, profile, rng)
            unchanged.append(repeat.writes)
            unchanged_ids += repeat.written

        if memory:
            gc.collect()
            after_day = tracemalloc.take_snapshot()
            tracemalloc.stop()
            memory_kib = {
                "after_setup": _traced_kib(after_setup, all_frames=False),
                "after_day": _traced_kib(after_day, all_frames=False),
            }
            if trace_frames > 1:
                # Also what others (Home Assistant's state machine, json) allocated for it.
                memory_kib |= {
                    "after_setup_incl_callees": _traced_kib(after_setup, all_frames=True),
                    "after_day_incl_callees": _traced_kib(after_day, all_frames=True),
                }
            result["memory_kib"] = memory_kib
        unsub()
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        CURRENT.remove(sim)
        await hass.async_stop(force=True)

    simulated_h = max(elapsed, 1.0) / 3600.0
    endpoints: dict[str, int] = {}
    for poll in polls:
        for request in poll.paths:
            name = request.endpoint
            endpoints[name] = endpoints.get(name, 0) + 1
    requests = _int(stats_after, "requests") - _int(stats_before, "requests")
    body_bytes = _int(stats_after, "bytes") - _int(stats_before, "bytes")
    heavy = sum(request.heavy for poll in polls for request in poll.paths)
    integration_cpu = [max(p.cpu_s - p.sim_cpu_s, 0.0) * 1000 for p in polls]
    writes = [float(p.writes) for p in polls]
    result |= {
        "polls": len(polls),
        "simulated_hours": simulated_h,
        "cpu_ms": {
            "median": median(integration_cpu),
            "p95": percentile(integration_cpu, 0.95),
            "mean": statistics.fmean(integration_cpu) if integration_cpu else 0.0,
            "simulator_median_excluded": median([p.sim_cpu_s * 1000 for p in polls]),
        },
        "writes": {
            "per_update_median": median(writes),
            "per_update_max": max(writes, default=0.0),
            "per_hour": sum(writes) / simulated_h,
            "state_changed_per_hour": sum(p.state_events for p in polls) / simulated_h,
            "redundant_writes": redundant,
            "unchanged_poll_writes": unchanged,
            "unchanged_poll_written": sorted(set(unchanged_ids))[:20],
        },
        "pvs": {
            "requests_per_hour": requests / simulated_h,
            "kib_per_hour": body_bytes / 1024 / simulated_h,
            "heavy_per_hour": heavy / simulated_h,
            "client_requests_per_hour": {k: v / simulated_h for k, v in sorted(endpoints.items())},
            "poll_device_s_median": median([p.device_s for p in polls]),
            "poll_delay_s_median": median(delays),
            "polls_per_hour": len(polls) / simulated_h,
        },
        "freshness_s": {
            "median": median(freshness),
            "max": max(freshness, default=0.0),
            "readings": len(freshness),
        },
    }
    return result


async def run_live(real_seconds: float, *, live: bool) -> dict[str, Any]:
    """State writes per simulated hour on the typical LocalAPI site, with the feed on or off.

    The simulator runs at speed 60 (a simulated minute per real second) so the telemetry
    stream sends its real frame rate; the coordinator polls on its own cadence by that clock.
    """
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    config = SimulatorConfig(
        profile="typical", firmware="localapi", speed=60.0, start=START, latency=False
    )
    loop = asyncio.get_running_loop()
    async with Simulator(config) as sim, async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        CURRENT.append(sim)
        with patch("custom_components.sunpower_pvs.live.TELEMETRY_PORT", sim.telemetry_port):
            entry = MockConfigEntry(
                domain=DOMAIN,
                title="PVS",
                unique_id=sim.serial,
                data={CONF_HOST: sim.host},
                options={OPTION_LIVE_FEED: live},
            )
            entry.add_to_hass(hass)
            if not await hass.config_entries.async_setup(entry.entry_id):
                raise RuntimeError(f"setup failed: {entry.state}")
            await hass.async_block_till_done()
            coordinator: PVSCoordinator = entry.runtime_data
            writes_before, started = PROBE.writes, sim.now
            due = sim.now + timedelta(seconds=_next_delay(coordinator))
            deadline = loop.time() + real_seconds
            while loop.time() < deadline:
                await asyncio.sleep(0.2)
                if sim.now >= due:
                    await coordinator.async_refresh()
                    await hass.async_block_till_done()
                    due = sim.now + timedelta(seconds=_next_delay(coordinator))
            hours = (sim.now - started).total_seconds() / 3600
            writes = PROBE.writes - writes_before
            endpoints = sim.stats["endpoints"]
            assert isinstance(endpoints, dict)
            telemetry = endpoints.get("telemetry", {})
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
        CURRENT.remove(sim)
    return {
        "live_feed": live,
        "simulated_hours": hours,
        "writes_per_hour": writes / hours if hours else 0.0,
        "stream_connections": int(telemetry.get("requests", 0)),
    }


def _int(stats: dict[str, object], key: str) -> int:
    value = stats.get(key, 0)
    return value if isinstance(value, int) else 0


# Whole bench: runs, ratios, files.


async def run_bench(options: Options, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Every (profile, firmware) pair: a timed run and, if asked, a traced-memory run."""
    runs: list[dict[str, Any]] = []
    began = time.perf_counter()
    with hooks():
        for firmware in options.firmwares:
            for profile in options.profiles:
                t0 = time.perf_counter()
                run = await run_site(profile, firmware, options.hours, memory=False)
                if options.memory_hours > 0:
                    traced = await run_site(
                        profile,
                        firmware,
                        options.memory_hours,
                        memory=True,
                        seed=options.seed,
                        trace_frames=options.trace_frames,
                    )
                    run["memory_kib"] = traced["memory_kib"]
                    run["memory_hours"] = traced["simulated_hours"]
                runs.append(run)
                log(
                    f"{profile:8} {firmware:8} {run['inverters']:4} inverters "
                    f"cpu median {run['cpu_ms']['median']:7.2f} ms "
                    f"({time.perf_counter() - t0:5.1f} s)"
                )
        live_runs = (
            [await run_live(options.live_seconds, live=live) for live in (True, False)]
            if options.live_seconds > 0
            else []
        )
        for run in live_runs:
            log(
                f"typical  localapi live feed {'on ' if run['live_feed'] else 'off'} "
                f"{run['writes_per_hour']:7.0f} writes/h"
            )
    return {
        "machine": machine(),
        "options": asdict(options),
        "live_feed": live_runs,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "runtime_s": time.perf_counter() - began,
        "runs": runs,
        "ratios": ratios(runs),
    }


def ratios(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cost at each larger site ÷ cost at the 24-inverter site, per firmware."""
    out: list[dict[str, Any]] = []
    metrics: dict[str, Callable[[dict[str, Any]], float]] = {
        "cpu_median": lambda r: float(r["cpu_ms"]["median"]),
        "writes_per_hour": lambda r: float(r["writes"]["per_hour"]),
        "kib_per_hour": lambda r: float(r["pvs"]["kib_per_hour"]),
        "memory_after_day": lambda r: float(r.get("memory_kib", {}).get("after_day", 0.0)),
    }
    for firmware in FIRMWARES:
        base = next(
            (r for r in runs if r["firmware"] == firmware and r["profile"] == "typical"), None
        )
        if base is None:
            continue
        for run in runs:
            if run["firmware"] != firmware or run["inverters"] <= base["inverters"]:
                continue
            row: dict[str, Any] = {
                "firmware": firmware,
                "profile": run["profile"],
                "inverters": f"{run['inverters']}/{base['inverters']}",
                "inverter_ratio": run["inverters"] / base["inverters"],
            }
            for name, metric in metrics.items():
                denominator = metric(base)
                row[name] = metric(run) / denominator if denominator else None
            out.append(row)
    return out


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(report: dict[str, Any], command: str) -> str:
    """The tables docs/benchmarks.md shows."""
    m = report["machine"]
    lines = [
        f"Command: `{command}`  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
        f"Home Assistant {m['home_assistant']} ({m['platform']})  ",
        f"Run: {report['started']}, {report['runtime_s']:.0f} s; "
        f"{report['options']['hours']:g} simulated hours per site, memory after "
        f"{report['options']['memory_hours']:g} h",
        "",
        "| site | firmware | inverters | entities | CPU/update median ms | p95 ms "
        "| writes/update median | writes/h | redundant writes | repeat-poll writes "
        "| mem after setup KiB | mem after day KiB | setup→first data ms (in-process) "
        "| s (on a unit) | req/h | KiB/h | heavy req/h | freshness median s | max s |",
        "|" + "---|" * 19,
    ]
    for r in report["runs"]:
        mem = r.get("memory_kib", {})
        lines.append(
            f"| {r['profile']} | {r['firmware']} | {r['inverters']} | {r['entities']} "
            f"| {_fmt(r['cpu_ms']['median'], 2)} | {_fmt(r['cpu_ms']['p95'], 2)} "
            f"| {_fmt(r['writes']['per_update_median'], 0)} | {_fmt(r['writes']['per_hour'], 0)} "
            f"| {r['writes']['redundant_writes']} "
            f"| {', '.join(str(n) for n in r['writes']['unchanged_poll_writes'])} "
            f"| {_fmt(mem.get('after_setup'))} | {_fmt(mem.get('after_day'))} "
            f"| {_fmt(r['setup']['to_first_data_wall_ms'], 0)} "
            f"| {_fmt(r['setup']['to_first_data_device_s'])} "
            f"| {_fmt(r['pvs']['requests_per_hour'])} | {_fmt(r['pvs']['kib_per_hour'], 0)} "
            f"| {_fmt(r['pvs']['heavy_per_hour'])} | {_fmt(r['freshness_s']['median'], 0)} "
            f"| {_fmt(r['freshness_s']['max'], 0)} |"
        )
    if report.get("live_feed"):
        lines += [
            "",
            "State writes per simulated hour of the whole integration, typical site on LocalAPI,"
            " with the live feed (telemetry stream at its real frame rate) and without:",
            "",
            "| live feed | writes/h | simulated hours | stream connections |",
            "|---|---|---|---|",
        ]
        for run in report["live_feed"]:
            lines.append(
                f"| {'on' if run['live_feed'] else 'off'} | {_fmt(run['writes_per_hour'], 0)} "
                f"| {_fmt(run['simulated_hours'], 2)} | {run['stream_connections']} |"
            )
    if report["ratios"]:
        lines += [
            "",
            "Ratios to the 24-inverter site (`typical`), same firmware:",
            "",
            "| firmware | site | inverters | CPU/update median | writes/h | KiB/h to PVS "
            "| memory after day |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in report["ratios"]:
            lines.append(
                f"| {row['firmware']} | {row['profile']} | {row['inverters']} "
                f"(x{row['inverter_ratio']:.1f}) | x{_fmt(row['cpu_median'], 2)} "
                f"| x{_fmt(row['writes_per_hour'], 2)} | x{_fmt(row['kib_per_hour'], 2)} "
                f"| x{_fmt(row['memory_after_day'], 2)} |"
            )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command line."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="CI mode: fewer simulated hours (under 3 minutes)"
    )
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench")
    parser.add_argument("--profile", action="append", choices=sorted(PROFILES))
    parser.add_argument("--firmware", action="append", choices=FIRMWARES)
    parser.add_argument("--hours", type=float, help="simulated hours per site")
    parser.add_argument("--memory-hours", type=float, help="simulated hours of the memory run")
    parser.add_argument(
        "--trace-frames",
        type=int,
        default=1,
        help="tracemalloc frames (more also counts what callees allocate for the integration)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the bench and write bench.json and bench.md."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("homeassistant.loader").setLevel(logging.ERROR)
    hours = args.hours if args.hours is not None else (2.0 if args.quick else 24.0)
    memory_hours = (
        args.memory_hours if args.memory_hours is not None else (1.0 if args.quick else 24.0)
    )
    options = Options(
        profiles=tuple(args.profile or FULL_PROFILES),
        firmwares=tuple(args.firmware or FIRMWARES),
        hours=hours,
        memory_hours=memory_hours,
        trace_frames=args.trace_frames,
        live_seconds=10.0 if args.quick else 60.0,
    )
    command = "scripts/bench " + " ".join(sys.argv[1:] if argv is None else argv)
    report = asyncio.run(run_bench(options))
    report["command"] = command.strip()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    table = markdown(report, command.strip())
    (args.out / "bench.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"wrote {args.out / 'bench.json'} and {args.out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
