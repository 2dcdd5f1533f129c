"""The documented serial rule: empty, duplicate and shared serials."""

from __future__ import annotations

from typing import Any

from custom_components.sunpower_pvs.pvs import parse_responses


def _inverter(
    serial: str, time: str, power: str, model: str = "AC_Module_Type_E"
) -> dict[str, Any]:
    return {
        "DEVICE_TYPE": "Inverter",
        "SERIAL": serial,
        "MODEL": model,
        "DATATIME": time,
        "p_3phsum_kw": power,
    }


def test_serial_rule() -> None:
    body = {
        "result": "succeed",
        "devices": [
            _inverter("", "2025,01,01,10,00,00", "0.1"),
            _inverter("E1", "2025,01,01,10,00,00", "0.2"),
            _inverter("E1", "2025,01,01,10,05,00", "0.3"),  # same device, newer: wins
            _inverter("E1", "2025,01,01,09,55,00", "0.4"),  # same device, older: dropped
            _inverter("", "2025,01,01,10,00,00", "0.5"),
            _inverter("E1", "2025,01,01,10,00,00", "0.6", model="AC_Module_Type_G"),
            {"DEVICE_TYPE": "PV Disconnect", "SERIAL": "E1"},
        ],
    }
    data = parse_responses([body])

    assert list(data.inverters) == ["inverter-noserial-1", "E1", "inverter-noserial-2", "E1_2"]
    assert data.inverters["E1"].power_kw == 0.3
    assert data.inverters["inverter-noserial-2"].power_kw == 0.5
    assert data.inverters["E1_2"].model == "AC_Module_Type_G"
    assert list(data.pv_disconnects) == ["E1_3"]
    # Keys and the devices' own serials agree.
    assert all(key == device.serial for key, device in data.inverters.items())


def test_same_input_same_output() -> None:
    body = {"result": "succeed", "devices": [_inverter("", "2025,01,01,10,00,00", "1")] * 3}
    assert parse_responses([body]) == parse_responses([body])
