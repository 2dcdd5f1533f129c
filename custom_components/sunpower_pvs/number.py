"""The SunVault's backup reserve (LocalAPI firmware): see ``sunvault_control``."""

from __future__ import annotations

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .pvs import EnergyStorage
from .pvs.ess_settings import RESERVE_MAX_PCT, RESERVE_MIN_PCT
from .runtime import PVSConfigEntry
from .sunvault_control import SunVaultSetting, add_setting_entities

# Writes are serialised by the client; one at a time per entity is Home Assistant's default.
PARALLEL_UPDATES = 1

BACKUP_RESERVE = NumberEntityDescription(
    key="backup_reserve",
    translation_key="backup_reserve",
    entity_category=EntityCategory.CONFIG,
    native_min_value=RESERVE_MIN_PCT,
    native_max_value=RESERVE_MAX_PCT,
    native_step=1.0,
    native_unit_of_measurement=PERCENTAGE,
    mode=NumberMode.BOX,
)


async def async_setup_entry(
    hass: HomeAssistant, entry: PVSConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """The backup reserve of each SunVault whose settings the PVS reports."""
    runtime = entry.runtime_data
    add_setting_entities(
        runtime,
        (BACKUP_RESERVE,),
        lambda member, description: BackupReserveNumber(runtime, member, description),
        async_add_entities,
    )


class BackupReserveNumber(SunVaultSetting, NumberEntity):
    """The charge the SunVault keeps for an outage, in percent."""

    entity_description: NumberEntityDescription

    @property
    def native_value(self) -> float | None:
        """The reserve as the PVS holds it."""
        value: float | None = self._current
        return value

    def _value(self, source: EnergyStorage) -> float | None:
        return self._settings(source).backup_reserve_pct

    async def async_set_native_value(self, value: float) -> None:
        """Write the reserve, then show what the PVS reads back."""
        client = self._runtime.client
        await self._write(lambda: client.set_backup_reserve(value), f"{value:g} %")
