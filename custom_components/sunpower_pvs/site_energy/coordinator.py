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

# Written shortly after each poll; Home Assistant also writes pending saves when it stops.
SAVE_DELAY_S = 15


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
        self._store.async_delay_save(self.ledger.as_dict, SAVE_DELAY_S)
        self.async_set_updated_data(self.ledger.energy)

    async def async_save(self) -> None:
        """Save now (on unload, so a reload resumes exactly)."""
        await self._store.async_save(self.ledger.as_dict())
