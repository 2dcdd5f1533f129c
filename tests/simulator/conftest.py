"""Fixtures for the simulator's own tests: a running simulator and a client for it."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from pvs_simulator import Simulator, SimulatorConfig

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOON_UTC = datetime(2026, 6, 21, 20, 0, tzinfo=UTC)  # solar noon in California
MIDNIGHT_UTC = datetime(2026, 6, 22, 8, 0, tzinfo=UTC)  # 01:00 local

MakeSim = Callable[..., Awaitable[Simulator]]


@pytest.fixture(autouse=True)
def _loopback_sockets(socket_enabled: None) -> None:
    """The simulator listens on 127.0.0.1; Home Assistant's test plugin blocks sockets."""


@pytest.fixture
async def make_sim() -> AsyncIterator[MakeSim]:
    """Start simulators with keyword overrides of ``SimulatorConfig``; stop them afterwards."""
    async with contextlib.AsyncExitStack() as stack:

        async def make(**overrides: object) -> Simulator:
            config = SimulatorConfig(**{"start": NOON_UTC, **overrides})  # type: ignore[arg-type]
            return await stack.enter_async_context(Simulator(config))

        yield make


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A client that keeps cookies from an IP address, like the integration's must."""
    async with aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=10),
    ) as session:
        yield session


def basic_auth(serial: str, password: str | None = None) -> dict[str, str]:
    """The LocalAPI owner login, as the header every aiohttp release takes."""
    secret = serial[-5:] if password is None else password
    token = base64.b64encode(f"ssm_owner:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


async def login(http: aiohttp.ClientSession, sim: Simulator) -> str:
    """Log in and return the session id."""
    url = f"http://{sim.host}/auth?login"
    async with http.get(url, headers=basic_auth(sim.serial)) as response:
        assert response.status == 200
        body = await response.json()
    return str(body["session"])


async def get_json(http: aiohttp.ClientSession, url: str) -> tuple[int, object]:
    """Status and decoded body."""
    async with http.get(url) as response:
        return response.status, await response.json(content_type=None)


async def device_list(http: aiohttp.ClientSession, sim: Simulator) -> dict[str, object]:
    """One legacy DeviceList."""
    status, body = await get_json(http, f"http://{sim.host}/cgi-bin/dl_cgi?Command=DeviceList")
    assert status == 200
    assert isinstance(body, dict)
    return body


def devices_of(body: dict[str, object], device_type: str) -> list[dict[str, object]]:
    """Records of one DEVICE_TYPE."""
    devices = body["devices"]
    assert isinstance(devices, list)
    return [d for d in devices if d["DEVICE_TYPE"] == device_type]
