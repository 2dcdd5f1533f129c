"""The Energy offer under Repairs, the example dashboard, and the Energy dashboard."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import re
import time

from devstack.dashboards import DASHBOARD_URL, build_dashboard, install_dashboard
from devstack.energy import describe_sources, energy_offer, energy_problems, energy_sources
from devstack.integration import counting_now, grid_values
from devstack.site import SOLAR

from .common import OUT, CheckError
from .owner import Owner
from .page import (
    HISTORY_LINES_JS,
    NUMBER_WITH_UNIT,
    card_text_js,
    check_private,
    energy_figures,
    tall_screenshot,
)

ENERGY_SETTINGS_HEIGHT = 1300
HISTORY_HOURS = 20  # a graph "goes back a day" when its first point is this old
MIN_POINTS = 10


async def check_energy_offer(owner: Owner) -> str:
    """Settings → Repairs offers the Energy dashboard set-up; Submit fills the settings.

    The grid sensors get their values first, as scripts/develop does (Options → Grid import
    register, over the REST API), and the home counter its first value (one poll now).
    """
    browser, stack = owner.browser, owner.stack
    site = await grid_values(
        owner.api, owner.ws, owner.entry_id, owner.the_site(), stack.simulator.import_counter
    )
    owner.site = site = await counting_now(owner.api, owner.ws, owner.entry_id, site)
    issue = await energy_offer(owner.ws, owner.entry_id, limit_s=30)
    if issue is None or not issue["is_fixable"]:
        raise CheckError(f"no fixable Energy dashboard offer under Repairs: {issue}")
    await browser.route("/config/repairs")
    await browser.wait_text(["to the Energy dashboard"], 30)
    await browser.click_item("to the Energy dashboard")
    text = await browser.wait_text(["These sensors will be added", site.energy[SOLAR]], 30)
    missing = [e for e in site.energy.values() if e not in text]
    await asyncio.sleep(1)
    await browser.screenshot(OUT / "11-energy-offer.png")
    if missing:
        raise CheckError(f"the offer does not list {missing}")
    check_private(text, site)
    await browser.click("ha-button, mwc-button", "Submit", exact=True)
    await browser.wait_text(["The issue is repaired"], 30)
    await browser.click("ha-button, mwc-button", "Finish", exact=True)
    owner.progress.step("Energy dashboard offer accepted under Settings → Repairs")
    sources = await energy_sources(owner.ws)
    if problems := energy_problems(sources, site):
        raise CheckError(f"the Energy settings lack: {'; '.join(problems)}")
    if await energy_offer(owner.ws, owner.entry_id) is not None:
        raise CheckError("the offer is still open after it was accepted")
    await browser.route("/config/energy")
    names = [
        s["attributes"]["friendly_name"]
        for s in await owner.ws.call("get_states")
        if s["entity_id"] in site.energy.values()
    ]
    await browser.wait_text(["Solar panels", *names], 30)
    # The page scrolls inside the app: a taller viewport shows the battery card too.
    await browser.resize(browser.width, ENERGY_SETTINGS_HEIGHT)
    await asyncio.sleep(1.5)
    await browser.screenshot(OUT / "12-energy-settings.png")
    await browser.resize(browser.width, browser.height)
    check_private(await browser.text(), site)
    return f"the Energy settings name the site's sensors: {describe_sources(sources)}"


async def check_dashboard(owner: Owner) -> str:
    """The example dashboard: production, the power flow, today's figures, every panel."""
    site, browser = owner.the_site(), owner.browser
    path = await install_dashboard(owner.ws, build_dashboard(site))
    # A full load: the app learns of a dashboard made after it started only when it loads.
    await browser.goto(f"{owner.stack.base_url}{path}")
    await browser.wait_text(["Producing now", "Today", "Supervisor"], 60)
    await browser.wait_for(
        f"(() => {{ const t = __deep.text(); return /{NUMBER_WITH_UNIT}/.test(t); }})()",
        30,
        "values on the dashboard",
    )
    await asyncio.sleep(10)  # gauges animate, graphs load history and statistics
    await tall_screenshot(browser, OUT / "08-dashboard-site.png")
    gauge = await browser.evaluate(
        "(() => { const g = __deep.all(null, el => el.tagName === 'HUI-GAUGE-CARD')"
        ".find(g => __deep.text(g).includes('Producing now'));"
        " return g ? __deep.text(g) : ''; })()"
    )
    if not re.search(r"\d", str(gauge)) or "unavailable" in str(gauge).lower():
        raise CheckError(f"the production gauge shows no value: {gauge!r}")
    # Power flow now draws its chart from the power sensors the offer put into the Energy
    # settings; without them it says there is no data.
    flows = await browser.evaluate(
        "(() => { const c = __deep.all(null, el => el.tagName === 'HUI-POWER-SANKEY-CARD')[0];"
        " return !!c && __deep.all(c, el => el.tagName === 'HA-SANKEY-CHART').length > 0; })()"
    )
    if not flows:
        raise CheckError("the Power flow now card draws no flows")
    today = await browser.evaluate(
        "__deep.all(null, el => el.tagName === 'HUI-STATISTIC-CARD').map(c => __deep.text(c))"
    )
    if empty := [t.strip() for t in today if not re.search(r"\d", t)]:
        raise CheckError(f"'Today' tiles without a figure: {empty}")
    await browser.route(f"/{DASHBOARD_URL}/panels")
    await browser.wait_text(["Panels 1-" if site.inverters else "no microinverters"], 60)
    await asyncio.sleep(8)
    await browser.screenshot(OUT / "09-dashboard-panels.png", full_page=True)
    tiles = await browser.evaluate(
        "__deep.all(null, el => el.tagName === 'HUI-TILE-CARD').map(g => __deep.text(g))"
    )
    valued = [t for t in tiles if re.search(NUMBER_WITH_UNIT, t)]
    if len(valued) < len(site.inverters):
        raise CheckError(f"{len(valued)} of {len(site.inverters)} panel tiles show a value")
    return (
        f"production {str(gauge).strip()}, the power flow drawn, {len(today)} 'Today' "
        f"figures, {len(valued)} panels with values"
    )


async def check_history_graphs(owner: Owner) -> str:
    """Every history graph on the dashboard has a line per sensor going back about a day."""
    browser, site = owner.browser, owner.the_site()
    found = 0
    for view in ("site", "panels") if site.inverters else ("site",):
        await browser.route(f"/{DASHBOARD_URL}/{view}")
        await asyncio.sleep(8)
        lines = await browser.evaluate(HISTORY_LINES_JS)
        if not lines:
            raise CheckError(f"no history graph on the {view} view")
        old = time.time() - HISTORY_HOURS * 3600
        for entity_id, points, earliest in lines:
            if points < MIN_POINTS or earliest is None or earliest / 1000 > old:
                first = earliest and datetime.fromtimestamp(earliest / 1000, UTC)
                raise CheckError(
                    f"{entity_id} on the {view} view: {points} points, the first at {first}"
                )
        found += len(lines)
    return f"{found} lines going back a day"


async def check_energy_dashboard(owner: Owner) -> str:
    """The Energy dashboard's cards are filled: today's energy, not 0 Wh everywhere."""
    browser = owner.browser
    await browser.route("/energy")
    await browser.wait_text(["Energy distribution"], 60)
    await asyncio.sleep(8)
    await browser.screenshot(OUT / "13-energy-dashboard.png")
    distribution = str(await browser.evaluate(card_text_js("HUI-ENERGY-DISTRIBUTION-CARD")))
    figures = energy_figures(distribution)
    if not any(figures):
        raise CheckError(f"the energy distribution shows no energy: {distribution[:300]!r}")
    sources = str(await browser.evaluate(card_text_js("HUI-ENERGY-SOURCES-TABLE-CARD")))
    totals = energy_figures(sources)
    if sources and not any(totals):
        raise CheckError(f"the sources table shows no energy: {sources[:300]!r}")
    return f"distribution {figures} kWh, sources table {totals} kWh"
