"""Every family of entities with its descriptions, one file per kind of device (and the site)."""

from __future__ import annotations

from typing import Any

from ..descriptions import PVSBinarySensorEntityDescription, PVSSensorEntityDescription
from ..entity import Family
from . import inverter, meter, site, sunvault, supervisor

SENSORS: tuple[tuple[Family[Any], tuple[PVSSensorEntityDescription[Any], ...]], ...] = (
    (supervisor.SUPERVISOR, supervisor.SUPERVISOR_SENSORS),
    (supervisor.PVS_STATUS, supervisor.PVS_STATUS_SENSORS),
    (meter.METERS, meter.METER_SENSORS),
    (inverter.INVERTERS, inverter.INVERTER_SENSORS),
    (sunvault.STORAGE, sunvault.STORAGE_SENSORS),
    (sunvault.BATTERIES, sunvault.BATTERY_SENSORS),
    (sunvault.STORAGE_INVERTERS, sunvault.STORAGE_INVERTER_SENSORS),
    (sunvault.TRANSFER_SWITCHES, sunvault.TRANSFER_SWITCH_SENSORS),
    (sunvault.ESS_HUBS, sunvault.ESS_HUB_SENSORS),
    (sunvault.PV_DISCONNECTS, sunvault.PV_DISCONNECT_SENSORS),
    (supervisor.POLLING, supervisor.POLLING_SENSORS),
    (site.SITE_POWER, site.SITE_POWER_SENSORS),
    (site.SITE_ENERGY, site.SITE_ENERGY_SENSORS),
)

BINARY_SENSORS: tuple[
    tuple[Family[Any], tuple[PVSBinarySensorEntityDescription[Any], ...]], ...
] = (
    (supervisor.SUPERVISOR, supervisor.SUPERVISOR_BINARY_SENSORS),
    (supervisor.PVS_STATUS, supervisor.PVS_STATUS_BINARY_SENSORS),
    (meter.METERS, meter.METER_BINARY_SENSORS),
    (inverter.INVERTERS, inverter.INVERTER_BINARY_SENSORS),
    (sunvault.STORAGE, sunvault.STORAGE_BINARY_SENSORS),
    (sunvault.BATTERIES, sunvault.BATTERY_BINARY_SENSORS),
    (sunvault.STORAGE_INVERTERS, sunvault.STORAGE_INVERTER_BINARY_SENSORS),
    (sunvault.TRANSFER_SWITCHES, sunvault.TRANSFER_SWITCH_BINARY_SENSORS),
    (sunvault.ESS_HUBS, sunvault.ESS_HUB_BINARY_SENSORS),
    (sunvault.PV_DISCONNECTS, sunvault.PV_DISCONNECT_BINARY_SENSORS),
    (sunvault.OTHER_DEVICES, sunvault.OTHER_DEVICE_BINARY_SENSORS),
)
