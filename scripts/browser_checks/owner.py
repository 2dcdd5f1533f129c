"""An owner's browser: logging in, Add integration, the devices and their pages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import re
from typing import Any

from browser_cdp import Browser
from devstack.common import DOMAIN
from devstack.ha_client import PASSWORD, USERNAME, Rest, WebSocket
from devstack.processes import Stack
from devstack.sim_model import inverters_reported
from devstack.site import Site, wait_for_values

from .common import OUT, CheckError, Checks, Progress
from .page import FUTURE, NUMBER_WITH_UNIT, brand_icons, device_name, text_around

# The config flow's last page: devices to name (2026.x), or success; or an error
FLOW_END = (
    "Name and assign|Devices created|Created configuration|Success"
    "|Could not reach|not a SunPower|Unexpected"
)
FLOW_ERROR = re.compile(r"Could not reach|not a SunPower|Unexpected error")
SEARCH = "search-input input, ha-input-search input, input"
FUTURE_PAGES_PER_KIND = 3


@dataclass
class Owner:
    """An owner's browser, and the test's own connections to the same Home Assistant."""

    browser: Browser
    stack: Stack
    api: Rest
    ws: WebSocket
    progress: Progress
    checks: Checks
    site: Site | None = None
    entry_id: str = ""
    log_lines_before_outage: int | None = None  # None: the whole log counts

    def the_site(self) -> Site:
        """The site, once the integration is set up."""
        if self.site is None:
            raise CheckError("the integration is not set up")
        return self.site

    async def log_in(self) -> None:
        """Log in on Home Assistant's login page with the development account."""
        browser = self.browser
        await browser.goto(f"{self.stack.base_url}/")
        await browser.wait_text(["Log in", "Username"], 60)
        await browser.fill("input[name=username]", USERNAME)
        await browser.fill("input[name=password]", PASSWORD)
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
        self.progress.step("logged in")

    async def add_integration(self) -> str:
        """Settings → Devices & services → Add integration → SunPower PVS → host → finish.

        Returns how the integration's icon looked in the Add integration list.
        """
        browser = self.browser
        await browser.route("/config/integrations/dashboard")
        await browser.wait_text(["Add integration"], 60)
        await asyncio.sleep(1)
        await browser.screenshot(OUT / "02-devices-and-services.png")
        await browser.click("ha-fab, ha-button, mwc-button", "Add integration")
        await browser.wait_text(["Select brand"], 30)
        await asyncio.sleep(0.5)
        await browser.fill("input", "SunPower", index=-1)  # the dialog's search field
        await browser.wait_text(["SunPower PVS"], 30)
        await asyncio.sleep(1.5)
        await browser.screenshot(OUT / "03-select-brand.png")
        listed = await brand_icons(browser)
        await browser.click_item("SunPower PVS")
        await browser.wait_text(["Connect to your PVS"], 60)
        await browser.fill("input", self.stack.simulator.address, index=-1)
        await asyncio.sleep(0.5)
        await browser.screenshot(OUT / "04-config-flow.png")
        await browser.click("ha-button, mwc-button", "Submit", exact=True)
        self.progress.step("config flow submitted")
        text = await browser.wait_for(
            f"(() => {{ const t = __deep.text(); return /{FLOW_END}/i.test(t) && t; }})()",
            90,
            "the end of the config flow",
        )
        if FLOW_ERROR.search(str(text)):
            raise CheckError(f"the config flow showed an error: {str(text)[:400]}")
        await asyncio.sleep(1)
        await browser.screenshot(OUT / "05-config-flow-done.png")
        await browser.click("ha-button, mwc-button", "Finish", timeout_s=30)
        self.progress.step("config flow finished")
        entries = await self.ws.call("config_entries/get", domain=DOMAIN)
        self.entry_id = str(entries[0]["entry_id"])
        expected = inverters_reported(self.stack.simulator, datetime.now(UTC))
        self.site = await wait_for_values(self.ws, self.entry_id, inverters=expected)
        night = "" if expected else " (night at the site: the PVS reports no inverters)"
        self.progress.step(
            f"{len(self.site.inverters)} inverters of {len(self.site.entity_ids)} entities "
            f"report{night}"
        )
        return listed

    async def check_brand_icons(self, listed: str) -> str:
        """The integration's icon is an image, in the Add integration list and on its card."""
        if listed != "loaded":
            raise CheckError(f"in the Add integration list the icon is {listed}")
        await self.browser.route("/config/integrations/dashboard")
        await self.browser.wait_text(["SunPower PVS"], 30)
        await asyncio.sleep(2)
        on_card = await brand_icons(self.browser)
        if on_card != "loaded":
            raise CheckError(f"on the integrations page the icon is {on_card}")
        return "loaded in the Add integration list and on the integrations page"

    async def devices(self) -> list[dict[str, Any]]:
        """The integration's devices: supervisor, meters, the site, SunVault, then inverters."""
        registry = await self.ws.call("config/device_registry/list")
        ours = [d for d in registry if self.entry_id in d.get("config_entries", [])]
        return sorted(ours, key=lambda d: (device_name(d).startswith("Inverter"), device_name(d)))

    async def check_devices(self) -> str:
        """The devices page lists them all, and every device page shows values."""
        site, browser = self.the_site(), self.browser
        devices = await self.devices()
        inverters = [d for d in devices if device_name(d).startswith("Inverter")]
        if len(inverters) != len(site.inverters):
            raise CheckError(
                f"{len(inverters)} inverter devices, {len(site.inverters)} inverter power sensors"
            )
        await browser.route(f"/config/devices/dashboard?historyBack=1&config_entry={self.entry_id}")
        await browser.wait_text(["PVS"], 60)
        await asyncio.sleep(2)
        await browser.screenshot(OUT / "06-devices.png", full_page=True)
        if missing := await self._unlisted([device_name(d) for d in devices]):
            raise CheckError(f"devices not listed: {missing}")
        self.progress.step(
            f"devices page lists {len(devices)} devices ({len(inverters)} inverters)"
        )
        for device in devices:
            name = device_name(device)
            await self.open_device(device["id"], name)
            if not name.startswith("Inverter") or device is inverters[0]:
                await asyncio.sleep(1.5)
                slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
                await browser.screenshot(OUT / f"07-device-{slug}.png")
        return f"{len(devices)} device pages show values"

    async def _unlisted(self, names: list[str]) -> list[str]:
        """Of names, those the devices table does not list (searching the virtualised rest)."""
        browser = self.browser
        text = await browser.text()
        missing = [n for n in names if n not in text]
        for name in missing[:]:
            await browser.fill(SEARCH, name, index=0)
            await asyncio.sleep(0.6)
            if name in await browser.text():
                missing.remove(name)
        if missing != names:
            await browser.fill(SEARCH, "", index=0)
        return missing

    async def open_device(self, device_id: str, name: str) -> str:
        """A device's page, once it shows the device's sensor values; its text."""
        await self.browser.route(f"/config/devices/device/{device_id}")
        page = "__deep.all(null, el => el.tagName === 'HA-CONFIG-DEVICE-PAGE'"
        page += f" && el.deviceId === {json.dumps(device_id)})[0]"
        text = await self.browser.wait_for(
            f"(() => {{ const p = {page}; if (!p) return false; const t = __deep.text(p);"
            f" return t.includes({json.dumps(name)}) && /(Sensors|Diagnostic)/.test(t)"
            f" && /{NUMBER_WITH_UNIT}/.test(t) && t; }})()",
            30,
            f"sensor values on the page of {name}",
        )
        return str(text)

    async def site_device(self) -> str:
        """The registry id of the SunPower site device."""
        for device in await self.devices():
            if device_name(device) == "SunPower site":
                return str(device["id"])
        raise CheckError("no SunPower site device")

    async def check_no_future(self) -> str:
        """No device page says a time is still to come ("Last report in 9 hours")."""
        devices = await self.devices()
        inverters = [d for d in devices if device_name(d).startswith("Inverter")]
        others = [d for d in devices if not device_name(d).startswith("Inverter")]
        future = []
        for device in others + inverters[:FUTURE_PAGES_PER_KIND]:
            await self.open_device(device["id"], device_name(device))
            await asyncio.sleep(1)  # relative times render after the values
            text = await self.browser.text()
            if match := FUTURE.search(text):
                future.append(f"{device_name(device)}: {text_around(text, match)}")
        if future:
            raise CheckError(f"times in the future: {future}")
        if not inverters:
            return f"{len(others)} device pages (no inverter pages: night at the site)"
        return f"{len(others)} device pages and {min(3, len(inverters))} inverters'"
