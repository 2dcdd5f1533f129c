"""Run a simulated PVS and a real Home Assistant with this integration; used by scripts/develop.

Also a small library for scripts/browser_test.py: free ports, starting and stopping both
processes, onboarding over the REST API, adding the integration, the websocket API, choosing
the grid import register, the integration's Energy dashboard offer, and loading the example
dashboard with the entity ids of the running site.

Runs with .venv-develop's Python (Home Assistant, its frontend, aiohttp and PyYAML).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import aiohttp
import yaml

REPO = Path(__file__).resolve().parent.parent
DOMAIN = "sunpower_pvs"
DASHBOARD_YAML = REPO / "dashboards" / "sunpower.yaml"
DASHBOARD_URL = "sunpower-pvs"
USERNAME = "dev"
PASSWORD = "sunpower"  # a local, loopback-only development account
LOCALHOST = "127.0.0.1"


def say(message: str) -> None:
    """Progress line, like scripts/lib.sh's say."""
    print(f"==> {message}", flush=True)


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    """True when nothing listens on port (loopback); closed connections may linger."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOCALHOST, port))
        except OSError:
            return False
        return True


def default_start() -> datetime:
    """Now when the sun is up on the simulated Californian roof, else its next 09:00 (17:00 UTC).

    The simulator's clock runs from this moment, so the panels produce when you try it.
    """
    now = datetime.now(UTC)
    site_hour = (now.hour + now.minute / 60 - 8) % 24
    if 9 <= site_hour <= 15:
        return now
    start = now.replace(hour=17, minute=0, second=0, microsecond=0)
    return start if start > now else start + timedelta(days=1)


def prepare_config(config_dir: Path) -> None:
    """Make config_dir a Home Assistant configuration that loads the working tree's integration."""
    config_dir.mkdir(parents=True, exist_ok=True)
    template = REPO / "config" / "configuration.yaml"
    if config_dir.resolve() != template.parent.resolve():
        shutil.copyfile(template, config_dir / "configuration.yaml")
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / DOMAIN
    target = REPO / "custom_components" / DOMAIN
    if link.is_symlink() or link.exists():
        if link.is_symlink() and link.resolve() == target.resolve():
            return
        if link.is_symlink() or link.is_file():
            link.unlink()
        else:
            shutil.rmtree(link)
    link.symlink_to(os.path.relpath(target, custom))


@dataclass
class Stack:
    """The simulator and Home Assistant as child processes, each in its own process group."""

    config_dir: Path
    log_dir: Path
    profile: str = "typical"
    firmware: str = "localapi"
    speed: float = 1.0
    start: datetime | None = None
    ha_port: int = 8123
    sim_port: int = 0
    telemetry_port: int = 0
    latency: bool = True
    # Which consumption-meter counter the simulated installer's CTs made the import one; the
    # grid register option develop picks (choose_grid_register) says the same.
    import_counter: str = "positive"
    session_ttl_s: float = 0  # LocalAPI session life in simulated seconds; 0: the simulator's
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """Home Assistant's address."""
        return f"http://{LOCALHOST}:{self.ha_port}"

    @property
    def pvs_host(self) -> str:
        """What to type into the config flow."""
        return f"{LOCALHOST}:{self.sim_port}"

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = (self.log_dir / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen(
            args,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        log.close()

    def start_processes(self) -> None:
        """Start the simulator, then Home Assistant."""
        self.sim_port = self.sim_port or free_port()
        self.telemetry_port = self.telemetry_port or free_port()
        start = self.start or default_start()
        sim_args = [
            sys.executable, "-m", "pvs_simulator",
            "--host", LOCALHOST,
            "--port", str(self.sim_port),
            "--telemetry-port", str(self.telemetry_port),
            "--profile", self.profile,
            "--firmware", self.firmware,
            "--speed", str(self.speed),
            "--start", start.isoformat(),
            "--import-counter", self.import_counter,
        ]  # fmt: skip
        if not self.latency:
            sim_args.append("--no-latency")
        if self.session_ttl_s:
            sim_args += ["--session-ttl", str(self.session_ttl_s)]
        self._spawn("simulator", sim_args)
        prepare_config(self.config_dir)
        hass = [sys.executable, "-m", "homeassistant", "-c", str(self.config_dir), "--skip-pip"]
        self._spawn("homeassistant", hass, {"SUNPOWER_PVS_HA_PORT": str(self.ha_port)})

    def check_alive(self) -> None:
        """Raise when a child has exited."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                log = self.log_dir / f"{name}.log"
                tail = log.read_text(errors="replace").splitlines()[-15:] if log.exists() else []
                raise RuntimeError(
                    f"{name} exited with {proc.returncode}; last lines of {log}:\n"
                    + "\n".join(tail)
                )

    def stop(self) -> None:
        """SIGTERM each process group, SIGKILL after 20 s; bounded."""
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.procs.clear()


async def wait_for(stack: Stack, session: aiohttp.ClientSession, limit_s: float = 120) -> None:
    """Wait until the simulator and Home Assistant's HTTP server answer."""
    deadline = time.monotonic() + limit_s
    for url in (f"http://{stack.pvs_host}/_sim/stats", f"{stack.base_url}/manifest.json"):
        while True:
            stack.check_alive()
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp:
                    if resp.status < 500:
                        break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {limit_s:.0f} s")
            await asyncio.sleep(0.5)


async def _token(session: aiohttp.ClientSession, base: str, code: str) -> str:
    data = {"grant_type": "authorization_code", "code": code, "client_id": f"{base}/"}
    async with session.post(f"{base}/auth/token", data=data) as resp:
        resp.raise_for_status()
        return str((await resp.json())["access_token"])


async def onboard(session: aiohttp.ClientSession, base: str) -> str:
    """Complete onboarding (once) and return an access token for the development user."""
    async with session.get(f"{base}/api/onboarding") as resp:
        if resp.status == 404:  # onboarding finished on an earlier run: its API is gone
            return await login(session, base)
        resp.raise_for_status()
        done = {step["step"] for step in await resp.json() if step["done"]}
    client_id = f"{base}/"
    if "user" not in done:
        body = {
            "client_id": client_id,
            "name": "Developer",
            "username": USERNAME,
            "password": PASSWORD,
            "language": "en",
        }
        async with session.post(f"{base}/api/onboarding/users", json=body) as resp:
            resp.raise_for_status()
            token = await _token(session, base, (await resp.json())["auth_code"])
    else:
        token = await login(session, base)
    headers = {"Authorization": f"Bearer {token}"}
    for step, body in (
        ("core_config", {}),
        ("analytics", {}),
        ("integration", {"client_id": client_id, "redirect_uri": f"{base}/?auth_callback=1"}),
    ):
        if step not in done:
            async with session.post(
                f"{base}/api/onboarding/{step}", json=body, headers=headers
            ) as resp:
                resp.raise_for_status()
    if "core_config" not in done:
        await remove_online_services(session, base, token, wait_s=15)
    return token


# Onboarding adds these; each needs the internet (or a package the develop venv leaves out).
ONLINE_DOMAINS = ("google_translate", "met", "radio_browser")


async def remove_online_services(
    session: aiohttp.ClientSession, base: str, token: str, wait_s: float
) -> None:
    """Delete the entries onboarding created for online services: this instance is offline.

    Onboarding starts their flows in the background, so wait (bounded) for Google Translate's.
    """
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{base}/api/config/config_entries/entry"
    deadline = time.monotonic() + wait_s
    while True:
        async with session.get(url, headers=headers) as resp:
            resp.raise_for_status()
            entries = await resp.json()
        if any(e["domain"] == "google_translate" for e in entries) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    for entry in entries:
        if entry["domain"] in ONLINE_DOMAINS:
            async with session.delete(f"{url}/{entry['entry_id']}", headers=headers) as resp:
                resp.raise_for_status()


async def login(session: aiohttp.ClientSession, base: str) -> str:
    """Log the development user in through the login flow the frontend uses."""
    client_id = f"{base}/"
    body = {
        "client_id": client_id,
        "handler": ["homeassistant", None],
        "redirect_uri": f"{base}/?auth_callback=1",
    }
    async with session.post(f"{base}/auth/login_flow", json=body) as resp:
        resp.raise_for_status()
        flow_id = (await resp.json())["flow_id"]
    creds = {"username": USERNAME, "password": PASSWORD, "client_id": client_id}
    async with session.post(f"{base}/auth/login_flow/{flow_id}", json=creds) as resp:
        resp.raise_for_status()
        result = await resp.json()
    if result.get("type") != "create_entry":
        raise RuntimeError(f"login refused: {result}")
    return await _token(session, base, result["result"])


@dataclass(frozen=True)
class Rest:
    """Home Assistant's REST API as the development user."""

    session: aiohttp.ClientSession
    base: str
    token: str

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send a request; return the JSON answer (None when there is none); raise on errors."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.request(
            method, f"{self.base}{path}", json=body, headers=headers
        ) as resp:
            resp.raise_for_status()
            return await resp.json() if resp.content_type == "application/json" else None


class WebSocket:
    """Home Assistant's websocket API: one connection, one call at a time."""

    def __init__(self, session: aiohttp.ClientSession, base: str, token: str) -> None:
        """Remember where to connect."""
        self._session = session
        self._url = base.replace("http", "ws", 1) + "/api/websocket"
        self._token = token
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._id = 0

    async def __aenter__(self) -> WebSocket:
        """Connect and authenticate."""
        self._ws = await self._session.ws_connect(self._url, max_msg_size=0)
        await self._ws.receive_json(timeout=10)
        await self._ws.send_json({"type": "auth", "access_token": self._token})
        reply = await self._ws.receive_json(timeout=10)
        if reply.get("type") != "auth_ok":
            raise RuntimeError(f"websocket auth failed: {reply}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Close."""
        if self._ws is not None:
            await self._ws.close()

    async def call(self, type_: str, **payload: Any) -> Any:
        """Send a command and return its result; raise on error."""
        assert self._ws is not None
        self._id += 1
        await self._ws.send_json({"id": self._id, "type": type_, **payload})
        while True:
            reply = await self._ws.receive_json(timeout=60)
            if reply.get("id") == self._id and reply.get("type") == "result":
                if not reply.get("success"):
                    raise RuntimeError(f"{type_} failed: {reply.get('error')}")
                return reply.get("result")


async def add_integration(session: aiohttp.ClientSession, base: str, token: str, host: str) -> str:
    """Run the config flow for host over the REST API; return the entry id (new or updated)."""
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{base}/api/config/config_entries/flow"
    body = {"handler": DOMAIN, "show_advanced_options": False}
    async with session.post(url, json=body, headers=headers) as resp:
        resp.raise_for_status()
        flow = await resp.json()
    async with session.post(
        f"{url}/{flow['flow_id']}", json={"host": host}, headers=headers
    ) as resp:
        resp.raise_for_status()
        result = await resp.json()
    if result.get("type") == "create_entry":
        return str(result["result"]["entry_id"])
    if result.get("type") == "abort" and result.get("reason") == "already_configured":
        async with session.get(
            f"{base}/api/config/config_entries/entry", params={"domain": DOMAIN}, headers=headers
        ) as resp:
            entries = await resp.json()
        # The flow updated the matching entry's host; reload it so it polls the new port now.
        for entry in entries:
            async with session.post(
                f"{base}/api/config/config_entries/entry/{entry['entry_id']}/reload",
                headers=headers,
            ) as resp:
                resp.raise_for_status()
        return str(entries[0]["entry_id"]) if len(entries) == 1 else ""
    raise RuntimeError(f"config flow did not finish: {result}")


async def simulator_serial(session: aiohttp.ClientSession, stack: Stack) -> str:
    """The simulated PVS's serial, from the supervisor information every PVS answers openly."""
    url = f"http://{stack.pvs_host}/cgi-bin/dl_cgi/supervisor/info"
    async with session.get(url) as resp:
        resp.raise_for_status()
        info = await resp.json(content_type=None)
    return str(info["supervisor"]["SERIAL"])


async def other_sites(api: Rest, ws: WebSocket, serial: str) -> list[str]:
    """Entries of this domain for another PVS than serial (an earlier run's other profile)."""
    entries = await api.call("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    registry = await ws.call("config/entity_registry/list")
    this_pvs = {
        e["config_entry_id"]
        for e in registry
        if e["platform"] == DOMAIN and str(e["unique_id"]).startswith(f"{serial}_")
    }
    return [str(e["entry_id"]) for e in entries if e["entry_id"] not in this_pvs]


@dataclass
class Site:
    """The entity ids of one running site, grouped the way the dashboard needs them."""

    entity_ids: set[str]
    states: dict[str, str]
    inverters: list[str]  # power sensors, sorted
    prefixes: dict[str, str]  # device kind -> entity id prefix (sensor.production_meter_abc123)
    energy: dict[str, str]  # site energy sensor key (site_solar_energy) -> entity id
    pvs_serial: str  # from the site sensors' unique ids; its last 5 characters are a password

    def has(self, entity_id: str) -> bool:
        """True when the entity exists."""
        return entity_id in self.entity_ids


# The site energy sensors the integration's Energy dashboard offer adds (unique id: serial_KEY).
SOLAR = "site_solar_energy"
GRID_IMPORT = "site_grid_import_energy"
GRID_EXPORT = "site_grid_export_energy"
BATTERY_CHARGED = "site_battery_charged_energy"
BATTERY_DISCHARGED = "site_battery_discharged_energy"
SITE_ENERGY = (SOLAR, GRID_IMPORT, GRID_EXPORT, BATTERY_CHARGED, BATTERY_DISCHARGED)

KIND_PATTERNS = {
    "pvs": re.compile(r"^sensor\.(pvs[56]?)_"),
    "production_meter": re.compile(r"^sensor\.(production_meter_[0-9a-z]+)_"),
    "consumption_meter": re.compile(r"^sensor\.(consumption_meter_[0-9a-z]+)_"),
    "sunvault": re.compile(r"^sensor\.(sunvault_[0-9a-z]+)_"),
}


async def read_site(ws: WebSocket, entry_id: str | None = None) -> Site:
    """Entity ids of the integration (of entry_id when given) and their current states."""
    registry = await ws.call("config/entity_registry/list")
    ours = [
        e
        for e in registry
        if e["platform"] == DOMAIN and (not entry_id or e["config_entry_id"] == entry_id)
    ]
    ids = {e["entity_id"] for e in ours}
    energy: dict[str, str] = {}
    pvs_serial = ""
    for e in sorted(ours, key=lambda e: str(e["entity_id"])):
        for key in SITE_ENERGY:
            if str(e["unique_id"]).endswith(f"_{key}"):
                energy[key] = e["entity_id"]
                pvs_serial = str(e["unique_id"]).removesuffix(f"_{key}")
    states = {s["entity_id"]: s["state"] for s in await ws.call("get_states")}
    inverters = sorted(i for i in ids if re.fullmatch(r"sensor\.inverter_[0-9a-z]+_power", i))
    prefixes: dict[str, str] = {}
    for kind, pattern in KIND_PATTERNS.items():
        for entity_id in sorted(ids):
            if match := pattern.match(entity_id):
                prefixes.setdefault(kind, f"sensor.{match.group(1)}")
    return Site(ids, states, inverters, prefixes, energy, pvs_serial)


def _numeric(state: str | None) -> bool:
    try:
        float(state)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


async def wait_for_values(ws: WebSocket, entry_id: str | None, limit_s: float = 120) -> Site:
    """Wait until the meters and every inverter have a numeric power value."""
    deadline = time.monotonic() + limit_s
    while True:
        site = await read_site(ws, entry_id)
        powers = site.inverters + [
            f"{site.prefixes[k]}_power"
            for k in ("production_meter", "consumption_meter")
            if k in site.prefixes
        ]
        if site.inverters and all(_numeric(site.states.get(p)) for p in powers):
            return site
        if time.monotonic() > deadline:
            raise TimeoutError(f"no values after {limit_s:.0f} s: {len(site.entity_ids)} entities")
        await asyncio.sleep(2)


# --- dashboards -------------------------------------------------------------------------------

EXAMPLE_PREFIX = re.compile(
    r"sensor\.(pvs[56]?|production_meter_[0-9a-z]+|consumption_meter_[0-9a-z]+|sunvault_[0-9a-z]+)_"
)


def _kind_of(prefix: str) -> str:
    if prefix.startswith("pvs"):
        return "pvs"
    return prefix.rsplit("_", 1)[0]


def _localise(node: Any, site: Site) -> Any:
    """Swap the example's device prefixes for the site's; None when an entity is missing."""
    if isinstance(node, str):

        def swap(match: re.Match[str]) -> str:
            kind = _kind_of(match.group(1))
            return f"{site.prefixes.get(kind, 'sensor.missing')}_"

        return EXAMPLE_PREFIX.sub(swap, node)
    if isinstance(node, list):
        out = []
        for item in node:
            value = _localise(item, site)
            if value is not None:
                out.append(value)
        return out
    if isinstance(node, dict):
        result = {key: _localise(value, site) for key, value in node.items()}
        for key in ("entity", "stat_consumption", "stat_production"):
            value = result.get(key)
            if isinstance(value, str) and value.startswith("sensor.") and not site.has(value):
                return None
        if isinstance(result.get("entities"), list) and not result["entities"]:
            return None
        if isinstance(result.get("cards"), list) and not result["cards"] and "type" in result:
            return None
        return result
    return node


def panel_view(site: Site, template: dict[str, Any]) -> dict[str, Any]:
    """The per-panel view for this site's inverters, shaped like the example's.

    One full-width card: a 24-hour graph of the inverters' power per group of 12 panels, then
    one tile per inverter with its power now.
    """
    view = {key: value for key, value in template.items() if key not in ("cards", "sections")}
    view["panel"] = True
    groups = [site.inverters[i : i + 12] for i in range(0, len(site.inverters), 12)]
    cards: list[dict[str, Any]] = [
        {
            "type": "history-graph",
            "title": f"Panels {12 * number + 1}-{12 * number + len(group)}",
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
                for e in site.inverters
            ],
        }
    )
    view["cards"] = [{"type": "vertical-stack", "cards": cards}]
    return view


def short_name(entity_id: str) -> str:
    """Inverter 067069 for sensor.inverter_067069_power."""
    return "Inverter " + entity_id.removeprefix("sensor.inverter_").removesuffix("_power")


def build_dashboard(site: Site, path: Path = DASHBOARD_YAML) -> dict[str, Any]:
    """The example dashboard with this site's entity ids and one card per inverter."""
    example = yaml.safe_load(path.read_text())
    views = []
    for view in example["views"]:
        if view.get("path") == "panels":
            views.append(panel_view(site, view))
        else:
            views.append(_localise(view, site))
    return {**example, "views": views}


async def install_dashboard(ws: WebSocket, config: dict[str, Any]) -> str:
    """Create (once) a storage-mode dashboard and save config into it; return its path."""
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
    return f"/{DASHBOARD_URL}/site"


# --- the Energy dashboard, set up the way an owner does: by accepting the integration's offer ---

ENERGY_OFFER = "energy_offer"
GRID_IMPORT_REGISTER = "grid_import_register"


async def choose_grid_register(api: Rest, entry_id: str, register: str) -> bool:
    """Options → Grid import register over the REST API, the rest as it is; True if changed.

    A change reloads the entry; the grid energy sensors then count from its first poll, where
    on automatic they stay unknown until the integration has seen about 0.2 kWh of night use.
    """
    path = "/api/config/config_entries/options/flow"
    form = await api.call("POST", path, {"handler": entry_id})
    if form.get("type") != "form":
        raise RuntimeError(f"the options flow did not show its form: {form}")
    values: dict[str, Any] = {}
    for field_ in form["data_schema"]:
        suggested = (field_.get("description") or {}).get("suggested_value")
        if suggested is not None:
            values[field_["name"]] = suggested
        elif "default" in field_:
            values[field_["name"]] = field_["default"]
    if values.get(GRID_IMPORT_REGISTER) == register:
        await api.call("DELETE", f"{path}/{form['flow_id']}")
        return False
    result = await api.call(
        "POST", f"{path}/{form['flow_id']}", values | {GRID_IMPORT_REGISTER: register}
    )
    if result.get("type") != "create_entry":
        raise RuntimeError(f"the options flow did not finish: {result}")
    return True


async def wait_for_energy(
    ws: WebSocket, entry_id: str | None, keys: list[str], limit_s: float = 60
) -> Site:
    """Wait until the site energy sensors keys (SOLAR, GRID_IMPORT, ...) have a value."""
    deadline = time.monotonic() + limit_s
    while True:
        site = await read_site(ws, entry_id)
        if all(_numeric(site.states.get(site.energy.get(key, ""))) for key in keys):
            return site
        if time.monotonic() > deadline:
            shown = {key: site.states.get(site.energy.get(key, "")) for key in keys}
            raise TimeoutError(
                f"site energy sensors without a value after {limit_s:.0f} s: {shown}"
            )
        await asyncio.sleep(1)


async def energy_sources(ws: WebSocket) -> list[dict[str, Any]]:
    """The Energy dashboard's sources; none before it was ever configured."""
    try:
        prefs = await ws.call("energy/get_prefs")
    except RuntimeError as err:
        if "not_found" in str(err):
            return []
        raise
    return list(prefs.get("energy_sources", []))


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


def energy_problems(sources: list[dict[str, Any]], site: Site) -> list[str]:
    """What the site's offer should have put into the Energy sources but is not there."""
    problems = []
    by_type: dict[str, list[dict[str, Any]]] = {}
    for source in sources:
        by_type.setdefault(source["type"], []).append(source)
    solar = site.energy.get(SOLAR)
    if solar and not any(s["stat_energy_from"] == solar for s in by_type.get("solar", [])):
        problems.append(f"solar production is not {solar}")
    imported, exported = site.energy.get(GRID_IMPORT), site.energy.get(GRID_EXPORT)
    grid_from = {f["stat_energy_from"] for s in by_type.get("grid", []) for f in s["flow_from"]}
    grid_to = {f["stat_energy_to"] for s in by_type.get("grid", []) for f in s["flow_to"]}
    if imported and imported not in grid_from:
        problems.append(f"grid consumption is not {imported}")
    if exported and exported not in grid_to:
        problems.append(f"return to grid is not {exported}")
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


def describe_sources(sources: list[dict[str, Any]]) -> str:
    """solar, grid, battery: the kinds of source the Energy dashboard has."""
    kinds = [source["type"] for source in sources]
    return ", ".join(dict.fromkeys(kinds)) or "none"


async def grid_values(api: Rest, ws: WebSocket, entry_id: str, site: Site, register: str) -> Site:
    """Give the grid energy sensors a value now: pick the simulated meter's import register.

    An owner who knows their installation does the same under Options; left on automatic the
    sensors wait for the night. Sites without a consumption meter have no grid sensors.
    """
    grid = [key for key in (GRID_IMPORT, GRID_EXPORT) if key in site.energy]
    if not grid or not entry_id or all(_numeric(site.states.get(site.energy[k])) for k in grid):
        return site
    await choose_grid_register(api, entry_id, register)
    return await wait_for_energy(ws, entry_id, [SOLAR, *grid])


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


async def remove_sites(api: Rest, ws: WebSocket, entry_ids: list[str]) -> None:
    """Delete entries, and the Energy sources naming their sensors, as when a PVS is replaced.

    Their sensors would otherwise stay in the Energy settings, and the new site's offer would
    not be made because a solar source exists.
    """
    registry = await ws.call("config/entity_registry/list")
    gone = {e["entity_id"] for e in registry if e["config_entry_id"] in entry_ids}
    sources = await energy_sources(ws)
    kept = [s for s in (_without(source, gone) for source in sources) if s is not None]
    if kept != sources:
        await ws.call("energy/save_prefs", energy_sources=kept)
    for entry_id in entry_ids:
        await api.call("DELETE", f"/api/config/config_entries/entry/{entry_id}")


def _without(source: dict[str, Any], gone: set[str]) -> dict[str, Any] | None:
    """Source without the flows that name a sensor in gone; None when nothing is left."""
    if source["type"] != "grid":
        named = {v for k, v in source.items() if k.startswith("stat_") and isinstance(v, str)}
        return None if named & gone else source
    flows_from = [f for f in source["flow_from"] if f["stat_energy_from"] not in gone]
    flows_to = [f for f in source["flow_to"] if f["stat_energy_to"] not in gone]
    if not flows_from and not flows_to:
        return None
    kept = {**source, "flow_from": flows_from, "flow_to": flows_to}
    if "power" in source:
        kept["power"] = [p for p in source["power"] if p.get("stat_rate") not in gone]
    return kept


async def bring_up(stack: Stack, *, add: bool = True, dashboards: bool = True) -> dict[str, Any]:
    """Wait for both processes, onboard, add the integration, set up Energy, load the dashboard."""
    timeout = aiohttp.ClientTimeout(total=60)
    base = stack.base_url
    async with aiohttp.ClientSession(timeout=timeout) as session:
        await wait_for(stack, session)
        token = await onboard(session, base)
        info: dict[str, Any] = {"token": token}
        if not add:
            return info
        api = Rest(session, base, token)
        async with WebSocket(session, base, token) as ws:
            if stale := await other_sites(api, ws, await simulator_serial(session, stack)):
                # A site of another profile from an earlier run: replace it, as an owner does a
                # PVS, before adding this one, so its entity ids stay plain and it gets its offer.
                say("replacing the site of an earlier run (another profile)")
                await remove_sites(api, ws, stale)
            entry_id = await add_integration(session, base, token, stack.pvs_host)
            site = await wait_for_values(ws, entry_id or None)
            info["site"] = site
            if dashboards:
                site = await grid_values(api, ws, entry_id, site, stack.import_counter)
                try:
                    info["energy"] = await set_up_energy(api, ws, entry_id, site)
                except (RuntimeError, aiohttp.ClientResponseError) as err:
                    say(f"warning: the Energy dashboard was not set up: {err}")
                info["dashboard"] = await install_dashboard(ws, build_dashboard(site))
        return info


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command line of scripts/develop."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="Run a simulated PVS and Home Assistant with this integration on 127.0.0.1.",
    )
    parser.add_argument(
        "--profile",
        default="typical",
        choices=["small", "typical", "lineside", "pvs5", "sunvault", "large"],
        help="simulated site (default: typical)",
    )
    parser.add_argument(
        "--firmware",
        default="localapi",
        choices=["legacy", "localapi"],
        help="PVS firmware generation (default: localapi)",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="simulated seconds per real second (default: 1)"
    )
    parser.add_argument(
        "--start",
        help="simulated start time, ISO 8601 or 'now' (default: now while the sun is up at "
        "the simulated Californian site, else its next 09:00, 17:00 UTC)",
    )
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port (default 8123)")
    parser.add_argument("--pvs-port", type=int, default=0, help="simulator port (default: free)")
    parser.add_argument(
        "--config",
        type=Path,
        default=REPO / "config",
        help="configuration folder (default: config/)",
    )
    parser.add_argument(
        "--no-integration", action="store_true", help="do not add the integration (try the flow)"
    )
    return parser.parse_args(argv)


def parse_start(value: str | None) -> datetime | None:
    """--start as a timezone-aware datetime."""
    if value is None:
        return None
    if value == "now":
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def main(argv: list[str]) -> int:
    """scripts/develop."""
    args = parse_args(argv)
    if not port_free(args.port):
        print(f"error: port {args.port} is in use; pass --port N", file=sys.stderr)
        return 1
    config_dir = args.config.resolve()
    stack = Stack(
        config_dir=config_dir,
        log_dir=config_dir / "logs",
        profile=args.profile,
        firmware=args.firmware,
        speed=args.speed,
        start=parse_start(args.start),
        ha_port=args.port,
        sim_port=args.pvs_port,
    )
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    started = time.monotonic()
    try:
        say(f"simulator: profile {args.profile}, {args.firmware} firmware, speed {args.speed:g}")
        stack.start_processes()
        say(f"Home Assistant from {config_dir} (logs in {stack.log_dir})")
        info = asyncio.run(bring_up(stack, add=not args.no_integration))
        site: Site | None = info.get("site")
        print()
        print(f"  Home Assistant  {stack.base_url}/  (ready in {time.monotonic() - started:.0f} s)")
        print(f"  Log in as       {USERNAME} / {PASSWORD}   (local development account)")
        print(f"  Simulated PVS   {stack.pvs_host}  (type this into Add integration)")
        if site is not None:
            print(
                f"  Integration     {len(site.entity_ids)} entities, "
                f"{len(site.inverters)} inverters"
            )
            print(f"  Energy          {info.get('energy', 'not set up')}")
            print(f"  Dashboard       {stack.base_url}{info.get('dashboard', '')}")
        print("\nPress Ctrl-C to stop both.", flush=True)
        while True:
            stack.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print()
        return 0
    except (RuntimeError, TimeoutError, aiohttp.ClientError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        say("stopping Home Assistant and the simulator")
        stack.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
