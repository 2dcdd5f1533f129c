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
from .errors import (
    PVSAuthError,
    PVSError,
    PVSHTTPStatusError,
    PVSProtocolError,
    PVSSettingNotAppliedError,
    PVSSettingRefusedError,
)
from .ess_settings import SETTINGS_QUERY, EssSettings, settings_from, with_settings
from .http import Http, Reply
from .models import Generation, LiveData, PVSData, Supervisor, capabilities_of
from .parse import decode_json
from .reuse import DeviceReuse, SameResult
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
# Sessions last about 5 to 8 minutes from login. A new one is had this long before the
# lifetime learnt so far runs out, so a poll does not first collect a 401.
SESSION_LIFE_S = 300.0
RENEW_MARGIN_S = 45.0
# A session refused younger than this was ended early (a reboot, another login): the
# lifetime is not learnt from it.
MIN_SESSION_LIFE_S = 120.0


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
        self._clock = clock
        self._logged_in_at = 0.0
        self.session_life_s = SESSION_LIFE_S
        self.password: str | None = None
        self.serial: str | None = None
        self.slow_reads = SlowReads(clock)
        self._reuse: DeviceReuse[tuple[str, str]] = DeviceReuse()
        self._answers: dict[str, SameResult[dict[str, Any]]] = {}
        self._built: SameResult[PVSData] = SameResult()

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
        self._logged_in_at = self._clock()

    def _session_ending(self) -> bool:
        return self._clock() - self._logged_in_at >= self.session_life_s - RENEW_MARGIN_S

    def _learn_session_life(self) -> None:
        """A held session was refused: sessions live no longer than this one did."""
        age = self._clock() - self._logged_in_at
        if MIN_SESSION_LIFE_S <= age < self.session_life_s:
            self.session_life_s = age

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
        if self._session_id is None or self._session_ending():
            await self.login()
        reply = await self._get(f"/vars?{query}", what, self._cookie())
        if reply.status in (401, 403):
            _LOGGER.debug("%s: session refused, logging in again", what)
            self._learn_session_life()
            await self.login()
            reply = await self._get(f"/vars?{query}", what, self._cookie())
            if reply.status in (401, 403):
                self._session_id = None
                raise PVSAuthError(f"{what}: refused with a fresh session")
        if reply.status == 400:
            return None
        if reply.status != 200:
            raise PVSHTTPStatusError(what, reply.status)
        body = reply.body
        answer = self._answers.setdefault(what, SameResult())
        return answer.get(body, lambda: vars_values(decode_json(body, what)))

    async def read_settings(self) -> EssSettings:
        """The SunVault's operating mode and backup reserve, as the PVS holds them."""
        values = await self.query(SETTINGS_QUERY, "ESS settings")
        if not values:
            raise PVSProtocolError("ESS settings: the PVS has none")
        return settings_from(values)

    async def write_setting(self, assignment: str, wanted: EssSettings) -> EssSettings:
        """Write ``NAME=VALUE``, then read both settings back; they must match ``wanted``.

        ``wanted`` names only the setting written (the other field None). A session refused
        mid-write is renewed and the write sent once more: a refused write changed nothing.
        """
        if await self.query(f"set={assignment}", "ESS setting") is None:
            raise PVSSettingRefusedError("ESS setting: the PVS refused the value")
        settings = await self.read_settings()
        for name in ("control_mode", "backup_reserve_pct"):
            asked = getattr(wanted, name)
            if asked is not None and getattr(settings, name) != asked:
                raise PVSSettingNotAppliedError("ESS setting", settings)
        return settings

    async def enable_telemetry(self) -> None:
        """Switch the telemetry stream on (a write that changes no setting)."""
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

    async def poll(self, live: LiveData | None = None) -> tuple[PVSData, dict[str, Any]]:
        """Gateway info, every device, live data, (PVS6) flash wear and the ESS's settings.

        ``live``: the site's live data as the telemetry stream has just delivered it; then it
        is not read again.
        """
        raw: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for query, what in ((INFO_QUERY, "info"), (DEVICES_QUERY, "devices")):
            answer = await self.query(query, what)
            if answer is not None:
                raw[what] = answer
                values |= answer
        if live is None:
            values |= await self._auxiliary(LIVEDATA_QUERY, "livedata", raw)
        model = text(values.get("/sys/info/model"))
        if capabilities_of(Generation.LOCALAPI, model).flash_wear:
            values |= await self._auxiliary(FLASH_WEAR_QUERY, "flash wear", raw)
        data = self._built.get((values, live, self.serial), lambda: self._build(values, live))
        if data.storage:
            # Read as the app may have changed them; a failed read costs only these two.
            settings = await self._auxiliary(SETTINGS_QUERY, "ESS settings", raw)
            if settings:
                storage = with_settings(data.storage, settings_from(settings))
                data = dataclasses.replace(data, storage=storage)
        return data, raw

    def _build(self, values: dict[str, Any], live: LiveData | None) -> PVSData:
        content = parse_vars(values, self._reuse)
        supervisor = content.supervisor or Supervisor(serial="", device_type="PVS")
        if not supervisor.serial and self.serial:
            supervisor = dataclasses.replace(supervisor, serial=self.serial)
        return build_data(
            Generation.LOCALAPI, content.devices, supervisor=supervisor, live=live or content.live
        )
