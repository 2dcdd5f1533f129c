"""Base entity: where an entity's values come from, its device, unique id and availability."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .compat import link_to_parent
from .const import DOMAIN, MANUFACTURER
from .coordinator import PVSCoordinator
from .pvs import (
    Battery,
    Device,
    EnergyStorage,
    EssHub,
    Inverter,
    Meter,
    MeterKind,
    PVDisconnect,
    PVSData,
    StorageInverter,
    Supervisor,
    TransferSwitch,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Source[T]:
    """A family of entities: the devices that carry them and what their value functions read."""

    devices: Callable[[PVSData], Iterable[Device]]
    read: Callable[[PVSData, str], T | None]


def _collection[D: Device](pick: Callable[[PVSData], Mapping[str, D]]) -> Source[D]:
    return Source(
        devices=lambda data: pick(data).values(), read=lambda data, sn: pick(data).get(sn)
    )


def _read_site(data: PVSData, serial: str) -> PVSData | None:
    return data if data.supervisor.serial == serial else None


SUPERVISOR: Source[Supervisor] = Source(
    devices=lambda data: (data.supervisor,),
    read=lambda data, sn: data.supervisor if data.supervisor.serial == sn else None,
)
SITE: Source[PVSData] = Source(devices=lambda data: (data.supervisor,), read=_read_site)
METERS = _collection(lambda data: data.meters)
INVERTERS = _collection(lambda data: data.inverters)
STORAGE = _collection(lambda data: data.storage)
BATTERIES = _collection(lambda data: data.batteries)
STORAGE_INVERTERS = _collection(lambda data: data.storage_inverters)
TRANSFER_SWITCHES = _collection(lambda data: data.transfer_switches)
ESS_HUBS = _collection(lambda data: data.ess_hubs)
PV_DISCONNECTS = _collection(lambda data: data.pv_disconnects)
OTHER_DEVICES = _collection(lambda data: data.other_devices)

ALL_DEVICE_SOURCES: tuple[Source[Any], ...] = (
    SUPERVISOR,
    METERS,
    INVERTERS,
    STORAGE,
    BATTERIES,
    STORAGE_INVERTERS,
    TRANSFER_SWITCHES,
    ESS_HUBS,
    PV_DISCONNECTS,
    OTHER_DEVICES,
)


def identity(device: Device, data: PVSData) -> str:
    """A device's identifier: its serial, prefixed with the PVS's serial when made up.

    A serial the library made up (none or a duplicate was sent) identifies the device only
    within its PVS.
    """
    if device.serial_assigned:
        return f"{data.supervisor.serial}_{device.serial}"
    return device.serial


def current_identities(data: PVSData) -> set[str]:
    """Identifiers of every device in the latest poll."""
    return {
        identity(device, data) for source in ALL_DEVICE_SOURCES for device in source.devices(data)
    }


DEVICE_KINDS = (
    "supervisor",
    "production_meter",
    "consumption_meter",
    "inverter",
    "energy_storage",
    "battery",
    "storage_inverter",
    "transfer_switch",
    "ess_hub",
    "pv_disconnect",
    "other_device",
)


def _device_kind(device: Device) -> str:
    """Translation key of a device's name."""
    match device:
        case Supervisor():
            return "supervisor"
        case Meter(kind=MeterKind.PRODUCTION):
            return "production_meter"
        case Meter():
            return "consumption_meter"
        case Inverter():
            return "inverter"
        case EnergyStorage():
            return "energy_storage"
        case Battery():
            return "battery"
        case StorageInverter():
            return "storage_inverter"
        case TransferSwitch():
            return "transfer_switch"
        case EssHub():
            return "ess_hub"
        case PVDisconnect():
            return "pv_disconnect"
    return "other_device"


def short_serial(serial: str) -> str:
    """The end of a serial, enough to tell devices apart in a name.

    SunVault serials run to 70+ characters as ``UNIT_SUFFIX`` with a suffix shared by every
    unit, so the end of the unit part is used.
    """
    unit = serial.split("_", 1)[0] or serial
    return unit[-6:] if unit else "?"


def model_family(model: str | None) -> str:
    """PVS6 or PVS5 from the supervisor's model name."""
    upper = (model or "").upper()
    return next((family for family in ("PVS6", "PVS5") if family in upper), "PVS")


def device_info(device: Device, data: PVSData) -> DeviceInfo:
    """Registry entry of a device, without its link to a parent (see ``register_devices``).

    The supervisor is named by its model only: the end of its serial is the default LocalAPI
    password, which names, entity ids and screenshots must not show.
    """
    kind = _device_kind(device)
    return DeviceInfo(
        identifiers={(DOMAIN, identity(device, data))},
        manufacturer=MANUFACTURER,
        model=device.model,
        serial_number=device.serial,
        sw_version=device.sw_version,
        hw_version=device.hw_version,
        translation_key=kind,
        translation_placeholders={"model": model_family(device.model)}
        if kind == "supervisor"
        else {"serial": short_serial(device.serial)},
    )


def device_link(device: Device, data: PVSData) -> DeviceInfo:
    """What an entity names its device by: the device is registered by ``register_devices``."""
    return DeviceInfo(identifiers={(DOMAIN, identity(device, data))})


def site_device_info(data: PVSData) -> DeviceInfo:
    """The site totals' device, under the supervisor: the Energy dashboard's sensors."""
    return DeviceInfo(
        identifiers={(DOMAIN, site_identity(data))},
        manufacturer=MANUFACTURER,
        translation_key="site",
    )


def site_identity(data: PVSData) -> str:
    """The site device's identifier: one site per PVS."""
    return f"{identity(data.supervisor, data)}_site"


def _parent_identity(device: Device, data: PVSData, current: set[str]) -> str:
    """The device a device hangs under: its parent where the data names one, else the PVS."""
    parent = device.parent
    if parent is None or parent not in current or parent == device.serial:
        return identity(data.supervisor, data)
    return parent


@callback
def register_devices(
    hass: HomeAssistant, entry_id: str, data: PVSData, registered: dict[str, str]
) -> None:
    """Register the devices not registered yet, each after the parent it links to.

    Entities name their device by identifier only, so every device (with its link to a
    parent: a Gateway or BMS has no entities on LocalAPI, yet its children hang under it) is
    registered here first. ``registered`` maps identifiers to registry ids.
    """
    devices = {
        identity(device, data): device
        for source in ALL_DEVICE_SOURCES
        for device in source.devices(data)
    }
    site = site_identity(data)
    if site in registered and devices.keys() <= registered.keys():
        return  # the usual poll: nothing new
    registry = dr.async_get(hass)
    supervisor = identity(data.supervisor, data)

    def register(key: str, info: DeviceInfo, parent: str | None) -> None:
        if parent is not None:
            info = link_to_parent(info, (DOMAIN, parent), registered[parent])
        registered[key] = registry.async_get_or_create(config_entry_id=entry_id, **info).id

    def register_device(key: str, pending: frozenset[str]) -> None:
        device = devices[key]
        parent = None if key == supervisor else _parent_identity(device, data, set(devices))
        if parent is not None and parent not in registered:
            if parent in pending:  # a loop in the data: hang it under the PVS instead
                parent = supervisor
            else:
                register_device(parent, pending | {key})
        register(key, device_info(device, data), parent)

    register_device(supervisor, frozenset())
    if site not in registered:
        register(site, site_device_info(data), supervisor)
    for key in devices:
        if key not in registered:
            register_device(key, frozenset())


class SiteEntity(CoordinatorEntity[PVSCoordinator]):
    """An entity of the site device, keyed by the supervisor's serial and its description."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: PVSCoordinator, description: EntityDescription) -> None:
        """Attach the entity to the site device."""
        super().__init__(coordinator)
        self.entity_description = description
        data = coordinator.data
        self._attr_unique_id = f"{data.supervisor.serial}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, site_identity(data))})


class PVSEntity[T, V](CoordinatorEntity[PVSCoordinator]):
    """An entity of one device; unavailable while the PVS does not report that device.

    It writes its state only when its value or availability changed: a poll that brings the
    same reading adds nothing to the recorder.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: PVSCoordinator,
        source: Source[T],
        device: Device,
        description: EntityDescription,
    ) -> None:
        """Bind the entity to the device's serial, never to a list position or an address."""
        super().__init__(coordinator)
        self.entity_description = description
        self._source = source
        self._serial = device.serial
        self._attr_unique_id = f"{identity(device, coordinator.data)}_{description.key}"
        self._attr_device_info = device_link(device, coordinator.data)
        self._value: V | None = None
        self._value = self._compute_value()
        self._written = (self.available, self._value)

    @property
    def source_value(self) -> T | None:
        """What this entity's value function reads in the latest data."""
        return self._source.read(self.coordinator.data, self._serial)

    @property
    def available(self) -> bool:
        """Available while the last poll succeeded and still reported the device."""
        return super().available and self.source_value is not None

    @abstractmethod
    def _compute_value(self) -> V | None:
        """The entity's value in the latest data; it may look at the value it shows now."""

    @callback
    def _handle_coordinator_update(self) -> None:
        self._value = self._compute_value()
        shown = (self.available, self._value)
        if shown != self._written:
            self._written = shown
            self.async_write_ha_state()


type Family[D: EntityDescription] = tuple[Source[Any], tuple[D, ...]]


def add_entities_as_data_appears[D: EntityDescription](
    coordinator: PVSCoordinator,
    families: tuple[Family[D], ...],
    exists: Callable[[D, Any, PVSData], bool],
    create: Callable[[Source[Any], Device, D], Entity],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an entity per device and description once its data exists, now and after each poll.

    Inverters first seen at sunrise, replaced units and values a firmware starts sending later
    get their entities without a reload.
    """
    known: set[str] = set()

    @callback
    def add_new() -> None:
        data = coordinator.data
        new: list[Entity] = []
        for source, descriptions in families:
            for device in source.devices(data):
                value = source.read(data, device.serial)
                for description in descriptions:
                    unique_id = f"{identity(device, data)}_{description.key}"
                    if unique_id in known or not exists(description, value, data):
                        continue
                    known.add(unique_id)
                    new.append(create(source, device, description))
        if new:
            async_add_entities(new)

    add_new()
    coordinator.config_entry.async_on_unload(coordinator.async_add_listener(add_new))
