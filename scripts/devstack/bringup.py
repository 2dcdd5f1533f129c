"""Everything in order: start both, onboard, add the site, Energy, the past day, the dashboard."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
import time

import aiohttp

from .common import say
from .dashboards import build_dashboard, install_dashboard
from .energy import set_up_energy
from .ha_client import Rest, WebSocket
from .integration import (
    add_integration,
    counting_now,
    grid_values,
    other_sites,
    remove_sites,
    simulator_serial,
)
from .onboarding import onboard, skip_online_steps, use_server_time_zone
from .past_day import PastDay, catch_up, forget_history
from .processes import TELEMETRY_PORT, Stack
from .sim_model import inverters_reported
from .site import Site, wait_for_values

STREAM_WAIT_S = 20.0
# Sensors that count from a later poll (home energy) get their past day within this long.
FOLLOW_UP_S = 15 * 60.0


async def start(stack: Stack, session: aiohttp.ClientSession, past_day: datetime | None) -> str:
    """Start the simulator (run through its past day), then Home Assistant; onboard; a token.

    The simulator's clock is moved on to the real now before Home Assistant starts, so the
    integration never sees the past day's start as the present.
    """
    stack.start_simulator()
    await stack.wait_until_answering(session, f"{stack.pvs_url}/_sim/stats")
    if past_day is not None:
        await catch_up(session, stack.pvs_url)
    skip_online_steps(stack.config_dir)
    stack.start_home_assistant()
    await stack.wait_until_answering(session, f"{stack.base_url}/manifest.json")
    token = await onboard(session, stack.base_url)
    async with WebSocket(Rest(session, stack.base_url, token)) as ws:
        await use_server_time_zone(ws)
        await running(ws)
    return token


async def running(ws: WebSocket, limit_s: float = 120) -> None:
    """Wait (bounded) until Home Assistant has finished starting (its HTTP answers earlier)."""
    deadline = time.monotonic() + limit_s
    while (await ws.call("get_config")).get("state") != "RUNNING":
        if time.monotonic() > deadline:
            raise TimeoutError(f"Home Assistant did not finish starting within {limit_s:.0f} s")
        await asyncio.sleep(0.5)


async def live_power(stack: Stack, session: aiohttp.ClientSession) -> str:
    """How the site's power reaches Home Assistant: the telemetry stream, or polling."""
    spec = stack.simulator
    if spec.firmware == "legacy":
        return "from the meters at each poll (legacy firmware has no live data)"
    if spec.profile == "pvs5":
        return "live data every 15 s (a PVS5 has no telemetry stream)"
    if spec.telemetry_port != TELEMETRY_PORT:
        return (
            f"live data every 15 s: port {TELEMETRY_PORT} is taken, so the integration cannot "
            f"reach the simulator's telemetry stream (on {spec.telemetry_port})"
        )
    deadline = time.monotonic() + STREAM_WAIT_S
    while time.monotonic() < deadline:
        endpoints = (await stack.simulator_stats(session)).get("endpoints", {})
        if endpoints.get("telemetry", {}).get("requests"):
            return f"telemetry stream on 127.0.0.1:{TELEMETRY_PORT}, every second"
        await asyncio.sleep(1)
    return f"live data every 15 s (no telemetry connection within {STREAM_WAIT_S:.0f} s)"


@dataclass
class Summary:
    """What scripts/develop brought up, for its closing lines."""

    site: Site
    energy: str
    past_day: PastDay | None
    dashboard: str
    live: str

    @property
    def history(self) -> str:
        """What the site's history holds."""
        if self.past_day is None:
            return "what was recorded (no past day: --no-past-day, or --start is not now)"
        return self.past_day.describe()


async def replace_other_sites(api: Rest, ws: WebSocket, serial: str) -> None:
    """Delete entries (and their history) of another PVS than serial, as an owner replaces one.

    A site of another profile from an earlier run goes before this one is added, so this
    site's entity ids stay plain, it gets its own Energy offer and its own past day.
    """
    if stale := await other_sites(api, ws, serial):
        say("replacing the site of an earlier run (another profile)")
        await forget_history(api, ws, await remove_sites(api, ws, stale))


async def set_up_site(
    stack: Stack, session: aiohttp.ClientSession, token: str, past_day: datetime | None
) -> Summary:
    """Add the integration, accept its Energy offer, import the past day, load the dashboard."""
    api = Rest(session, stack.base_url, token)
    async with WebSocket(api) as ws:
        await replace_other_sites(api, ws, await simulator_serial(session, stack.pvs_url))
        entry_id = await add_integration(api, stack.simulator.address)
        expected = inverters_reported(stack.simulator, datetime.now(UTC))
        site = await wait_for_values(ws, entry_id or None, inverters=expected)
        if expected and not site.inverters:
            say("warning: no inverters reported yet (they come with the next polls)")
        site = await grid_values(api, ws, entry_id, site, stack.simulator.import_counter)
        site = await counting_now(api, ws, entry_id, site)
        try:
            energy = await set_up_energy(api, ws, entry_id, site)
        except (RuntimeError, aiohttp.ClientResponseError) as err:
            energy = f"not set up: {err}"
        history = None
        if past_day is not None:
            history = PastDay(stack.simulator, past_day)
            await history.plan(ws, site)
            await history.import_now(ws)
        dashboard = await install_dashboard(ws, build_dashboard(site))
        live = await live_power(stack, session)
    return Summary(site=site, energy=energy, past_day=history, dashboard=dashboard, live=live)


async def follow_past_day(
    stack: Stack, session: aiohttp.ClientSession, token: str, past_day: PastDay
) -> None:
    """Import the past day of sensors that had no value at first, once they have one."""
    if not past_day.pending:
        return
    try:
        async with WebSocket(Rest(session, stack.base_url, token)) as ws:
            await past_day.follow(ws, FOLLOW_UP_S)
    except (RuntimeError, TimeoutError, aiohttp.ClientError) as err:
        say(f"warning: the rest of the past day was not imported: {err}")
        return
    say(f"history: {past_day.describe()}")
