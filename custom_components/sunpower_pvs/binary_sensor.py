"""Binary sensors: device problems judged with sense, relays, fan and cloud connectivity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import PVSConfigEntry
from .entity import (
    BATTERIES,
    ESS_HUBS,
    INVERTERS,
    METERS,
    OTHER_DEVICES,
    PV_DISCONNECTS,
    SITE,
    STORAGE,
    STORAGE_INVERTERS,
    SUPERVISOR,
    TRANSFER_SWITCHES,
    PVSEntity,
    Source,
    add_entities_as_data_appears,
)
from .night import WORKING, producing
from .pvs import Device, EssHub, Inverter, PVDisconnect, PVSData

# Entities only read the coordinator's data; the client serialises requests to the PVS.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PVSBinarySensorEntityDescription[T](BinarySensorEntityDescription):
    """A binary sensor of a device kind; its value may look at the whole site."""

    is_on_fn: Callable[[T, PVSData], bool | None]


def device_problem(device: Device, _data: PVSData) -> bool | None:
    """A device is in trouble when the PVS says it is not working."""
    return None if device.state is None else device.state.lower() != WORKING


def inverter_problem(inverter: Inverter, data: PVSData) -> bool | None:
    """An inverter in error is a problem only while most of the others produce.

    At night every inverter sleeps in "error"; at dawn and dusk they wake and sleep one by
    one, so a single producing neighbour (or one with a stale reading) proves nothing.
    """
    if inverter.state is None:
        return None
    if inverter.state.lower() == WORKING:
        return False
    others = [other for other in data.inverters.values() if other.serial != inverter.serial]
    return sum(producing(other) for other in others) * 2 > len(others)


def storage_reports_data(data: PVSData) -> bool:
    """Whether any SunVault component sends live measurements."""
    return (
        any(
            ess.state_of_charge_pct is not None or ess.power_kw is not None
            for ess in data.storage.values()
        )
        or any(battery.state_of_charge_pct is not None for battery in data.batteries.values())
        or any(unit.power_kw is not None for unit in data.storage_inverters.values())
        or any(hub.grid_voltage_l1_v is not None for hub in data.transfer_switches.values())
    )


def storage_problem(device: Device, data: PVSData) -> bool | None:
    """SunVault records often say "error" while healthy: trust the storage data instead."""
    if device.state is None:
        return None
    if device.state.lower() == WORKING:
        return False
    return not storage_reports_data(data)


def _problem[T](fn: Callable[[T, PVSData], bool | None]) -> PVSBinarySensorEntityDescription[T]:
    return PVSBinarySensorEntityDescription[T](
        key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=fn,
    )


def _relay(
    key: str, fn: Callable[[PVDisconnect], bool | None]
) -> PVSBinarySensorEntityDescription[PVDisconnect]:
    return PVSBinarySensorEntityDescription[PVDisconnect](
        key=key, translation_key=key, is_on_fn=lambda device, _data: fn(device)
    )


PV_DISCONNECT_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[PVDisconnect], ...] = (
    _problem(storage_problem),
    _relay("relay1_closed", lambda d: d.relay1_closed),
    _relay("relay2_closed", lambda d: d.relay2_closed),
    PVSBinarySensorEntityDescription[PVDisconnect](
        key="relay_error",
        translation_key="relay_error",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda d, _data: (
            None
            if d.relay1_error is None and d.relay2_error is None
            else bool(d.relay1_error or d.relay2_error)
        ),
    ),
)

ESS_HUB_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[EssHub], ...] = (
    _problem(storage_problem),
    PVSBinarySensorEntityDescription[EssHub](
        key="fan",
        translation_key="fan",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda d, _data: d.fan_active,
    ),
)

SITE_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[PVSData], ...] = (
    PVSBinarySensorEntityDescription[PVSData](
        key="cloud_connection",
        translation_key="cloud_connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda data, _data: data.network.cloud_reachable if data.network else None,
    ),
)

BINARY_SENSOR_FAMILIES: tuple[
    tuple[Source[Any], tuple[PVSBinarySensorEntityDescription[Any], ...]], ...
] = (
    (SUPERVISOR, (_problem(device_problem),)),
    (SITE, SITE_BINARY_SENSORS),
    (METERS, (_problem(device_problem),)),
    (INVERTERS, (_problem(inverter_problem),)),
    (STORAGE, (_problem(storage_problem),)),
    (BATTERIES, (_problem(storage_problem),)),
    (STORAGE_INVERTERS, (_problem(storage_problem),)),
    (TRANSFER_SWITCHES, (_problem(storage_problem),)),
    (ESS_HUBS, ESS_HUB_BINARY_SENSORS),
    (PV_DISCONNECTS, PV_DISCONNECT_BINARY_SENSORS),
    (OTHER_DEVICES, (_problem(storage_problem),)),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: PVSConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add binary sensors for what the PVS reports now and for what appears later."""
    coordinator = entry.runtime_data
    add_entities_as_data_appears(
        coordinator,
        BINARY_SENSOR_FAMILIES,
        lambda description, value, data: description.is_on_fn(value, data) is not None,
        lambda source, device, description: PVSBinarySensor(
            coordinator, source, device, description
        ),
        async_add_entities,
    )


class PVSBinarySensor[T](PVSEntity[T, bool], BinarySensorEntity):
    """A binary sensor of one device."""

    entity_description: PVSBinarySensorEntityDescription[T]

    @property
    def is_on(self) -> bool | None:
        """The value of the latest poll; None (unknown) when it cannot be judged."""
        return self._value

    def _compute_value(self) -> bool | None:
        source = self.source_value
        if source is None:
            return None
        return self.entity_description.is_on_fn(source, self.coordinator.data)
