"""Sensors: one description per quantity the PVS reports, created from what the data holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfApparentPower,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfFrequency,
    UnitOfInformation,
    UnitOfPower,
    UnitOfReactivePower,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .coordinator import PVSConfigEntry, PVSCoordinator
from .energy import BATTERY_MAX_KW, max_power_kw
from .energy_sensor import site_energy_sensors
from .energy_track import Track
from .entity import (
    BATTERIES,
    ESS_HUBS,
    INVERTERS,
    METERS,
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
from .health_sensor import HEALTH_SENSORS, PVSHealthSensor
from .pvs import (
    Battery,
    Device,
    EnergyStorage,
    EssHub,
    Inverter,
    Meter,
    PVDisconnect,
    PVSData,
    StorageInverter,
    Supervisor,
    TransferSwitch,
)
from .site_sensor import site_sensors

# Home Assistant learnt kvar and kVA in 2025.x; on older releases report the same quantity in
# var / VA rather than mislabel kilo-units (the mistake other integrations make).
if hasattr(UnitOfReactivePower, "KILO_VOLT_AMPERE_REACTIVE"):
    KVAR_UNIT, KVAR_SCALE = str(UnitOfReactivePower.KILO_VOLT_AMPERE_REACTIVE), 1.0
else:
    KVAR_UNIT, KVAR_SCALE = str(UnitOfReactivePower.VOLT_AMPERE_REACTIVE), 1000.0
if hasattr(UnitOfApparentPower, "KILO_VOLT_AMPERE"):
    KVA_UNIT, KVA_SCALE = str(UnitOfApparentPower.KILO_VOLT_AMPERE), 1.0
else:
    KVA_UNIT, KVA_SCALE = str(UnitOfApparentPower.VOLT_AMPERE), 1000.0

# A reboot moves the boot time by hours; the uptime counter's own sampling makes it drift by
# seconds to minutes between polls, which must not rewrite the state.
BOOT_TIME_TOLERANCE = timedelta(minutes=5)


# Entities only read the coordinator's data; the client serialises requests to the PVS.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PVSSensorEntityDescription[T](SensorEntityDescription):
    """A sensor of a device kind; created once its value has been seen (or always)."""

    value_fn: Callable[[T], StateType | datetime]
    always: bool = False
    # a timestamp that moves by less than this keeps its previous state
    jitter_tolerance: timedelta | None = None


def boot_time(data: PVSData) -> datetime | None:
    """When the PVS last started: its uptime counted back from when the PVS sampled it."""
    supervisor = data.supervisor
    if supervisor.uptime_s is None:
        return None
    sampled = supervisor.last_report or (data.live and data.live.time) or dt_util.utcnow()
    return sampled - timedelta(seconds=supervisor.uptime_s)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def _power[T](
    key: str, fn: Callable[[T], float | None], **kw: Any
) -> PVSSensorEntityDescription[T]:
    return PVSSensorEntityDescription[T](
        key=key,
        translation_key=kw.pop("translation_key", key),
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        value_fn=fn,
        **kw,
    )


def _energy[T](
    key: str,
    fn: Callable[[T], float | None],
    *,
    state_class: SensorStateClass = SensorStateClass.TOTAL_INCREASING,
    **kw: Any,
) -> PVSSensorEntityDescription[T]:
    return PVSSensorEntityDescription[T](
        key=key,
        translation_key=kw.pop("translation_key", key),
        device_class=SensorDeviceClass.ENERGY,
        state_class=state_class,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=fn,
        **kw,
    )


def _simple[T](
    key: str,
    fn: Callable[[T], StateType | datetime],
    device_class: SensorDeviceClass | None,
    unit: str | None,
    precision: int | None,
    **kw: Any,
) -> PVSSensorEntityDescription[T]:
    state_class = kw.pop("state_class", SensorStateClass.MEASUREMENT if unit else None)
    return PVSSensorEntityDescription[T](
        key=key,
        translation_key=kw.pop("translation_key", key),
        device_class=device_class,
        state_class=state_class,
        native_unit_of_measurement=unit,
        suggested_display_precision=precision,
        value_fn=fn,
        **kw,
    )


def _voltage[T](
    key: str, fn: Callable[[T], float | None], **kw: Any
) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, SensorDeviceClass.VOLTAGE, UnitOfElectricPotential.VOLT, 1, **kw)


def _current[T](
    key: str, fn: Callable[[T], float | None], **kw: Any
) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, SensorDeviceClass.CURRENT, UnitOfElectricCurrent.AMPERE, 2, **kw)


def _temperature[T](
    key: str, fn: Callable[[T], float | None], **kw: Any
) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, SensorDeviceClass.TEMPERATURE, UnitOfTemperature.CELSIUS, 1, **kw)


def _frequency[T](
    key: str, fn: Callable[[T], float | None], **kw: Any
) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, SensorDeviceClass.FREQUENCY, UnitOfFrequency.HERTZ, 2, **kw)


def _percent[T](
    key: str,
    fn: Callable[[T], float | None],
    device_class: SensorDeviceClass | None = None,
    **kw: Any,
) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, device_class, PERCENTAGE, 0, **kw)


def _text[T](key: str, fn: Callable[[T], str | None], **kw: Any) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, None, None, None, **kw)


def _timestamp[T](
    key: str, fn: Callable[[T], datetime | None], **kw: Any
) -> PVSSensorEntityDescription[T]:
    return _simple(key, fn, SensorDeviceClass.TIMESTAMP, None, None, **kw)


def _count[T](key: str, fn: Callable[[T], int | None], **kw: Any) -> PVSSensorEntityDescription[T]:
    kw.setdefault("state_class", SensorStateClass.MEASUREMENT)
    return _simple(key, fn, None, None, None, **kw)


DIAG = EntityCategory.DIAGNOSTIC

SUPERVISOR_SENSORS: tuple[PVSSensorEntityDescription[Supervisor], ...] = (
    _text("firmware", lambda d: d.sw_version, entity_category=DIAG),
    _simple("cpu_load", lambda d: d.cpu_load, None, None, 2, entity_category=DIAG),
    _simple(
        "memory_used",
        lambda d: d.memory_used_kib,
        SensorDeviceClass.DATA_SIZE,
        UnitOfInformation.KIBIBYTES,
        0,
        entity_category=DIAG,
        entity_registry_enabled_default=False,
    ),
    _simple(
        "flash_available",
        lambda d: d.flash_available_kib,
        SensorDeviceClass.DATA_SIZE,
        UnitOfInformation.KIBIBYTES,
        0,
        entity_category=DIAG,
    ),
    _count("untransmitted_records", lambda d: d.untransmitted_records, entity_category=DIAG),
    _count(
        "communication_errors",
        lambda d: d.communication_errors,
        entity_category=DIAG,
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    _count(
        "error_count",
        lambda d: d.error_count,
        entity_category=DIAG,
        entity_registry_enabled_default=False,
    ),
    _count(
        "skipped_scans",
        lambda d: d.skipped_scans,
        entity_category=DIAG,
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
    ),
    _simple(
        "scan_time",
        lambda d: d.scan_time_s,
        SensorDeviceClass.DURATION,
        UnitOfTime.SECONDS,
        0,
        entity_category=DIAG,
        entity_registry_enabled_default=False,
    ),
    _percent("cpu_usage", lambda d: d.cpu_usage_pct, entity_category=DIAG),
    _percent("ram_usage", lambda d: d.ram_usage_pct, entity_category=DIAG),
    _percent("flash_usage", lambda d: d.flash_usage_pct, entity_category=DIAG),
    _percent("flash_wear", lambda d: d.flash_wear_pct, entity_category=DIAG),
)

SITE_SENSORS: tuple[PVSSensorEntityDescription[PVSData], ...] = (
    _timestamp("last_boot", boot_time, entity_category=DIAG, jitter_tolerance=BOOT_TIME_TOLERANCE),
    _text(
        "active_interface",
        lambda d: d.network.active_interface if d.network else None,
        entity_category=DIAG,
    ),
    _simple(
        "wifi_signal",
        lambda d: (
            next((i.signal_dbm for i in d.network.interfaces if i.name == "sta0"), None)
            if d.network
            else None
        ),
        SensorDeviceClass.SIGNAL_STRENGTH,
        SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        0,
        entity_category=DIAG,
    ),
    _text(
        "cellular_state",
        lambda d: (
            next((i.state for i in d.network.interfaces if i.name == "cell"), None)
            if d.network
            else None
        ),
        entity_category=DIAG,
        entity_registry_enabled_default=False,
    ),
    _text(
        "grid_profile",
        lambda d: d.grid_profile.active_name if d.grid_profile else None,
        entity_category=DIAG,
    ),
)

METER_SENSORS: tuple[PVSSensorEntityDescription[Meter], ...] = (
    _power("power", lambda d: d.power_kw, always=True),
    _energy(
        "net_energy", lambda d: d.net_energy_kwh, state_class=SensorStateClass.TOTAL, always=True
    ),
    _energy("positive_energy", lambda d: d.positive_energy_kwh),
    _energy("negative_energy", lambda d: d.negative_energy_kwh),
    _simple(
        "reactive_power",
        lambda d: _scaled(d.reactive_power_kvar, KVAR_SCALE),
        SensorDeviceClass.REACTIVE_POWER,
        KVAR_UNIT,
        3,
        entity_registry_enabled_default=False,
    ),
    _simple(
        "apparent_power",
        lambda d: _scaled(d.apparent_power_kva, KVA_SCALE),
        SensorDeviceClass.APPARENT_POWER,
        KVA_UNIT,
        3,
        entity_registry_enabled_default=False,
    ),
    _simple(
        "power_factor",
        lambda d: d.power_factor,
        SensorDeviceClass.POWER_FACTOR,
        None,
        2,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
    ),
    _frequency("frequency", lambda d: d.frequency_hz),
    _voltage("voltage", lambda d: d.voltage_v),
    _voltage("voltage_l1", lambda d: d.voltage_l1_v, entity_registry_enabled_default=False),
    _voltage("voltage_l2", lambda d: d.voltage_l2_v, entity_registry_enabled_default=False),
    _current("current", lambda d: d.current_a),
    _current("current_l1", lambda d: d.current_l1_a, entity_registry_enabled_default=False),
    _current("current_l2", lambda d: d.current_l2_a, entity_registry_enabled_default=False),
    _power("power_l1", lambda d: d.power_l1_kw, entity_registry_enabled_default=False),
    _power("power_l2", lambda d: d.power_l2_kw, entity_registry_enabled_default=False),
    _simple(
        "ct_rating",
        lambda d: d.ct_rating_a,
        SensorDeviceClass.CURRENT,
        UnitOfElectricCurrent.AMPERE,
        0,
        state_class=None,
        entity_category=DIAG,
    ),
    _text("subtype", lambda d: d.subtype, entity_category=DIAG),
)

INVERTER_SENSORS: tuple[PVSSensorEntityDescription[Inverter], ...] = (
    _power("power", lambda d: d.power_kw, always=True),
    _energy("lifetime_energy", lambda d: d.lifetime_energy_kwh, always=True),
    _voltage("voltage", lambda d: d.voltage_v, entity_registry_enabled_default=False),
    _current("current", lambda d: d.current_a, entity_registry_enabled_default=False),
    _frequency("frequency", lambda d: d.frequency_hz, entity_registry_enabled_default=False),
    _power("dc_power", lambda d: d.dc_power_kw),
    _voltage("dc_voltage", lambda d: d.dc_voltage_v, entity_registry_enabled_default=False),
    _current("dc_current", lambda d: d.dc_current_a, entity_registry_enabled_default=False),
    _temperature("heatsink_temperature", lambda d: d.heatsink_temperature_c),
    _timestamp("last_report", lambda d: d.last_report, entity_category=DIAG),
    _text("state", lambda d: d.state, entity_category=DIAG),
)

STORAGE_SENSORS: tuple[PVSSensorEntityDescription[EnergyStorage], ...] = (
    _percent("state_of_charge", lambda d: d.state_of_charge_pct, SensorDeviceClass.BATTERY),
    _percent(
        "customer_state_of_charge",
        lambda d: d.customer_state_of_charge_pct,
        SensorDeviceClass.BATTERY,
    ),
    _percent("state_of_health", lambda d: d.state_of_health_pct),
    _power("battery_power", lambda d: d.power_kw),
    _energy("charged_energy", lambda d: d.charged_energy_kwh),
    _energy("discharged_energy", lambda d: d.discharged_energy_kwh),
    _voltage("voltage_l1", lambda d: d.voltage_l1_v, entity_registry_enabled_default=False),
    _voltage("voltage_l2", lambda d: d.voltage_l2_v, entity_registry_enabled_default=False),
    _voltage("battery_voltage", lambda d: d.battery_voltage_v),
    _temperature(
        "inverter_temperature",
        lambda d: d.inverter_temperature_c,
        entity_registry_enabled_default=False,
    ),
    _power("charge_limit", lambda d: d.charge_limit_kw, entity_category=DIAG),
    _power("discharge_limit", lambda d: d.discharge_limit_kw, entity_category=DIAG),
    _temperature(
        "max_cell_temperature",
        lambda d: d.max_cell_temperature_c,
        entity_registry_enabled_default=False,
    ),
    _temperature(
        "min_cell_temperature",
        lambda d: d.min_cell_temperature_c,
        entity_registry_enabled_default=False,
    ),
    _voltage(
        "max_cell_voltage", lambda d: d.max_cell_voltage_v, entity_registry_enabled_default=False
    ),
    _voltage(
        "min_cell_voltage", lambda d: d.min_cell_voltage_v, entity_registry_enabled_default=False
    ),
    _text("operating_mode", lambda d: d.operating_mode),
    _temperature("enclosure_temperature", lambda d: d.enclosure_temperature_c),
    _percent("enclosure_humidity", lambda d: d.enclosure_humidity_pct, SensorDeviceClass.HUMIDITY),
)

BATTERY_SENSORS: tuple[PVSSensorEntityDescription[Battery], ...] = (
    _percent("state_of_charge", lambda d: d.state_of_charge_pct, SensorDeviceClass.BATTERY),
    _percent(
        "customer_state_of_charge",
        lambda d: d.customer_state_of_charge_pct,
        SensorDeviceClass.BATTERY,
    ),
    _voltage("voltage", lambda d: d.voltage_v),
    _current("current", lambda d: d.current_a),
    _temperature("temperature", lambda d: d.temperature_c),
)

STORAGE_INVERTER_SENSORS: tuple[PVSSensorEntityDescription[StorageInverter], ...] = (
    _power("power", lambda d: d.power_kw),
    _current("current", lambda d: d.current_a),
    _voltage("voltage_l1", lambda d: d.voltage_l1_v),
    _voltage("voltage_l2", lambda d: d.voltage_l2_v),
    _current("current_l1", lambda d: d.current_l1_a, entity_registry_enabled_default=False),
    _current("current_l2", lambda d: d.current_l2_a, entity_registry_enabled_default=False),
    _temperature("temperature", lambda d: d.temperature_c),
)

TRANSFER_SWITCH_SENSORS: tuple[PVSSensorEntityDescription[TransferSwitch], ...] = (
    _text("contactor_state", lambda d: d.contactor_state),
    _text("pv_disconnect_state", lambda d: d.pv_disconnect_state),
    _voltage("grid_voltage_l1", lambda d: d.grid_voltage_l1_v),
    _voltage("grid_voltage_l2", lambda d: d.grid_voltage_l2_v),
    _voltage("load_voltage_l1", lambda d: d.load_voltage_l1_v),
    _voltage("load_voltage_l2", lambda d: d.load_voltage_l2_v),
    _voltage("supply_voltage", lambda d: d.supply_voltage_v, entity_category=DIAG),
    _temperature("temperature", lambda d: d.temperature_c),
    _percent("humidity", lambda d: d.humidity_pct, SensorDeviceClass.HUMIDITY),
)

ESS_HUB_SENSORS: tuple[PVSSensorEntityDescription[EssHub], ...] = (
    _temperature("temperature", lambda d: d.temperature_c),
    _percent("humidity", lambda d: d.humidity_pct, SensorDeviceClass.HUMIDITY),
    _voltage("dcdc_supply_voltage", lambda d: d.dcdc_supply_voltage_v, entity_category=DIAG),
    _voltage("supply_voltage", lambda d: d.supply_voltage_v, entity_category=DIAG),
    _voltage("gateway_voltage", lambda d: d.gateway_voltage_v, entity_category=DIAG),
)

PV_DISCONNECT_SENSORS: tuple[PVSSensorEntityDescription[PVDisconnect], ...] = (
    _text("relay_mode", lambda d: d.relay_mode, entity_category=DIAG),
    _voltage("grid_voltage_l1", lambda d: d.grid_voltage_l1_v),
    _voltage("grid_voltage_l2", lambda d: d.grid_voltage_l2_v),
    _voltage("pv_voltage_l1", lambda d: d.pv_voltage_l1_v),
    _voltage("pv_voltage_l2", lambda d: d.pv_voltage_l2_v),
)

SENSOR_FAMILIES: tuple[tuple[Source[Any], tuple[PVSSensorEntityDescription[Any], ...]], ...] = (
    (SUPERVISOR, SUPERVISOR_SENSORS),
    (SITE, SITE_SENSORS),
    (METERS, METER_SENSORS),
    (INVERTERS, INVERTER_SENSORS),
    (STORAGE, STORAGE_SENSORS),
    (BATTERIES, BATTERY_SENSORS),
    (STORAGE_INVERTERS, STORAGE_INVERTER_SENSORS),
    (TRANSFER_SWITCHES, TRANSFER_SWITCH_SENSORS),
    (ESS_HUBS, ESS_HUB_SENSORS),
    (PV_DISCONNECTS, PV_DISCONNECT_SENSORS),
)


async def async_setup_entry(
    hass: HomeAssistant, entry: PVSConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add sensors for what the PVS reports now, and for devices and values that appear later."""
    coordinator = entry.runtime_data
    add_entities_as_data_appears(
        coordinator,
        SENSOR_FAMILIES,
        lambda description, value, _data: (
            description.always or description.value_fn(value) is not None
        ),
        lambda source, device, description: (
            PVSCounterSensor
            if description.state_class is SensorStateClass.TOTAL_INCREASING
            else PVSSensor
        )(coordinator, source, device, description),
        async_add_entities,
    )
    async_add_entities(PVSHealthSensor(coordinator, description) for description in HEALTH_SENSORS)
    async_add_entities(site_sensors(coordinator, coordinator.live_feed))
    async_add_entities(site_energy_sensors(coordinator))


class PVSSensor[T](PVSEntity[T, StateType | datetime], SensorEntity):
    """A sensor reading one value of one device."""

    entity_description: PVSSensorEntityDescription[T]

    @property
    def native_value(self) -> StateType | datetime:
        """The value of the latest poll; None (unknown) when the PVS did not send it."""
        return self._value

    def _compute_value(self) -> StateType | datetime:
        source = self.source_value
        if source is None:
            return None
        value = self.entity_description.value_fn(source)
        tolerance = self.entity_description.jitter_tolerance
        previous = self._value
        if (
            tolerance is not None
            and isinstance(value, datetime)
            and isinstance(previous, datetime)
            and abs(value - previous) <= tolerance
        ):
            return previous
        return value


class PVSCounterSensor[T](PVSSensor[T], RestoreSensor):
    """A lifetime counter, restored across restarts.

    It shows the device's register as accepted by the rules of ``energy_track`` (a drop, a
    sag or a one-poll jump is never shown: the recorder would read a drop as a new meter and
    the next reading as a spike). A confirmed jump (a replaced meter counting higher) is
    shown as it is; the site energy sensors count only growth and absorb it.
    """

    def __init__(
        self,
        coordinator: PVSCoordinator,
        source: Source[T],
        device: Device,
        description: PVSSensorEntityDescription[T],
    ) -> None:
        """Guard the counter from its first reading on."""
        self._track = Track()  # before the base class reads the first value
        super().__init__(coordinator, source, device, description)

    def _device(self) -> Device | None:
        value = self.source_value
        return value if isinstance(value, Device) else None

    def _compute_value(self) -> StateType | datetime:
        reading = super()._compute_value()
        device = self._device()
        data = self.coordinator.data
        stamp = (device.last_report if device else None) or data.device_time
        when = stamp.timestamp() if stamp else dt_util.utcnow().timestamp()
        if not isinstance(reading, int | float):
            return None
        self._track.step(reading, when, max_power_kw(device, data) if device else BATTERY_MAX_KW)
        return self._track.base

    async def async_added_to_hass(self) -> None:
        """Continue from the value shown before the restart if the PVS now reads lower."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is None or not isinstance(last.native_value, int | float | Decimal):
            return
        self._track.restore(float(last.native_value))
        if self._value is not None:
            self._value = self._track.base
