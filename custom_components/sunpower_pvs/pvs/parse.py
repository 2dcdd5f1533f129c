"""Recognising saved PVS answers by their content and turning them into one ``PVSData``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import json
from typing import Any

from .assemble import build_data, merge_device, merge_devices
from .devicelist import parse_device_list
from .errors import PVSProtocolError
from .ess_status import is_ess_status, parse_ess_status
from .legacy_info import (
    SupervisorInfo,
    is_firmware_check,
    is_grid_profile,
    is_network_status,
    is_supervisor_info,
    parse_firmware_check,
    parse_grid_profile,
    parse_network_status,
    parse_supervisor_info,
)
from .models import Device, Generation, GridProfile, NetworkStatus, PVSData, Supervisor
from .varserver import is_varserver, parse_vars, vars_values


def _fast_loads() -> Callable[[str | bytes], Any] | None:
    """The faster JSON decoder where it is installed, else None.

    Home Assistant ships orjson: a DeviceList of 300 inverters decodes in a quarter of the
    time. The library itself needs only the standard library.
    """
    try:
        import orjson  # noqa: PLC0415 - optional
    except ImportError:
        return None
    loads: Callable[[str | bytes], Any] = orjson.loads
    return loads


_FAST_LOADS = _fast_loads()


def decode_json(body: str | bytes, what: str) -> Any:
    """JSON text to objects; anything else (HTML, a cut-off body) is a protocol error."""
    if _FAST_LOADS is not None:
        try:
            return _FAST_LOADS(body)
        except ValueError:
            pass  # e.g. a bare NaN, which the standard library accepts: let it decide
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError):
        start = body[:1] if isinstance(body, str) else body[:1].decode("latin-1")
        hint = "an HTML page" if start == "<" else "truncated or not JSON"
        raise PVSProtocolError(f"{what}: answer is {hint}") from None


def supervisor_from_info(info: SupervisorInfo) -> Supervisor:
    """The supervisor as far as supervisor/info describes it."""
    return Supervisor(
        serial=info.serial,
        device_type="PVS",
        model=info.model,
        sw_version=info.sw_version,
        build=info.build,
    )


def _refuse_command_answer(body: Mapping[str, Any], position: int) -> None:
    if "profiles" in body:
        raise PVSProtocolError(
            f"response {position} is a GridProfileRefresh answer, which this library never requests"
        )
    if set(body) == {"result"}:
        raise PVSProtocolError(f"response {position} holds only a command result, no data")


def parse_responses(bodies: Iterable[Any]) -> PVSData:
    """One ``PVSData`` from saved answers of any kind, recognised from their content.

    Understood: DeviceList (or a list of its records), ESS status, supervisor/info, Get_Comm,
    GridProfileGet, CheckFW and ``/vars`` answers in list, object or nested form. Bodies may be
    decoded JSON or JSON text. The generation is LocalAPI when any ``/vars`` answer is present.
    """
    devices: list[Device] = []
    ess: list[Device] = []
    values: dict[str, Any] = {}
    info: SupervisorInfo | None = None
    network: NetworkStatus | None = None
    grid: GridProfile | None = None
    firmware_url: str | None = None
    saw_vars = False
    for position, raw in enumerate(bodies, start=1):
        body = decode_json(raw, f"response {position}") if isinstance(raw, str | bytes) else raw
        if isinstance(body, list):
            body = {"devices": body}
        if not isinstance(body, Mapping):
            raise PVSProtocolError(f"response {position} is not a JSON object")
        if isinstance(body.get("devices"), list):
            devices += parse_device_list(body)
        elif is_ess_status(body):
            ess += parse_ess_status(body)
        elif is_supervisor_info(body):
            info = parse_supervisor_info(body)
        elif is_network_status(body):
            network = parse_network_status(body)
        elif is_grid_profile(body):
            grid = parse_grid_profile(body)
        elif is_firmware_check(body):
            firmware_url = parse_firmware_check(body)
        elif is_varserver(body):
            saw_vars = True
            values.update(vars_values(body))
        else:
            _refuse_command_answer(body, position)
            raise PVSProtocolError(f"response {position} is not a PVS answer this library reads")
    content = parse_vars(values)
    supervisor = content.supervisor
    if info is not None:
        from_info = supervisor_from_info(info)
        supervisor = from_info if supervisor is None else merge_device(from_info, supervisor)
    return build_data(
        Generation.LOCALAPI if saw_vars else Generation.LEGACY,
        merge_devices(devices + content.devices, ess),
        supervisor=supervisor,
        network=network,
        grid_profile=grid,
        live=content.live,
        firmware_update_url=firmware_url,
    )
