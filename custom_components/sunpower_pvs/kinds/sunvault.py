"""SunVault: storage system, batteries, storage inverter, Hub+, ESS Hub and PV Disconnect.

Devices of kinds the library does not model (Gateway, BMS) get their problem state here too.
"""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
)

from ..descriptions import Guard, PVSBinarySensorEntityDescription, PVSSensorEntityDescription
from ..entity import device_family
from ..enums import OPERATING_MODES, SWITCH_STATES, option
from ..problems import storage_problem
from ..pvs import (
    Battery,
    Device,
    EnergyStorage,
    EssHub,
    GenericDevice,
    PVDisconnect,
    StorageInverter,
    TransferSwitch,
)

STORAGE = device_family(lambda data: data.storage)
BATTERIES = device_family(lambda data: data.batteries)
STORAGE_INVERTERS = device_family(lambda data: data.storage_inverters)
TRANSFER_SWITCHES = device_family(lambda data: data.transfer_switches)
ESS_HUBS = device_family(lambda data: data.ess_hubs)
PV_DISCONNECTS = device_family(lambda data: data.pv_disconnects)
OTHER_DEVICES = device_family(lambda data: data.other_devices)


def _battery_unless_customer_charge(storage: EnergyStorage) -> SensorDeviceClass | None:
    """The one battery-class charge of a SunVault: the customer figure where there is one."""
    return None if storage.customer_state_of_charge_pct is not None else SensorDeviceClass.BATTERY


def _storage_problem[D: Device]() -> PVSBinarySensorEntityDescription[D]:
    return PVSBinarySensorEntityDescription[D](
        key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=storage_problem,
    )


STORAGE_SENSORS: tuple[PVSSensorEntityDescription[EnergyStorage], ...] = (
    # the BMS's own figure, 0-100 % of the whole pack (it keeps a floor the owner never sees);
    # the battery state of charge only where the unit reports no customer figure (legacy)
    PVSSensorEntityDescription[EnergyStorage](
        key="state_of_charge",
        translation_key="state_of_charge",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.state_of_charge_pct,
        device_class_fn=_battery_unless_customer_charge,
    ),
    # the charge the SunStrong app shows: the device's one battery state of charge
    PVSSensorEntityDescription[EnergyStorage](
        key="customer_state_of_charge",
        translation_key="customer_state_of_charge",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: d.customer_state_of_charge_pct,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="state_of_health",
        translation_key="state_of_health",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: d.state_of_health_pct,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="battery_power",
        translation_key="battery_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda d: d.power_kw,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="charged_energy",
        translation_key="charged_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda d: d.charged_energy_kwh,
        guard=lambda _storage: Guard.LIFETIME,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="discharged_energy",
        translation_key="discharged_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda d: d.discharged_energy_kwh,
        guard=lambda _storage: Guard.LIFETIME,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="voltage_l1",
        translation_key="voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.voltage_l1_v,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="voltage_l2",
        translation_key="voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.voltage_l2_v,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="battery_voltage",
        translation_key="battery_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.battery_voltage_v,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="inverter_temperature",
        translation_key="inverter_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.inverter_temperature_c,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="charge_limit",
        translation_key="charge_limit",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.charge_limit_kw,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="discharge_limit",
        translation_key="discharge_limit",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.discharge_limit_kw,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="max_cell_temperature",
        translation_key="max_cell_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.max_cell_temperature_c,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="min_cell_temperature",
        translation_key="min_cell_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.min_cell_temperature_c,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="max_cell_voltage",
        translation_key="max_cell_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.max_cell_voltage_v,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="min_cell_voltage",
        translation_key="min_cell_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.min_cell_voltage_v,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="operating_mode",
        translation_key="operating_mode",
        device_class=SensorDeviceClass.ENUM,
        options=list(OPERATING_MODES),
        value_fn=lambda d: option(d.operating_mode, OPERATING_MODES),
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="enclosure_temperature",
        translation_key="enclosure_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda d: d.enclosure_temperature_c,
    ),
    PVSSensorEntityDescription[EnergyStorage](
        key="enclosure_humidity",
        translation_key="enclosure_humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: d.enclosure_humidity_pct,
    ),
)

BATTERY_SENSORS: tuple[PVSSensorEntityDescription[Battery], ...] = (
    # the BMS's own figure, 0-100 % of the whole pack (it keeps a floor the owner never sees)
    PVSSensorEntityDescription[Battery](
        key="state_of_charge",
        translation_key="state_of_charge",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.state_of_charge_pct,
    ),
    # the charge the SunStrong app shows: the device's one battery state of charge
    PVSSensorEntityDescription[Battery](
        key="customer_state_of_charge",
        translation_key="customer_state_of_charge",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: d.customer_state_of_charge_pct,
    ),
    PVSSensorEntityDescription[Battery](
        key="voltage",
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.voltage_v,
    ),
    PVSSensorEntityDescription[Battery](
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        value_fn=lambda d: d.current_a,
    ),
    PVSSensorEntityDescription[Battery](
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda d: d.temperature_c,
    ),
)

STORAGE_INVERTER_SENSORS: tuple[PVSSensorEntityDescription[StorageInverter], ...] = (
    PVSSensorEntityDescription[StorageInverter](
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=lambda d: d.power_kw,
    ),
    PVSSensorEntityDescription[StorageInverter](
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        value_fn=lambda d: d.current_a,
    ),
    PVSSensorEntityDescription[StorageInverter](
        key="voltage_l1",
        translation_key="voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.voltage_l1_v,
    ),
    PVSSensorEntityDescription[StorageInverter](
        key="voltage_l2",
        translation_key="voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.voltage_l2_v,
    ),
    PVSSensorEntityDescription[StorageInverter](
        key="current_l1",
        translation_key="current_l1",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.current_l1_a,
    ),
    PVSSensorEntityDescription[StorageInverter](
        key="current_l2",
        translation_key="current_l2",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.current_l2_a,
    ),
    PVSSensorEntityDescription[StorageInverter](
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda d: d.temperature_c,
    ),
)

TRANSFER_SWITCH_SENSORS: tuple[PVSSensorEntityDescription[TransferSwitch], ...] = (
    PVSSensorEntityDescription[TransferSwitch](
        key="contactor_state",
        translation_key="contactor_state",
        device_class=SensorDeviceClass.ENUM,
        options=list(SWITCH_STATES),
        value_fn=lambda d: option(d.contactor_state, SWITCH_STATES, "mid_state_"),
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="pv_disconnect_state",
        translation_key="pv_disconnect_state",
        device_class=SensorDeviceClass.ENUM,
        options=list(SWITCH_STATES),
        value_fn=lambda d: option(d.pv_disconnect_state, SWITCH_STATES, "pvd_state_"),
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="grid_voltage_l1",
        translation_key="grid_voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.grid_voltage_l1_v,
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="grid_voltage_l2",
        translation_key="grid_voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.grid_voltage_l2_v,
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="load_voltage_l1",
        translation_key="load_voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.load_voltage_l1_v,
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="load_voltage_l2",
        translation_key="load_voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.load_voltage_l2_v,
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="supply_voltage",
        translation_key="supply_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.supply_voltage_v,
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda d: d.temperature_c,
    ),
    PVSSensorEntityDescription[TransferSwitch](
        key="humidity",
        translation_key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: d.humidity_pct,
    ),
)

ESS_HUB_SENSORS: tuple[PVSSensorEntityDescription[EssHub], ...] = (
    PVSSensorEntityDescription[EssHub](
        key="temperature",
        translation_key="temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda d: d.temperature_c,
    ),
    PVSSensorEntityDescription[EssHub](
        key="humidity",
        translation_key="humidity",
        device_class=SensorDeviceClass.HUMIDITY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda d: d.humidity_pct,
    ),
    PVSSensorEntityDescription[EssHub](
        key="dcdc_supply_voltage",
        translation_key="dcdc_supply_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.dcdc_supply_voltage_v,
    ),
    PVSSensorEntityDescription[EssHub](
        key="supply_voltage",
        translation_key="supply_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.supply_voltage_v,
    ),
    PVSSensorEntityDescription[EssHub](
        key="gateway_voltage",
        translation_key="gateway_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.gateway_voltage_v,
    ),
)

PV_DISCONNECT_SENSORS: tuple[PVSSensorEntityDescription[PVDisconnect], ...] = (
    PVSSensorEntityDescription[PVDisconnect](
        key="relay_mode",
        translation_key="relay_mode",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.relay_mode,
    ),
    PVSSensorEntityDescription[PVDisconnect](
        key="grid_voltage_l1",
        translation_key="grid_voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.grid_voltage_l1_v,
    ),
    PVSSensorEntityDescription[PVDisconnect](
        key="grid_voltage_l2",
        translation_key="grid_voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.grid_voltage_l2_v,
    ),
    PVSSensorEntityDescription[PVDisconnect](
        key="pv_voltage_l1",
        translation_key="pv_voltage_l1",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.pv_voltage_l1_v,
    ),
    PVSSensorEntityDescription[PVDisconnect](
        key="pv_voltage_l2",
        translation_key="pv_voltage_l2",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=1,
        value_fn=lambda d: d.pv_voltage_l2_v,
    ),
)

STORAGE_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[EnergyStorage], ...] = (
    _storage_problem(),
)
BATTERY_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[Battery], ...] = (
    _storage_problem(),
)
STORAGE_INVERTER_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[StorageInverter], ...] = (
    _storage_problem(),
)
TRANSFER_SWITCH_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[TransferSwitch], ...] = (
    _storage_problem(),
)
OTHER_DEVICE_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[GenericDevice], ...] = (
    _storage_problem(),
)
ESS_HUB_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[EssHub], ...] = (
    _storage_problem(),
    PVSBinarySensorEntityDescription[EssHub](
        key="fan",
        translation_key="fan",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda hub, _data: hub.fan_active,
    ),
)
PV_DISCONNECT_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[PVDisconnect], ...] = (
    _storage_problem(),
    PVSBinarySensorEntityDescription[PVDisconnect](
        key="relay1_closed",
        translation_key="relay1_closed",
        is_on_fn=lambda box, _data: box.relay1_closed,
    ),
    PVSBinarySensorEntityDescription[PVDisconnect](
        key="relay2_closed",
        translation_key="relay2_closed",
        is_on_fn=lambda box, _data: box.relay2_closed,
    ),
    PVSBinarySensorEntityDescription[PVDisconnect](
        key="relay_error",
        translation_key="relay_error",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda box, _data: (
            None
            if box.relay1_error is None and box.relay2_error is None
            else bool(box.relay1_error or box.relay2_error)
        ),
    ),
)
