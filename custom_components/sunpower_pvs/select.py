"""The SunVault's operating mode (LocalAPI firmware): see ``sunvault_control``."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .pvs import ControlMode, EnergyStorage
from .runtime import PVSConfigEntry
from .sunvault_control import SunVaultSetting, add_setting_entities

# Writes are serialised by the client; one at a time per entity is Home Assistant's default.
PARALLEL_UPDATES = 1

CONTROL_MODE = SelectEntityDescription(
    key="control_mode",
    translation_key="control_mode",
    entity_category=EntityCategory.CONFIG,
    options=[mode.value.lower() for mode in ControlMode],
)


async def async_setup_entry(
    hass: HomeAssistant, entry: PVSConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """The operating mode of each SunVault whose settings the PVS reports."""
    runtime = entry.runtime_data
    add_setting_entities(
        runtime,
        (CONTROL_MODE,),
        lambda member, description: ControlModeSelect(runtime, member, description),
        async_add_entities,
    )


class ControlModeSelect(SunVaultSetting, SelectEntity):
    """The operating mode the owner chose (the live mode is the "Operating mode" sensor)."""

    entity_description: SelectEntityDescription

    @property
    def current_option(self) -> str | None:
        """The mode as the PVS holds it; None for one outside the owner's choices."""
        value: str | None = self._current
        return value

    def _value(self, source: EnergyStorage) -> str | None:
        mode = self._settings(source).control_mode
        option = mode.lower() if mode else None
        return option if option in (self.entity_description.options or ()) else None

    async def async_select_option(self, option: str) -> None:
        """Write the mode, then show what the PVS reads back."""
        client = self._runtime.client
        await self._write(lambda: client.set_control_mode(option), option)
