"""The device registry: one device per piece of hardware, plus the site, each under its parent.

Entities name their device by identifier only (``device_link``): every device is registered
here first, with its link to a parent, because a parent may have no entities of its own (a
Gateway or BMS on LocalAPI) and a device must not link to one the registry does not know.
"""

from __future__ import annotations

import re

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .compat import link_to_parent
from .const import DOMAIN, MANUFACTURER
from .identity import device_identity, short_serial, site_identity, supervisor_serial_of_site
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
    model_family,
)

AC_MODULE = re.compile(r"AC_Module_Type_([A-Z0-9]+)", re.IGNORECASE)

# Translation keys of device names.
DEVICE_KINDS = (
    "supervisor",
    "site",
    "site_tagged",
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


def device_kind(device: Device) -> str:
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


def friendly_model(model: str | None) -> str | None:
    """A model name for people where the PVS sends a code (``AC_Module_Type_E``)."""
    if model and (match := AC_MODULE.fullmatch(model.strip())):
        return f"AC module, type {match.group(1)}"
    return model


def device_info(device: Device, data: PVSData, tag: str | None = None) -> DeviceInfo:
    """Registry entry of a device, without its link to a parent.

    The supervisor is named by its model only (and ``tag`` when the site has more than one
    PVS): the end of its serial is the default LocalAPI password.
    """
    kind = device_kind(device)
    family = model_family(device.model)
    return DeviceInfo(
        identifiers={(DOMAIN, device_identity(device, data))},
        manufacturer=MANUFACTURER,
        model=friendly_model(device.model),
        serial_number=device.serial,
        sw_version=device.sw_version,
        hw_version=device.hw_version,
        translation_key=kind,
        translation_placeholders={"model": f"{family} {tag}" if tag else family}
        if kind == "supervisor"
        else {"serial": short_serial(device.serial)},
    )


def site_device_info(data: PVSData, tag: str | None = None) -> DeviceInfo:
    """The site totals' device: the Energy dashboard's sensors and the site's power."""
    return DeviceInfo(
        identifiers={(DOMAIN, site_identity(data.supervisor.serial))},
        manufacturer=MANUFACTURER,
        model=f"{model_family(data.supervisor.model)} site",
        translation_key="site_tagged" if tag else "site",
        translation_placeholders={"tag": tag} if tag else None,
    )


@callback
def registered_site_serial(hass: HomeAssistant, entry_id: str) -> str | None:
    """The supervisor serial of the entry's registered site device (loaded or not)."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry_id):
        for domain, identifier in device.identifiers:
            if domain == DOMAIN and (serial := supervisor_serial_of_site(identifier)):
                return serial
    return None


def device_link(identity: str) -> DeviceInfo:
    """What an entity names its (registered) device by."""
    return DeviceInfo(identifiers={(DOMAIN, identity)})


def _parent_identity(device: Device, data: PVSData, current: set[str]) -> str:
    """The device a device hangs under: its parent where the data names one, else the PVS."""
    parent = device.parent
    if parent is None or parent not in current or parent == device.serial:
        return device_identity(data.supervisor, data)
    return parent


class DeviceRegistrar:
    """Registers the devices of each poll that are not registered yet, parents first."""

    def __init__(self, hass: HomeAssistant, entry_id: str, tag: str | None = None) -> None:
        """Devices of one config entry; ``registered`` maps identifiers to registry ids.

        ``tag`` tells this PVS's supervisor and site apart from another PVS's at the site.
        """
        self._hass = hass
        self._entry_id = entry_id
        self._tag = tag
        self.registered: dict[str, str] = {}

    @callback
    def register(self, data: PVSData) -> None:
        """Register what ``data`` holds that the registry does not have yet."""
        devices = {device_identity(device, data): device for device in data.devices()}
        site = site_identity(data.supervisor.serial)
        registered = self.registered
        if site in registered and devices.keys() <= registered.keys():
            return  # the usual poll: nothing new
        registry = dr.async_get(self._hass)
        supervisor = device_identity(data.supervisor, data)

        def add(key: str, info: DeviceInfo, parent: str | None) -> None:
            if parent is not None:
                info = link_to_parent(info, (DOMAIN, parent), registered[parent])
            entry = registry.async_get_or_create(config_entry_id=self._entry_id, **info)
            registered[key] = entry.id

        def add_device(key: str, pending: frozenset[str]) -> None:
            device = devices[key]
            parent = None if key == supervisor else _parent_identity(device, data, set(devices))
            if parent is not None and parent not in registered:
                if parent in pending:  # a loop in the data: hang it under the PVS instead
                    parent = supervisor
                else:
                    add_device(parent, pending | {key})
            add(key, device_info(device, data, self._tag if key == supervisor else None), parent)

        add_device(supervisor, frozenset())
        if site not in registered:
            add(site, site_device_info(data, self._tag), supervisor)
        for key in devices:
            if key not in registered:
                add_device(key, frozenset())
