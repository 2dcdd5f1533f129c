"""The coordinator: polls the PVS at its own rhythm and turns each poll into PVSData.

It polls once per PVS refresh (cadence.py), backs off when the PVS struggles, keeps the last
values through a failed poll or two, carries sleeping inverters through the night
(night.py), and raises repair issues for conditions that last (health.py, repairs.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
import random
from time import monotonic
from typing import TYPE_CHECKING

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .cadence import backoff_delay, data_time, next_poll_delay
from .connection import create_client, create_session
from .const import (
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    OPTION_SCAN_INTERVAL,
)
from .energy_book import EnergyBook
from .health import HealthWatch, PollHealth
from .night import NightFill
from .pvs import (
    Generation,
    PVSAuthError,
    PVSData,
    PVSError,
    PVSHTTPStatusError,
    PVSProtocolError,
    PVSTimeoutError,
)
from .repairs import RepairSync

if TYPE_CHECKING:
    from .live import LiveFeed

type PVSConfigEntry = ConfigEntry[PVSCoordinator]

# Failed polls during which entities keep their last values before turning unavailable.
GRACE_FAILURES = 2


def failure_reason(err: PVSError) -> str:
    """A short word for the log and the health sensor: timeout, refused, http_503, ..."""
    if isinstance(err, PVSTimeoutError):
        return "timeout"
    if isinstance(err, PVSHTTPStatusError):
        return f"http_{err.status}"
    if isinstance(err, PVSProtocolError):
        return "bad_answer"
    return "refused"


def _update_failed(err: PVSError) -> UpdateFailed:
    if isinstance(err, PVSTimeoutError):
        return UpdateFailed(translation_domain=DOMAIN, translation_key="timeout")
    key = "protocol_error" if isinstance(err, PVSProtocolError) else "cannot_connect"
    return UpdateFailed(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders={"error": str(err)}
    )


class PVSCoordinator(DataUpdateCoordinator[PVSData]):
    """Polls one PVS and guards that the unit at the host is still the one configured."""

    config_entry: PVSConfigEntry

    def __init__(self, hass: HomeAssistant, entry: PVSConfigEntry) -> None:
        """Poll at the PVS's refresh, or less often if the owner chose a longer interval."""
        seconds = entry.options.get(OPTION_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
        self.interval = min(max(timedelta(seconds=seconds), MIN_SCAN_INTERVAL), MAX_SCAN_INTERVAL)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=self.interval,
        )
        self._session = create_session(hass)
        self.options = dict(entry.options)
        # Config entries stay loaded when Home Assistant stops: close the session then too.
        entry.async_on_unload(
            hass.bus.async_listen_once(EVENT_HOMEASSISTANT_CLOSE, self._detach_session)
        )
        self.client = create_client(
            self._session, entry.data[CONF_HOST], entry.data.get(CONF_PASSWORD)
        )
        self.generation: Generation | None = None
        self.health = PollHealth()
        self._watch = HealthWatch()
        self._night = NightFill()
        self.energy = EnergyBook(hass, entry.entry_id, self.options)
        self._repairs = RepairSync(hass, entry.entry_id)
        # jitter for the back-off, so units restarting together do not poll in step
        self._rng = random.Random()  # noqa: S311
        self._previous_stamp: datetime | None = None
        self._late_look = False
        # set up by __init__ when the option is on and the firmware has live data
        self.live_feed: LiveFeed | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The integration's HTTP session for this PVS (also carries the telemetry socket)."""
        return self._session

    @callback
    def _detach_session(self, _event: Event) -> None:
        self._session.detach()

    async def async_shutdown(self) -> None:
        """Stop polling, log out of the PVS and release the HTTP session (on unload)."""
        await super().async_shutdown()
        self._repairs.clear()
        await self.energy.async_save()
        await self.client.close()
        self._session.detach()

    async def _async_update_data(self) -> PVSData:
        started = monotonic()
        try:
            if self.health.consecutive_failures:
                # Recovering: a cheap sign of life before the heavy read.
                await self.client.ping()
            data = await self.client.poll()
        except PVSAuthError as err:
            self.health.failed(dt_util.utcnow(), "auth")
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except PVSError as err:
            return self._failed(err)

        if data.supervisor.serial.upper() != (self.config_entry.unique_id or "").upper():
            # Another unit answers at this address (DHCP handed it out again): never mix its
            # data into this one's history.
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="wrong_unit")
        self._check_generation(data.generation)
        data = self._night.apply(data)
        self.energy.update(data, dt_util.utcnow())
        self.health.succeeded(dt_util.utcnow(), monotonic() - started)
        self._schedule_after(data)
        self._watch.observe(data)
        self._repairs.sync(self._watch.findings(self.health, dt_util.utcnow()), self._placeholders)
        return data

    def _failed(self, err: PVSError) -> PVSData:
        """Back off; keep the last values through a short grace period, then fail."""
        now = dt_util.utcnow()
        self.health.failed(now, failure_reason(err))
        self.update_interval = backoff_delay(self.health.consecutive_failures, self._rng)
        self._repairs.sync(self._watch.findings(self.health, now), self._placeholders)
        if self.data is not None and self.health.consecutive_failures <= GRACE_FAILURES:
            LOGGER.debug("Poll failed (%s); keeping the last values", failure_reason(err))
            return self.data
        # Home Assistant logs this once, when the entities turn unavailable, and logs the
        # recovery once: one line for the start and one for the end of an outage.
        raise _update_failed(err) from err

    def _schedule_after(self, data: PVSData) -> None:
        """Next poll just after the PVS's next refresh; one extra look when data is late."""
        previous = None if self._late_look else self._previous_stamp
        delay, self._late_look = next_poll_delay(data, self.interval, previous)
        self._previous_stamp = data_time(data)
        self.update_interval = delay

    def _check_generation(self, generation: Generation) -> None:
        if self.generation is None:
            self.generation = generation
            return
        if generation is self.generation:
            return
        LOGGER.warning(
            "The PVS firmware changed from the %s to the %s interface; reloading",
            self.generation,
            generation,
        )
        self._repairs.firmware_changed(
            self.generation.value, generation.value, self.config_entry.title
        )
        self.generation = generation
        self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)

    @property
    def _placeholders(self) -> dict[str, str]:
        return {"title": self.config_entry.title}
