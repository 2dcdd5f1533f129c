"""Microinverters, one per panel: AC and DC values, lifetime energy, state, problem.

An owner with hundreds of panels needs each one's power, energy and problem state at a
glance; the rest (DC values, temperature, report stamp, raw state) is one click away:
created disabled, enabled on the entity's settings page.
"""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfPower,
    UnitOfTemperature,
)

from ..descriptions import (
    Guard,
    PVSBinarySensorEntityDescription,
    PVSSensorEntityDescription,
    always,
)
from ..entity import device_family
from ..enums import INVERTER_STATES, option
from ..problems import inverter_problem
from ..pvs import Inverter

INVERTERS = device_family(lambda data: data.inverters)

INVERTER_SENSORS: tuple[PVSSensorEntityDescription[Inverter], ...] = (
    PVSSensorEntityDescription[Inverter](
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda d: d.power_kw,
        exists_fn=always,
    ),
    PVSSensorEntityDescription[Inverter](
        key="lifetime_energy",
        translation_key="lifetime_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda d: d.lifetime_energy_kwh,
        guard=lambda _inverter: Guard.LIFETIME,
        exists_fn=always,
    ),
    PVSSensorEntityDescription[Inverter](
        key="voltage",
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.voltage_v,
    ),
    PVSSensorEntityDescription[Inverter](
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.current_a,
    ),
    PVSSensorEntityDescription[Inverter](
        key="frequency",
        translation_key="frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.frequency_hz,
    ),
    PVSSensorEntityDescription[Inverter](
        key="dc_power",
        translation_key="dc_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.dc_power_kw,
    ),
    PVSSensorEntityDescription[Inverter](
        key="dc_voltage",
        translation_key="dc_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.dc_voltage_v,
    ),
    PVSSensorEntityDescription[Inverter](
        key="dc_current",
        translation_key="dc_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.dc_current_a,
    ),
    PVSSensorEntityDescription[Inverter](
        key="heatsink_temperature",
        translation_key="heatsink_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.heatsink_temperature_c,
    ),
    PVSSensorEntityDescription[Inverter](
        key="last_report",
        translation_key="last_report",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.last_report,
        pvs_clock=True,
    ),
    PVSSensorEntityDescription[Inverter](
        key="state",
        translation_key="state",
        device_class=SensorDeviceClass.ENUM,
        options=list(INVERTER_STATES),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: option(d.state, INVERTER_STATES),
    ),
)

INVERTER_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[Inverter], ...] = (
    PVSBinarySensorEntityDescription[Inverter](
        key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=inverter_problem,
    ),
)
