"""Live site power on PVS6 LocalAPI units: the telemetry stream, else live data every 15 s.

Per-device data changes every 5 minutes; the energy-flow card and automations want the
site's power within seconds. The stream costs one WebSocket; where it is missing (PVS5) or
down, one cheap ``/sys/livedata`` query every 15 s stands in. Legacy firmware has neither:
its site power follows the meters (site.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import LOGGER
from .coordinator import PVSConfigEntry, PVSCoordinator
from .pvs import TELEMETRY_PORT, Generation, LiveData, PVSError, merge_live, telemetry_frames

LIVE_POLL_INTERVAL_S = 15.0
# After the stream failed: live data is polled for this long (doubling, capped) before the
# stream is tried again.
STREAM_RETRY_FIRST_S = 30.0
STREAM_RETRY_CAP_S = 600.0


class LiveFeed:
    """Keeps the newest live site data and tells the site sensors when it changes."""

    def __init__(self, hass: HomeAssistant, coordinator: PVSCoordinator) -> None:
        """Start from the live data of the last poll."""
        self._hass = hass
        self._coordinator = coordinator
        self.live: LiveData | None = coordinator.data.live
        self.streaming = False
        self._listeners: dict[int, Callable[[], None]] = {}

    @callback
    def async_add_listener(self, update: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``update`` on new live data; returns the function that stops it."""
        key = id(update)
        self._listeners[key] = update

        @callback
        def remove() -> None:
            self._listeners.pop(key, None)

        return remove

    def start(self, entry: PVSConfigEntry) -> None:
        """Run until the entry unloads (the task is cancelled with it)."""
        entry.async_create_background_task(self._hass, self._run(), "sunpower_pvs live feed")

    @callback
    def _publish(self, live: LiveData) -> None:
        self.live = live
        for update in list(self._listeners.values()):
            update()

    def _stream_possible(self) -> bool:
        data = self._coordinator.data
        return data.generation is Generation.LOCALAPI and "PVS6" in (data.supervisor.model or "")

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
        client = self._coordinator.client
        received = False
        try:
            # Enabling again after every connection also covers a PVS that rebooted.
            await client.enable_telemetry()
            async for params in telemetry_frames(
                self._coordinator.session, client.host_name, TELEMETRY_PORT
            ):
                received = True
                self.streaming = True
                self._publish(merge_live(self.live, params))
        except PVSError as err:
            LOGGER.debug("Telemetry stream unavailable: %s", err)
        finally:
            self.streaming = False
        return received

    async def _poll_for(self, seconds: float | None) -> None:
        """Read live data every 15 s, for ``seconds`` (None: for good)."""
        loop = asyncio.get_running_loop()
        until = None if seconds is None else loop.time() + seconds
        while until is None or loop.time() < until:
            # While the coordinator sees the PVS struggle, leave it alone.
            if not self._coordinator.health.consecutive_failures:
                try:
                    live = await self._coordinator.client.read_live()
                except PVSError as err:
                    LOGGER.debug("Live data unavailable: %s", err)
                else:
                    if live is not None:
                        self._publish(live)
            await asyncio.sleep(LIVE_POLL_INTERVAL_S)
