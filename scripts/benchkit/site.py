"""The simulated PVS of one run: simulator and front as child processes, steered over HTTP.

Home Assistant talks to the front (``front.py``); the front talks to the simulator
(``python -m pvs_simulator``, clock frozen, latency off, no faults). The bench moves the
simulator's clock with ``POST /_sim/advance`` and reads what it was asked from
``GET /_sim/stats``; the front adds, per request, whether it was heavy and what a real unit
would take for it. In a bare replay the front answers from canned data sets instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import aiohttp

from .processes import LOCALHOST, Child, free_port
from .wire import Seen


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteSpec:
    """Which simulated site a run uses."""

    profile: str
    firmware: str
    start: datetime
    seed: int = 1
    # a bare replay: canned answers, one data set per 5 minutes, from the front alone
    bare: bool = False


@dataclass(frozen=True, slots=True)
class Mark:
    """Where the counters stood."""

    requests: int
    bytes: int
    endpoints: Counter[str]
    seen: int


@dataclass(frozen=True, slots=True)
class Load:
    """What the PVS was asked between two marks."""

    requests: int
    bytes: int
    heavy: int
    endpoints: dict[str, int]
    # the time a real unit takes for each request, in the order they came
    device_s: tuple[float, ...]
    # requests the simulator was not asked for (answered from kept answers)
    kept: int


def _endpoint_requests(stats: dict[str, Any]) -> Counter[str]:
    endpoints = stats.get("endpoints", {})
    return Counter({name: int(entry["requests"]) for name, entry in endpoints.items()})


@dataclass(slots=True)
class Site:
    """``async with Site(spec, sim_root, scripts_dir, workdir) as site``."""

    spec: SiteSpec
    sim_root: Path
    scripts_dir: Path
    workdir: Path
    serial: str = ""
    _sim_port: int = 0
    _front_port: int = 0
    _children: list[Child] = field(default_factory=list)
    _session: aiohttp.ClientSession | None = None
    _seen: list[Seen] = field(default_factory=list)

    async def __aenter__(self) -> Self:
        """Start the simulator and the front and wait until both answer."""
        self._session = aiohttp.ClientSession()
        self._sim_port, self._front_port = free_port(), free_port()
        spec = self.spec
        try:
            simulator = Child.start(
                "simulator",
                [
                    "-m",
                    "pvs_simulator",
                    *("--port", str(self._sim_port), "--telemetry-port", "0"),
                    *("--profile", spec.profile, "--firmware", spec.firmware),
                    *("--speed", "0", "--start", spec.start.isoformat(), "--no-latency"),
                    *("--seed", str(spec.seed)),
                ],
                [self.sim_root],
                self.workdir / "simulator.log",
            )
            self._children.append(simulator)
            front = Child.start(
                "front",
                [
                    "-m",
                    "benchkit.front",
                    *("--port", str(self._front_port), "--upstream", self._sim_address),
                    *("--profile", spec.profile, "--firmware", spec.firmware),
                    *("--seed", str(spec.seed)),
                ],
                [self.scripts_dir, self.sim_root],
                self.workdir / "front.log",
            )
            self._children.append(front)
            await simulator.wait_ready(self._session, self._sim_url("/_sim/stats"))
            await front.wait_ready(self._session, self._front_url("/_front/seen?since=0"))
            info = await self._get(self._sim_url("/cgi-bin/dl_cgi/supervisor/info"))
            self.serial = str(info.get("supervisor", info)["SERIAL"])
        except BaseException:
            await self._close()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop both children."""
        await self._close()

    async def _close(self) -> None:
        for child in reversed(self._children):
            child.stop()
        self._children.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def _sim_address(self) -> str:
        return f"{LOCALHOST}:{self._sim_port}"

    @property
    def host(self) -> str:
        """The address Home Assistant is configured with: the front's."""
        return f"{LOCALHOST}:{self._front_port}"

    def _sim_url(self, path: str) -> str:
        return f"http://{self._sim_address}{path}"

    def _front_url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    async def _call(self, method: str, url: str) -> dict[str, Any]:
        if self._session is None:
            raise RuntimeError("site not started")
        async with self._session.request(method, url) as reply:
            if reply.status != 200:
                raise RuntimeError(f"{method} {url}: HTTP {reply.status}: {await reply.text()}")
            body: dict[str, Any] = await reply.json(content_type=None)
            return body

    async def _get(self, url: str) -> dict[str, Any]:
        return await self._call("GET", url)

    async def advance(self, seconds: float) -> None:
        """Move the simulator's clock."""
        if seconds > 0:
            await self._call("POST", self._sim_url(f"/_sim/advance?seconds={seconds!r}"))

    async def keep_answers(self) -> None:
        """From now on the front answers from the answers it kept (byte-identical)."""
        await self._call("POST", self._front_url("/_front/mode?to=keep"))

    async def render(self) -> None:
        """Bare replay: render the canned answers of the data set now current."""
        await self._call("POST", self._front_url("/_front/render"))

    async def _fetch_seen(self) -> None:
        body = await self._get(self._front_url(f"/_front/seen?since={len(self._seen)}"))
        self._seen += [Seen(**item) for item in body["seen"]]

    async def mark(self) -> Mark:
        """Where the counters stand now."""
        await self._fetch_seen()
        stats = await self._get(self._sim_url("/_sim/stats"))
        return Mark(
            int(stats["requests"]), int(stats["bytes"]), _endpoint_requests(stats), len(self._seen)
        )

    async def load_since(self, mark: Mark) -> Load:
        """What Home Assistant asked since ``mark``.

        While the front passes every request on, requests, bytes and endpoints are the
        simulator's own statistics (and must agree with the front's count). Where the front
        answered from kept or canned answers (identical answers, a bare replay) they are the
        front's: the simulator was not asked.
        """
        now = await self.mark()
        seen = self._seen[mark.seen : now.seen]
        heavy = sum(item.heavy for item in seen)
        kept = sum(item.kept for item in seen)
        device_s = tuple(item.device_s for item in seen)
        if self.spec.bare or kept:
            endpoints = Counter(item.endpoint for item in seen)
            size = sum(item.bytes for item in seen)
            return Load(len(seen), size, heavy, dict(endpoints), device_s, kept)
        requests = now.requests - mark.requests
        if requests != len(seen):
            raise RuntimeError(
                f"the simulator counted {requests} requests, the front passed {len(seen)}"
            )
        endpoints = now.endpoints - mark.endpoints
        return Load(requests, now.bytes - mark.bytes, heavy, dict(endpoints), device_s, kept)
