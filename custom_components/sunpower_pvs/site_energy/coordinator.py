"""The site's energy as a coordinator: advanced by each new poll, saved in the store.

Entities listen to it the standard way; it follows the poll coordinator, so it fails when
polling fails (its sensors turn unavailable) and comes back with the next poll.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from ..const import DOMAIN, LOGGER, OPTION_GRID_IMPORT_REGISTER, GridImportRegister
from ..coordinator import PollCoordinator
from ..pvs import PVSData
from .ledger import SiteEnergy, SiteLedger
from .store import EnergyStore
from .track import Orientation

# Saved at most this often (an SD card wears with every write), and whenever the entry
# unloads or Home Assistant stops (the store's final write). After a crash the counters
# resume from an older state: the lifetime registers they follow still hold the energy of
# the time in between, so it is counted at the next poll.
SAVE_INTERVAL_S = 15 * 60
# A large state (hundreds of inverter counters, when no production meter counts solar) is
# saved less often, so no more than this is written a day; never less often than the
# longest interval, so a crash puts at most that much energy into one hour.
DAILY_WRITE_BUDGET_BYTES = 1_000_000
MAX_SAVE_INTERVAL_S = 3 * 60 * 60
# The first save after a start waits a little, so a start-up's burst of polls is one write.
SAVE_DELAY_S = 15


def save_interval(size_bytes: int) -> float:
    """Seconds between writes of a state of ``size_bytes``, within the daily budget."""
    budgeted = 24 * 60 * 60 * size_bytes / DAILY_WRITE_BUDGET_BYTES
    return min(max(SAVE_INTERVAL_S, budgeted), MAX_SAVE_INTERVAL_S)


def grid_override(options: dict[str, Any]) -> Orientation | None:
    """The owner's choice of import register, or None to learn it."""
    choice = options.get(OPTION_GRID_IMPORT_REGISTER, GridImportRegister.AUTO)
    return None if choice == GridImportRegister.AUTO else Orientation(choice)


class EnergyCoordinator(DataUpdateCoordinator[SiteEnergy]):
    """The site's energy counters, fed by the poll coordinator."""

    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, poll: PollCoordinator) -> None:
        """Counters of one entry, from its stored state once loaded."""
        super().__init__(hass, LOGGER, config_entry=entry, name=f"{DOMAIN} energy")
        self.ledger = SiteLedger(grid_override(dict(entry.options)))
        self._store = EnergyStore(hass, entry.entry_id)
        self._poll = poll
        self._fed: PVSData | None = None
        self._save_due: float | None = None  # when the pending write is due (epoch s)
        self._saved_at: float | None = None  # when the state was last written (epoch s)
        self._interval: float = SAVE_INTERVAL_S  # for the size of the state last written

    async def async_load(self) -> None:
        """Resume from the state saved before the last restart, and follow the polls."""
        if stored := await self._store.async_load():
            self.ledger.restore(stored)
        self.config_entry.async_on_unload(self._poll.async_add_listener(self._poll_updated))

    async def _async_update_data(self) -> SiteEnergy:
        """Never polled: the poll coordinator pushes each poll in."""
        return self.ledger.energy

    @callback
    def _poll_updated(self) -> None:
        poll = self._poll
        if not poll.last_update_success:
            failure = poll.last_exception
            self.async_set_update_error(
                failure if isinstance(failure, Exception) else UpdateFailed()
            )
            return
        data = poll.data
        if data is self._fed:
            return  # a failed poll within the grace period repeats the last data
        self._fed = data
        self.ledger.update(data, dt_util.utcnow().timestamp())
        self._schedule_save()
        self.async_set_updated_data(self.ledger.energy)

    def _schedule_save(self) -> None:
        """One pending write at a time: it saves the state as it is when it runs.

        (The store's delayed save restarts its delay at every call, so calling it each poll
        with a delay longer than the poll interval would never write.) The interval is
        measured on Home Assistant's clock: the event loop's stops while the host sleeps,
        so a write that is due by it is made at the next poll.
        """
        now = dt_util.utcnow().timestamp()
        if self._save_due is not None:
            if now < self._save_due:
                return
            delay = 0.0  # overdue by Home Assistant's clock: write at once
        elif self._saved_at is None:
            delay = SAVE_DELAY_S
        else:
            since = now - self._saved_at
            delay = min(max(SAVE_DELAY_S, self._interval - since), self._interval)
        self._save_due = now + delay
        self._store.async_delay_save(self._state_to_save, delay)

    def _state_to_save(self) -> dict[str, Any]:
        """The state, when the store writes (its delay over, or Home Assistant stopping)."""
        self._save_due = None
        self._saved_at = dt_util.utcnow().timestamp()
        state = self.ledger.as_dict()
        self._interval = save_interval(self._store.written_size(state))
        return state

    async def async_save(self) -> None:
        """Save now (on unload, so a reload resumes exactly)."""
        await self._store.async_save(self._state_to_save())
