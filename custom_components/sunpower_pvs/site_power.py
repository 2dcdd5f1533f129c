"""The site's power as a coordinator: production, home, grid and battery, as fresh as they come.

On 2025+ firmware the live feed pushes the PVS's own site totals (``live.py``); every poll
brings them too, and on legacy firmware they come from the meters (``site.py``). Entities
listen the standard way (and write at most one state every five seconds of the PVS's clock,
sooner only for a large change: see the site power descriptions).
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import DOMAIN, LOGGER
from .coordinator import PollCoordinator
from .pvs import LiveData
from .site import SitePower, site_power
from .site_energy import Orientation

# Live data older than this is no longer the site's power: with polling failing too, the
# sensors turn unavailable (the stream sends a frame a second, live data comes every 15 s).
LIVE_FRESH_S = 60.0


class SitePowerCoordinator(DataUpdateCoordinator[SitePower]):
    """The site's power flows, from the live feed and from each poll.

    Its data is fresh while polls succeed or live data keeps coming; when both stop (the
    PVS is away) it fails, so the sensors turn unavailable instead of showing the last
    figures, and the next poll or frame brings them back.
    """

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        poll: PollCoordinator,
        grid_orientation: Callable[[], Orientation | None],
    ) -> None:
        """Site power of one entry; ``grid_orientation`` tells which CT register imports."""
        super().__init__(hass, LOGGER, config_entry=entry, name=f"{DOMAIN} site power")
        self._poll = poll
        self._grid_orientation = grid_orientation
        self.live: LiveData | None = poll.data.live if poll.data else None
        self._live_at: float | None = None
        self._stale_check: CALLBACK_TYPE | None = None
        self.async_set_updated_data(self._site())
        entry.async_on_unload(poll.async_add_listener(self._poll_updated))
        entry.async_on_unload(self._cancel_stale_check)

    async def _async_update_data(self) -> SitePower:
        """Never polled: polls and the live feed push their data in."""
        return self._site()

    def _site(self) -> SitePower:
        negative = self._grid_orientation() is Orientation.NEGATIVE
        return site_power(self._poll.data, self.live, -1.0 if negative else 1.0)

    @callback
    def _poll_updated(self) -> None:
        if not self._poll.last_update_success:
            self._judge_freshness()
            return
        live = self._poll.data.live
        if live is not None and (self.live is None or _newer(live, self.live)):
            self.live = live
        self.async_set_updated_data(self._site())

    @callback
    def push_live(self, live: LiveData) -> None:
        """New live site data from the live feed."""
        self.live = live
        self._live_at = self.hass.loop.time()
        self.async_set_updated_data(self._site())
        if not self._poll.last_update_success:
            self._judge_freshness()  # polls still fail: check again when this frame is old

    @callback
    def _judge_freshness(self, _now: object = None) -> None:
        """Polls fail: fail too unless live data is still coming, then look again later."""
        self._cancel_stale_check()
        if self._poll.last_update_success:
            return
        age = None if self._live_at is None else self.hass.loop.time() - self._live_at
        if age is not None and age < LIVE_FRESH_S:
            self._stale_check = async_call_later(
                self.hass, LIVE_FRESH_S - age, self._judge_freshness
            )
            return
        failure = self._poll.last_exception
        self.async_set_update_error(failure if isinstance(failure, Exception) else UpdateFailed())

    @callback
    def _cancel_stale_check(self) -> None:
        if self._stale_check is not None:
            self._stale_check()
            self._stale_check = None


def _newer(live: LiveData, than: LiveData) -> bool:
    return live.time is None or than.time is None or live.time >= than.time
