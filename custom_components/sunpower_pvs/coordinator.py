"""The poll coordinator: polls the PVS at its own rhythm and turns each poll into PVSData.

It polls once per PVS refresh (cadence.py), backs off when the PVS struggles, keeps the last
values through a failed poll or two, carries sleeping inverters through the night
(night.py), and refuses data from another unit at the configured address. What follows from
a poll (site energy, site power, repair issues) listens to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import random
from time import monotonic

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .cadence import backoff_delay, data_time, next_poll_delay
from .const import (
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
    OPTION_SCAN_INTERVAL,
)
from .health import PollHealth
from .night import NightFill
from .pvs import (
    Generation,
    LiveData,
    PVSAuthError,
    PVSClient,
    PVSData,
    PVSError,
    PVSHTTPStatusError,
    PVSProtocolError,
    PVSTimeoutError,
)
from .repairs import async_firmware_notice

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


def polling_interval(entry: ConfigEntry) -> timedelta:
    """The owner's polling interval, within the bounds that keep the PVS safe."""
    seconds = entry.options.get(OPTION_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
    return min(max(timedelta(seconds=seconds), MIN_SCAN_INTERVAL), MAX_SCAN_INTERVAL)


class PollCoordinator(DataUpdateCoordinator[PVSData]):
    """Polls one PVS and guards that the unit at the host is still the one configured."""

    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, client: PVSClient) -> None:
        """Poll at the PVS's refresh, or less often if the owner chose a longer interval."""
        self.interval = polling_interval(entry)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=self.interval,
        )
        self.client = client
        self.generation: Generation | None = None
        self.health = PollHealth()
        self._night = NightFill()
        # jitter for the back-off, so units restarting together do not poll in step
        self._rng = random.Random()  # noqa: S311
        self._previous_stamp: datetime | None = None
        self._late_look = False
        self._finished: list[Callable[[], None]] = []
        # The telemetry stream's live data, when it flows (set by the live feed).
        self.stream_live: Callable[[], LiveData | None] = lambda: None

    @callback
    def async_on_poll_finished(self, action: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``action`` after every poll, failed ones included; returns its remover.

        Home Assistant tells listeners about a failure only when it follows a success;
        conditions that last (an unreachable PVS) are judged on every failed poll.
        """
        self._finished.append(action)
        return lambda: self._finished.remove(action)

    @callback
    def _async_refresh_finished(self) -> None:
        for action in list(self._finished):
            action()

    async def _async_update_data(self) -> PVSData:
        started = monotonic()
        try:
            if self.health.consecutive_failures:
                # Recovering: a cheap sign of life before the heavy read.
                await self.client.ping()
            data = await self.client.poll(live=self.stream_live())
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
        self.health.succeeded(dt_util.utcnow(), monotonic() - started, data.device_time)
        self._schedule_after(data)
        return data

    def _failed(self, err: PVSError) -> PVSData:
        """Back off; keep the last values through a short grace period, then fail."""
        self.health.failed(dt_util.utcnow(), failure_reason(err))
        self.update_interval = backoff_delay(self.health.consecutive_failures, self._rng)
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
        async_firmware_notice(self.hass, self.config_entry, self.generation, generation)
        self.generation = generation
        self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
