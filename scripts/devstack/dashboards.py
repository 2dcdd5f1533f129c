"""The example dashboard (dashboards/sunpower.yaml), filled in with the running site's ids."""

from __future__ import annotations

from pathlib import Path
import re
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]

from .common import REPO
from .ha_client import WebSocket
from .site import Site

DASHBOARD_YAML = REPO / "dashboards" / "sunpower.yaml"
DASHBOARD_URL = "sunpower-pvs"
PANELS_PER_GRAPH = 12
EXAMPLE_PREFIX = re.compile(
    r"sensor\.(pvs[56]?|production_meter_[0-9a-z]+|consumption_meter_[0-9a-z]+|sunvault_[0-9a-z]+)_"
)
NO_PANELS = (
    "The PVS reports no microinverters at night: they appear at sunrise, and this view lists "
    "them when `scripts/develop` starts again."
)
# Keys whose entity must exist for the card (or the row) to stay.
ENTITY_KEYS = ("entity", "stat_consumption", "stat_production")


def _kind_of(prefix: str) -> str:
    return "pvs" if prefix.startswith("pvs") else prefix.rsplit("_", 1)[0]


def _localise(node: Any, site: Site) -> Any:
    """Swap the example's device prefixes for the site's; None when an entity is missing."""
    if isinstance(node, str):

        def swap(match: re.Match[str]) -> str:
            return f"{site.prefixes.get(_kind_of(match.group(1)), 'sensor.missing')}_"

        return EXAMPLE_PREFIX.sub(swap, node)
    if isinstance(node, list):
        return [v for v in (_localise(item, site) for item in node) if v is not None]
    if isinstance(node, dict):
        result = {key: _localise(value, site) for key, value in node.items()}
        for key in ENTITY_KEYS:
            value = result.get(key)
            if isinstance(value, str) and value.startswith("sensor.") and not site.has(value):
                return None
        if isinstance(result.get("entities"), list) and not result["entities"]:
            return None
        if isinstance(result.get("cards"), list) and not result["cards"] and "type" in result:
            return None
        return result
    return node


def short_name(entity_id: str) -> str:
    """Inverter 067069 for sensor.inverter_067069_power."""
    return "Inverter " + entity_id.removeprefix("sensor.inverter_").removesuffix("_power")


def panel_view(site: Site, template: dict[str, Any]) -> dict[str, Any]:
    """The per-panel view for this site's inverters, shaped like the example's.

    One full-width card: a 24-hour graph of the inverters' power per group of 12 panels, then
    one tile per inverter with its power now.
    """
    view = {key: value for key, value in template.items() if key not in ("cards", "sections")}
    view["panel"] = True
    inverters = list(site.inverters)
    groups = [
        inverters[i : i + PANELS_PER_GRAPH] for i in range(0, len(inverters), PANELS_PER_GRAPH)
    ]
    cards: list[dict[str, Any]] = [
        {
            "type": "history-graph",
            "title": f"Panels {PANELS_PER_GRAPH * number + 1}-"
            f"{PANELS_PER_GRAPH * number + len(group)}",
            "hours_to_show": 24,
            "entities": [{"entity": e, "name": short_name(e)} for e in group],
        }
        for number, group in enumerate(groups)
    ]
    cards.append(
        {
            "type": "grid",
            "columns": 6,
            "square": False,
            "cards": [
                {"type": "tile", "entity": e, "name": short_name(e).removeprefix("Inverter ")}
                for e in inverters
            ],
        }
    )
    if not inverters:
        cards = [{"type": "markdown", "content": NO_PANELS}]
    view["cards"] = [{"type": "vertical-stack", "cards": cards}]
    return view


def build_dashboard(site: Site, path: Path = DASHBOARD_YAML) -> dict[str, Any]:
    """The example dashboard with this site's entity ids and one card per inverter."""
    example = yaml.safe_load(path.read_text())
    views = [
        panel_view(site, view) if view.get("path") == "panels" else _localise(view, site)
        for view in example["views"]
    ]
    return {**example, "views": views}


async def install_dashboard(ws: WebSocket, config: dict[str, Any]) -> str:
    """Create (once) a storage-mode dashboard and save config into it; its first view's path."""
    dashboards = await ws.call("lovelace/dashboards/list")
    if not any(d["url_path"] == DASHBOARD_URL for d in dashboards):
        await ws.call(
            "lovelace/dashboards/create",
            url_path=DASHBOARD_URL,
            title=config.get("title", "SunPower"),
            icon="mdi:solar-power-variant",
            show_in_sidebar=True,
            require_admin=False,
        )
    await ws.call("lovelace/config/save", url_path=DASHBOARD_URL, config=config)
    return f"/{DASHBOARD_URL}/{config['views'][0].get('path', '0')}"
