"""Production and consumption meters: power, lifetime registers, per-leg values, CT details."""

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
)

from ..compat import KVA_SCALE, KVA_UNIT, KVAR_SCALE, KVAR_UNIT
from ..descriptions import (
    Guard,
    PVSBinarySensorEntityDescription,
    PVSSensorEntityDescription,
    always,
)
from ..entity import device_family
from ..enums import METER_TYPES, option
from ..problems import device_problem
from ..pvs import Meter, MeterKind
from ..site import LINESIDE

METERS = device_family(lambda data: data.meters)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def net_energy_guard(meter: Meter) -> Guard:
    """Only a consumption meter whose CTs see the grid counts both ways (it falls exporting)."""
    sees_grid = meter.kind is MeterKind.CONSUMPTION and meter.subtype != LINESIDE
    return Guard.NET if sees_grid else Guard.LIFETIME


METER_SENSORS: tuple[PVSSensorEntityDescription[Meter], ...] = (
    PVSSensorEntityDescription[Meter](
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
    PVSSensorEntityDescription[Meter](
        key="net_energy",
        translation_key="net_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda d: d.net_energy_kwh,
        guard=net_energy_guard,
        exists_fn=always,
    ),
    PVSSensorEntityDescription[Meter](
        key="positive_energy",
        translation_key="positive_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda d: d.positive_energy_kwh,
        guard=lambda _meter: Guard.LIFETIME,
    ),
    PVSSensorEntityDescription[Meter](
        key="negative_energy",
        translation_key="negative_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda d: d.negative_energy_kwh,
        guard=lambda _meter: Guard.LIFETIME,
    ),
    PVSSensorEntityDescription[Meter](
        key="reactive_power",
        translation_key="reactive_power",
        device_class=SensorDeviceClass.REACTIVE_POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=KVAR_UNIT,
        suggested_display_precision=3,
        entity_registry_enabled_default=False,
        value_fn=lambda d: _scaled(d.reactive_power_kvar, KVAR_SCALE),
    ),
    PVSSensorEntityDescription[Meter](
        key="apparent_power",
        translation_key="apparent_power",
        device_class=SensorDeviceClass.APPARENT_POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=KVA_UNIT,
        suggested_display_precision=3,
        entity_registry_enabled_default=False,
        value_fn=lambda d: _scaled(d.apparent_power_kva, KVA_SCALE),
    ),
    PVSSensorEntityDescription[Meter](
        key="power_factor",
        translation_key="power_factor",
        device_class=SensorDeviceClass.POWER_FACTOR,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.power_factor,
    ),
    PVSSensorEntityDescription[Meter](
        key="frequency",
        translation_key="frequency",
        device_class=SensorDeviceClass.FREQUENCY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfFrequency.HERTZ,
        suggested_display_precision=2,
        value_fn=lambda d: d.frequency_hz,
    ),
    PVSSensorEntityDescription[Meter](
        key="voltage",
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.voltage_v,
    ),
    PVSSensorEntityDescription[Meter](
        key="voltage_l1",
        translation_key="voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.voltage_l1_v,
    ),
    PVSSensorEntityDescription[Meter](
        key="voltage_l2",
        translation_key="voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.voltage_l2_v,
    ),
    PVSSensorEntityDescription[Meter](
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        value_fn=lambda d: d.current_a,
    ),
    PVSSensorEntityDescription[Meter](
        key="current_l1",
        translation_key="current_l1",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.current_l1_a,
    ),
    PVSSensorEntityDescription[Meter](
        key="current_l2",
        translation_key="current_l2",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.current_l2_a,
    ),
    PVSSensorEntityDescription[Meter](
        key="power_l1",
        translation_key="power_l1",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.power_l1_kw,
    ),
    PVSSensorEntityDescription[Meter](
        key="power_l2",
        translation_key="power_l2",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.power_l2_kw,
    ),
    PVSSensorEntityDescription[Meter](
        key="ct_rating",
        translation_key="ct_rating",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.ct_rating_a,
    ),
    PVSSensorEntityDescription[Meter](
        key="subtype",
        translation_key="subtype",
        device_class=SensorDeviceClass.ENUM,
        options=list(METER_TYPES),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: option(d.subtype, METER_TYPES),
    ),
)

METER_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[Meter], ...] = (
    PVSBinarySensorEntityDescription[Meter](
        key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=device_problem,
    ),
)
