"""scripts/develop: run the stack until Ctrl-C."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
import signal
import sys
import time

import aiohttp

from .bringup import Summary, follow_past_day, set_up_site, start
from .common import say
from .config_dir import known_pvs_port, site_start
from .ha_client import PASSWORD, USERNAME
from .options import DevelopOptions, parse_options
from .past_day import past_day_start
from .processes import TELEMETRY_PORT, SimulatorSpec, Stack, free_port, port_free, telemetry_port

HTTP_TIMEOUT = aiohttp.ClientTimeout(total=60)


def earlier_port(config_dir: Path) -> int | None:
    """The port an earlier run's simulator had, when it is free: the entry finds it there."""
    port = known_pvs_port(config_dir)
    return port if port is not None and port_free(port) else None


def stack_for(options: DevelopOptions, past_day: datetime | None) -> Stack:
    """The processes scripts/develop runs."""
    start = options.start or datetime.now(UTC)
    if past_day is not None:
        start = site_start(options.config, options.profile, past_day)
    spec = SimulatorSpec(
        profile=options.profile,
        firmware=options.firmware,
        speed=options.speed,
        start=start,
        port=options.pvs_port or earlier_port(options.config) or free_port(),
        telemetry_port=telemetry_port(),
    )
    return Stack(
        config_dir=options.config,
        log_dir=options.config / "logs",
        simulator=spec,
        ha_port=options.port,
    )


async def run(
    stack: Stack, options: DevelopOptions, past_day: datetime | None, started: float
) -> None:
    """Start everything, say where to look, then keep an eye on both until stopped."""
    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
        token = await start(stack, session, past_day)
        summary = (
            await set_up_site(stack, session, token, past_day) if options.add_integration else None
        )
        print_summary(stack, summary, started)
        follow_up = None
        if summary is not None and summary.past_day is not None:
            follow_up = asyncio.create_task(
                follow_past_day(stack, session, token, summary.past_day)
            )
        try:
            while True:
                stack.check_alive()
                await asyncio.sleep(1)
        finally:
            if follow_up is not None:
                follow_up.cancel()


def print_summary(stack: Stack, summary: Summary | None, started: float) -> None:
    """The closing lines: where to look and how to log in."""
    print()
    print(f"  Home Assistant  {stack.base_url}/  (ready in {time.monotonic() - started:.0f} s)")
    print(f"  Log in as       {USERNAME} / {PASSWORD}   (local development account)")
    print(f"  Simulated PVS   {stack.simulator.address}  (type this into Add integration)")
    if summary is not None:
        site = summary.site
        print(f"  Integration     {len(site.entity_ids)} entities, {len(site.inverters)} inverters")
        print(f"  Site power      {summary.live}")
        print(f"  History         {summary.history}")
        print(f"  Energy          {summary.energy}")
        print(f"  Dashboard       {stack.base_url}{summary.dashboard}")
    print("\nPress Ctrl-C to stop both.", flush=True)


def main(argv: list[str]) -> int:
    """scripts/develop."""
    options = parse_options(argv)
    if not port_free(options.port):
        print(f"error: port {options.port} is in use; pass --port N", file=sys.stderr)
        return 1
    past_day = past_day_start(datetime.now(UTC)) if options.past_day else None
    stack = stack_for(options, past_day)
    stopping = False

    def on_signal(_signum: int, _frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    started = time.monotonic()
    try:
        spec = stack.simulator
        say(f"simulator: profile {spec.profile}, {spec.firmware} firmware, speed {spec.speed:g}")
        if past_day is not None:
            say(f"the simulated site runs from {spec.start:%Y-%m-%d %H:%M} UTC up to now first")
        if spec.telemetry_port != TELEMETRY_PORT:
            say(f"warning: port {TELEMETRY_PORT} is taken: no telemetry stream for the integration")
        say(f"Home Assistant from {stack.config_dir} (logs in {stack.log_dir})")
        asyncio.run(run(stack, options, past_day, started))  # returns only by an exception
    except KeyboardInterrupt:
        print()
    except (RuntimeError, TimeoutError, aiohttp.ClientError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        say("stopping Home Assistant and the simulator")
        stack.stop()
    return 0
