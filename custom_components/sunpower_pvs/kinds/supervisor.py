"""The PVS itself: its own record, its view of the network and the grid, and how polling goes."""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfInformation,
    UnitOfTime,
)
from homeassistant.util import dt as dt_util

from ..coordinator import PollCoordinator
from ..descriptions import PVSBinarySensorEntityDescription, PVSSensorEntityDescription, always
from ..entity import Family
from ..problems import device_problem
from ..pvs import Generation, PVSData, Supervisor

# A reboot moves the boot time by hours; the uptime counter's own sampling makes it drift by
# seconds to minutes between polls, which must not rewrite the state.
BOOT_TIME_TOLERANCE = timedelta(minutes=5)

SUPERVISOR: Family[Supervisor] = Family(
    coordinator=lambda runtime: runtime.poll,
    members=lambda data: (data.supervisor,),
    read=lambda runtime, serial: (
        runtime.poll.data.supervisor if runtime.poll.data.supervisor.serial == serial else None
    ),
)
# What the PVS reports about the site as a whole (its network, the grid profile), on its device.
PVS_STATUS: Family[PVSData] = Family(
    coordinator=lambda runtime: runtime.poll,
    members=lambda data: (data.supervisor,),
    read=lambda runtime, serial: (
        runtime.poll.data if runtime.poll.data.supervisor.serial == serial else None
    ),
)
# How polling goes: available even while the PVS is not, which is when it matters.
POLLING: Family[PollCoordinator] = Family(
    coordinator=lambda runtime: runtime.poll,
    members=lambda data: (data.supervisor,),
    read=lambda runtime, _serial: runtime.poll,
    always_available=True,
)


def boot_time(data: PVSData) -> datetime | None:
    """When the PVS last started: its uptime counted back from when the PVS sampled it."""
    supervisor = data.supervisor
    if supervisor.uptime_s is None:
        return None
    sampled = supervisor.last_report or (data.live and data.live.time) or dt_util.utcnow()
    return sampled - timedelta(seconds=supervisor.uptime_s)


SUPERVISOR_SENSORS: tuple[PVSSensorEntityDescription[Supervisor], ...] = (
    PVSSensorEntityDescription[Supervisor](
        key="firmware",
        translation_key="firmware",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.sw_version,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="cpu_load",
        translation_key="cpu_load",
        suggested_display_precision=2,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.cpu_load,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="memory_used",
        translation_key="memory_used",
        device_class=SensorDeviceClass.DATA_SIZE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfInformation.KIBIBYTES,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.memory_used_kib,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="flash_available",
        translation_key="flash_available",
        device_class=SensorDeviceClass.DATA_SIZE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfInformation.KIBIBYTES,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.flash_available_kib,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="untransmitted_records",
        translation_key="untransmitted_records",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.untransmitted_records,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="communication_errors",
        translation_key="communication_errors",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.communication_errors,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="error_count",
        translation_key="error_count",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.error_count,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="skipped_scans",
        translation_key="skipped_scans",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.skipped_scans,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="scan_time",
        translation_key="scan_time",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: d.scan_time_s,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="cpu_usage",
        translation_key="cpu_usage",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.cpu_usage_pct,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="ram_usage",
        translation_key="ram_usage",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.ram_usage_pct,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="flash_usage",
        translation_key="flash_usage",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.flash_usage_pct,
    ),
    PVSSensorEntityDescription[Supervisor](
        key="flash_wear",
        translation_key="flash_wear",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.flash_wear_pct,
    ),
)

PVS_STATUS_SENSORS: tuple[PVSSensorEntityDescription[PVSData], ...] = (
    PVSSensorEntityDescription[PVSData](
        key="last_boot",
        translation_key="last_boot",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=boot_time,
        pvs_clock=True,
        jitter_tolerance=BOOT_TIME_TOLERANCE,
    ),
    PVSSensorEntityDescription[PVSData](
        key="active_interface",
        translation_key="active_interface",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.network.active_interface if d.network else None,
    ),
    PVSSensorEntityDescription[PVSData](
        key="wifi_signal",
        translation_key="wifi_signal",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: (
            next((i.signal_dbm for i in d.network.interfaces if i.name == "sta0"), None)
            if d.network
            else None
        ),
    ),
    PVSSensorEntityDescription[PVSData](
        key="cellular_state",
        translation_key="cellular_state",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: (
            next((i.state for i in d.network.interfaces if i.name == "cell"), None)
            if d.network
            else None
        ),
    ),
    PVSSensorEntityDescription[PVSData](
        key="grid_profile",
        translation_key="grid_profile",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.grid_profile.active_name if d.grid_profile else None,
    ),
)

POLLING_SENSORS: tuple[PVSSensorEntityDescription[PollCoordinator], ...] = (
    PVSSensorEntityDescription[PollCoordinator](
        key="last_poll",
        translation_key="last_poll",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda poll: poll.health.last_success,
        exists_fn=always,
    ),
    PVSSensorEntityDescription[PollCoordinator](
        key="poll_duration",
        translation_key="poll_duration",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda poll: poll.health.last_duration_s,
        exists_fn=always,
    ),
    PVSSensorEntityDescription[PollCoordinator](
        key="pvs_clock_offset",
        translation_key="pvs_clock_offset",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda poll: poll.health.clock_offset_s,
    ),
    PVSSensorEntityDescription[PollCoordinator](
        key="poll_failures",
        translation_key="poll_failures",
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda poll: poll.health.consecutive_failures,
        exists_fn=always,
    ),
    PVSSensorEntityDescription[PollCoordinator](
        key="firmware_generation",
        translation_key="firmware_generation",
        device_class=SensorDeviceClass.ENUM,
        options=[generation.value for generation in Generation],
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda poll: poll.generation.value if poll.generation else None,
        exists_fn=always,
    ),
)

SUPERVISOR_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[Supervisor], ...] = (
    PVSBinarySensorEntityDescription[Supervisor](
        key="problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=device_problem,
    ),
)
PVS_STATUS_BINARY_SENSORS: tuple[PVSBinarySensorEntityDescription[PVSData], ...] = (
    PVSBinarySensorEntityDescription[PVSData](
        key="cloud_connection",
        translation_key="cloud_connection",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda data, _data: data.network.cloud_reachable if data.network else None,
    ),
)
