"""Home Assistant's REST and websocket APIs, and logging in as the frontend does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import aiohttp

USERNAME = "dev"
PASSWORD = "sunpower"  # a local, loopback-only development account
WS_TIMEOUT_S = 60.0


async def exchange_code(session: aiohttp.ClientSession, base: str, code: str) -> str:
    """An access token for an authorization code (from onboarding or the login flow)."""
    data = {"grant_type": "authorization_code", "code": code, "client_id": f"{base}/"}
    async with session.post(f"{base}/auth/token", data=data) as resp:
        resp.raise_for_status()
        return str((await resp.json())["access_token"])


async def login(session: aiohttp.ClientSession, base: str) -> str:
    """Log the development user in through the login flow the frontend uses; a token."""
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
    return await exchange_code(session, base, result["result"])


@dataclass(frozen=True)
class Rest:
    """Home Assistant's REST API as the development user."""

    session: aiohttp.ClientSession
    base: str
    token: str

    async def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Send a request; return the JSON answer (None when there is none); raise on errors."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.request(
            method, f"{self.base}{path}", json=body, params=params, headers=headers
        ) as resp:
            resp.raise_for_status()
            return await resp.json() if resp.content_type == "application/json" else None


class WebSocket:
    """Home Assistant's websocket API: one connection, one call at a time."""

    def __init__(self, rest: Rest) -> None:
        """Connect where rest points, with its token."""
        self._session = rest.session
        self._url = rest.base.replace("http", "ws", 1) + "/api/websocket"
        self._token = rest.token
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._id = 0

    async def __aenter__(self) -> Self:
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
        if self._ws is None:
            raise RuntimeError("the websocket is not connected")
        self._id += 1
        await self._ws.send_json({"id": self._id, "type": type_, **payload})
        while True:
            reply = await self._ws.receive_json(timeout=WS_TIMEOUT_S)
            if reply.get("id") == self._id and reply.get("type") == "result":
                if not reply.get("success"):
                    raise RuntimeError(f"{type_} failed: {reply.get('error')}")
                return reply.get("result")
