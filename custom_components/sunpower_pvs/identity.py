"""Who is who: the identifiers of devices and of the site, and the unique ids of their entities.

Serials are identity: a device is known by its serial, never by an address or a list
position. A serial the library made up (none or a duplicate was sent) identifies a device
only within its PVS, so it is prefixed with the supervisor's. The site (the Energy
dashboard's sensors) is one per PVS; its ids come from the supervisor's serial as the PVS
reports it, here and nowhere else.
"""

from __future__ import annotations

from .pvs import Device, PVSData

SITE_SUFFIX = "site"


def device_identity(device: Device, data: PVSData) -> str:
    """A device's identifier in the device registry (and the prefix of its entities' ids)."""
    if device.serial_assigned:
        return f"{data.supervisor.serial}_{device.serial}"
    return device.serial


def current_identities(data: PVSData) -> set[str]:
    """Identifiers of every device in a poll."""
    return {device_identity(device, data) for device in data.devices()}


def site_identity(supervisor_serial: str) -> str:
    """The site device's identifier."""
    return f"{supervisor_serial}_{SITE_SUFFIX}"


def supervisor_serial_of_site(identifier: str) -> str | None:
    """The supervisor serial a site device's identifier was made from; None for other devices."""
    serial, _, suffix = identifier.rpartition("_")
    return serial if suffix == SITE_SUFFIX and serial else None


def site_unique_id(supervisor_serial: str, key: str) -> str:
    """The unique id of a site entity (site power and energy, polling health)."""
    return f"{supervisor_serial}_{key}"


def device_unique_id(identity: str, key: str) -> str:
    """The unique id of one of a device's entities."""
    return f"{identity}_{key}"


def short_serial(serial: str) -> str:
    """The end of a serial, enough to tell devices apart in a name.

    SunVault serials run to 70+ characters as ``UNIT_SUFFIX`` with a suffix shared by every
    unit, so the end of the unit part is used.
    """
    unit = serial.split("_", 1)[0] or serial
    return unit[-6:] if unit else "?"
