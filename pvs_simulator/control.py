"""``/_sim/`` endpoints: steer the simulator from outside (never a PVS path)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from aiohttp import web

from .battery import EssControl
from .config import Firmware
from .faults import FaultSpecError
from .responses import json_response
from .unit import PvsUnit


class Controls(Protocol):
    """What the control endpoints may do to a running simulator."""

    @property
    def stats(self) -> dict[str, object]:
        """Statistics, as ``GET /_sim/stats`` shows them."""

    @property
    def now(self) -> datetime:
        """Simulated time."""

    def add_fault(self, spec: str) -> None:
        """Inject a fault (grammar in the package docstring)."""

    def advance(self, seconds: float) -> None:
        """Move the simulated clock."""

    def set_firmware(self, firmware: Firmware) -> None:
        """Switch firmware generation."""

    def expire_sessions(self) -> None:
        """End every LocalAPI session."""

    @property
    def ess_control(self) -> EssControl | None:
        """The battery's settings (None without storage)."""

    def set_ess_control(self, *, mode: str | None = None, reserve: float | None = None) -> None:
        """Change the battery's settings as the SunStrong app does."""


CONTROLS = web.AppKey("controls", Controls)


def stats_body(unit: PvsUnit) -> dict[str, object]:
    """Request accounting plus the unit's situation."""
    return unit.stats.as_dict() | {
        "firmware": unit.firmware,
        "profile": unit.profile.name,
        "simulated_time": unit.clock.now().isoformat(),
        "faults": unit.faults.describe(),
        "sessions": unit.sessions.active,
    }


async def _argument(request: web.Request, name: str) -> str:
    """A value from the query string or, failing that, the request body."""
    return request.query.get(name) or (await request.text()).strip()


async def get_stats(request: web.Request) -> web.StreamResponse:
    """``GET /_sim/stats``."""
    return json_response(request.app[CONTROLS].stats, legacy=False)


async def post_fault(request: web.Request) -> web.StreamResponse:
    """``POST /_sim/fault?spec=SPEC`` (or the spec as body)."""
    controls = request.app[CONTROLS]
    try:
        controls.add_fault(await _argument(request, "spec"))
    except FaultSpecError as err:
        return json_response({"error": str(err)}, 400, legacy=False)
    return json_response(controls.stats, legacy=False)


async def post_advance(request: web.Request) -> web.StreamResponse:
    """``POST /_sim/advance?seconds=N``."""
    controls = request.app[CONTROLS]
    try:
        seconds = float(await _argument(request, "seconds"))
        controls.advance(seconds)
    except ValueError as err:
        return json_response({"error": str(err)}, 400, legacy=False)
    return json_response({"simulated_time": controls.now.isoformat()}, legacy=False)


async def post_firmware(request: web.Request) -> web.StreamResponse:
    """``POST /_sim/firmware?to=legacy|localapi``."""
    controls = request.app[CONTROLS]
    target = await _argument(request, "to")
    if target not in {"legacy", "localapi"}:
        return json_response({"error": "to must be legacy or localapi"}, 400, legacy=False)
    controls.set_firmware("localapi" if target == "localapi" else "legacy")
    return json_response(controls.stats, legacy=False)


async def post_expire(request: web.Request) -> web.StreamResponse:
    """``POST /_sim/expire``: end all sessions now."""
    request.app[CONTROLS].expire_sessions()
    return web.Response(status=204)


def _ess_body(control: EssControl | None) -> dict[str, object]:
    if control is None:
        return {"error": "this site has no battery"}
    return {"mode": control.mode, "reserve": control.reserve}


async def get_ess(request: web.Request) -> web.StreamResponse:
    """``GET /_sim/ess``: the battery's mode and reserve."""
    control = request.app[CONTROLS].ess_control
    return json_response(_ess_body(control), 200 if control else 404, legacy=False)


async def post_ess(request: web.Request) -> web.StreamResponse:
    """``POST /_sim/ess?mode=BACKUP_ONLY&reserve=0.5`` (either or both), as the app does."""
    controls = request.app[CONTROLS]
    mode = request.query.get("mode")
    reserve = request.query.get("reserve")
    try:
        controls.set_ess_control(mode=mode, reserve=None if reserve is None else float(reserve))
    except ValueError as err:
        return json_response({"error": str(err)}, 400, legacy=False)
    return json_response(_ess_body(controls.ess_control), legacy=False)


def add_control_routes(app: web.Application) -> None:
    """Register the ``/_sim/`` endpoints."""
    app.router.add_get("/_sim/stats", get_stats)
    app.router.add_post("/_sim/fault", post_fault)
    app.router.add_post("/_sim/advance", post_advance)
    app.router.add_post("/_sim/firmware", post_firmware)
    app.router.add_post("/_sim/expire", post_expire)
    app.router.add_get("/_sim/ess", get_ess)
    app.router.add_post("/_sim/ess", post_ess)
