"""The PVS address Home Assistant talks to: a tiny HTTP server in front of the simulator.

Run as its own process (``python -m benchkit.front``), so that none of its CPU is counted as
the integration's. It has two modes:

* ``pass``: every request goes to the simulator as sent, and the answer comes back as
  received. The simulator's own statistics then count what Home Assistant asked.
* ``keep``: every request is answered with the last answer the simulator gave to the same
  request (method and literal path), byte for byte; only a request never seen before still
  goes to the simulator. ``POST /_front/render`` asks the simulator again for every request
  seen so far, as one canned data set: the bare replay renders one per 5-minute data set.

Either way it notes every request it answered (``GET /_front/seen?since=N``): the simulator's
endpoint name, whether it was a heavy read, its body size, and the time a real unit would take
for it by the simulator's latency model.
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import asdict, dataclass
import random
import signal
from typing import Literal

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from pvs_simulator.latency import device_seconds
from pvs_simulator.pipeline import endpoint_name
from pvs_simulator.profiles import SiteProfile, get_profile

from .wire import Seen

type Mode = Literal["pass", "keep"]
type Key = tuple[str, str]

# Request headers the front never forwards, and answer headers it never copies back.
DROPPED_REQUEST = frozenset({"host", "content-length", "connection", "accept-encoding"})
DROPPED_ANSWER = frozenset(
    {"content-length", "connection", "keep-alive", "transfer-encoding", "date", "content-encoding"}
)
HEAVY_ENDPOINTS = frozenset({"DeviceList", "devices/list"})
DEVICES_QUERY = "match=/sys/devices"
# The simulator serves these on LocalAPI firmware; dl_cgi commands are refused there at once.
VARSERVER = frozenset({"vars", "vars?set"})
REFUSED = (401, 403)
LOGIN = "/auth?login"
LOGOUT = "/auth?logout"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as the simulator gave it."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def response(self) -> web.Response:
        """The same answer, to send again."""
        return web.Response(status=self.status, body=self.body, headers=CIMultiDict(self.headers))


def is_heavy(endpoint: str, query: str) -> bool:
    """A full read of every device: DeviceList, devices/list or a ``/sys/devices`` query."""
    return endpoint in HEAVY_ENDPOINTS or (endpoint == "vars" and DEVICES_QUERY in query)


class Front:
    """Answers Home Assistant's requests from the simulator or from what it kept."""

    def __init__(self, upstream: str, profile: SiteProfile, firmware: str, seed: int) -> None:
        """``upstream`` is the simulator's ``HOST:PORT``."""
        self._upstream = upstream
        self._profile = profile
        self._firmware = firmware
        self._rng = random.Random(seed)
        self.mode: Mode = "pass"
        self._kept: dict[Key, Answer] = {}
        self._asked: dict[Key, tuple[tuple[str, str], ...]] = {}
        self.seen: list[Seen] = []
        self._pass: aiohttp.ClientSession | None = None
        self._own: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Open the sessions to the simulator (inside the running loop)."""
        # pass: the client's cookies as sent; keep: a session of the front's own, so canned
        # answers can be rendered whatever the client's session is.
        self._pass = aiohttp.ClientSession(
            cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
        )
        self._own = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), auto_decompress=False
        )

    async def close(self) -> None:
        """Close the sessions."""
        for session in (self._pass, self._own):
            if session is not None:
                await session.close()

    async def _ask(
        self, session: aiohttp.ClientSession | None, key: Key, headers: tuple[tuple[str, str], ...]
    ) -> Answer:
        if session is None:
            raise RuntimeError("front not started")
        method, path = key
        url = URL(f"http://{self._upstream}{path}", encoded=True)
        async with session.request(
            method, url, headers=CIMultiDict(headers), allow_redirects=False
        ) as reply:
            body = await reply.read()
            kept = tuple(
                (name, value)
                for name, value in reply.headers.items()
                if name.lower() not in DROPPED_ANSWER
            )
            return Answer(reply.status, kept, body)

    def _login(self) -> Key | None:
        """The latest login request seen (LocalAPI), to open the front's own session."""
        return next((key for key in reversed(self._asked) if key[1].startswith(LOGIN)), None)

    async def _fetch_own(self, key: Key) -> Answer:
        """Ask with the front's own session; log in again once if the simulator refuses."""
        answer = await self._ask(self._own, key, self._asked[key])
        login = self._login()
        if answer.status in REFUSED and login is not None and login != key:
            await self._ask(self._own, login, self._asked[login])
            answer = await self._ask(self._own, key, self._asked[key])
        return answer

    async def render(self) -> int:
        """Ask the simulator again for every request seen so far; returns how many."""
        keys = [key for key in self._asked if not key[1].startswith(LOGOUT)]
        for key in keys:
            self._kept[key] = await self._fetch_own(key)
        return len(keys)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request the client sent to the PVS."""
        key: Key = (request.method, request.raw_path)
        headers = tuple(
            (name, value)
            for name, value in request.headers.items()
            if name.lower() not in DROPPED_REQUEST
        )
        # Rendered later with the front's own session cookie, not the client's.
        self._asked.setdefault(key, tuple(h for h in headers if h[0].lower() != "cookie"))
        answer = self._kept.get(key) if self.mode == "keep" else None
        kept = answer is not None
        if answer is None:
            answer = (
                await self._ask(self._pass, key, headers)
                if self.mode == "pass"
                else await self._fetch_own(key)
            )
            self._kept[key] = answer
        endpoint = await endpoint_name(request)
        self.seen.append(
            Seen(
                endpoint=endpoint,
                heavy=is_heavy(endpoint, request.rel_url.raw_query_string),
                status=answer.status,
                bytes=len(answer.body),
                device_s=self._device_seconds(endpoint, request),
                kept=kept,
            )
        )
        return answer.response()

    def _device_seconds(self, endpoint: str, request: web.Request) -> float:
        """What a real unit takes for this request (the simulator's latency model)."""
        slow = endpoint if self._firmware == "legacy" or endpoint in VARSERVER else "other"
        match = "match=" in request.rel_url.raw_query_string
        return device_seconds(slow, self._profile, match=match, rng=self._rng)


FRONT = web.AppKey("front", Front)


async def _set_mode(request: web.Request) -> web.StreamResponse:
    mode: Mode
    match request.query.get("to"):
        case "pass":
            mode = "pass"
        case "keep":
            mode = "keep"
        case _:
            return web.json_response({"error": "to must be pass or keep"}, status=400)
    request.app[FRONT].mode = mode
    return web.json_response({"mode": mode})


async def _render(request: web.Request) -> web.StreamResponse:
    return web.json_response({"rendered": await request.app[FRONT].render()})


async def _seen(request: web.Request) -> web.StreamResponse:
    since = int(request.query.get("since", "0"))
    seen = request.app[FRONT].seen[since:]
    return web.json_response({"seen": [asdict(item) for item in seen]})


async def _answer(request: web.Request) -> web.StreamResponse:
    return await request.app[FRONT].handle(request)


def make_app(front: Front) -> web.Application:
    """The front's routes: its own under ``/_front/``, everything else for the PVS."""
    app = web.Application()
    app[FRONT] = front
    app.router.add_post("/_front/mode", _set_mode)
    app.router.add_post("/_front/render", _render)
    app.router.add_get("/_front/seen", _seen)
    app.router.add_route("*", "/{tail:.*}", _answer)
    return app


async def serve(port: int, front: Front) -> None:
    """Serve on 127.0.0.1 until SIGTERM or SIGINT."""
    await front.start()
    runner = web.AppRunner(make_app(front), access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await front.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m benchkit.front --port N --upstream HOST:PORT --profile P --firmware F``."""
    parser = argparse.ArgumentParser(prog="python -m benchkit.front")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True, help="the simulator's HOST:PORT")
    parser.add_argument("--profile", required=True)
    parser.add_argument("--firmware", required=True, choices=("legacy", "localapi"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    front = Front(args.upstream, get_profile(args.profile), args.firmware, args.seed)
    asyncio.run(serve(args.port, front))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
