"""The PVS6 LocalAPI telemetry WebSocket (port 9002 on a real unit)."""

from __future__ import annotations

import asyncio

from aiohttp import WSMsgType, web

from .appkeys import UNIT
from .responses import FORBIDDEN, json_response
from .unit import PvsUnit
from .varstore import live_values

# The PVS drops the socket about every 10 minutes; clients must reconnect.
SESSION_LENGTH_S = 600


class OpenSockets:
    """Telemetry sockets to close when the simulator stops."""

    def __init__(self) -> None:
        """Start with none."""
        self.sockets: set[web.WebSocketResponse] = set()


SOCKETS = web.AppKey("sockets", OpenSockets)

# After a long clock jump, send at most this many catch-up frames.
MAX_CATCH_UP_FRAMES = 60


def frame_params(unit: PvsUnit) -> dict[str, float]:
    """Live values as the push channel sends them (numbers, no "nan" fields)."""
    unit.sync()
    return {key: value for key, value in live_values(unit).items() if value is not None}


async def telemetry_socket(request: web.Request) -> web.StreamResponse:
    """One frame per simulated second, only changed fields, closed every 10 simulated minutes."""
    unit = request.app[UNIT]
    if unit.firmware != "localapi" or not unit.telemetry_enabled or unit.is_down:
        return json_response(FORBIDDEN, 403, legacy=False)
    unit.stats.record("telemetry", 101, 0)
    socket = web.WebSocketResponse()
    await socket.prepare(request)
    sockets = request.app[SOCKETS].sockets
    sockets.add(socket)
    reader = asyncio.create_task(_drain(socket))
    pusher = asyncio.create_task(_push(unit, socket))
    try:
        # Whichever ends first: the client leaves, or the PVS closes its side.
        await asyncio.wait({reader, pusher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, pusher):
            task.cancel()
        await asyncio.gather(reader, pusher, return_exceptions=True)
        sockets.discard(socket)
        await socket.close()
    return socket


async def close_sockets(app: web.Application) -> None:
    """On shutdown, close every open telemetry socket."""
    for socket in list(app[SOCKETS].sockets):
        await socket.close()


async def _push(unit: PvsUnit, socket: web.WebSocketResponse) -> None:
    opened = int(unit.clock.epoch)
    sent: dict[str, float] = {}
    second = opened
    while not socket.closed and unit.telemetry_enabled and not unit.is_down:
        now = int(unit.clock.epoch)
        if now - opened >= SESSION_LENGTH_S:
            return
        if second <= now:
            second = max(second, now - MAX_CATCH_UP_FRAMES + 1)
            params = frame_params(unit)
            params["time"] = float(second)
            changed = {key: value for key, value in params.items() if sent.get(key) != value}
            sent |= changed
            await socket.send_json({"notification": "power", "params": changed})
            second += 1
            continue
        await unit.clock.wait_until(second)


async def _drain(socket: web.WebSocketResponse) -> None:
    """Read (and ignore) what the client sends so close frames are noticed."""
    async for message in socket:
        if message.type in {WSMsgType.CLOSE, WSMsgType.ERROR}:
            return
