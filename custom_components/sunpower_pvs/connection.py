"""How the integration reaches a PVS: a client on an HTTP session of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_create_clientsession

from .const import DEVICE_LIST_TIMEOUT, MIN_QUERY_INTERVAL, REQUEST_TIMEOUT
from .pvs import PVSClient


def create_session(hass: HomeAssistant) -> aiohttp.ClientSession:
    """An HTTP session without a cookie jar, on Home Assistant's connection pool.

    The caller releases it with ``detach()`` (Home Assistant forbids closing its sessions).
    The client sends the LocalAPI session cookie itself. Home Assistant's shared session keeps
    cookies for host names, and a stale one sent along makes the PVS refuse even a new login.
    """
    return async_create_clientsession(
        hass, verify_ssl=False, auto_cleanup=False, cookie_jar=aiohttp.DummyCookieJar()
    )


def create_client(session: aiohttp.ClientSession, host: str, password: str | None) -> PVSClient:
    """A client for the PVS at host, spacing its queries as SunStrong asks."""
    return PVSClient(
        host,
        session,
        password=password,
        request_timeout=REQUEST_TIMEOUT,
        device_list_timeout=DEVICE_LIST_TIMEOUT,
        min_query_interval=MIN_QUERY_INTERVAL,
    )


@asynccontextmanager
async def temporary_client(
    hass: HomeAssistant, host: str, password: str | None
) -> AsyncIterator[PVSClient]:
    """A client for one exchange (a config flow step): logged out and closed afterwards."""
    session = create_session(hass)
    client = create_client(session, host, password)
    try:
        yield client
    finally:
        await client.close()
        session.detach()
