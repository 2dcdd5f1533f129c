"""ESS status (schema EssStatusReport) merged into the SunVault's DeviceList records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from custom_components.sunpower_pvs.pvs import parse_responses

from .conftest import load


def _measure(value: float | None, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit}


ESS_STATUS: dict[str, Any] = {
    "errors": [],
    "ess_report": {
        "last_updated": "2022-05-26 14:50:30",
        "battery_status": [
            {
                "serial_number": "M00122109A0355",
                "last_updated": "2022-05-26 14:50:30",
                "battery_amperage": _measure(-4.2, "A"),
                "battery_voltage": _measure(53.7, "V"),
                "customer_state_of_charge": _measure(0.8, ""),
                "system_state_of_charge": _measure(85.0, "%"),
                "temperature": _measure(None, "C"),
            }
        ],
        "ess_status": [
            {
                "serial_number": "",
                "enclosure_humidity": _measure(31, "%"),
                "enclosure_temperature": _measure(27.5, "C"),
                "ess_meter_reading": {
                    "agg_power": _measure(-1.25, "kW"),
                    "meter_a": {
                        "reading": {
                            "current": _measure(5.1, "A"),
                            "power": _measure(-640, "W"),
                            "voltage": _measure(121.2, "V"),
                        }
                    },
                    "meter_b": {
                        "reading": {
                            "current": _measure(5.0, "A"),
                            "power": _measure(-610, "W"),
                            "voltage": _measure(121.4, "V"),
                        }
                    },
                },
            }
        ],
        "ess_state": [
            {
                "operational_mode": "SELF_CONSUMPTION",
                "permission_to_operate": True,
                "storage_controller_status": "RUNNING",
            }
        ],
        "hub_plus_status": {
            "serial_number": "SY01234567890ABCDEF",
            "contactor_position": "CLOSED",
            "grid_phase1_voltage": _measure(122.0, "V"),
            "load_phase2_voltage": _measure(121.0, "V"),
            "hub_humidity": _measure(40, "%"),
            "hub_temperature": _measure(30, "C"),
            "grid_voltage_state": "METER_VOLTAGE_IN_RANGE",
        },
        "inverter_status": [
            {
                "serial_number": "00001ABC1234",
                "ac_power": _measure(-1.2, "kW"),
                "a_n_voltage": _measure(121.0, "V"),
                "phase_b_current": _measure(4.9, "A"),
                "temperature": _measure(41, "C"),
            }
        ],
    },
}


def test_ess_status_fills_the_device_list_records() -> None:
    data = parse_responses([load("device-fragments-2022.05-ess-sungazer.json"), ESS_STATUS])

    battery = data.batteries["M00122109A0355"]
    assert battery.model == "POWERAMP-Komodo 1.2"  # from DeviceList
    assert battery.voltage_v == pytest.approx(53.7)
    assert battery.current_a == pytest.approx(-4.2)
    assert battery.state_of_charge_pct == pytest.approx(85.0)
    assert battery.customer_state_of_charge_pct == pytest.approx(80.0)
    assert battery.temperature_c is None
    assert battery.last_report == datetime(2022, 5, 26, 14, 50, 30, tzinfo=UTC)

    # Empty ESS serial, one ESS on each side: the DeviceList serial stays the identity.
    (ess,) = data.storage.values()
    assert ess.serial == "00001ABC1234_01234567890ABCDEF"
    assert ess.power_kw == pytest.approx(-1.25)
    assert ess.power_l1_kw == pytest.approx(-0.64)
    assert ess.voltage_l2_v == pytest.approx(121.4)
    assert ess.enclosure_temperature_c == pytest.approx(27.5)
    assert ess.operating_mode == "SELF_CONSUMPTION"
    assert ess.permission_to_operate is True
    assert ess.controller_status == "RUNNING"

    storage_inverter = data.storage_inverters["00001ABC1234"]
    assert storage_inverter.power_kw == pytest.approx(-1.2)
    assert storage_inverter.current_l2_a == pytest.approx(4.9)
    assert storage_inverter.model == "SchneiderElectric-XW6848-21"

    (hub,) = data.transfer_switches.values()
    assert hub.contactor_state == "CLOSED"
    assert hub.grid_voltage_l1_v == pytest.approx(122.0)
    assert hub.humidity_pct == 40
    assert hub.grid_voltage_state == "METER_VOLTAGE_IN_RANGE"


def test_ess_status_alone() -> None:
    data = parse_responses([ESS_STATUS])
    assert data.storage["energy-storage-system-noserial-1"].power_kw == pytest.approx(-1.25)
    assert data.transfer_switches["SY01234567890ABCDEF"].temperature_c == 30
