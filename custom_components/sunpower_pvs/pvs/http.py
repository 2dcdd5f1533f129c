"""One HTTP GET at a time to one PVS, with a timeout, spacing and an HTTPS → HTTP fallback.

Requests never overlap (a lock) and start at least ``min_interval`` seconds apart. Nothing is
retried here except trying the next scheme when the first cannot connect at all. Logs and
error messages name the request (``what``), never headers, cookies or query values.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
import logging
import time

import aiohttp
from yarl import URL

from .errors import PVSConnectionError, PVSProtocolError, PVSTimeoutError

_LOGGER = logging.getLogger(__package__)


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer read in full."""

    status: int
    body: bytes
    scheme: str
    cookies: Mapping[str, str]


class Http:
    """GET requests to one host, serialised and spaced."""

    def __init__(self, host: str, session: aiohttp.ClientSession, *, min_interval: float) -> None:
        """``host`` is already validated (``host`` or ``host:port``)."""
        self.host = host
        self._session = session
        self._min_interval = min_interval
        self._lock = asyncio.Lock()
        self._last_start = float("-inf")
        self.requests = 0

    async def get(
        self,
        path: str,
        *,
        schemes: tuple[str, ...],
        timeout_s: float,
        what: str,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """GET ``path`` (sent literally) trying ``schemes`` in order until one connects."""
        async with self._lock:
            wait = self._last_start + self._min_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            for position, scheme in enumerate(schemes):
                last = position == len(schemes) - 1
                self._last_start = time.monotonic()
                try:
                    return await self._get(scheme, path, timeout_s, what, headers)
                except aiohttp.ClientConnectionError as err:
                    if last:
                        reason = type(err).__name__
                        raise PVSConnectionError(f"{what}: cannot connect ({reason})") from None
                    _LOGGER.debug("%s: cannot connect over %s, trying the next", what, scheme)
            raise PVSConnectionError(f"{what}: no scheme to try")

    async def _get(
        self,
        scheme: str,
        path: str,
        timeout_s: float,
        what: str,
        headers: Mapping[str, str] | None,
    ) -> Reply:
        url = URL(f"{scheme}://{self.host}{path}", encoded=True)
        self.requests += 1
        try:
            async with (
                asyncio.timeout(timeout_s),
                self._session.get(
                    url,
                    headers=dict(headers or {}),
                    ssl=False,
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(total=timeout_s),
                ) as response,
            ):
                body = await response.read()
                cookies = {name: morsel.value for name, morsel in response.cookies.items()}
                _LOGGER.debug("%s: HTTP %s, %d bytes", what, response.status, len(body))
                return Reply(response.status, body, scheme, cookies)
        except TimeoutError:
            raise PVSTimeoutError(f"{what}: no answer within {timeout_s:g} s") from None
        except aiohttp.ClientPayloadError:
            raise PVSProtocolError(f"{what}: the answer was cut off") from None
        except aiohttp.ClientConnectionError:
            raise
        except aiohttp.ClientError as err:
            raise PVSConnectionError(f"{what}: {type(err).__name__}") from None
