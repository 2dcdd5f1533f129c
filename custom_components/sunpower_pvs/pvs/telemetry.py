"""The PVS6 LocalAPI telemetry stream: site power pushed about once a second.

After ``/vars?set=/sys/telemetryws/enable=1`` (a write that changes no setting; it only
switches the stream on) a plain WebSocket on port 9002 sends
``{"notification": "power", "params": {...}}`` frames with the fields that changed. The PVS
closes the socket about every 10 minutes; the caller reconnects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
import json
from typing import Any

import aiohttp

from .errors import PVSConnectionError

TELEMETRY_PORT = 9002
# The PVS sends a frame every second; silence this long means the stream is dead.
RECEIVE_TIMEOUT_S = 30.0


async def telemetry_frames(
    session: aiohttp.ClientSession, host_name: str, port: int = TELEMETRY_PORT
) -> AsyncIterator[Mapping[str, Any]]:
    """The ``params`` of each power frame until the PVS closes the socket.

    Raises ``PVSConnectionError`` when the socket cannot be opened or breaks.
    """
    url = f"ws://{host_name}:{port}/"
    try:
        timeout = aiohttp.ClientWSTimeout(ws_receive=RECEIVE_TIMEOUT_S)
        async with session.ws_connect(url, timeout=timeout) as socket:
            async for message in socket:
                if message.type is not aiohttp.WSMsgType.TEXT:
                    break
                params = _params(message.data)
                if params is not None:
                    yield params
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        raise PVSConnectionError(f"telemetry stream: {type(err).__name__}") from None


def _params(text: str) -> Mapping[str, Any] | None:
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    if not isinstance(frame, dict) or frame.get("notification") != "power":
        return None
    params = frame.get("params")
    return params if isinstance(params, dict) else None
