"""The legacy ``/cgi-bin/dl_cgi/energy-storage-system/status`` report of a SunVault site."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .battery import customer_soc, op_mode
from .glitches import apply_glitches
from .values import ess_time

if TYPE_CHECKING:
    from .unit import PvsUnit


def _measure(unit: str, value: float, places: int = 2) -> dict[str, object]:
    return {"unit": unit, "value": round(value, places)}


def ess_status(unit: PvsUnit) -> dict[str, object]:
    """Battery, ESS, Hub+ and storage-inverter status; every measurement has a unit."""
    reading = unit.site.device_reading
    flows, totals = reading.flows, reading.totals
    stamp = ess_time(reading.epoch)
    rng = random.Random(int(reading.epoch) + 7)
    ambient = unit.site.sky.ambient_degc(reading.epoch)
    batteries = unit.installation.batteries
    per_battery_kw = flows.ess_kw / max(len(batteries), 1)
    battery_v = 51.0 + 3.0 * totals.soc
    v1, v2 = rng.uniform(121, 123.5), rng.uniform(121, 123.5)
    inverter_a = flows.ess_kw * 1000 / (v1 + v2)
    hub_serial = f"SY{unit.serial[-10:]}ABCDEF01"
    report: dict[str, object] = {
        "last_updated": stamp,
        "battery_status": [
            {
                "serial_number": battery.serial,
                "last_updated": stamp,
                "battery_amperage": _measure("A", per_battery_kw * 1000 / battery_v),
                "battery_voltage": _measure("V", battery_v),
                "customer_state_of_charge": _measure("%", 100 * customer_soc(totals.soc), 0),
                "system_state_of_charge": _measure("%", 100 * totals.soc, 0),
                "temperature": _measure("C", ambient + 4, 1),
            }
            for battery in batteries
        ],
        "ess_status": [
            {
                "serial_number": unit.installation.ess_serial or "",
                "last_updated": stamp,
                "enclosure_humidity": _measure("%", rng.uniform(30, 45), 0),
                "enclosure_temperature": _measure("C", ambient + 6, 1),
                "ess_meter_reading": {
                    "last_updated": stamp,
                    "agg_power": _measure("kW", flows.ess_kw, 3),
                    "meter_a": {"reading": _phase(stamp, flows.ess_kw / 2, v1)},
                    "meter_b": {"reading": _phase(stamp, flows.ess_kw / 2, v2)},
                },
            }
        ],
        "ess_state": [
            {
                "operational_mode": op_mode(reading.control, totals.soc),
                "permission_to_operate": True,
                "storage_controller_status": "RUNNING",
            }
        ],
        "hub_plus_status": {
            "serial_number": hub_serial,
            "last_updated": stamp,
            "contactor_position": "CLOSED",
            "contactor_error": "NONE",
            "grid_voltage_state": "METER_VOLTAGE_IN_RANGE",
            "grid_frequency_state": "METER_FREQ_IN_RANGE",
            "load_voltage_state": "METER_VOLTAGE_IN_RANGE",
            "load_frequency_state": "METER_FREQ_IN_RANGE",
            "hub_temperature": _measure("C", ambient + 9, 1),
            "hub_humidity": _measure("%", rng.uniform(25, 40), 0),
            "jump_start_voltage": _measure("V", 0.0),
            "aux_port_voltage": _measure("V", rng.uniform(11.3, 11.5)),
            "main_voltage": _measure("V", rng.uniform(11.9, 12.1)),
            "inverter_connection_voltage": _measure("V", v1 + v2),
            "grid_phase1_voltage": _measure("V", v1),
            "grid_phase2_voltage": _measure("V", v2),
            "load_phase1_voltage": _measure("V", v1 - 0.2),
            "load_phase2_voltage": _measure("V", v2 - 0.2),
        },
        "inverter_status": [
            {
                "serial_number": (unit.installation.ess_serial or "").partition("_")[0],
                "last_updated": stamp,
                "ac_current": _measure("A", abs(inverter_a)),
                "phase_a_current": _measure("A", abs(inverter_a)),
                "phase_b_current": _measure("A", abs(inverter_a)),
                "a_n_voltage": _measure("V", v1),
                "b_n_voltage": _measure("V", v2),
                "ac_power": _measure("kW", flows.ess_kw, 3),
                "temperature": _measure("C", ambient + 12, 1),
            }
        ],
    }
    return {"errors": [], "ess_report": _without_vanished(unit, report)}


# The parts of the report that belong to the ESS and its batteries and storage inverter.
ESS_PARTS = ("battery_status", "ess_status", "ess_state", "inverter_status")


def _without_vanished(unit: PvsUnit, report: dict[str, object]) -> dict[str, object]:
    """A vanished device's entries are left out; a vanished ESS leaves its parts empty."""
    ess = unit.installation.ess_serial
    entries: list[tuple[str, dict[str, object]]] = []
    for part in ESS_PARTS:
        listed = report[part]
        assert isinstance(listed, list)
        entries += [(part, entry) for entry in listed]
    kept = apply_glitches(
        entries,
        unit.faults,
        serial_key="serial_number",
        counter_mark="ltea",
        parent_of=lambda _: ess,
    )
    return report | {part: [entry for tag, entry in kept if tag == part] for part in ESS_PARTS}


def _phase(stamp: str, kw: float, volts: float) -> dict[str, object]:
    return {
        "last_updated": stamp,
        "current": _measure("A", abs(kw) * 1000 / volts),
        "voltage": _measure("V", volts),
        "power": _measure("kW", kw, 3),
    }
