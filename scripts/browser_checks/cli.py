"""scripts/browser-test: a fresh stack, the owner's walk through the frontend, the results."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import UTC, datetime
from pathlib import Path
import shutil
import signal
import sys

import aiohttp
from browser_cdp import Browser, CDPError, find_chromium
from devstack.bringup import start
from devstack.common import REPO
from devstack.ha_client import Rest, WebSocket
from devstack.options import FIRMWARES, PROFILES
from devstack.past_day import PastDay, past_day_start
from devstack.processes import TELEMETRY_PORT, SimulatorSpec, Stack, free_port, telemetry_port

from .common import OUT, CheckError, Checks, Progress
from .energy_pages import (
    check_dashboard,
    check_energy_dashboard,
    check_energy_offer,
    check_history_graphs,
)
from .outage import check_outage
from .owner import Owner

DOCS_IMAGES = REPO / "docs" / "images"
# Screenshot taken by this test -> the name the docs use.
DOCS_SCREENSHOTS = {
    "03-select-brand.png": "add-integration.png",
    "04-config-flow.png": "config-flow.png",
    "05-config-flow-done.png": "devices-created.png",
    "06-devices.png": "devices.png",
    "07-device-pvs6.png": "device-supervisor.png",
    "07-device-inverter-*.png": "device-inverter.png",
    "08-dashboard-site.png": "dashboard-site.png",
    "09-dashboard-panels.png": "dashboard-panels.png",
    "11-energy-offer.png": "energy-offer.png",
    "12-energy-settings.png": "energy-settings.png",
    "13-energy-dashboard.png": "energy-dashboard.png",
}
TEST_LIMIT_S = 1080.0  # the outage alone can take 8 minutes
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=60)


async def walk(owner: Owner, past_day: datetime, *, outage: bool) -> None:
    """The owner's walk through the frontend, one check after the other."""
    checks = owner.checks
    listed = await owner.add_integration()
    await checks.run("brand icon", lambda: owner.check_brand_icons(listed))
    await checks.run("devices", owner.check_devices)
    await checks.run("no time in the future", owner.check_no_future)
    await checks.run("Energy offer", lambda: check_energy_offer(owner))
    history = PastDay(owner.stack.simulator, past_day)
    await history.plan(owner.ws, owner.the_site())
    await history.import_now(owner.ws)
    owner.progress.step(f"history: {history.describe()}")
    await checks.run("dashboard", lambda: check_dashboard(owner))
    await checks.run("history graphs", lambda: check_history_graphs(owner))
    await checks.run("Energy dashboard", lambda: check_energy_dashboard(owner))
    if outage:
        owner.log_lines_before_outage = len(log_lines(owner.stack.log_dir / "homeassistant.log"))
        await checks.run("outage", lambda: check_outage(owner))


async def run(stack: Stack, chromium: str, past_day: datetime, *, outage: bool) -> Owner:
    """The whole test against a fresh stack; the owner, with the checks' results."""
    progress = Progress()
    async with aiohttp.ClientSession(timeout=HTTP_TIMEOUT) as session:
        token = await start(stack, session, past_day)
        progress.step(f"Home Assistant up at {stack.base_url}; PVS at {stack.simulator.address}")
        api = Rest(session, stack.base_url, token)
        async with Browser(chromium, free_port()) as browser, WebSocket(api) as ws:
            owner = Owner(browser, stack, api, ws, progress, checks=Checks(browser, progress))
            try:
                await owner.log_in()
                await walk(owner, past_day, outage=outage)
            except Exception:
                await record_failure(browser)
                raise
    return owner


async def record_failure(browser: Browser) -> None:
    """failure.png and failure.txt (the page's text and the console) for a broken walk."""
    try:
        text = await browser.text()
    except (CDPError, OSError) as err:
        text = f"(no page text: {err})"
    with contextlib.suppress(CDPError, OSError):
        await browser.screenshot(OUT / "failure.png")
    (OUT / "failure.txt").write_text(text + "\n\nconsole:\n" + "\n".join(browser.console))


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command line of scripts/browser-test."""
    parser = argparse.ArgumentParser(
        prog="scripts/browser-test",
        description="Drive the real Home Assistant frontend in headless chromium against the "
        "simulator, as an owner would; screenshots and logs go to out/browser/.",
    )
    parser.add_argument("--profile", default="typical", choices=PROFILES)
    parser.add_argument("--firmware", default="localapi", choices=FIRMWARES)
    parser.add_argument("--keep", action="store_true", help="keep out/browser/config afterwards")
    parser.add_argument(
        "--no-outage", action="store_true", help="leave out the outage check (about 3 minutes)"
    )
    parser.add_argument(
        "--update-docs",
        action="store_true",
        help=f"after a pass, copy the screenshots the docs show to {DOCS_IMAGES}",
    )
    return parser.parse_args(argv)


def log_lines(path: Path) -> list[str]:
    """The lines of a log file; none when it is missing."""
    return path.read_text(errors="replace").splitlines() if path.exists() else []


def report(owner: Owner) -> bool:
    """Print each check's result and the log's errors; True when all is well."""
    print("\nchecks:")
    for name, result in owner.checks.results:
        print(f"  {name:22} {result}")
    lines = log_lines(owner.stack.log_dir / "homeassistant.log")
    # The outage logs its start once (the integration's "Error fetching"): that one is wanted.
    errors = [line for line in lines[: owner.log_lines_before_outage] if " ERROR " in line]
    for line in errors[:5]:
        print(f"log: {line}")
    if owner.checks.failed or errors:
        failed = [*owner.checks.failed, *([f"{len(errors)} ERROR lines in the log"] * bool(errors))]
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
        print(f"screenshots and logs: {OUT}", file=sys.stderr)
        return False
    return True


def update_docs() -> None:
    """Copy the screenshots the docs show into docs/images/."""
    DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
    copied = []
    for pattern, target in DOCS_SCREENSHOTS.items():
        if shots := sorted(OUT.glob(pattern)):
            shutil.copyfile(shots[0], DOCS_IMAGES / target)
            copied.append(target)
    print(f"copied {len(copied)} screenshots to {DOCS_IMAGES}: {', '.join(copied)}")


def main(argv: list[str]) -> int:
    """scripts/browser-test."""
    args = parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("skipped: chromium cannot be installed here")
        return 0
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    past_day = past_day_start(datetime.now(UTC))
    spec = SimulatorSpec(
        profile=args.profile,
        firmware=args.firmware,
        start=past_day,
        port=free_port(),
        telemetry_port=telemetry_port(),
        latency=False,
    )
    stack = Stack(OUT / "config", OUT / "logs", spec, ha_port=free_port())

    def on_term(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    print(f"starting the simulator ({args.profile}, {args.firmware}) and Home Assistant")
    if spec.firmware == "localapi" and spec.telemetry_port != TELEMETRY_PORT:
        print(f"note: port {TELEMETRY_PORT} is taken: the site's power is polled, not streamed")
    try:
        walk_done = run(stack, chromium, past_day, outage=not args.no_outage)
        owner = asyncio.run(asyncio.wait_for(walk_done, TEST_LIMIT_S))
    except (CheckError, CDPError, RuntimeError, TimeoutError, aiohttp.ClientError) as err:
        print(f"FAILED: {type(err).__name__}: {err}", file=sys.stderr)
        print(f"screenshots and logs: {OUT}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("FAILED: interrupted", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        if not args.keep:
            shutil.rmtree(OUT / "config", ignore_errors=True)
    if not report(owner):
        return 1
    if args.update_docs:
        update_docs()
    shots = sorted(p.name for p in OUT.glob("*.png"))
    print(f"PASSED; {len(shots)} screenshots in {OUT}: {', '.join(shots)}")
    return 0
