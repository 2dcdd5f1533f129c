"""The site energy ledger of one PVS, kept in Home Assistant's store across restarts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, OPTION_GRID_IMPORT_REGISTER, GridImportRegister
from .energy import SiteEnergy, SiteLedger
from .energy_track import Orientation
from .pvs import PVSData

STORAGE_VERSION = 1
# Written shortly after each poll; Home Assistant also writes pending saves when it stops.
SAVE_DELAY_S = 15


def grid_override(options: dict[str, Any]) -> Orientation | None:
    """The owner's choice of import register, or None to learn it."""
    choice = options.get(OPTION_GRID_IMPORT_REGISTER, GridImportRegister.AUTO)
    return None if choice == GridImportRegister.AUTO else Orientation(choice)


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.energy")


async def async_remove_energy_book(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a deleted entry's counters."""
    await _store(hass, entry_id).async_remove()


class EnergyBook:
    """Feeds each poll to the ledger and keeps the ledger saved."""

    def __init__(self, hass: HomeAssistant, entry_id: str, options: dict[str, Any]) -> None:
        """One store file per config entry."""
        self.ledger = SiteLedger(grid_override(options))
        self._store = _store(hass, entry_id)

    @property
    def energy(self) -> SiteEnergy:
        """The site counters now."""
        return self.ledger.energy

    async def async_load(self) -> None:
        """Resume the counters from before the last restart."""
        if stored := await self._store.async_load():
            self.ledger.restore(stored)

    def update(self, data: PVSData, now: datetime) -> None:
        """Advance the counters with a poll's data and schedule a save."""
        self.ledger.update(data, now.timestamp())
        self._store.async_delay_save(self.ledger.as_dict, SAVE_DELAY_S)

    async def async_save(self) -> None:
        """Save now (on unload, so a reload resumes exactly)."""
        await self._store.async_save(self.ledger.as_dict())
