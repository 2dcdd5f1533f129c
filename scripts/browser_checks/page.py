"""What the test reads off Home Assistant's pages (web components: through shadow roots)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import re
from typing import Any

from browser_cdp import Browser
from devstack.common import DOMAIN
from devstack.site import Site

from .common import CheckError

NUMBER_WITH_UNIT = r"-?\d+(?:[.,]\d+)?\s?(?:kWh|kW|W|VA|var|V|A|Hz|°C|°F|%|KiB|MiB|dBm)(?![A-Za-z])"
ENERGY_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s?k?Wh")
# "in 9 hours": a time Home Assistant shows as still to come
FUTURE = re.compile(r"\bin (?:\d+|an?|a few) (?:seconds?|minutes?|hours?|days?)\b", re.IGNORECASE)

# Each history graph line: [entity id, points (recorded states and statistics), first stamp ms]
HISTORY_LINES_JS = """
__deep.all(null, el => el.tagName === 'STATE-HISTORY-CHART-LINE').flatMap(line =>
  (line.data || []).map(d => {
    const points = (d.states || []).concat(d.statistics || []);
    const stamps = points.map(p => p.last_changed).filter(x => x);
    return [d.entity_id, points.length, stamps.length ? Math.min(...stamps) : null];
  }))
"""


def card_text_js(tag: str) -> str:
    """JavaScript: the text of the first card element called tag ('' without one)."""
    return (
        f"(() => {{ const c = __deep.all(null, el => el.tagName === {json.dumps(tag)})[0];"
        " return c ? __deep.text(c) : ''; })()"
    )


def row_texts_js(entities: list[str]) -> str:
    """JavaScript: each entity's row text on the page (entity id -> text, '' without a row)."""
    return (
        f"Object.fromEntries({json.dumps(entities)}.map(id => [id, __deep.all(null, el => "
        "el.tagName === 'HUI-GENERIC-ENTITY-ROW' && el.config && el.config.entity === id)"
        ".map(row => __deep.text(row)).join(' ')]))"
    )


async def row_texts(browser: Browser, entities: list[str]) -> dict[str, str]:
    """The rows of entities on the page as they read now."""
    return dict(await browser.evaluate(row_texts_js(entities)))


async def brand_icons(browser: Browser) -> str:
    """The integration's brand images on the page: 'loaded', 'broken' or 'missing'."""
    images = await browser.evaluate(
        "__deep.all(null, el => el.tagName === 'IMG' && el.src.includes("
        f"'/brands/integration/{DOMAIN}/')).map(i => [i.complete, i.naturalWidth])"
    )
    if not images:
        return "missing"
    return "loaded" if all(done and width > 0 for done, width in images) else "broken"


async def tall_screenshot(browser: Browser, path: Path) -> None:
    """A screenshot as tall as the page (a dashboard scrolls inside the app)."""
    height = await browser.evaluate("document.documentElement.scrollHeight")
    await browser.resize(browser.width, max(browser.height, int(height)))
    await asyncio.sleep(1.5)
    await browser.screenshot(path)
    await browser.resize(browser.width, browser.height)


def energy_figures(text: str) -> list[float]:
    """The kWh / Wh figures in a card's text."""
    return [float(value.replace(",", "")) for value in ENERGY_FIGURE.findall(text)]


def device_name(device: dict[str, Any]) -> str:
    """What a device registry entry is called in the UI."""
    return str(device.get("name_by_user") or device.get("name") or "")


def text_around(text: str, match: re.Match[str]) -> str:
    """A little of the page text around a match."""
    return text[max(0, match.start() - 40) : match.end() + 10].strip()


def check_private(text: str, site: Site) -> None:
    """The page must not show the PVS serial's last 5 characters: the LocalAPI password."""
    if len(site.pvs_serial) >= 5 and site.pvs_serial[-5:].lower() in text.lower():
        raise CheckError("the page shows the PVS serial's last 5 characters (its password)")
