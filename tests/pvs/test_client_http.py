"""Transport details the simulator does not expose, checked against small aiohttp apps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
import itertools
import logging
import time
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.sunpower_pvs.pvs import (
    Generation,
    PVSAuthError,
    PVSClient,
    PVSConnectionError,
    PVSProtocolError,
)

pytestmark = pytest.mark.usefixtures("loopback")

SERIAL = "ZT229999000549A7777"
SESSION = "S" * 63 + "1"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FakeLocalApi:
    """A LocalAPI unit: sessions, a stale-cookie rule, and a ``/vars`` answer per ``match``."""

    def __init__(self) -> None:
        self.sessions = 0
        self.valid: set[str] = set()
        self.log: list[tuple[str, str, str | None]] = []
        self.vars: dict[str, tuple[int, dict[str, Any]]] = {
            "/sys/info/": (200, {"/sys/info/serialnum": SERIAL, "/sys/info/model": "PVS5"}),
            "/sys/devices/": (400, {}),
            "/sys/livedata/": (400, {}),
        }
        self.active = 0
        self.overlaps = 0
        self.starts: list[float] = []

    def cookie_ok(self, request: web.Request) -> bool:
        return request.cookies.get("session") in self.valid

    async def info(self, _request: web.Request) -> web.Response:
        body = {
            "result": "succeed",
            "supervisor": {"SERIAL": SERIAL, "MODEL": "PVS5", "SWVER": "2025.11, Build 5412"},
        }
        return web.json_response(body)

    async def auth(self, request: web.Request) -> web.Response:
        # A stale cookie fails even the login on the real unit.
        if "session" in request.cookies and not self.cookie_ok(request):
            return web.json_response({"status": 401}, status=401)
        if "logout" in request.query:
            self.valid.discard(request.cookies.get("session", ""))
            return web.Response(status=204)
        if request.headers.get("Authorization") != "Basic c3NtX293bmVyOkE3Nzc3":
            return web.json_response({"status": 401, "description": "Unauthorized"}, status=401)
        self.sessions += 1
        token = SESSION[:-1] + str(self.sessions)
        self.valid.add(token)
        response = web.json_response({"session": token})
        response.set_cookie("session", token, secure=True, httponly=True)
        return response

    async def read_vars(self, request: web.Request) -> web.Response:
        self.active += 1
        self.overlaps += self.active > 1
        self.starts.append(time.monotonic())
        try:
            await asyncio.sleep(0.01)
            query = request.rel_url.raw_query_string
            self.log.append(("vars", query, request.headers.get("Cookie")))
            if "name=/sys/info/serialnum" in query and "match" not in query:
                return web.json_response({"status": 401}, status=401)
            if not self.cookie_ok(request):
                return web.json_response({"status": 401}, status=401)
            match = request.query.get("match", "")
            status, body = self.vars.get(match, (400, {}))
            return web.json_response(body if status == 200 else {"error": "empty"}, status=status)
        finally:
            self.active -= 1

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/cgi-bin/dl_cgi/supervisor/info", self.info)
        app.router.add_get("/auth", self.auth)
        app.router.add_get("/vars", self.read_vars)
        return app


@asynccontextmanager
async def serve(app: web.Application, **client: Any) -> AsyncIterator[PVSClient]:
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    options: dict[str, Any] = {"request_timeout": 1.0, "min_query_interval": 0.0} | client
    try:
        async with aiohttp.ClientSession() as session:
            pvs = PVSClient(f"127.0.0.1:{server.port}", session, **options)
            try:
                yield pvs
            finally:
                await pvs.close()
    finally:
        await server.close()


async def test_pvs5_localapi_with_empty_matches(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeLocalApi()
    async with serve(fake.app()) as client:
        unit = await client.detect()
        assert (unit.generation, unit.model, unit.build) == (Generation.LOCALAPI, "PVS5", 5412)
        data = await client.poll()
    # 400 is "nothing there": no devices, no live data, and no re-login.
    assert data.supervisor.serial == SERIAL
    assert not data.inverters
    assert data.live is None
    assert fake.sessions == 1
    # Queries went out literally, with the match and its cache together, cookie by hand.
    queries = [query for _kind, query, _cookie in fake.log]
    assert "match=/sys/devices/&fmt=obj&cache=hapvsdevices" in queries
    assert all(cookie == f"session={SESSION}" for _k, q, cookie in fake.log if "match" in q)
    assert SESSION not in caplog.text
    assert "A7777" not in caplog.text


async def test_stale_cookie_is_dropped_before_logging_in_again() -> None:
    fake = FakeLocalApi()
    async with serve(fake.app()) as client:
        await client.poll()
        fake.valid.clear()  # the PVS forgot the session
        data = await client.poll()
        assert data.supervisor.serial == SERIAL
        assert fake.sessions == 2
        fake.valid.clear()
        fake.vars["/sys/info/"] = (200, {"/sys/info/serialnum": SERIAL})
        assert (await client.poll()).supervisor.serial == SERIAL


async def test_refused_fresh_session_is_an_auth_error() -> None:
    fake = FakeLocalApi()
    app = fake.app()

    async with serve(app) as client:
        await client.poll()
        original = fake.cookie_ok
        fake.cookie_ok = lambda request: "logout" in request.query and original(request)  # type: ignore[method-assign]
        with pytest.raises(PVSAuthError, match="fresh session"):
            await client.poll()
        assert fake.sessions == 2  # one re-login, no more


async def test_requests_never_overlap_and_keep_their_spacing() -> None:
    fake = FakeLocalApi()
    async with serve(fake.app(), min_query_interval=0.05) as client:
        await client.detect()
        await asyncio.gather(client.poll(), client.poll(), client.poll())
    assert fake.overlaps == 0
    starts = fake.starts
    assert len(starts) >= 9
    # The client starts each request 50 ms after the last one started. The server sees the
    # arrivals, each late by its own delivery time (a new connection, a busy machine), so
    # one gap may look shorter; over the run the spacing shows in full.
    assert starts[-1] - starts[0] >= (len(starts) - 1) * 0.05 - 0.02
    assert min(b - a for a, b in itertools.pairwise(starts)) > 0


async def test_unreachable_host_is_a_connection_error() -> None:
    server = TestServer(web.Application(), host="127.0.0.1")
    await server.start_server()
    port = server.port
    await server.close()
    async with aiohttp.ClientSession() as session:
        client = PVSClient(f"127.0.0.1:{port}", session, request_timeout=0.5, min_query_interval=0)
        with pytest.raises(PVSConnectionError):
            await client.detect()


async def test_a_web_server_that_is_not_a_pvs_is_a_protocol_error() -> None:
    async def page(_request: web.Request) -> web.Response:
        return web.Response(text="<html>router</html>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    async with serve(app) as client:
        with pytest.raises(PVSProtocolError, match="not a PVS"):
            await client.detect()


async def test_legacy_detection_falls_back_to_the_device_list() -> None:
    body = {
        "result": "succeed",
        "devices": [
            {
                "DEVICE_TYPE": "PVS",
                "SERIAL": "ZT170000",
                "MODEL": "PV Supervisor PVS5",
                "SWVER": "2019.1, Build 3000",
            }
        ],
    }

    async def device_list(request: web.Request) -> web.Response:
        assert request.query["Command"] == "DeviceList"
        return web.json_response(body)

    app = web.Application()
    app.router.add_get("/cgi-bin/dl_cgi", device_list)
    async with serve(app) as client:
        unit = await client.detect()
        assert (unit.generation, unit.serial, unit.model, unit.build) == (
            Generation.LEGACY,
            "ZT170000",
            "PVS5",
            3000,
        )
        await client.login()  # nothing to do on legacy
        data = await client.poll()
        assert data.supervisor.serial == "ZT170000"
        assert data.network is None  # Get_Comm answered 404 here
