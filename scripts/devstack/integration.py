"""The integration's entry: added through its config flow, its options, an earlier site replaced."""

from __future__ import annotations

from typing import Any

import aiohttp

from .common import DOMAIN, numeric
from .energy import sources_without
from .ha_client import Rest, WebSocket
from .site import GRID_EXPORT, GRID_IMPORT, HOME, SOLAR, Site, read_site, wait_for_sensors

GRID_IMPORT_REGISTER = "grid_import_register"
LAST_POLL = "last_poll"  # the supervisor's sensor of the last successful poll
COUNTING_WAIT_S = 45.0
ENTRIES = "/api/config/config_entries/entry"


async def add_integration(api: Rest, host: str) -> str:
    """Run the config flow for host over the REST API; return the entry id (new or updated)."""
    path = "/api/config/config_entries/flow"
    flow = await api.call("POST", path, {"handler": DOMAIN, "show_advanced_options": False})
    result = await api.call("POST", f"{path}/{flow['flow_id']}", {"host": host})
    if result.get("type") == "create_entry":
        return str(result["result"]["entry_id"])
    if result.get("type") == "abort" and result.get("reason") == "already_configured":
        entries = await api.call("GET", ENTRIES, params={"domain": DOMAIN})
        # The flow updated the matching entry's host; reload it so it polls the new port now.
        for entry in entries:
            await api.call("POST", f"{ENTRIES}/{entry['entry_id']}/reload")
        return str(entries[0]["entry_id"]) if len(entries) == 1 else ""
    raise RuntimeError(f"config flow did not finish: {result}")


async def simulator_serial(session: aiohttp.ClientSession, pvs_url: str) -> str:
    """The simulated PVS's serial, from the supervisor information every PVS answers openly."""
    async with session.get(f"{pvs_url}/cgi-bin/dl_cgi/supervisor/info") as resp:
        resp.raise_for_status()
        info = await resp.json(content_type=None)
    return str(info["supervisor"]["SERIAL"])


async def other_sites(api: Rest, ws: WebSocket, serial: str) -> list[str]:
    """Entries of this domain for another PVS than serial (an earlier run's other profile)."""
    entries = await api.call("GET", ENTRIES, params={"domain": DOMAIN})
    registry = await ws.call("config/entity_registry/list")
    this_pvs = {
        e["config_entry_id"]
        for e in registry
        if e["platform"] == DOMAIN and str(e["unique_id"]).startswith(f"{serial}_")
    }
    return [str(e["entry_id"]) for e in entries if e["entry_id"] not in this_pvs]


async def remove_sites(api: Rest, ws: WebSocket, entry_ids: list[str]) -> set[str]:
    """Delete entries, and the Energy sources naming their sensors, as when a PVS is replaced.

    Their sensors would otherwise stay in the Energy settings, and the new site's offer would
    not be made because a solar source exists. Returns the entity ids that went.
    """
    registry = await ws.call("config/entity_registry/list")
    gone = {str(e["entity_id"]) for e in registry if e["config_entry_id"] in entry_ids}
    await sources_without(ws, gone)
    for entry_id in entry_ids:
        await api.call("DELETE", f"{ENTRIES}/{entry_id}")
    return gone


async def set_options(api: Rest, entry_id: str, changes: dict[str, Any]) -> bool:
    """The options flow over the REST API: changes, the rest as it is; True if it saved.

    Saving changed options reloads the entry.
    """
    path = "/api/config/config_entries/options/flow"
    form = await api.call("POST", path, {"handler": entry_id})
    if form.get("type") != "form":
        raise RuntimeError(f"the options flow did not show its form: {form}")
    values: dict[str, Any] = {}
    for field in form["data_schema"]:
        suggested = (field.get("description") or {}).get("suggested_value")
        if suggested is not None:
            values[field["name"]] = suggested
        elif "default" in field:
            values[field["name"]] = field["default"]
    if all(values.get(key) == value for key, value in changes.items()):
        await api.call("DELETE", f"{path}/{form['flow_id']}")
        return False
    result = await api.call("POST", f"{path}/{form['flow_id']}", values | changes)
    if result.get("type") != "create_entry":
        raise RuntimeError(f"the options flow did not finish: {result}")
    return True


async def grid_values(api: Rest, ws: WebSocket, entry_id: str, site: Site, register: str) -> Site:
    """Give the grid energy sensors a value now: pick the simulated meter's import register.

    An owner who knows their installation does the same under Options → Grid import register;
    left on automatic the sensors wait for about 0.2 kWh of night use. Sites without a
    consumption meter have no grid sensors.
    """
    grid = [key for key in (GRID_IMPORT, GRID_EXPORT) if key in site.sensors]
    if not grid or not entry_id or all(numeric(site.states.get(site.sensors[k])) for k in grid):
        return site
    await set_options(api, entry_id, {GRID_IMPORT_REGISTER: register})
    return await wait_for_sensors(ws, entry_id, [SOLAR, *grid])


async def counting_now(api: Rest, ws: WebSocket, entry_id: str, site: Site) -> Site:
    """Give the home energy counter, which starts at a later poll, a value now.

    It starts at the second poll after the grid register is known, five minutes later (the
    battery's counters wait for the state of charge to tell them apart, which takes hours).
    One poll now, as Home Assistant's "Update entity" action on the PVS's *Last poll* sensor
    asks for, gives it its first value; only when it has none (bounded).
    """
    last_poll = site.entity(LAST_POLL)
    if HOME not in site.sensors or site.valued(HOME) or last_poll is None:
        return site
    await api.call("POST", "/api/services/homeassistant/update_entity", {"entity_id": last_poll})
    try:
        return await wait_for_sensors(ws, entry_id, [HOME], limit_s=COUNTING_WAIT_S)
    except TimeoutError:
        return await read_site(ws, entry_id)
