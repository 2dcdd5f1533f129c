"""Sensors about the polling itself, on the supervisor: available even while the PVS is not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.typing import StateType
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import PVSCoordinator
from .entity import device_link
from .pvs import Generation

DIAG = EntityCategory.DIAGNOSTIC


@dataclass(frozen=True, kw_only=True)
class PVSHealthSensorEntityDescription(SensorEntityDescription):
    """A sensor about the polling itself, on the supervisor."""

    value_fn: Callable[[PVSCoordinator], StateType | datetime]


HEALTH_SENSORS: tuple[PVSHealthSensorEntityDescription, ...] = (
    PVSHealthSensorEntityDescription(
        key="last_poll",
        translation_key="last_poll",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=DIAG,
        value_fn=lambda coordinator: coordinator.health.last_success,
    ),
    PVSHealthSensorEntityDescription(
        key="poll_duration",
        translation_key="poll_duration",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=DIAG,
        entity_registry_enabled_default=False,
        value_fn=lambda coordinator: coordinator.health.last_duration_s,
    ),
    PVSHealthSensorEntityDescription(
        key="poll_failures",
        translation_key="poll_failures",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=DIAG,
        value_fn=lambda coordinator: coordinator.health.consecutive_failures,
    ),
    PVSHealthSensorEntityDescription(
        key="firmware_generation",
        translation_key="firmware_generation",
        device_class=SensorDeviceClass.ENUM,
        options=[generation.value for generation in Generation],
        entity_category=DIAG,
        value_fn=lambda coordinator: (
            coordinator.generation.value if coordinator.generation else None
        ),
    ),
)


class PVSHealthSensor(CoordinatorEntity[PVSCoordinator], SensorEntity):
    """How polling goes; available even while the PVS is not, which is when it matters."""

    _attr_has_entity_name = True
    entity_description: PVSHealthSensorEntityDescription

    def __init__(
        self, coordinator: PVSCoordinator, description: PVSHealthSensorEntityDescription
    ) -> None:
        """Attach the sensor to the supervisor device."""
        super().__init__(coordinator)
        self.entity_description = description
        data = coordinator.data
        self._attr_unique_id = f"{data.supervisor.serial}_{description.key}"
        self._attr_device_info = device_link(data.supervisor, data)
        self._attr_native_value = description.value_fn(coordinator)

    @property
    def available(self) -> bool:
        """Always: these sensors describe the outages themselves."""
        return True

    @callback
    def _handle_coordinator_update(self) -> None:
        value = self.entity_description.value_fn(self.coordinator)
        if value != self._attr_native_value:
            self._attr_native_value = value
            self.async_write_ha_state()
