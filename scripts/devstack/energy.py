"""The Energy dashboard, set up the way an owner does it: by accepting the integration's offer.

A grid source is one flat connection since Home Assistant 2026.3 (``stat_energy_from``,
``stat_energy_to``, ``stat_rate``); a configuration from before may still hold the older
``flow_from`` / ``flow_to`` / ``power`` lists, which these helpers read too.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .common import DOMAIN, say
from .ha_client import Rest, WebSocket
from .site import BATTERY_CHARGED, BATTERY_DISCHARGED, GRID_EXPORT, GRID_IMPORT, SOLAR, Site

ENERGY_OFFER = "energy_offer"
Source = dict[str, Any]


async def energy_sources(ws: WebSocket) -> list[Source]:
    """The Energy dashboard's sources; none before it was ever configured."""
    try:
        prefs = await ws.call("energy/get_prefs")
    except RuntimeError as err:
        if "not_found" in str(err):
            return []
        raise
    return list(prefs.get("energy_sources", []))


def grid_sensors(source: Source) -> tuple[set[str], set[str]]:
    """A grid source's (import, export) energy sensors, in either shape."""
    if "flow_from" in source:
        return (
            {flow["stat_energy_from"] for flow in source["flow_from"]},
            {flow["stat_energy_to"] for flow in source["flow_to"]},
        )
    return (
        {source["stat_energy_from"]} if source.get("stat_energy_from") else set(),
        {source["stat_energy_to"]} if source.get("stat_energy_to") else set(),
    )


def named_sensors(source: Source) -> set[str]:
    """Every sensor a source names."""
    named = {v for k, v in source.items() if k.startswith("stat_") and isinstance(v, str)}
    imported, exported = grid_sensors(source) if source["type"] == "grid" else (set(), set())
    rates = {p["stat_rate"] for p in source.get("power", []) if p.get("stat_rate")}
    return named | imported | exported | rates


async def energy_offer(ws: WebSocket, entry_id: str, limit_s: float = 0) -> dict[str, Any] | None:
    """The integration's open Energy dashboard offer (a fixable repair issue) for entry_id."""
    deadline = time.monotonic() + limit_s
    while True:
        issues = (await ws.call("repairs/list_issues"))["issues"]
        for issue in issues:
            if issue["domain"] == DOMAIN and issue["issue_id"] == f"{entry_id}_{ENERGY_OFFER}":
                return dict(issue)
        if time.monotonic() > deadline:
            return None
        await asyncio.sleep(0.5)


async def accept_energy_offer(api: Rest, issue_id: str) -> None:
    """Settings → Repairs → the offer → Submit, over the REST API."""
    path = "/api/repairs/issues/fix"
    form = await api.call("POST", path, {"handler": DOMAIN, "issue_id": issue_id})
    if form.get("type") != "form":
        raise RuntimeError(f"the Energy dashboard offer did not show its confirmation: {form}")
    result = await api.call("POST", f"{path}/{form['flow_id']}", {})
    if result.get("type") != "create_entry":
        raise RuntimeError(f"the Energy dashboard offer was not accepted: {result}")


def energy_problems(sources: list[Source], site: Site) -> list[str]:
    """What the site's offer should have put into the Energy sources but is not there."""
    problems = []
    by_type: dict[str, list[Source]] = {}
    for source in sources:
        by_type.setdefault(source["type"], []).append(source)
    solar = site.energy.get(SOLAR)
    if solar and not any(s["stat_energy_from"] == solar for s in by_type.get("solar", [])):
        problems.append(f"solar production is not {solar}")
    grid_from: set[str] = set()
    grid_to: set[str] = set()
    for source in by_type.get("grid", []):
        imported, exported = grid_sensors(source)
        grid_from |= imported
        grid_to |= exported
    imported_id, exported_id = site.energy.get(GRID_IMPORT), site.energy.get(GRID_EXPORT)
    if imported_id and imported_id not in grid_from:
        problems.append(f"grid consumption is not {imported_id}")
    if exported_id and exported_id not in grid_to:
        problems.append(f"return to grid is not {exported_id}")
    charged, discharged = site.energy.get(BATTERY_CHARGED), site.energy.get(BATTERY_DISCHARGED)
    if (
        charged
        and discharged
        and not any(
            s["stat_energy_to"] == charged and s["stat_energy_from"] == discharged
            for s in by_type.get("battery", [])
        )
    ):
        problems.append(f"the home battery is not {charged} / {discharged}")
    return problems


def describe_sources(sources: list[Source]) -> str:
    """solar, grid, battery: the kinds of source the Energy dashboard has."""
    kinds = [source["type"] for source in sources]
    return ", ".join(dict.fromkeys(kinds)) or "none"


async def set_up_energy(api: Rest, ws: WebSocket, entry_id: str, site: Site) -> str:
    """Accept the integration's Energy dashboard offer when it is made; say what happened."""
    # The offer is made at setup unless a solar source exists; then it never comes.
    has_solar = any(source["type"] == "solar" for source in await energy_sources(ws))
    issue = await energy_offer(ws, entry_id, limit_s=0 if has_solar else 30)
    if issue is None or issue["ignored"]:
        sources = await energy_sources(ws)
        why = "you ignored the offer" if issue else "no offer under Repairs"
        return f"{describe_sources(sources)} (kept as it was; {why})"
    await accept_energy_offer(api, issue["issue_id"])
    sources = await energy_sources(ws)
    if problems := energy_problems(sources, site):
        say(f"warning: the Energy dashboard offer left out: {'; '.join(problems)}")
    return f"{describe_sources(sources)} (the integration's offer under Repairs, accepted)"


async def sources_without(ws: WebSocket, gone: set[str]) -> None:
    """Drop the Energy sources (and grid connections) that name a sensor in gone."""
    sources = await energy_sources(ws)
    kept = [s for s in (_without(source, gone) for source in sources) if s is not None]
    if kept != sources:
        await ws.call("energy/save_prefs", energy_sources=kept)


def _without(source: Source, gone: set[str]) -> Source | None:
    """Source without what names a sensor in gone; None when nothing is left."""
    if source["type"] != "grid" or "flow_from" not in source:
        return None if named_sensors(source) & gone else source
    flows_from = [f for f in source["flow_from"] if f["stat_energy_from"] not in gone]
    flows_to = [f for f in source["flow_to"] if f["stat_energy_to"] not in gone]
    if not flows_from and not flows_to:
        return None
    kept = {**source, "flow_from": flows_from, "flow_to": flows_to}
    if "power" in source:
        kept["power"] = [p for p in source["power"] if p.get("stat_rate") not in gone]
    return kept
