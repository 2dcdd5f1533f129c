"""Legacy dl_cgi transport: plain HTTP, no authentication, read-only commands only.

Only these GETs are ever sent: DeviceList, Get_Comm, GridProfileGet, CheckFW, supervisor/info
and the ESS status. Never Start, Stop, Set…, GridProfileRefresh or any non-GET: those open
configuration sessions or change the unit's state.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
import time
from typing import Any, TypeVar

from .assemble import build_data, merge_devices
from .devicelist import device_list_time, parse_device_list, same_but_clock
from .errors import PVSError, PVSHTTPStatusError
from .ess_status import parse_ess_status
from .http import Http
from .legacy_info import (
    SupervisorInfo,
    parse_firmware_check,
    parse_grid_profile,
    parse_network_status,
    parse_supervisor_info,
)
from .models import (
    Battery,
    Device,
    EnergyStorage,
    EssHub,
    Generation,
    PVSData,
    StorageInverter,
    TransferSwitch,
)
from .parse import decode_json
from .reuse import DeviceReuse, SameResult
from .slow_reads import SlowReads

_LOGGER = logging.getLogger(__package__)
T = TypeVar("T")

DL_CGI = "/cgi-bin/dl_cgi"
SUPERVISOR_INFO = DL_CGI + "/supervisor/info"
DEVICE_LIST = DL_CGI + "?Command=DeviceList"
ESS_STATUS = DL_CGI + "/energy-storage-system/status"
# Legacy units are reached over plain HTTP (often through a bridge); HTTPS is the fallback.
SCHEMES = ("http", "https")
_ESS_CLASSES = (EnergyStorage, Battery, StorageInverter, TransferSwitch, EssHub)


class LegacyTransport:
    """Reads a legacy unit's DeviceList and auxiliary commands."""

    def __init__(
        self,
        http: Http,
        *,
        request_timeout: float,
        device_list_timeout: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Timeouts in seconds; DeviceList gets its own, generous one; ``clock`` ages reads."""
        self._http = http
        self._request_timeout = request_timeout
        self._device_list_timeout = device_list_timeout
        self._schemes: tuple[str, ...] = SCHEMES
        self.slow_reads = SlowReads(clock)
        self._reuse: DeviceReuse[tuple[str, str, str]] = DeviceReuse(same_but_clock)
        self._device_list: SameResult[tuple[Any, list[Device]]] = SameResult()
        self._data: SameResult[PVSData] = SameResult()

    async def get_body(self, path: str, what: str, timeout_s: float | None = None) -> bytes:
        """The body of a 200 answer; any other status is a ``PVSHTTPStatusError``."""
        reply = await self._http.get(
            path,
            schemes=self._schemes,
            timeout_s=self._request_timeout if timeout_s is None else timeout_s,
            what=what,
        )
        self._schemes = (reply.scheme,)
        if reply.status != 200:
            raise PVSHTTPStatusError(what, reply.status)
        return reply.body

    async def get_json(self, path: str, what: str, timeout_s: float | None = None) -> Any:
        """A 200 JSON answer, decoded."""
        return decode_json(await self.get_body(path, what, timeout_s), what)

    async def supervisor_info(self) -> tuple[SupervisorInfo, Any]:
        """supervisor/info, parsed and raw."""
        body = await self.get_json(SUPERVISOR_INFO, "supervisor/info")
        return parse_supervisor_info(body), body

    async def device_list(self) -> Any:
        """The raw DeviceList body (slow: 6-60 s)."""
        return await self.get_json(DEVICE_LIST, "DeviceList", self._device_list_timeout)

    async def _auxiliary(
        self, path: str, what: str, parse: Callable[[Any], T], raw: dict[str, Any]
    ) -> T | None:
        """A slow read, re-read when due; its failure costs only its own data, never the poll."""
        if self.slow_reads.due(what):
            body: Any = None
            try:
                body = await self.get_json(path, what)
            except PVSError as err:
                _LOGGER.debug("%s unavailable: %s", what, err)
            self.slow_reads.keep(what, body)
        body = self.slow_reads.last(what)
        if body is None:
            return None
        raw[what] = body
        try:
            return parse(body)
        except PVSError as err:
            _LOGGER.debug("%s unreadable: %s", what, err)
            return None

    async def poll(self, serial: str) -> tuple[PVSData, dict[str, Any]]:
        """DeviceList plus Get_Comm, GridProfileGet, CheckFW and, with storage, ESS status."""
        raw: dict[str, Any] = {}
        answer = await self.get_body(DEVICE_LIST, "DeviceList", self._device_list_timeout)
        body, devices = self._device_list.get(answer, lambda: self._parse_device_list(answer))
        raw["DeviceList"] = body
        get_comm = f"{DL_CGI}?Command=Get_Comm" + (f"&SerialNumber={serial}" if serial else "")
        network = await self._auxiliary(get_comm, "Get_Comm", parse_network_status, raw)
        grid = await self._auxiliary(
            f"{DL_CGI}?Command=GridProfileGet", "GridProfileGet", parse_grid_profile, raw
        )
        firmware = await self._auxiliary(
            f"{DL_CGI}?Command=CheckFW", "CheckFW", parse_firmware_check, raw
        )
        if any(isinstance(device, _ESS_CLASSES) for device in devices):
            ess = await self._auxiliary(ESS_STATUS, "ESS status", parse_ess_status, raw)
            devices = merge_devices(devices, ess or [])
        device_time = device_list_time(body)
        data = self._data.get(
            (tuple(devices), network, grid, firmware, device_time),
            lambda: build_data(
                Generation.LEGACY,
                devices,
                network=network,
                grid_profile=grid,
                firmware_update_url=firmware,
                device_time=device_time,
            ),
        )
        return data, raw

    def _parse_device_list(self, answer: bytes) -> tuple[Any, list[Device]]:
        body = decode_json(answer, "DeviceList")
        return body, parse_device_list(body, self._reuse)
