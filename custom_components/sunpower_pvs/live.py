"""The live feed on 2025+ firmware: the telemetry stream (PVS6), else live data every 15 s.

Per-device data changes every 5 minutes; the energy-flow card and automations want the
site's power within seconds. The stream costs one WebSocket; where it is missing (PVS5) or
down, one cheap ``/sys/livedata`` query every 15 s stands in. Legacy firmware has neither:
its site power follows the meters. The feed hands what it receives to ``publish``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .const import LOGGER
from .pvs import TELEMETRY_PORT, LiveData, PVSClient, PVSError, merge_live, telemetry_frames

LIVE_POLL_INTERVAL_S = 15.0
# After the stream failed: live data is polled for this long (doubling, capped) before the
# stream is tried again.
STREAM_RETRY_FIRST_S = 30.0
STREAM_RETRY_CAP_S = 600.0
# The stream's data stands in for a poll's live data read while a frame came this recently.
STREAM_FRESH_S = 30.0


class LiveFeed:
    """Follows the stream, or polls live data, until the entry unloads."""

    def __init__(
        self,
        client: PVSClient,
        session: aiohttp.ClientSession,
        *,
        publish: Callable[[LiveData], None],
        latest: Callable[[], LiveData | None],
        struggling: Callable[[], bool],
    ) -> None:
        """Hand live data to ``publish``, frames laid over ``latest``.

        While ``struggling`` (the polls fail) the PVS is left alone.
        """
        self._client = client
        self._session = session
        self._publish = publish
        self._latest = latest
        self._struggling = struggling
        self.streaming = False
        self._frame_at: float | None = None

    def start(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Run until the entry unloads (the task is cancelled with it)."""
        entry.async_create_background_task(hass, self._run(), "sunpower_pvs live feed")

    def _stream_possible(self) -> bool:
        unit = self._client.unit
        return unit is not None and unit.capabilities.telemetry_stream

    async def _run(self) -> None:
        retry_s = STREAM_RETRY_FIRST_S
        while True:
            if self._stream_possible() and await self._stream():
                retry_s = STREAM_RETRY_FIRST_S
                continue  # the PVS closes the socket every 10 minutes: reconnect at once
            await self._poll_for(retry_s if self._stream_possible() else None)
            retry_s = min(retry_s * 2, STREAM_RETRY_CAP_S)

    async def _stream(self) -> bool:
        """Follow the stream until it ends; False when it could not be had at all."""
        received = False
        try:
            # Enabling again after every connection also covers a PVS that rebooted.
            await self._client.enable_telemetry()
            async for params in telemetry_frames(
                self._session, self._client.host_name, TELEMETRY_PORT
            ):
                received = True
                self.streaming = True
                self._frame_at = asyncio.get_running_loop().time()
                self._publish(merge_live(self._latest(), params))
        except PVSError as err:
            LOGGER.debug("Telemetry stream unavailable: %s", err)
        finally:
            self.streaming = False
        return received

    def stream_live(self) -> LiveData | None:
        """The site's live data while the stream delivers it, so a poll need not read it."""
        if not self.streaming or self._frame_at is None:
            return None
        if asyncio.get_running_loop().time() - self._frame_at > STREAM_FRESH_S:
            return None
        return self._latest()

    async def _poll_for(self, seconds: float | None) -> None:
        """Read live data every 15 s, for ``seconds`` (None: for good)."""
        loop = asyncio.get_running_loop()
        until = None if seconds is None else loop.time() + seconds
        while until is None or loop.time() < until:
            if not self._struggling():
                try:
                    live = await self._client.read_live()
                except PVSError as err:
                    LOGGER.debug("Live data unavailable: %s", err)
                else:
                    if live is not None:
                        self._publish(live)
            await asyncio.sleep(LIVE_POLL_INTERVAL_S)
