"""Browser test of the real Home Assistant frontend with this integration (scripts/browser-test).

Starts the simulator and Home Assistant (fresh configuration under out/browser/, free ports),
then drives headless chromium over the DevTools protocol like an owner would: log in, Settings →
Devices & services → Add integration, pick SunPower PVS, type the simulator's address, finish
the flow, open the integration's devices and check the supervisor, the meters and every inverter
are listed and show values; accept the integration's Energy dashboard offer under Settings →
Repairs and check the Energy settings name the site's sensors; then load the example dashboard
and check it shows production and the power flow. Screenshots go to out/browser/. Exit status 0
only when every check passed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from pathlib import Path
import re
import shutil
import signal
import sys
import time

import aiohttp
from browser_cdp import Browser, CDPError, find_chromium
import develop
from develop import Rest, Site, Stack, WebSocket

OUT = develop.REPO / "out" / "browser"
DOCS_IMAGES = develop.REPO / "docs" / "images"
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
}
ENERGY_SETTINGS_HEIGHT = 1300
FLOW_END = "Devices created|Created configuration|Success|Could not reach|not a SunPower|Unexpected"
NUMBER_WITH_UNIT = r"-?\d+(?:[.,]\d+)?\s?(?:kWh|kW|W|VA|var|V|A|Hz|°C|%|KiB|MiB|dBm)(?![A-Za-z])"


class CheckError(AssertionError):
    """A check on what the browser shows failed."""


def step(message: str) -> None:
    """Progress line with the time since start."""
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


STARTED = time.monotonic()


async def log_in(browser: Browser, base: str) -> None:
    """Log in on Home Assistant's login page with the development account."""
    await browser.goto(f"{base}/")
    await browser.wait_text(["Log in", "Username"], 60)
    await browser.fill("input[name=username]", develop.USERNAME)
    await browser.fill("input[name=password]", develop.PASSWORD)
    await browser.screenshot(OUT / "01-login.png")
    await browser.click("ha-button", "Log in", exact=True)
    await browser.wait_for(
        "location.pathname !== '/auth/authorize' && !!document.querySelector('home-assistant')",
        60,
        "the app after login",
    )
    await browser.wait_for(
        "!!__deep.all(null, el => el.tagName === 'HA-SIDEBAR').length", 60, "the sidebar"
    )
    step("logged in")


async def add_integration(browser: Browser, base: str, host: str) -> None:
    """Settings → Devices & services → Add integration → SunPower PVS → host → finish."""
    await browser.route("/config/integrations/dashboard")
    await browser.wait_text(["Add integration"], 60)
    await asyncio.sleep(1)
    await browser.screenshot(OUT / "02-devices-and-services.png")
    await browser.click("ha-fab, ha-button, mwc-button", "Add integration")
    await browser.wait_text(["Select brand"], 30)
    await asyncio.sleep(0.5)
    await browser.fill("input", "SunPower", index=-1)  # the dialog's search field
    await browser.wait_text(["SunPower PVS"], 30)
    await asyncio.sleep(0.5)
    await browser.screenshot(OUT / "03-select-brand.png")
    await browser.click(
        "ha-list-item, mwc-list-item, ha-md-list-item, li, ha-integration-list-item", "SunPower PVS"
    )
    await browser.wait_text(["Connect to your PVS"], 60)
    await browser.fill("input", host, index=-1)
    await asyncio.sleep(0.5)
    await browser.screenshot(OUT / "04-config-flow.png")
    await browser.click("ha-button, mwc-button", "Submit", exact=True)
    step("config flow submitted")
    text = await browser.wait_for(
        f"(() => {{ const t = __deep.text(); return /{FLOW_END}/i.test(t) && t; }})()",
        90,
        "the end of the config flow",
    )
    if re.search(r"Could not reach|not a SunPower|Unexpected error", str(text)):
        raise CheckError(f"the config flow showed an error: {str(text)[:400]}")
    await asyncio.sleep(1)
    await browser.screenshot(OUT / "05-config-flow-done.png")
    await browser.click("ha-button, mwc-button", "Finish", timeout_s=30)
    step("config flow finished")


async def check_devices(browser: Browser, ws: WebSocket, site: Site) -> None:
    """The integration's devices page lists the supervisor, the meters and every inverter."""
    registry = await ws.call("config/device_registry/list")
    entries = await ws.call("config_entries/get", domain=develop.DOMAIN)
    entry_ids = {e["entry_id"] for e in entries}
    devices = [d for d in registry if set(d.get("config_entries", [])) & entry_ids]
    names = {d["id"]: d.get("name_by_user") or d["name"] for d in devices}
    wanted = [
        n
        for n in names.values()
        if re.match(r"(PVS\d?|Production meter|Consumption meter|Inverter) ?", n or "")
    ]
    inverters = [n for n in wanted if n.startswith("Inverter")]
    if len(inverters) != len(site.inverters):
        raise CheckError(
            f"{len(inverters)} inverter devices, {len(site.inverters)} inverter power sensors"
        )
    entry_id = next(iter(entry_ids))
    await browser.route(f"/config/devices/dashboard?historyBack=1&config_entry={entry_id}")
    await browser.wait_text(["Inverter"], 60)
    await asyncio.sleep(2)
    await browser.screenshot(OUT / "06-devices.png", full_page=True)
    text = await browser.text()
    missing = [n for n in wanted if n not in text]
    if missing:
        # a long table is virtualised: search for the rest
        for name in missing[:]:
            await browser.fill("search-input input, ha-input-search input, input", name, index=0)
            await asyncio.sleep(0.6)
            if name in await browser.text():
                missing.remove(name)
        await browser.fill("search-input input, ha-input-search input, input", "", index=0)
    if missing:
        raise CheckError(f"devices not listed: {missing}")
    step(f"devices page lists {len(wanted)} devices ({len(inverters)} inverters)")
    # Every device shows its readings: supervisor and meters first, then every inverter.
    order = sorted(
        (d for d in devices if names[d["id"]] in wanted),
        key=lambda d: (
            not names[d["id"]].startswith(("PVS", "Production", "Consumption")),
            names[d["id"]],
        ),
    )
    for number, device in enumerate(order):
        name = names[device["id"]]
        await browser.route(f"/config/devices/device/{device['id']}")
        page = "__deep.all(null, el => el.tagName === 'HA-CONFIG-DEVICE-PAGE'"
        page += f" && el.deviceId === {json.dumps(device['id'])})[0]"
        await browser.wait_for(
            f"(() => {{ const p = {page}; if (!p) return false; const t = __deep.text(p);"
            f" return t.includes({json.dumps(name)}) && /(Sensors|Diagnostic)/.test(t)"
            f" && /{NUMBER_WITH_UNIT}/.test(t); }})()",
            30,
            f"sensor values on the page of {name}",
        )
        if number < 4:  # the supervisor, the meters and the first inverter
            await asyncio.sleep(1.5)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            await browser.screenshot(OUT / f"07-device-{slug}.png")
    step(f"{len(order)} device pages show values")


def check_private(text: str, site: Site) -> None:
    """The page must not show the PVS serial's last 5 characters: the LocalAPI password."""
    if len(site.pvs_serial) >= 5 and site.pvs_serial[-5:].lower() in text.lower():
        raise CheckError("the page shows the PVS serial's last 5 characters (its password)")


async def check_energy(
    browser: Browser, api: Rest, ws: WebSocket, entry_id: str, site: Site, *, register: str
) -> Site:
    """Settings → Repairs offers the Energy dashboard set-up; Submit fills the Energy settings.

    The grid sensors get their values first, as scripts/develop does (Options → Grid import
    register, over the REST API).
    """
    site = await develop.grid_values(api, ws, entry_id, site, register)
    grid = {
        key: site.states[entity_id]
        for key, entity_id in site.energy.items()
        if key in (develop.GRID_IMPORT, develop.GRID_EXPORT)
    }
    step(f"grid energy sensors read {grid or 'nothing (no consumption meter)'}")
    issue = await develop.energy_offer(ws, entry_id, limit_s=30)
    if issue is None or not issue["is_fixable"]:
        raise CheckError(f"no fixable Energy dashboard offer under Repairs: {issue}")
    await browser.route("/config/repairs")
    await browser.wait_text(["to the Energy dashboard"], 30)
    await browser.click(
        "ha-md-list-item, ha-list-item, mwc-list-item, ha-list-item-new, a",
        "to the Energy dashboard",
    )
    text = await browser.wait_text(["These sensors will be added", site.energy[develop.SOLAR]], 30)
    missing = [e for e in site.energy.values() if e not in text]
    await asyncio.sleep(1)
    await browser.screenshot(OUT / "11-energy-offer.png")
    if missing:
        raise CheckError(f"the offer does not list {missing}")
    check_private(text, site)
    await browser.click("ha-button, mwc-button", "Submit", exact=True)
    await browser.wait_text(["The issue is repaired"], 30)
    await browser.click("ha-button, mwc-button", "Finish", exact=True)
    step("Energy dashboard offer accepted under Settings → Repairs")
    sources = await develop.energy_sources(ws)
    if problems := develop.energy_problems(sources, site):
        raise CheckError(f"the Energy settings lack: {'; '.join(problems)}")
    if await develop.energy_offer(ws, entry_id) is not None:
        raise CheckError("the offer is still open after it was accepted")
    await browser.route("/config/energy")
    names = [
        s["attributes"]["friendly_name"]
        for s in await ws.call("get_states")
        if s["entity_id"] in site.energy.values()
    ]
    await browser.wait_text(["Solar panels", *names], 30)
    # The page scrolls inside the app: a taller viewport shows the battery card too.
    await browser.resize(browser.width, ENERGY_SETTINGS_HEIGHT)
    await asyncio.sleep(1.5)
    await browser.screenshot(OUT / "12-energy-settings.png")
    await browser.resize(browser.width, browser.height)
    check_private(await browser.text(), site)
    step(f"Energy settings name the site's sensors: {develop.describe_sources(sources)}")
    return site


async def check_dashboard(browser: Browser, ws: WebSocket, site: Site) -> None:
    """Load the example dashboard and check it shows production, its flows and every panel."""
    path = await develop.install_dashboard(ws, develop.build_dashboard(site))
    await browser.goto(f"{browser_base}{path.rsplit('/', 1)[0]}/site")
    await browser.wait_text(["Producing now", "Today", "Supervisor"], 60)
    await browser.wait_for(
        f"(() => {{ const t = __deep.text(); return /{NUMBER_WITH_UNIT}/.test(t); }})()",
        30,
        "values on the dashboard",
    )
    await asyncio.sleep(8)  # gauges animate, graphs load history
    production = site.states.get("sensor.sunpower_site_production_power")  # the gauge's
    # Taller than the window with all its cards: a viewport as tall as the view shows them all.
    height = await browser.evaluate("document.documentElement.scrollHeight")
    await browser.resize(browser.width, max(browser.height, int(height)))
    await asyncio.sleep(1.5)
    await browser.screenshot(OUT / "08-dashboard-site.png")
    await browser.resize(browser.width, browser.height)
    text = await browser.text()
    if "Producing now" not in text:
        raise CheckError("the site view has no production gauge")
    # The production gauge, not the battery's (which may come first in the columns).
    gauge = await browser.evaluate(
        "(() => { const g = __deep.all(null, el => el.tagName === 'HUI-GAUGE-CARD')"
        ".find(g => __deep.text(g).includes('Producing now'));"
        " return g ? __deep.text(g) : ''; })()"
    )
    if not re.search(r"\d", str(gauge)) or "unavailable" in str(gauge).lower():
        raise CheckError(f"the production gauge shows no value: {gauge!r} (state {production})")
    step(f"dashboard shows production: {str(gauge).strip()}")
    # Power flow now draws its chart only from the power sensors the offer put in the Energy
    # settings (Home Assistant 2026.2 takes them); without them it says there is no data.
    flows = await browser.evaluate(
        "(() => { const c = __deep.all(null, el => el.tagName === 'HUI-POWER-SANKEY-CARD')[0];"
        " return !!c && __deep.all(c, el => el.tagName === 'HA-SANKEY-CHART').length > 0; })()"
    )
    if not flows:
        raise CheckError("the Power flow now card draws no flows")
    step("Power flow now draws the site's flows")
    await browser.route(f"{path.rsplit('/', 1)[0]}/panels")
    await browser.wait_text(["Panels 1-"], 60)
    await asyncio.sleep(6)
    await browser.screenshot(OUT / "09-dashboard-panels.png", full_page=True)
    tiles = await browser.evaluate(
        "__deep.all(null, el => el.tagName === 'HUI-TILE-CARD').map(g => __deep.text(g))"
    )
    valued = [t for t in tiles if re.search(NUMBER_WITH_UNIT, t)]
    if len(valued) < len(site.inverters):
        raise CheckError(f"{len(valued)} of {len(site.inverters)} panel tiles show a value")
    step(f"panels view shows {len(valued)} inverters with values")
    # No statistics yet (Home Assistant compiles them every 5 minutes): kept out of the docs.
    await browser.route("/energy")
    await asyncio.sleep(3)
    await browser.screenshot(OUT / "13-energy-dashboard.png")


browser_base = ""


async def run(stack: Stack, chromium: str) -> None:
    """The whole test against a running stack."""
    global browser_base  # noqa: PLW0603
    browser_base = stack.base_url
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await develop.wait_for(stack, session)
        token = await develop.onboard(session, stack.base_url)
        step(f"Home Assistant up at {stack.base_url}, onboarding done; PVS at {stack.pvs_host}")
        async with Browser(chromium, develop.free_port()) as browser:
            try:
                await log_in(browser, stack.base_url)
                await add_integration(browser, stack.base_url, stack.pvs_host)
                async with WebSocket(session, stack.base_url, token) as ws:
                    site = await develop.wait_for_values(ws, None, 120)
                    step(
                        f"{len(site.inverters)} inverters of {len(site.entity_ids)} entities report"
                    )
                    await check_devices(browser, ws, site)
                    entries = await ws.call("config_entries/get", domain=develop.DOMAIN)
                    api = Rest(session, stack.base_url, token)
                    entry_id = entries[0]["entry_id"]
                    site = await check_energy(
                        browser, api, ws, entry_id, site, register=stack.import_counter
                    )
                    await check_dashboard(browser, ws, site)
            except Exception:
                with_text = await _safe_text(browser)
                await _safe_shot(browser, OUT / "failure.png")
                (OUT / "failure.txt").write_text(
                    with_text + "\n\nconsole:\n" + "\n".join(browser.console)
                )
                raise


async def _safe_text(browser: Browser) -> str:
    try:
        return await browser.text()
    except (CDPError, OSError) as err:
        return f"(no page text: {err})"


async def _safe_shot(browser: Browser, path: Path) -> None:
    with contextlib.suppress(CDPError, OSError):
        await browser.screenshot(path)


def main(argv: list[str]) -> int:
    """scripts/browser-test."""
    parser = argparse.ArgumentParser(prog="scripts/browser-test", description=__doc__)
    parser.add_argument("--profile", default="typical")
    parser.add_argument("--firmware", default="localapi", choices=["legacy", "localapi"])
    parser.add_argument("--keep", action="store_true", help="keep out/browser/config afterwards")
    parser.add_argument(
        "--update-docs",
        action="store_true",
        help=f"after a pass, copy the screenshots the docs show to {DOCS_IMAGES}",
    )
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("skipped: chromium cannot be installed here")
        return 0
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    stack = Stack(
        config_dir=OUT / "config",
        log_dir=OUT / "logs",
        profile=args.profile,
        firmware=args.firmware,
        speed=60,
        ha_port=develop.free_port(),
        latency=False,
        # sessions live their 5 minutes in real time, not 5 s: no re-login in every setup
        session_ttl_s=300 * 60,
    )

    def on_term(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    step(f"starting the simulator ({args.profile}, {args.firmware}) and Home Assistant")
    try:
        stack.start_processes()
        asyncio.run(asyncio.wait_for(run(stack, chromium), 270))
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
    if args.update_docs:
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        for pattern, target in DOCS_SCREENSHOTS.items():
            shutil.copyfile(min(OUT.glob(pattern)), DOCS_IMAGES / target)
        step(f"copied {len(DOCS_SCREENSHOTS)} screenshots to {DOCS_IMAGES}")
    shots = sorted(p.name for p in OUT.glob("*.png"))
    step(f"PASSED; {len(shots)} screenshots in {OUT}: {', '.join(shots)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
