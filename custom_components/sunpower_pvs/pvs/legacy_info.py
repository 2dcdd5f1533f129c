"""Small legacy dl_cgi answers: supervisor/info, Get_Comm, GridProfileGet and CheckFW."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import PVSProtocolError
from .models import GridProfile, NetworkInterface, NetworkStatus
from .values import build_number, integer, number, supervisor_model, text

# Cloud reachability is reported as "sms": SunPower's monitoring server.
_REACHABLE = {"reachable": True, "unreachable": False}
_UP = {"up": True, "down": False}


@dataclass(frozen=True, slots=True, kw_only=True)
class SupervisorInfo:
    """What ``/cgi-bin/dl_cgi/supervisor/info`` says about the unit."""

    serial: str
    model: str | None
    build: int | None
    sw_version: str | None


def _succeeded(body: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise PVSProtocolError(f"{what} answer is not a JSON object")
    result = body.get("result")
    if result is not None and result != "succeed":
        raise PVSProtocolError(f"{what} answered result={text(result)!r}")
    return body


def is_supervisor_info(body: Any) -> bool:
    """Whether ``body`` looks like a supervisor/info answer."""
    return isinstance(body, Mapping) and isinstance(body.get("supervisor"), Mapping)


def parse_supervisor_info(body: Any) -> SupervisorInfo:
    """Serial, model and build; PVS5 has no ``BUILD`` key, so it is read from ``SWVER``."""
    supervisor = _succeeded(body, "supervisor/info").get("supervisor")
    if not isinstance(supervisor, Mapping) or not text(supervisor.get("SERIAL")):
        raise PVSProtocolError("supervisor/info answer has no supervisor serial")
    sw_version = text(supervisor.get("SWVER"))
    return SupervisorInfo(
        serial=text(supervisor.get("SERIAL")) or "",
        model=supervisor_model(supervisor.get("MODEL")),
        build=integer(supervisor.get("BUILD")) or build_number(sw_version),
        sw_version=sw_version,
    )


def is_network_status(body: Any) -> bool:
    """Whether ``body`` looks like a Get_Comm answer."""
    return isinstance(body, Mapping) and isinstance(body.get("networkstatus"), Mapping)


def _signal(value: Any) -> float | None:
    """dBm; the PVS sends 0 for an interface without a signal, which no radio really reads."""
    dbm = number(value)
    return None if dbm is None or dbm == 0 else dbm


def _interface(item: Mapping[str, Any]) -> NetworkInterface:
    state = item.get("status") if item.get("state") is None else item.get("state")
    return NetworkInterface(
        name=text(item.get("interface")) or "",
        internet=_UP.get((text(item.get("internet")) or "").lower()),
        cloud_reachable=_REACHABLE.get((text(item.get("sms")) or "").lower()),
        state=text(state),
        signal_dbm=_signal(item.get("signal")),
    )


def parse_network_status(body: Any) -> NetworkStatus:
    """Which interface reaches SunPower, and each interface's state."""
    status = _succeeded(body, "Get_Comm").get("networkstatus")
    if not isinstance(status, Mapping):
        raise PVSProtocolError("Get_Comm answer has no 'networkstatus' object")
    system = status.get("system")
    system = system if isinstance(system, Mapping) else {}
    items = status.get("interfaces")
    items = items if isinstance(items, list) else []
    return NetworkStatus(
        active_interface=text(system.get("interface")),
        internet=_UP.get((text(system.get("internet")) or "").lower()),
        cloud_reachable=_REACHABLE.get((text(system.get("sms")) or "").lower()),
        interfaces=tuple(_interface(item) for item in items if isinstance(item, Mapping)),
    )


def is_grid_profile(body: Any) -> bool:
    """Whether ``body`` looks like a GridProfileGet answer."""
    return isinstance(body, Mapping) and ("active_id" in body or "active_name" in body)


def parse_grid_profile(body: Any) -> GridProfile:
    """Active and pending grid profile names and ids."""
    profile = _succeeded(body, "GridProfileGet")
    if not is_grid_profile(profile):
        raise PVSProtocolError("GridProfileGet answer has no active profile")
    return GridProfile(
        active_name=text(profile.get("active_name")),
        active_id=text(profile.get("active_id")),
        pending_name=text(profile.get("pending_name")),
        pending_id=text(profile.get("pending_id")),
    )


def is_firmware_check(body: Any) -> bool:
    """Whether ``body`` looks like a CheckFW answer (``{"url": ...}`` and little else)."""
    return isinstance(body, Mapping) and "url" in body and len(body) <= 2


def parse_firmware_check(body: Any) -> str | None:
    """The URL of a pending firmware update; ``None`` when CheckFW says ``"none"``."""
    if not is_firmware_check(body):
        raise PVSProtocolError("CheckFW answer has no 'url'")
    url = text(body.get("url"))
    return None if url is None or url.lower() == "none" else url
