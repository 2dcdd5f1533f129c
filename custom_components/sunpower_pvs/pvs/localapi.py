"""LocalAPI (varserver) transport: ``/auth`` login, session cookie, ``/vars`` queries.

The session cookie is kept here and sent by hand in a ``Cookie`` header: aiohttp's cookie jar
ignores cookies from bare IP addresses, and the caller's jar is shared with other code. A
stale cookie makes even public reads fail, so it is dropped before every login. Queries go out
literally (the PVS does not URL-decode ``/`` and ``,``). HTTP 400 means "nothing matched".
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
import dataclasses
import logging
import time
from typing import Any

from .assemble import build_data
from .errors import PVSAuthError, PVSError, PVSHTTPStatusError, PVSProtocolError
from .http import Http, Reply
from .models import Generation, LiveData, PVSData, Supervisor, capabilities_of
from .parse import decode_json
from .slow_reads import MAX_AGE_S, SlowReads
from .values import text
from .varserver import FLASH_WEAR, parse_vars, vars_values

_LOGGER = logging.getLogger(__package__)

USER = "ssm_owner"
SESSION_COOKIE = "session"
# HTTPS with the unit's self-signed certificate; plain HTTP where HTTPS is not offered.
SCHEMES = ("https", "http")
PROBE = "/vars?name=/sys/info/serialnum"
# match= always travels with cache=: a cache-only query was seen returning stale membership.
INFO_QUERY = "match=/sys/info/&fmt=obj&cache=hapvsinfo"
DEVICES_QUERY = "match=/sys/devices/&fmt=obj&cache=hapvsdevices"
LIVEDATA_QUERY = "match=/sys/livedata/&fmt=obj&cache=hapvslive"
FLASH_WEAR_QUERY = f"name={FLASH_WEAR}&fmt=obj"
TELEMETRY_ENABLE = "set=/sys/telemetryws/enable=1"


def derive_password(serial: str) -> str:
    """The default LocalAPI password: the last five characters of the PVS serial."""
    return serial.strip()[-5:]


class LocalApiTransport:
    """Logs in and reads ``/vars``; one re-login on 401/403, then ``PVSAuthError``."""

    def __init__(
        self, http: Http, *, request_timeout: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``password`` and ``serial`` are set by the client before the first login."""
        self._http = http
        self._timeout = request_timeout
        self._schemes: tuple[str, ...] = SCHEMES
        self._session_id: str | None = None
        self.password: str | None = None
        self.serial: str | None = None
        self.slow_reads = SlowReads(clock)

    @property
    def logged_in(self) -> bool:
        """Whether a session cookie is held."""
        return self._session_id is not None

    async def _get(self, path: str, what: str, headers: Mapping[str, str] | None = None) -> Reply:
        reply = await self._http.get(
            path, schemes=self._schemes, timeout_s=self._timeout, what=what, headers=headers
        )
        self._schemes = (reply.scheme,)
        return reply

    def _cookie(self) -> dict[str, str]:
        return {"Cookie": f"{SESSION_COOKIE}={self._session_id}"} if self._session_id else {}

    async def probe(self) -> tuple[bool, str | None]:
        """Unauthenticated ``/vars`` read: (LocalAPI present?, serial if readable)."""
        reply = await self._get(PROBE, "LocalAPI probe")
        # 401 is the varserver's refusal; a 403 is what a wedged legacy dl_cgi answers to
        # everything, so it proves nothing.
        if reply.status == 401:
            return True, None
        if reply.status != 200:
            return False, None
        try:
            values = vars_values(decode_json(reply.body, "LocalAPI probe"))
        except PVSProtocolError:
            return False, None
        serial = values.get("/sys/info/serialnum")
        return True, serial.strip() if isinstance(serial, str) and serial.strip() else None

    async def login(self) -> None:
        """A fresh session; the stale cookie is dropped first."""
        self._session_id = None
        password = self.password or (derive_password(self.serial) if self.serial else None)
        if not password:
            raise PVSAuthError("login needs a password: the PVS serial is unknown")
        token = base64.b64encode(f"{USER}:{password}".encode()).decode("ascii")
        reply = await self._get("/auth?login", "login", {"Authorization": f"Basic {token}"})
        if reply.status in (401, 403):
            raise PVSAuthError("login refused: wrong password")
        if reply.status != 200:
            raise PVSHTTPStatusError("login", reply.status)
        session_id = reply.cookies.get(SESSION_COOKIE)
        if not session_id:
            body = decode_json(reply.body, "login")
            found = body.get("session") if isinstance(body, Mapping) else None
            session_id = found if isinstance(found, str) and found else None
        if not session_id:
            raise PVSProtocolError("login: the answer carries no session")
        self._session_id = session_id

    async def logout(self) -> None:
        """End the session on the PVS; failures only mean it will expire by itself."""
        if self._session_id is None:
            return
        headers = self._cookie()
        self._session_id = None
        try:
            await self._get("/auth?logout", "logout", headers)
        except PVSError as err:
            _LOGGER.debug("logout failed: %s", err)

    async def query(self, query: str, what: str) -> dict[str, Any] | None:
        """``/vars?<query>`` as ``{name: value}``; ``None`` when nothing matched (HTTP 400)."""
        if self._session_id is None:
            await self.login()
        reply = await self._get(f"/vars?{query}", what, self._cookie())
        if reply.status in (401, 403):
            _LOGGER.debug("%s: session refused, logging in again", what)
            await self.login()
            reply = await self._get(f"/vars?{query}", what, self._cookie())
            if reply.status in (401, 403):
                self._session_id = None
                raise PVSAuthError(f"{what}: refused with a fresh session")
        if reply.status == 400:
            return None
        if reply.status != 200:
            raise PVSHTTPStatusError(what, reply.status)
        return vars_values(decode_json(reply.body, what))

    async def enable_telemetry(self) -> None:
        """Switch the telemetry stream on: the one write this library makes."""
        await self.query(TELEMETRY_ENABLE, "telemetry enable")

    async def read_live(self) -> LiveData | None:
        """One read of the live site data; None when the unit has none."""
        values = await self.query(LIVEDATA_QUERY, "livedata")
        return parse_vars(values).live if values else None

    async def _auxiliary(self, query: str, what: str, raw: dict[str, Any]) -> dict[str, Any]:
        """A read whose failure costs only its own data (auth failures still count).

        Reads listed in ``slow_reads.MAX_AGE_S`` are re-read only when due.
        """
        if what in MAX_AGE_S and not self.slow_reads.due(what):
            values = self.slow_reads.last(what)
        else:
            try:
                values = await self.query(query, what)
            except PVSAuthError:
                raise
            except PVSError as err:
                _LOGGER.debug("%s unavailable: %s", what, err)
                values = None
            if what in MAX_AGE_S:
                self.slow_reads.keep(what, values)
        if not values:
            return {}
        raw[what] = values
        return dict(values)

    async def poll(self) -> tuple[PVSData, dict[str, Any]]:
        """Gateway info, every device, live data and (PVS6) flash wear."""
        raw: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for query, what in ((INFO_QUERY, "info"), (DEVICES_QUERY, "devices")):
            answer = await self.query(query, what)
            if answer is not None:
                raw[what] = answer
                values |= answer
        values |= await self._auxiliary(LIVEDATA_QUERY, "livedata", raw)
        model = text(values.get("/sys/info/model"))
        if capabilities_of(Generation.LOCALAPI, model).flash_wear:
            values |= await self._auxiliary(FLASH_WEAR_QUERY, "flash wear", raw)
        content = parse_vars(values)
        supervisor = content.supervisor or Supervisor(serial="", device_type="PVS")
        if not supervisor.serial and self.serial:
            supervisor = dataclasses.replace(supervisor, serial=self.serial)
        data = build_data(
            Generation.LOCALAPI, content.devices, supervisor=supervisor, live=content.live
        )
        return data, raw
