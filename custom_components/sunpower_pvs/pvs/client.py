"""The PVS client: detects the firmware generation and polls through the matching transport.

Detection (pvs-protocol.md §2): supervisor/info for identity, then the unauthenticated
``/vars`` probe (authoritative), then DeviceList. A poll that fails with HTTP 403/404 — the
pattern of a firmware change — triggers one re-detection, and the poll is repeated once when
the generation really changed. Nothing else is retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import dataclasses
import logging
import time
from types import MappingProxyType
from typing import Any

import aiohttp

from .devicelist import parse_device_list
from .errors import (
    PVSConnectionError,
    PVSError,
    PVSHTTPStatusError,
    PVSProtocolError,
    PVSTimeoutError,
)
from .ess_settings import EssSettings, mode_assignment, reserve_assignment
from .host import validate_host
from .http import Http
from .legacy import LegacyTransport
from .legacy_info import SupervisorInfo
from .localapi import LocalApiTransport
from .models import Generation, LiveData, PVSData, Supervisor, UnitInfo

_LOGGER = logging.getLogger(__package__)

# First LocalAPI builds; PVS5 and PVS6 build numbers are not comparable.
LOCALAPI_FIRST_BUILD = {"PVS6": 61840, "PVS5": 5408}
FIRMWARE_CHANGE_STATUSES = frozenset({403, 404})


def _unreachable(err: PVSError) -> bool:
    """A refused or failed connection, as opposed to an answer or a timeout."""
    plain = not isinstance(err, PVSHTTPStatusError | PVSTimeoutError)
    return isinstance(err, PVSConnectionError) and plain


def _build_says_localapi(info: SupervisorInfo | None) -> bool:
    if info is None or info.build is None or info.model not in LOCALAPI_FIRST_BUILD:
        return False
    return info.build >= LOCALAPI_FIRST_BUILD[info.model]


class PVSClient:
    """One PVS at ``host``; all requests go one at a time through the injected session.

    The LocalAPI session cookie is sent by hand. Give the client a session whose cookie jar is
    an ``aiohttp.DummyCookieJar``: a real jar would store the PVS's cookie for a hostname and
    send it along, and a stale one makes the PVS refuse even the next login.
    """

    def __init__(
        self,
        host: str,
        session: aiohttp.ClientSession,
        *,
        password: str | None = None,
        request_timeout: float = 30.0,
        device_list_timeout: float = 120.0,
        min_query_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``password`` overrides the one derived from the serial (LocalAPI only).

        ``clock`` (seconds, monotonic) decides when a slow read is due again; a benchmark or
        a test running on simulated time hands in its own.
        """
        self.host = validate_host(host)
        self._http = Http(self.host, session, min_interval=min_query_interval)
        self._legacy = LegacyTransport(
            self._http,
            request_timeout=request_timeout,
            device_list_timeout=device_list_timeout,
            clock=clock,
        )
        self._localapi = LocalApiTransport(self._http, request_timeout=request_timeout, clock=clock)
        self._localapi.password = password or None
        self._unit: UnitInfo | None = None
        self._raw: dict[str, Any] = {}
        self._poll_lock = asyncio.Lock()

    @property
    def unit(self) -> UnitInfo | None:
        """What the last detection found."""
        return self._unit

    @property
    def last_raw_responses(self) -> Mapping[str, Any]:
        """Decoded bodies of the last poll, keyed by request, for diagnostics."""
        return MappingProxyType(self._raw)

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far (each scheme attempt counts)."""
        return self._http.requests

    async def _supervisor_info(self) -> tuple[SupervisorInfo | None, bool]:
        """supervisor/info if it answers, and whether the host could be connected to at all."""
        try:
            info, _body = await self._legacy.supervisor_info()
        except PVSError as err:
            _LOGGER.debug("supervisor/info unavailable: %s", err)
            return None, not _unreachable(err)
        return info, True

    async def _probe(self, info: SupervisorInfo | None) -> tuple[bool, str | None, bool]:
        """(LocalAPI?, serial if read, host connected?) from the unauthenticated probe."""
        try:
            localapi, serial = await self._localapi.probe()
        except PVSError as err:
            _LOGGER.debug("LocalAPI probe failed: %s", err)
            # The probe could not answer; the build number is the next best evidence.
            return _build_says_localapi(info), None, not _unreachable(err)
        return localapi, serial, True

    async def _from_device_list(self) -> UnitInfo:
        try:
            body = await self._legacy.device_list()
        except PVSHTTPStatusError as err:
            if 400 <= err.status < 500 and err.status != 403:
                message = f"not a PVS: DeviceList answered HTTP {err.status}"
                raise PVSProtocolError(message) from None
            raise
        pvs = next((d for d in parse_device_list(body) if isinstance(d, Supervisor)), None)
        if pvs is None or not pvs.serial:
            raise PVSProtocolError("not a PVS: DeviceList lists no supervisor")
        return UnitInfo(
            generation=Generation.LEGACY,
            serial=pvs.serial,
            model=pvs.model,
            build=pvs.build,
            sw_version=pvs.sw_version,
        )

    async def detect(self) -> UnitInfo:
        """Which generation the unit speaks, with its serial, model and build."""
        info, info_connected = await self._supervisor_info()
        localapi, probed_serial, probe_connected = await self._probe(info)
        if not (localapi or info_connected or probe_connected):
            raise PVSConnectionError(f"cannot connect to a PVS at {self.host}")
        if localapi:
            unit = UnitInfo(
                generation=Generation.LOCALAPI,
                serial=(info.serial if info else probed_serial) or "",
                model=info.model if info else None,
                build=info.build if info else None,
                sw_version=info.sw_version if info else None,
            )
        elif info is not None:
            unit = UnitInfo(
                generation=Generation.LEGACY,
                serial=info.serial,
                model=info.model,
                build=info.build,
                sw_version=info.sw_version,
            )
        else:
            unit = await self._from_device_list()
        self._set_unit(unit)
        return unit

    def _set_unit(self, unit: UnitInfo) -> None:
        previous = self._unit
        if previous is not None and previous.generation != unit.generation:
            _LOGGER.warning(
                "PVS at %s changed firmware generation from %s to %s",
                self.host,
                previous.generation,
                unit.generation,
            )
        self._unit = unit
        if unit.serial:
            self._localapi.serial = unit.serial

    async def ping(self) -> None:
        """A cheap sign of life before a heavy read, while the PVS is recovering.

        supervisor/info answering at all counts, except a 5xx (a proxy in front of a
        restarting supervisor); raises ``PVSConnectionError`` otherwise.
        """
        async with self._poll_lock:
            try:
                await self._legacy.supervisor_info()
            except PVSHTTPStatusError as err:
                if err.status >= 500:
                    raise
            except PVSProtocolError:
                return

    @property
    def host_name(self) -> str:
        """The host without its port (the telemetry stream has a port of its own)."""
        name, _, port = self.host.rpartition(":")
        return name if name and port.isdigit() and "]" not in port else self.host

    async def enable_telemetry(self) -> None:
        """Switch the LocalAPI telemetry stream on (PVS6) (a write that changes no setting)."""
        async with self._poll_lock:
            unit = self._unit or await self.detect()
            if unit.generation is not Generation.LOCALAPI:
                raise PVSProtocolError("the telemetry stream needs LocalAPI firmware")
            await self._localapi.enable_telemetry()

    async def read_live(self) -> LiveData | None:
        """One read of the LocalAPI live site data (a cheap query)."""
        async with self._poll_lock:
            unit = self._unit or await self.detect()
            if unit.generation is not Generation.LOCALAPI:
                return None
            return await self._localapi.read_live()

    async def set_control_mode(self, mode: str) -> EssSettings:
        """Set the SunVault's operating mode; returns both settings as read back.

        ValueError (before any request) for a mode an owner may not choose;
        ``PVSSettingRefusedError`` / ``PVSSettingNotAppliedError`` when it did not take.
        """
        assignment = mode_assignment(mode)
        return await self._write_setting(assignment, EssSettings(control_mode=mode.upper()))

    async def set_backup_reserve(self, percent: float) -> EssSettings:
        """Set the SunVault's backup reserve in whole percent (0-100); as ``set_control_mode``."""
        assignment = reserve_assignment(percent)
        return await self._write_setting(assignment, EssSettings(backup_reserve_pct=percent))

    async def _write_setting(self, assignment: str, wanted: EssSettings) -> EssSettings:
        # One request at a time: never while a poll's request is in flight.
        async with self._poll_lock:
            unit = self._unit or await self.detect()
            if not unit.capabilities.ess_control:
                raise PVSProtocolError("SunVault settings need LocalAPI firmware")
            return await self._localapi.write_setting(assignment, wanted)

    async def login(self) -> None:
        """Log in to a LocalAPI unit (detecting it first if needed); nothing to do on legacy."""
        unit = self._unit or await self.detect()
        if unit.generation is Generation.LOCALAPI:
            await self._localapi.login()

    async def _poll_current(
        self, unit: UnitInfo, live: LiveData | None
    ) -> tuple[PVSData, dict[str, Any]]:
        if unit.generation is Generation.LOCALAPI:
            return await self._localapi.poll(live)
        return await self._legacy.poll(unit.serial)

    async def poll(self, live: LiveData | None = None) -> PVSData:
        """One poll; detects and logs in as needed, re-detects on a firmware-change pattern.

        ``live``: fresh live data from the telemetry stream, which a LocalAPI poll then does
        not read again (legacy firmware has none).
        """
        async with self._poll_lock:
            unit = self._unit or await self.detect()
            try:
                data, raw = await self._poll_current(unit, live)
            except PVSHTTPStatusError as err:
                if err.status not in FIRMWARE_CHANGE_STATUSES:
                    raise
                _LOGGER.debug("poll failed with HTTP %s, detecting the firmware again", err.status)
                fresh = await self.detect()
                if fresh.generation == unit.generation:
                    raise
                data, raw = await self._poll_current(fresh, live)
            self._raw = raw
            self._note_firmware(data.supervisor)
            return data

    def _note_firmware(self, supervisor: Supervisor) -> None:
        """Keep ``unit`` current: a build moved within the generation, a model first read."""
        unit = self._unit
        if unit is None:
            return
        model = unit.model or supervisor.model
        build = supervisor.build if supervisor.build is not None else unit.build
        if (model, build) != (unit.model, unit.build):
            self._unit = dataclasses.replace(
                unit, model=model, build=build, sw_version=supervisor.sw_version or unit.sw_version
            )

    async def close(self) -> None:
        """Log out of a LocalAPI session; the injected aiohttp session stays open."""
        await self._localapi.logout()
