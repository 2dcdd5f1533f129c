"""Changing the SunVault's settings: one write at a time, the PVS's read-back shown.

The operating mode (``select``) and backup reserve (``number``) exist on LocalAPI firmware
for a site with an ESS, once the PVS has reported both settings. They are disabled by
default: a wrong reserve leaves a house without backup in an outage, so the owner enables
them deliberately. Nothing is written at setup, restart or reload: only when the owner or an
automation sets a value. After a write the entity shows what the PVS reads back until the next
poll brings its settings again; a write that did not take shows the PVS's value and raises a
translated error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .entity import Family, PVSEntity, add_entities_as_data_appears
from .kinds.sunvault import STORAGE
from .pvs import (
    Device,
    EnergyStorage,
    EssSettings,
    PVSData,
    PVSError,
    PVSSettingNotAppliedError,
    PVSSettingRefusedError,
)
from .runtime import PVSRuntime


def controllable(runtime: PVSRuntime, storage: EnergyStorage | None) -> bool:
    """Whether the unit takes setting writes and has reported the ESS's settings."""
    unit = runtime.client.unit
    return (
        unit is not None
        and unit.capabilities.ess_control
        and storage is not None
        and storage.control_mode is not None
        and storage.backup_reserve_pct is not None
    )


# The owner's message for a write that did not take, most specific first.
FAILURE_MESSAGES: tuple[tuple[type[PVSError], str], ...] = (
    (PVSSettingNotAppliedError, "setting_not_applied"),
    (PVSSettingRefusedError, "setting_refused"),
    (PVSError, "setting_failed"),
)


class SunVaultSetting(PVSEntity[EnergyStorage]):
    """An ESS setting: the poll's value, or the read-back of a write made since."""

    _attr_entity_registry_enabled_default = False

    def __init__(
        self, runtime: PVSRuntime, member: EnergyStorage, description: EntityDescription
    ) -> None:
        """On the SunVault's device."""
        super().__init__(runtime, STORAGE, member, description)
        # (the poll it was written after, what the PVS read back)
        self._written: tuple[PVSData, EssSettings] | None = None

    def _settings(self, source: EnergyStorage) -> EssSettings:
        written = self._written
        if written is not None and written[0] is self._runtime.poll.data:
            return written[1]
        self._written = None
        return EssSettings(
            control_mode=source.control_mode, backup_reserve_pct=source.backup_reserve_pct
        )

    async def _write(self, write: Callable[[], Awaitable[EssSettings]], asked: str) -> None:
        """Write, show what the PVS reads back, and tell the owner when it did not take."""
        try:
            settings = await write()
        except ValueError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="setting_invalid",
                translation_placeholders={"value": asked},
            ) from err
        except PVSError as err:
            if isinstance(err, PVSSettingNotAppliedError) and isinstance(err.settings, EssSettings):
                self._show(err.settings)
            key = next(key for kind, key in FAILURE_MESSAGES if isinstance(err, kind))
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders={"value": asked, "error": str(err)},
            ) from err
        self._show(settings)

    def _show(self, settings: EssSettings) -> None:
        self._written = (self._runtime.poll.data, settings)
        self._handle_coordinator_update()


def add_setting_entities[D: EntityDescription](
    runtime: PVSRuntime,
    descriptions: tuple[D, ...],
    create: Callable[[EnergyStorage, D], SunVaultSetting],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One entity per description on each controllable SunVault, once it is."""

    def make(_family: Family[Any], member: Device, description: D) -> Entity:
        assert isinstance(member, EnergyStorage)
        return create(member, description)

    add_entities_as_data_appears(
        runtime,
        ((STORAGE, descriptions),),
        lambda _description, source, _data: controllable(runtime, source),
        make,
        async_add_entities,
    )
