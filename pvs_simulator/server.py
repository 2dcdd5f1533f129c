"""The simulator: one simulated PVS served over HTTP(S), plus its telemetry WebSocket."""

from __future__ import annotations

import asyncio
from datetime import datetime
import logging
import random
import socket
import ssl
from types import TracebackType
from typing import Self

from aiohttp import web

from .appkeys import UNIT
from .battery import EssControl
from .config import Firmware, SimulatorConfig
from .control import CONTROLS, add_control_routes, stats_body
from .faults import DEFAULT_REBOOT_S, parse_fault
from .legacy import (
    devices_list_handler,
    dl_cgi_command,
    ess_status_handler,
    other_dl_cgi,
    supervisor_info_handler,
)
from .localapi import auth, vars_handler
from .pipeline import JITTER, STOPPING, pvs_behaviour
from .replay import load_replay
from .telemetry import SOCKETS, OpenSockets, close_sockets, telemetry_socket
from .tls import self_signed_context
from .unit import PvsUnit

_LOGGER = logging.getLogger("pvs_simulator")

# Real seconds between checks of a running clock (reboot end).
TICK_S = 0.25
SHUTDOWN_TIMEOUT_S = 0.5


class _Listener:
    """One aiohttp application on one port that can stop listening and start again."""

    def __init__(
        self, app: web.Application, host: str, port: int, tls: ssl.SSLContext | None
    ) -> None:
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT_S
        )
        self._host = host
        self.port = port
        self._tls = tls
        self._server: asyncio.Server | None = None
        self._reopening: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._runner.setup()
        await self._serve(self._bind())

    def _bind(self) -> socket.socket:
        sock = socket.create_server((self._host, self.port))
        self.port = sock.getsockname()[1]
        return sock

    async def _serve(self, sock: socket.socket) -> None:
        server = self._runner.server
        if server is None:
            raise RuntimeError("runner not set up")
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(server, sock=sock, ssl=self._tls)

    def refuse(self) -> None:
        """Stop listening at once: new connections are refused."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def reopen(self) -> None:
        """Listen again; the socket is bound now, so connections queue until served."""
        if self._server is not None or self._reopening is not None:
            return
        sock = self._bind()
        self._reopening = asyncio.get_running_loop().create_task(self._finish_reopen(sock))

    async def _finish_reopen(self, sock: socket.socket) -> None:
        try:
            await self._serve(sock)
        finally:
            self._reopening = None

    async def stop(self) -> None:
        if self._reopening is not None:
            await self._reopening
        self.refuse()
        await self._runner.cleanup()


class Simulator:
    """A simulated PVS5/PVS6, usable as ``async with Simulator(config) as sim``."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        """Prepare the unit; nothing listens until ``start``."""
        self.config = config or SimulatorConfig()
        replay = (
            load_replay(self.config.replay, self.config.firmware) if self.config.replay else None
        )
        self.unit = PvsUnit(self.config, replay)
        self._initial_faults = [parse_fault(spec) for spec in self.config.faults]
        self._stopping = asyncio.Event()
        self._main: _Listener | None = None
        self._telemetry: _Listener | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._upgrade_pending = False

    async def __aenter__(self) -> Self:
        """Start serving."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving."""
        await self.stop()

    async def start(self) -> None:
        """Bind the ports and apply the faults given at start."""
        config = self.config
        tls = self_signed_context(self.unit.serial) if config.tls else None
        self._main = _Listener(self._main_app(), config.host, config.port, tls)
        await self._main.start()
        if self.unit.profile.model == "PVS6":
            app = self._shared_app(faults=False)
            app[SOCKETS] = OpenSockets()
            app.router.add_get("/", telemetry_socket)
            # (aiohttp 3.11 types the signal list wrongly; later releases fixed it)
            app.on_shutdown.append(close_sockets)  # type: ignore[arg-type, unused-ignore]
            self._telemetry = _Listener(app, config.host, config.telemetry_port, None)
            await self._telemetry.start()
        for fault in self._initial_faults:
            self.add_fault(fault.describe())
        if self.unit.clock.speed > 0:
            self._ticker = asyncio.get_running_loop().create_task(self._tick())
        scheme = "https" if config.tls else "http"
        _LOGGER.info(
            "PVS simulator (%s, %s firmware, serial %s) on %s://%s",
            self.unit.profile.name,
            self.unit.firmware,
            self.unit.serial,
            scheme,
            self.host,
        )

    async def stop(self) -> None:
        """Release hung requests, close sockets and ports."""
        self._stopping.set()
        if self._ticker is not None:
            self._ticker.cancel()
            await asyncio.gather(self._ticker, return_exceptions=True)
        for listener in (self._telemetry, self._main):
            if listener is not None:
                await listener.stop()

    def _shared_app(self, *, faults: bool = True) -> web.Application:
        app = web.Application(middlewares=[pvs_behaviour] if faults else [])
        app[UNIT] = self.unit
        app[STOPPING] = self._stopping
        app[JITTER] = random.Random(self.config.seed)
        app[CONTROLS] = self
        return app

    def _main_app(self) -> web.Application:
        app = self._shared_app()
        router = app.router
        router.add_route("*", "/cgi-bin/dl_cgi", dl_cgi_command)
        router.add_get("/cgi-bin/dl_cgi/supervisor/info", supervisor_info_handler)
        router.add_get("/cgi-bin/dl_cgi/energy-storage-system/status", ess_status_handler)
        router.add_get("/cgi-bin/dl_cgi/devices/list", devices_list_handler)
        router.add_route("*", "/cgi-bin/dl_cgi/{tail:.*}", other_dl_cgi)
        router.add_route("GET", "/auth", auth)
        router.add_route("POST", "/auth", auth)
        router.add_route("GET", "/vars", vars_handler)
        router.add_route("POST", "/vars", vars_handler)
        add_control_routes(app)
        return app

    # The in-process API.

    @property
    def host(self) -> str:
        """``HOST:PORT`` as a client would be configured with."""
        if self._main is None:
            raise RuntimeError("simulator not started")
        return f"{self.config.host}:{self._main.port}"

    @property
    def telemetry_port(self) -> int | None:
        """The WebSocket port while the unit runs LocalAPI firmware on a PVS6."""
        if self._telemetry is None or self.unit.firmware != "localapi":
            return None
        return self._telemetry.port

    @property
    def serial(self) -> str:
        """The supervisor serial; its last five characters are the LocalAPI password."""
        return self.unit.serial

    @property
    def now(self) -> datetime:
        """Simulated time."""
        return self.unit.clock.now()

    @property
    def stats(self) -> dict[str, object]:
        """The same dictionary ``GET /_sim/stats`` returns."""
        return stats_body(self.unit)

    def advance(self, seconds: float) -> None:
        """Move the simulated clock; a reboot that ran its course ends here."""
        self.unit.clock.advance(seconds)
        self._check_reboot()
        self.unit.sync()

    def add_fault(self, spec: str) -> None:
        """Inject a fault, with the ``--fault`` grammar."""
        fault = parse_fault(spec)
        if fault.kind == "clear":
            self.unit.faults.clear()
        elif fault.kind == "expire":
            self.expire_sessions()
        elif fault.kind == "reboot":
            self._reboot(fault.seconds if fault.value else DEFAULT_REBOOT_S)
        elif fault.kind == "replace":
            self.unit.replace_inverter(fault.value)
        elif fault.kind == "upgrade":
            if fault.seconds > 0:
                self._upgrade_pending = True
                self._reboot(fault.seconds)
            else:
                self.set_firmware("localapi")
        else:
            self.unit.faults.add(fault)

    @property
    def ess_control(self) -> EssControl | None:
        """The battery's mode and backup reserve; None on a site without storage."""
        return self.unit.site.control if self.unit.profile.ess else None

    def set_ess_control(self, *, mode: str | None = None, reserve: float | None = None) -> None:
        """Change the battery's mode and/or reserve, as the owner does in the SunStrong app.

        ``ValueError`` for an unknown mode, a reserve outside 0-1 or a site without storage.
        """
        if not self.unit.profile.ess:
            raise ValueError(f"profile {self.unit.profile.name!r} has no battery")
        self.unit.set_ess_control(self.unit.site.control.changed(mode, reserve))

    def set_firmware(self, firmware: Firmware) -> None:
        """Switch firmware generation while running."""
        self.unit.set_firmware(firmware)

    def set_password(self, password: str | None) -> None:
        """The owner changes the ssm_owner password (None: back to the default); sessions end."""
        self.unit.owner_password = password
        self.unit.sessions.expire_all()

    def expire_sessions(self) -> None:
        """End every LocalAPI session now."""
        self.unit.sessions.expire_all()

    def clear_faults(self) -> None:
        """Remove all injected faults."""
        self.unit.faults.clear()

    def _reboot(self, seconds: float) -> None:
        self.unit.go_down(seconds)
        for listener in (self._main, self._telemetry):
            if listener is not None:
                listener.refuse()
        _LOGGER.info("rebooting for %.0f simulated seconds", seconds)
        self._check_reboot()

    def _check_reboot(self) -> None:
        down_until = self.unit.down_until
        if down_until is None or self.unit.clock.epoch < down_until:
            return
        self.unit.come_up()
        if self._upgrade_pending:
            self._upgrade_pending = False
            self.unit.set_firmware("localapi")
        for listener in (self._main, self._telemetry):
            if listener is not None:
                listener.reopen()
        _LOGGER.info("back up after reboot")

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self._check_reboot()
