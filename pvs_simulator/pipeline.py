"""What every PVS request goes through: reboots, faults, latency, accounting, one log line."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import logging
import random
import time

from aiohttp import web

from .appkeys import UNIT
from .faults import Fault
from .latency import device_seconds
from .legacy import is_config_request
from .localapi import vars_query_text
from .responses import error_page, html_page
from .unit import PvsUnit
from .varquery import parse_query

_LOGGER = logging.getLogger("pvs_simulator")

# A hung request is released after this long (real seconds) or when the simulator stops.
HANG_LIMIT_S = 3600.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

STOPPING = web.AppKey("stopping", asyncio.Event)
JITTER = web.AppKey("jitter", random.Random)


async def endpoint_name(request: web.Request) -> str:
    """The name statistics and ``path=`` faults use for a request (writes: ``vars?set``)."""
    path = request.path
    if path == "/cgi-bin/dl_cgi":
        return request.query.get("Command") or "dl_cgi"
    if path.startswith("/cgi-bin/dl_cgi/"):
        return path.removeprefix("/cgi-bin/dl_cgi/")
    if path == "/auth":
        raw = request.rel_url.raw_query_string
        return "auth?logout" if "logout" in raw else "auth?login"
    if path == "/vars":
        return "vars?set" if parse_query(await vars_query_text(request)).is_write else "vars"
    return path.lstrip("/") or "/"


@web.middleware
async def pvs_behaviour(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply the unit's state and the faults in force around the real handler."""
    if request.path.startswith("/_sim/"):
        return await handler(request)
    unit = request.app[UNIT]
    started = time.monotonic()
    endpoint = await endpoint_name(request)
    if unit.is_down:
        # Connections kept alive from before the reboot die with it.
        if request.transport is not None:
            request.transport.abort()
        raise ConnectionResetError("rebooting")
    if request.path.startswith("/cgi-bin/dl_cgi") and is_config_request(request):
        command = request.query.get("Command")
        unit.stats.config_command(
            f"{request.method} Command={command}" if command else f"{request.method} {request.path}"
        )
    fault = unit.faults.take_response_fault(endpoint)
    await _delay(request, unit, endpoint)
    if fault is not None and fault.kind == "hang":
        await _hang(request)
    unit.sync()
    response = await _answer(request, handler, fault)
    body = response.body if isinstance(response, web.Response) else None
    size = len(body) if isinstance(body, bytes) else 0
    unit.stats.record(endpoint, response.status, size)
    _LOGGER.info(
        "%s %s -> %d %dB %.2fs [%s]",
        request.method,
        request.path_qs,
        response.status,
        size,
        time.monotonic() - started,
        endpoint,
    )
    return response


async def _delay(request: web.Request, unit: PvsUnit, endpoint: str) -> None:
    seconds = unit.faults.extra_latency(endpoint)
    if unit.config.latency:
        match = "match=" in request.rel_url.raw_query_string
        rng = request.app[JITTER]
        # LocalAPI firmware refuses dl_cgi commands at once instead of building the list.
        varserver = endpoint in {"vars", "vars?set"}
        slow_endpoint = endpoint if unit.firmware == "legacy" or varserver else "other"
        seconds += device_seconds(slow_endpoint, unit.profile, match=match, rng=rng)
    if seconds > 0:
        # A client that gave up leaves the handler waiting: stopping must still end it.
        stopping = request.app[STOPPING]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), unit.clock.real_seconds(seconds))
        if stopping.is_set():
            raise ConnectionResetError("simulator stopping")


async def _hang(request: web.Request) -> None:
    stopping = request.app[STOPPING]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), HANG_LIMIT_S)
    if request.transport is not None:
        request.transport.abort()
    raise ConnectionResetError("hung request released")


async def _answer(
    request: web.Request, handler: Handler, fault: Fault | None
) -> web.StreamResponse:
    if fault is not None and fault.kind == "status":
        return error_page(int(fault.value))
    if fault is not None and fault.kind == "html":
        return html_page(int(fault.value or 200))
    response = await handler(request)
    if fault is not None and fault.kind == "truncate" and isinstance(response, web.Response):
        body = response.body if isinstance(response.body, bytes) else b""
        return web.Response(
            body=body[: max(1, len(body) // 2)],
            status=response.status,
            content_type=response.content_type,
            headers={key: value for key, value in response.headers.items() if key == "Server"},
        )
    return response
