"""Legacy ``DeviceList`` records to typed devices.

Upper-case keys are attributes, lower-case keys measurements; nearly every value is a string.
The device's kind comes from ``DEVICE_TYPE`` (with ``TYPE`` as a fallback for meters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .errors import PVSProtocolError
from .models import (
    Battery,
    Device,
    EnergyStorage,
    EssHub,
    GenericDevice,
    Inverter,
    Meter,
    MeterKind,
    PVDisconnect,
    StorageInverter,
    Supervisor,
    TransferSwitch,
)
from .reuse import DeviceReuse
from .values import (
    build_number,
    dl_time,
    first_number,
    flag,
    integer,
    number,
    supervisor_model,
    text,
)

Record = Mapping[str, Any]


def device_list_records(body: Any) -> list[Record]:
    """The device records of a DeviceList body; ``null`` and non-object entries are dropped."""
    if not isinstance(body, Mapping) or not isinstance(body.get("devices"), list):
        raise PVSProtocolError("DeviceList answer has no 'devices' list")
    result = body.get("result")
    if result is not None and result != "succeed":
        raise PVSProtocolError(f"DeviceList answered result={text(result)!r}")
    return [record for record in body["devices"] if isinstance(record, Mapping)]


def device_list_time(body: Any) -> datetime | None:
    """The PVS's clock when it answered: the newest CURTIME of the records."""
    times = [dl_time(record.get("CURTIME")) for record in device_list_records(body)]
    return max((time for time in times if time is not None), default=None)


def _common(record: Record) -> dict[str, Any]:
    get = record.get  # (looked up once: hundreds of records, a dozen fields each)
    return {
        "serial": text(get("SERIAL")) or "",
        "device_type": text(get("DEVICE_TYPE")) or text(get("TYPE")) or "unknown",
        "model": text(get("MODEL")),
        "description": text(get("DESCR")),
        "hw_version": text(get("HWVER")) or text(get("hw_version")),
        "sw_version": text(get("SWVER")),
        "state": text(get("STATE")),
        "last_report": dl_time(get("DATATIME")),
        "parent": text(get("PARENT")),
    }


def _supervisor(record: Record) -> Supervisor:
    common = _common(record)
    common["model"] = supervisor_model(common["model"])
    return Supervisor(
        **common,
        build=build_number(record.get("SWVER")),
        uptime_s=number(record.get("dl_uptime")),
        cpu_load=number(record.get("dl_cpu_load")),
        memory_used_kib=number(record.get("dl_mem_used")),
        flash_available_kib=number(record.get("dl_flash_avail")),
        untransmitted_records=integer(record.get("dl_untransmitted")),
        error_count=integer(record.get("dl_err_count")),
        communication_errors=integer(record.get("dl_comm_err")),
        skipped_scans=integer(record.get("dl_skipped_scans")),
        scan_time_s=number(record.get("dl_scan_time")),
    )


def meter_kind(*names: Any) -> MeterKind | None:
    """Production or consumption from the first name that tells (``…p`` / ``…c``, ``-P``/``-C``)."""
    for name in names:
        raw = text(name)
        if raw is None:
            continue
        last = raw.lower()[-1]
        if last == "p":
            return MeterKind.PRODUCTION
        if last == "c":
            return MeterKind.CONSUMPTION
    return None


def _meter(record: Record) -> Meter | GenericDevice:
    kind = meter_kind(record.get("MODEL"), record.get("TYPE"), record.get("SERIAL"))
    if kind is None:
        return _generic(record)
    subtype = (
        record.get("production_subtype_enum")
        or record.get("consumption_subtype_enum")
        or record.get("subtype")
    )
    return Meter(
        **_common(record),
        kind=kind,
        subtype=text(subtype),
        ct_rating_a=first_number(record.get("ct_scl_fctr"), record.get("CAL0")),
        power_kw=number(record.get("p_3phsum_kw")),
        reactive_power_kvar=number(record.get("q_3phsum_kvar")),
        apparent_power_kva=number(record.get("s_3phsum_kva")),
        power_factor=number(record.get("tot_pf_rto")),
        frequency_hz=number(record.get("freq_hz")),
        net_energy_kwh=number(record.get("net_ltea_3phsum_kwh")),
        positive_energy_kwh=number(record.get("pos_ltea_3phsum_kwh")),
        negative_energy_kwh=number(record.get("neg_ltea_3phsum_kwh")),
        voltage_v=number(record.get("v12_v")),
        voltage_l1_v=number(record.get("v1n_v")),
        voltage_l2_v=number(record.get("v2n_v")),
        current_a=number(record.get("i_a")),
        current_l1_a=number(record.get("i1_a")),
        current_l2_a=number(record.get("i2_a")),
        power_l1_kw=number(record.get("p1_kw")),
        power_l2_kw=number(record.get("p2_kw")),
    )


def _inverter(record: Record) -> Inverter:
    get = record.get
    return Inverter(
        **_common(record),
        panel=text(get("PANEL")),
        power_kw=number(get("p_3phsum_kw")),
        lifetime_energy_kwh=number(get("ltea_3phsum_kwh")),
        voltage_v=number(get("vln_3phavg_v")),
        current_a=number(get("i_3phsum_a")),
        frequency_hz=number(get("freq_hz")),
        dc_power_kw=first_number(get("p_mppt1_kw"), get("p_mpptsum_kw")),
        dc_voltage_v=number(get("v_mppt1_v")),
        dc_current_a=number(get("i_mppt1_a")),
        heatsink_temperature_c=number(get("t_htsnk_degc")),
        status_indicator=integer(get("stat_ind")),
    )


def _energy_storage(record: Record) -> EnergyStorage:
    return EnergyStorage(**_common(record))


def _battery(record: Record) -> Battery:
    return Battery(**_common(record))


def _storage_inverter(record: Record) -> StorageInverter:
    return StorageInverter(**_common(record))


def _transfer_switch(record: Record) -> TransferSwitch:
    return TransferSwitch(**_common(record))


def _ess_hub(record: Record) -> EssHub:
    return EssHub(
        **_common(record),
        temperature_c=number(record.get("t_degc")),
        humidity_pct=number(record.get("humidity")),
        dcdc_supply_voltage_v=number(record.get("v_dcdc_spply_v")),
        supply_voltage_v=number(record.get("v_spply_v")),
        gateway_voltage_v=number(record.get("v_gateway_v")),
        fan_active=flag(record.get("fan_actv_fl")),
    )


def _pv_disconnect(record: Record) -> PVDisconnect:
    return PVDisconnect(
        **_common(record),
        relay_mode=text(record.get("relay_mode")),
        relay1_closed=flag(record.get("relay1_state")),
        relay2_closed=flag(record.get("relay2_state")),
        relay1_error=flag(record.get("relay1_error")),
        relay2_error=flag(record.get("relay2_error")),
        grid_voltage_l1_v=number(record.get("v1n_grid_v")),
        grid_voltage_l2_v=number(record.get("v2n_grid_v")),
        pv_voltage_l1_v=number(record.get("v1n_pv_v")),
        pv_voltage_l2_v=number(record.get("v2n_pv_v")),
    )


def raw_fields(record: Record) -> dict[str, str]:
    """Scalar fields as strings, for devices this library does not model."""
    raw: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, bool):
            raw[str(key)] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            raw[str(key)] = str(value)
    return raw


def _generic(record: Record) -> GenericDevice:
    return GenericDevice(**_common(record), raw=raw_fields(record))


_BY_DEVICE_TYPE: dict[str, Callable[[Record], Device]] = {
    "pvs": _supervisor,
    "power meter": _meter,
    "inverter": _inverter,
    "energy storage system": _energy_storage,
    "battery": _battery,
    "storage inverter": _storage_inverter,
    "hub+": _transfer_switch,
    "ess hub": _ess_hub,
    "pv disconnect": _pv_disconnect,
}


def parse_record(record: Record) -> Device:
    """One DeviceList record as the device class of its kind (``GenericDevice`` if unknown)."""
    device_type = (text(record.get("DEVICE_TYPE")) or "").lower()
    if not device_type and str(record.get("TYPE", "")).upper().startswith("PVS5-METER"):
        device_type = "power meter"
    return _BY_DEVICE_TYPE.get(device_type, _generic)(record)


def same_but_clock(previous: Record, current: Record) -> bool:
    """The same record but for ``CURTIME``, the clock of the answer, new in every answer."""
    if len(previous) != len(current) or previous.get("DATATIME") != current.get("DATATIME"):
        return False  # (a new data time stamp: a new record, found without copying it)
    if "CURTIME" in current:
        previous = {**previous, "CURTIME": current["CURTIME"]}
    return previous == current


def _record_key(record: Record) -> tuple[str, str, str]:
    return (str(record.get("DEVICE_TYPE")), str(record.get("TYPE")), str(record.get("SERIAL")))


def parse_device_list(
    body: Any, reuse: DeviceReuse[tuple[str, str, str]] | None = None
) -> list[Device]:
    """Every device of a DeviceList body, in the PVS's order.

    With ``reuse``, a record unchanged since the previous body it saw gives the same device.
    """
    records = device_list_records(body)
    if reuse is None:
        return [parse_record(record) for record in records]
    return reuse.parse(
        ((_record_key(record), record) for record in records),
        lambda _key, record: parse_record(record),
    )
