"""Typed model of one poll of a PVS, the same for both firmware generations.

Units are fixed per field name suffix: ``_kw`` kW, ``_kwh`` kWh, ``_kvar`` kvar, ``_kva`` kVA,
``_v`` V, ``_a`` A, ``_hz`` Hz, ``_c`` degrees Celsius, ``_pct`` percent (0-100, converted from
the PVS's fractions where needed), ``_s`` seconds, ``_kib`` KiB. Timestamps are timezone-aware
UTC. A value the PVS did not send is ``None``, never 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Generation(StrEnum):
    """Firmware generation, which decides the transport."""

    LEGACY = "legacy"
    LOCALAPI = "localapi"


class MeterKind(StrEnum):
    """What a power meter measures, from its model name's last letter (p / c)."""

    PRODUCTION = "production"
    CONSUMPTION = "consumption"


def model_family(model: str | None) -> str:
    """PVS6 or PVS5 from a supervisor's model name ("PVS" when it names neither)."""
    upper = (model or "").upper()
    return next((family for family in ("PVS6", "PVS5") if family in upper), "PVS")


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """What a unit can do, from its firmware generation and model family.

    Legacy firmware reports per-device state, firmware versions, the ``dl_*`` counters and
    the network view; LocalAPI firmware has none of these but live site data, writable
    SunVault settings and (PVS6 only) the telemetry stream and the flash wear estimate.
    """

    device_state: bool = False
    network_view: bool = False
    live_data: bool = False
    telemetry_stream: bool = False
    flash_wear: bool = False
    ess_control: bool = False


def capabilities_of(generation: Generation, model: str | None) -> Capabilities:
    """The capabilities of a unit of ``generation`` whose model name is ``model``."""
    if generation is Generation.LEGACY:
        return Capabilities(device_state=True, network_view=True)
    pvs6 = model_family(model) == "PVS6"
    return Capabilities(live_data=True, telemetry_stream=pvs6, flash_wear=pvs6, ess_control=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitInfo:
    """Identity of the PVS at a host, as detected (and completed by its first poll)."""

    generation: Generation
    serial: str
    model: str | None = None
    build: int | None = None
    sw_version: str | None = None

    @property
    def family(self) -> str:
        """PVS6 or PVS5 (or PVS while the model is not known)."""
        return model_family(self.model)

    @property
    def capabilities(self) -> Capabilities:
        """What this unit can do."""
        return capabilities_of(self.generation, self.model)


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """Fields every device record has; subclasses add the measurements of their kind."""

    serial: str
    device_type: str
    model: str | None = None
    description: str | None = None
    hw_version: str | None = None
    sw_version: str | None = None
    state: str | None = None
    last_report: datetime | None = None
    parent: str | None = None
    # True when the library made the serial up (none sent, or one sent twice): it then
    # identifies the device only within this PVS, by its place in the list.
    serial_assigned: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Supervisor(Device):
    """The PVS itself."""

    build: int | None = None
    uptime_s: float | None = None
    cpu_load: float | None = None
    memory_used_kib: float | None = None
    flash_available_kib: float | None = None
    untransmitted_records: int | None = None
    error_count: int | None = None
    communication_errors: int | None = None
    skipped_scans: int | None = None
    scan_time_s: float | None = None
    cpu_usage_pct: float | None = None
    ram_usage_pct: float | None = None
    flash_usage_pct: float | None = None
    flash_wear_pct: float | None = None
    system_type: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Meter(Device):
    """A production or consumption CT meter."""

    kind: MeterKind
    subtype: str | None = None
    ct_rating_a: float | None = None
    power_kw: float | None = None
    reactive_power_kvar: float | None = None
    apparent_power_kva: float | None = None
    power_factor: float | None = None
    frequency_hz: float | None = None
    net_energy_kwh: float | None = None
    positive_energy_kwh: float | None = None
    negative_energy_kwh: float | None = None
    voltage_v: float | None = None
    voltage_l1_v: float | None = None
    voltage_l2_v: float | None = None
    current_a: float | None = None
    current_l1_a: float | None = None
    current_l2_a: float | None = None
    power_l1_kw: float | None = None
    power_l2_kw: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Inverter(Device):
    """A microinverter on one panel."""

    panel: str | None = None
    power_kw: float | None = None
    lifetime_energy_kwh: float | None = None
    voltage_v: float | None = None
    current_a: float | None = None
    frequency_hz: float | None = None
    dc_power_kw: float | None = None
    dc_voltage_v: float | None = None
    dc_current_a: float | None = None
    heatsink_temperature_c: float | None = None
    status_indicator: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EnergyStorage(Device):
    """The SunVault energy storage system (EQUINOX-ESS, LocalAPI ``ess``)."""

    operating_mode: str | None = None
    state_of_charge_pct: float | None = None
    customer_state_of_charge_pct: float | None = None
    state_of_health_pct: float | None = None
    power_kw: float | None = None
    charged_energy_kwh: float | None = None
    discharged_energy_kwh: float | None = None
    voltage_l1_v: float | None = None
    voltage_l2_v: float | None = None
    battery_voltage_v: float | None = None
    inverter_temperature_c: float | None = None
    charge_limit_kw: float | None = None
    discharge_limit_kw: float | None = None
    max_cell_temperature_c: float | None = None
    min_cell_temperature_c: float | None = None
    max_cell_voltage_v: float | None = None
    min_cell_voltage_v: float | None = None
    enclosure_temperature_c: float | None = None
    enclosure_humidity_pct: float | None = None
    current_l1_a: float | None = None
    current_l2_a: float | None = None
    power_l1_kw: float | None = None
    power_l2_kw: float | None = None
    permission_to_operate: bool | None = None
    controller_status: str | None = None
    # The owner's settings (LocalAPI): the chosen operating mode and the backup reserve.
    control_mode: str | None = None
    backup_reserve_pct: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Battery(Device):
    """One battery module (ESS status ``battery_status``)."""

    state_of_charge_pct: float | None = None
    customer_state_of_charge_pct: float | None = None
    voltage_v: float | None = None
    current_a: float | None = None
    temperature_c: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StorageInverter(Device):
    """The SunVault inverter (SCHNEIDER-XWPRO; ESS status ``inverter_status``)."""

    power_kw: float | None = None
    current_a: float | None = None
    voltage_l1_v: float | None = None
    voltage_l2_v: float | None = None
    current_l1_a: float | None = None
    current_l2_a: float | None = None
    temperature_c: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferSwitch(Device):
    """The Hub+ / MIDC: legacy ``HUB+``, ESS ``hub_plus_status``, LocalAPI ``transfer_switch``."""

    contactor_state: str | None = None
    pv_disconnect_state: str | None = None
    grid_voltage_l1_v: float | None = None
    grid_voltage_l2_v: float | None = None
    load_voltage_l1_v: float | None = None
    load_voltage_l2_v: float | None = None
    supply_voltage_v: float | None = None
    aux_voltage_v: float | None = None
    temperature_c: float | None = None
    humidity_pct: float | None = None
    contactor_error: str | None = None
    grid_voltage_state: str | None = None
    grid_frequency_state: str | None = None
    load_voltage_state: str | None = None
    load_frequency_state: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EssHub(Device):
    """The ESS Hub (EQUINOX-MIO)."""

    temperature_c: float | None = None
    humidity_pct: float | None = None
    dcdc_supply_voltage_v: float | None = None
    supply_voltage_v: float | None = None
    gateway_voltage_v: float | None = None
    fan_active: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PVDisconnect(Device):
    """The PV Disconnect relay box."""

    relay_mode: str | None = None
    relay1_closed: bool | None = None
    relay2_closed: bool | None = None
    relay1_error: bool | None = None
    relay2_error: bool | None = None
    grid_voltage_l1_v: float | None = None
    grid_voltage_l2_v: float | None = None
    pv_voltage_l1_v: float | None = None
    pv_voltage_l2_v: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GenericDevice(Device):
    """A device of a kind this library does not model (Gateway, ESS BMS, unknown types)."""

    raw: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkInterface:
    """One network interface from Get_Comm."""

    name: str
    internet: bool | None = None
    cloud_reachable: bool | None = None
    state: str | None = None
    signal_dbm: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkStatus:
    """Get_Comm's view of the network: which interface is used and whether the cloud is reached."""

    active_interface: str | None = None
    internet: bool | None = None
    cloud_reachable: bool | None = None
    interfaces: tuple[NetworkInterface, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class GridProfile:
    """The active and pending grid profile."""

    active_name: str | None = None
    active_id: str | None = None
    pending_name: str | None = None
    pending_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveData:
    """Near real-time site totals (LocalAPI ``/sys/livedata``).

    Grid power is + import / - export; battery power is + discharge / - charge, as the PVS sends.
    """

    time: datetime | None = None
    production_power_kw: float | None = None
    production_energy_kwh: float | None = None
    grid_power_kw: float | None = None
    grid_energy_kwh: float | None = None
    consumption_power_kw: float | None = None
    consumption_energy_kwh: float | None = None
    battery_power_kw: float | None = None
    battery_energy_kwh: float | None = None
    state_of_charge_pct: float | None = None
    backup_time_remaining_min: float | None = None
    midstate: str | None = None


# (weakly referable: what is worked out once per poll can be kept without keeping the poll)
@dataclass(frozen=True, slots=True, kw_only=True, weakref_slot=True)
class PVSData:
    """Everything one poll learned. Device maps are keyed by serial."""

    generation: Generation
    supervisor: Supervisor
    meters: Mapping[str, Meter] = field(default_factory=dict)
    inverters: Mapping[str, Inverter] = field(default_factory=dict)
    storage: Mapping[str, EnergyStorage] = field(default_factory=dict)
    batteries: Mapping[str, Battery] = field(default_factory=dict)
    storage_inverters: Mapping[str, StorageInverter] = field(default_factory=dict)
    transfer_switches: Mapping[str, TransferSwitch] = field(default_factory=dict)
    ess_hubs: Mapping[str, EssHub] = field(default_factory=dict)
    pv_disconnects: Mapping[str, PVDisconnect] = field(default_factory=dict)
    other_devices: Mapping[str, GenericDevice] = field(default_factory=dict)
    network: NetworkStatus | None = None
    grid_profile: GridProfile | None = None
    live: LiveData | None = None
    firmware_update_url: str | None = None
    # The PVS's own clock when it answered (DeviceList CURTIME, livedata time): the reference
    # for device timestamps, free of any skew between the PVS and Home Assistant.
    device_time: datetime | None = None

    def devices(self) -> Iterator[Device]:
        """Every device of the poll, the supervisor first."""
        yield self.supervisor
        for group in (
            self.meters,
            self.inverters,
            self.storage,
            self.batteries,
            self.storage_inverters,
            self.transfer_switches,
            self.ess_hubs,
            self.pv_disconnects,
            self.other_devices,
        ):
            yield from group.values()

    def meter(self, kind: MeterKind) -> Meter | None:
        """The site's production or consumption meter, if it has one."""
        return next((meter for meter in self.meters.values() if meter.kind is kind), None)
