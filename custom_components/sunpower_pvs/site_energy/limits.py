"""How fast each device can move energy: bounds how much its lifetime counter can grow."""

from __future__ import annotations

from ..pvs import Device, Inverter, Meter, MeterKind, PVSData

# Microinverters deliver up to about 0.45 kW AC.
INVERTER_MAX_KW = 0.5
MIN_ARRAY_KW = 5.0
# A 200 A service at 240 V when the meter does not say its CT rating.
VOLTS = 240.0
DEFAULT_SERVICE_KW = 48.0
BATTERY_MAX_KW = 15.0


def max_power_kw(device: Device, data: PVSData) -> float:
    """The most a device can move energy at: bounds how fast its counter can grow."""
    if isinstance(device, Inverter):
        return INVERTER_MAX_KW
    if isinstance(device, Meter):
        if device.kind is MeterKind.CONSUMPTION:
            rating = device.ct_rating_a
            return rating * VOLTS / 1000 if rating else DEFAULT_SERVICE_KW
        return max(MIN_ARRAY_KW, INVERTER_MAX_KW * len(data.inverters))
    return BATTERY_MAX_KW


def stamp(device: Device, fallback: float) -> float:
    """A device's reading time (epoch s): its own report stamp, else the poll's."""
    return device.last_report.timestamp() if device.last_report else fallback
