"""Legacy ESS status (``/cgi-bin/dl_cgi/energy-storage-system/status``) to typed devices.

Every measurement is ``{"unit": "...", "value": n}``; values can be ``null`` and serials can be
empty. Power is converted to kW and state of charge to percent whatever unit is sent.
``ess_state`` was seen both as an object and as a list: both are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import PVSProtocolError
from .models import Battery, Device, EnergyStorage, StorageInverter, TransferSwitch
from .values import flag, iso_time, number, text

_POWER_DIVISOR = {"w": 1000.0, "kw": 1.0, "mw": 0.001}


def _object(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _objects(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def _unit(measure: Any) -> str:
    return (text(_object(measure).get("unit")) or "").lower()


def _value(measure: Any) -> float | None:
    """The number in ``{"unit", "value"}``; a bare number is accepted as well."""
    if isinstance(measure, Mapping):
        return number(measure.get("value"))
    return number(measure)


def _kw(measure: Any) -> float | None:
    value = _value(measure)
    divisor = _POWER_DIVISOR.get(_unit(measure), 1.0)
    return None if value is None else value / divisor


def _celsius(measure: Any) -> float | None:
    value = _value(measure)
    if value is not None and _unit(measure).lstrip("°") in {"f", "degf"}:
        return round((value - 32.0) * 5.0 / 9.0, 3)
    return value


def _pct(measure: Any) -> float | None:
    """Percent as sent when the unit says so; a unit-less value of at most 1 is a fraction."""
    value = _value(measure)
    if value is None or "%" in _unit(measure) or "percent" in _unit(measure):
        return value
    return value * 100.0 if 0.0 <= value <= 1.0 else value


def _base(item: Mapping[str, Any], device_type: str) -> dict[str, Any]:
    return {
        "serial": text(item.get("serial_number")) or "",
        "device_type": device_type,
        "last_report": iso_time(item.get("last_updated")),
    }


def _battery(item: Mapping[str, Any]) -> Battery:
    soc = item.get("state_of_charge")
    return Battery(
        **_base(item, "Battery"),
        state_of_charge_pct=_pct(soc if soc is not None else item.get("system_state_of_charge")),
        customer_state_of_charge_pct=_pct(item.get("customer_state_of_charge")),
        voltage_v=_value(item.get("battery_voltage")),
        current_a=_value(item.get("battery_amperage")),
        temperature_c=_celsius(item.get("temperature")),
    )


def _storage(item: Mapping[str, Any], state: Mapping[str, Any]) -> EnergyStorage:
    meter = _object(item.get("ess_meter_reading"))
    phase_a = _object(_object(meter.get("meter_a")).get("reading"))
    phase_b = _object(_object(meter.get("meter_b")).get("reading"))
    return EnergyStorage(
        **_base(item, "Energy Storage System"),
        operating_mode=text(state.get("operational_mode")),
        permission_to_operate=flag(state.get("permission_to_operate")),
        controller_status=text(state.get("storage_controller_status")),
        power_kw=_kw(meter.get("agg_power")),
        voltage_l1_v=_value(phase_a.get("voltage")),
        voltage_l2_v=_value(phase_b.get("voltage")),
        current_l1_a=_value(phase_a.get("current")),
        current_l2_a=_value(phase_b.get("current")),
        power_l1_kw=_kw(phase_a.get("power")),
        power_l2_kw=_kw(phase_b.get("power")),
        enclosure_temperature_c=_celsius(item.get("enclosure_temperature")),
        enclosure_humidity_pct=_value(item.get("enclosure_humidity")),
    )


def _storage_inverter(item: Mapping[str, Any]) -> StorageInverter:
    return StorageInverter(
        **_base(item, "Storage Inverter"),
        power_kw=_kw(item.get("ac_power")),
        current_a=_value(item.get("ac_current")),
        voltage_l1_v=_value(item.get("a_n_voltage")),
        voltage_l2_v=_value(item.get("b_n_voltage")),
        current_l1_a=_value(item.get("phase_a_current")),
        current_l2_a=_value(item.get("phase_b_current")),
        temperature_c=_celsius(item.get("temperature")),
    )


def _transfer_switch(item: Mapping[str, Any]) -> TransferSwitch:
    return TransferSwitch(
        **_base(item, "HUB+"),
        contactor_state=text(item.get("contactor_position")),
        contactor_error=text(item.get("contactor_error")),
        grid_voltage_l1_v=_value(item.get("grid_phase1_voltage")),
        grid_voltage_l2_v=_value(item.get("grid_phase2_voltage")),
        load_voltage_l1_v=_value(item.get("load_phase1_voltage")),
        load_voltage_l2_v=_value(item.get("load_phase2_voltage")),
        supply_voltage_v=_value(item.get("main_voltage")),
        aux_voltage_v=_value(item.get("aux_port_voltage")),
        temperature_c=_celsius(item.get("hub_temperature")),
        humidity_pct=_value(item.get("hub_humidity")),
        grid_voltage_state=text(item.get("grid_voltage_state")),
        grid_frequency_state=text(item.get("grid_frequency_state")),
        load_voltage_state=text(item.get("load_voltage_state")),
        load_frequency_state=text(item.get("load_frequency_state")),
    )


def _state_for(serial: str, states: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The ``ess_state`` entry of one ESS: by serial, else the only one there is."""
    for state in states:
        if serial and text(state.get("serial_number")) == serial:
            return state
    return states[0] if len(states) == 1 else {}


def is_ess_status(body: Any) -> bool:
    """Whether ``body`` looks like an ESS status answer."""
    return isinstance(body, Mapping) and isinstance(body.get("ess_report"), Mapping)


def parse_ess_status(body: Any) -> list[Device]:
    """Batteries, the ESS, storage inverters and the Hub+ reported by ESS status."""
    if not is_ess_status(body):
        raise PVSProtocolError("ESS status answer has no 'ess_report' object")
    report: Mapping[str, Any] = body["ess_report"]
    states = _objects(report.get("ess_state"))
    devices: list[Device] = [_battery(item) for item in _objects(report.get("battery_status"))]
    devices.extend(
        _storage(item, _state_for(text(item.get("serial_number")) or "", states))
        for item in _objects(report.get("ess_status"))
    )
    devices += [_storage_inverter(item) for item in _objects(report.get("inverter_status"))]
    devices += [_transfer_switch(item) for item in _objects(report.get("hub_plus_status"))]
    return devices
