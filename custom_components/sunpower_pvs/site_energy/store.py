"""The site's energy state in Home Assistant's store: one file per config entry."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from ..const import DOMAIN

STORAGE_VERSION = 2


def _from_version_1(old: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept every field of every flow side by side in one flat object."""
    return {
        "started": old.get("started", False),
        "solar": {
            "total": old.get("solar"),
            "meter_counts": old.get("meter_counts", False),
            "production": old.get("production", {}),
            "inverters": old.get("inverters", {}),
        },
        "grid": {
            "imported": old.get("grid_import"),
            "exported": old.get("grid_export"),
            "positive": old.get("grid_positive", {}),
            "negative": old.get("grid_negative", {}),
            "direction": old.get("grid_direction", {}),
        },
        "home": {"total": old.get("home"), "running": old.get("home_sum")},
        "battery": {
            "charged": old.get("charged"),
            "discharged": old.get("discharged"),
            "positive": old.get("battery_positive", {}),
            "negative": old.get("battery_negative", {}),
            "direction": old.get("battery_direction", {}),
            "state_of_charge": old.get("battery_soc"),
            "sample": old.get("battery_sample"),
        },
    }


class EnergyStore(Store[dict[str, Any]]):
    """The store of one entry's site energy, upgraded from older layouts when loaded."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """One file per config entry."""
        super().__init__(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.energy")

    def written_size(self, data: dict[str, Any]) -> int:
        """About the bytes a write of ``data`` takes: the store's file is indented JSON."""
        saved = {"version": self.version, "minor_version": 1, "key": self.key, "data": data}
        return len(json.dumps(saved, indent=2))

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        if old_major_version == 1:
            return _from_version_1(old_data)
        return old_data


async def async_remove_energy_store(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a deleted entry's counters."""
    await EnergyStore(hass, entry_id).async_remove()
