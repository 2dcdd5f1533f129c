"""Site energy sensors for the Energy dashboard: solar, grid import/export, home, battery.

Their values come from the site ledger (energy.py), which never lets them drop or jump;
they sit on the site device next to the site power sensors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import callback

from .coordinator import PVSCoordinator
from .energy import SiteEnergy
from .entity import SiteEntity
from .pvs import MeterKind, PVSData


@dataclass(frozen=True, kw_only=True)
class SiteEnergySensorEntityDescription(SensorEntityDescription):
    """A site counter, and which sites have it."""

    value_fn: Callable[[SiteEnergy], float | None]
    exists_fn: Callable[[PVSData], bool]


def _has_solar(data: PVSData) -> bool:
    return bool(data.inverters) or data.meter(MeterKind.PRODUCTION) is not None


def _has_grid(data: PVSData) -> bool:
    return data.meter(MeterKind.CONSUMPTION) is not None


def _has_storage(data: PVSData) -> bool:
    return bool(data.storage)


def _energy(
    key: str, value_fn: Callable[[SiteEnergy], float | None], exists_fn: Callable[[PVSData], bool]
) -> SiteEnergySensorEntityDescription:
    return SiteEnergySensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=value_fn,
        exists_fn=exists_fn,
    )


SITE_ENERGY_SENSORS: tuple[SiteEnergySensorEntityDescription, ...] = (
    _energy("site_solar_energy", lambda energy: energy.solar, _has_solar),
    _energy("site_grid_import_energy", lambda energy: energy.grid_import, _has_grid),
    _energy("site_grid_export_energy", lambda energy: energy.grid_export, _has_grid),
    _energy("site_home_energy", lambda energy: energy.home, _has_grid),
    _energy("site_battery_charged_energy", lambda energy: energy.battery_charged, _has_storage),
    _energy(
        "site_battery_discharged_energy", lambda energy: energy.battery_discharged, _has_storage
    ),
)


def site_energy_sensors(coordinator: PVSCoordinator) -> list[SiteEnergySensor]:
    """The counters this site's meters and devices can feed."""
    return [
        SiteEnergySensor(coordinator, description)
        for description in SITE_ENERGY_SENSORS
        if description.exists_fn(coordinator.data)
    ]


class SiteEnergySensor(SiteEntity, SensorEntity):
    """One site counter; unknown until its source (or direction) is known."""

    entity_description: SiteEnergySensorEntityDescription

    def __init__(
        self, coordinator: PVSCoordinator, description: SiteEnergySensorEntityDescription
    ) -> None:
        """Start from the ledger's value now."""
        super().__init__(coordinator, description)
        self._attr_native_value = self._current()
        self._written = (self.available, self._attr_native_value)

    def _current(self) -> float | None:
        value = self.entity_description.value_fn(self.coordinator.energy.energy)
        return None if value is None else round(value, 3)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only when the counter moved or availability changed."""
        self._attr_native_value = self._current()
        shown = (self.available, self._attr_native_value)
        if shown != self._written:
            self._written = shown
            self.async_write_ha_state()
