"""Onboarding: the development account, and none of the online services.

Home Assistant's onboarding has four steps. Finishing the core configuration step over its
API sets up Google Translate, Met.no, Radio Browser and a shopping list, which need the
internet (and packages .venv-develop leaves out) and fill the log with errors. The location,
time zone, country and currency are in configuration.yaml instead, so that step has nothing
left to ask: it is marked done in onboarding's store before Home Assistant starts, like the
analytics and frontend steps, and only the account is created over the API.

The account's profile shows times in the server's time zone (the simulated site's), not the
browser's: "today" on the Energy dashboard is then the site's day wherever you are.
"""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
from homeassistant.components.onboarding import STORAGE_KEY, STORAGE_VERSION
from homeassistant.components.onboarding.const import STEP_USER, STEPS

from .ha_client import PASSWORD, USERNAME, WebSocket, exchange_code, login

# The frontend's locale settings (user data "language"); time_zone "server" instead of "local".
LOCALE = {
    "language": "en",
    "number_format": "language",
    "time_format": "language",
    "date_format": "language",
    "time_zone": "server",
    "first_weekday": "language",
}


def skip_online_steps(config_dir: Path) -> None:
    """Mark every onboarding step but the account done; call before Home Assistant starts."""
    store = config_dir / ".storage" / STORAGE_KEY
    done: list[str] = []
    if store.exists():
        done = list(json.loads(store.read_text())["data"]["done"])
    wanted = [step for step in STEPS if step != STEP_USER]
    if all(step in done for step in wanted):
        return
    store.parent.mkdir(parents=True, exist_ok=True)
    data = {"done": done + [step for step in wanted if step not in done]}
    body = {"version": STORAGE_VERSION, "minor_version": 1, "key": STORAGE_KEY, "data": data}
    store.write_text(json.dumps(body, indent=2))


async def onboard(session: aiohttp.ClientSession, base: str) -> str:
    """Create the development account (once); return an access token for it."""
    async with session.get(f"{base}/api/onboarding") as resp:
        if resp.status == 404:  # onboarding finished on an earlier run: its API is gone
            return await login(session, base)
        resp.raise_for_status()
        done = {step["step"] for step in await resp.json() if step["done"]}
    if STEP_USER in done:
        return await login(session, base)
    body = {
        "client_id": f"{base}/",
        "name": "Developer",
        "username": USERNAME,
        "password": PASSWORD,
        "language": "en",
    }
    async with session.post(f"{base}/api/onboarding/users", json=body) as resp:
        resp.raise_for_status()
        return await exchange_code(session, base, (await resp.json())["auth_code"])


async def use_server_time_zone(ws: WebSocket) -> None:
    """Profile → Time zone: the server's, unless the account chose otherwise already."""
    if (await ws.call("frontend/get_user_data", key="language")).get("value") is None:
        await ws.call("frontend/set_user_data", key="language", value=LOCALE)
