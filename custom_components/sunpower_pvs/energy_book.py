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


class EnergyBook:
    """Feeds each poll to the ledger and keeps the ledger saved."""

    def __init__(self, hass: HomeAssistant, entry_id: str, options: dict[str, Any]) -> None:
        """One store file per config entry."""
        self.ledger = SiteLedger(grid_override(options))
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.energy"
        )

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

    async def async_remove(self) -> None:
        """Forget the counters (the entry was deleted)."""
        await self._store.async_remove()
