"""LocalAPI /vars captures (flat, nested, list and object forms) parse into the same model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.sunpower_pvs.pvs import Generation, MeterKind, parse_responses

from .conftest import load


def test_flat_inverter_61845() -> None:
    data = parse_responses([load("varserver-2025.09-b61845-inverter20-1.json")])

    assert data.generation is Generation.LOCALAPI
    inverter = data.inverters["<redacted>"]
    assert inverter.device_type == "Inverter"
    assert inverter.model == "AC_Module_Type_G"
    assert inverter.lifetime_energy_kwh == pytest.approx(2330.158203)
    assert inverter.power_kw == pytest.approx(0.2303)
    assert inverter.current_a == pytest.approx(0.925)
    assert inverter.dc_power_kw == pytest.approx(0.24315)
    assert inverter.dc_voltage_v == pytest.approx(36.029999)
    assert inverter.heatsink_temperature_c == 45
    assert inverter.last_report == datetime(2025, 10, 1, 16, 15, tzinfo=UTC)
    # What LocalAPI does not report is None, never guessed.
    assert inverter.state is None
    assert inverter.sw_version is None
    assert inverter.status_indicator is None


def test_flat_meters_61846_with_shared_redacted_serial() -> None:
    data = parse_responses([load("varserver-2025.10-b61846-meter-1.json")])

    # Both meters carry the same redacted serial: the second gets "_2" (assemble.py rule 3).
    production = data.meters["SERIAL_REDACTED"]
    consumption = data.meters["SERIAL_REDACTED_2"]
    assert production.kind is MeterKind.PRODUCTION
    assert production.net_energy_kwh == pytest.approx(63685.988281)
    assert production.power_kw == pytest.approx(4.121837)
    assert production.ct_rating_a == 50
    assert production.current_a is None
    # The varserver sends zeros for registers a production CT does not have: not readings.
    assert production.positive_energy_kwh is None
    assert production.negative_energy_kwh is None
    assert production.current_l1_a is None
    assert production.power_l1_kw is None
    assert production.voltage_l1_v is None
    assert consumption.kind is MeterKind.CONSUMPTION
    assert consumption.ct_rating_a == 200
    assert consumption.positive_energy_kwh == pytest.approx(63191.261719)
    assert consumption.negative_energy_kwh == pytest.approx(218.679993)
    assert consumption.power_l2_kw == pytest.approx(1.183074)
    assert consumption.reactive_power_kvar == pytest.approx(-0.068614)
    assert consumption.last_report == datetime(2026, 7, 13, 15, 10, tzinfo=UTC)


def test_nested_61840_layout() -> None:
    data = parse_responses(
        [
            load("varserver-2025.06-b61840-inverter-data-nested-1.json"),
            load("varserver-2025.06-b61840-meter-data-nested-1.json"),
        ]
    )

    assert set(data.inverters) == {"E00122307107854", "E00122308008125"}
    inverter = data.inverters["E00122307107854"]
    assert inverter.lifetime_energy_kwh == pytest.approx(686.5164)
    assert inverter.model == "AC_Module_Type_H"
    assert inverter.power_kw is None  # p3phsumKw absent at night
    assert inverter.dc_power_kw == pytest.approx(0.00068)
    assert inverter.last_report == datetime(2025, 6, 28, 3, 35, tzinfo=UTC)
    production = data.meters["PVS6M23084354p"]
    assert production.kind is MeterKind.PRODUCTION
    assert production.net_energy_kwh == pytest.approx(40747.87)
    consumption = data.meters["PVS6M23084354c"]
    assert consumption.kind is MeterKind.CONSUMPTION
    assert consumption.ct_rating_a == 300
    assert consumption.positive_energy_kwh == pytest.approx(19721.78)
    assert consumption.voltage_l2_v == pytest.approx(124.243462)


@pytest.mark.parametrize(
    ("name", "time", "battery_kw", "backup_min"),
    [
        ("varserver-2025.06-b61840-livedata-ess-1.json", 1751083263, 1.186, 570),
        ("varserver-2025.06-b61840-livedata-ess-2.json", 1751083345, 1.862, 555),
    ],
)
def test_livedata_of_a_sunvault_site(
    name: str, time: int, battery_kw: float, backup_min: float
) -> None:
    live = parse_responses([load(name)]).live

    assert live is not None
    assert live.time == datetime.fromtimestamp(time, tz=UTC)
    assert live.production_energy_kwh == pytest.approx(40747.871094)
    assert live.battery_power_kw == pytest.approx(battery_kw)
    assert live.state_of_charge_pct == pytest.approx(86.0)  # sent as the fraction 0.86
    assert live.backup_time_remaining_min == backup_min
    assert live.midstate == "2"
    assert live.grid_power_kw is not None
    assert live.grid_power_kw > 0  # importing at night


@pytest.mark.parametrize(
    "name",
    [
        "varserver-2025.06-b61840-rev-obj-1.json",
        "varserver-2025.06-b61840-values-rev-1.json",
    ],
)
def test_object_and_list_forms_agree(name: str) -> None:
    supervisor = parse_responses([load(name)]).supervisor

    assert supervisor.sw_version == "2025.06.24.61840"
    assert supervisor.build == 61840
    assert supervisor.hw_version == "6.03"


def test_lmac_and_telemetry_answers() -> None:
    data = parse_responses(
        [
            load("varserver-2025.06-b61840-values-swrev-lmac-1.json"),
            load("varserver-2025.06-b61840-values-telemetryws-1.json"),
        ]
    )
    assert data.supervisor.build == 61840
    assert data.generation is Generation.LOCALAPI
    assert not data.inverters


def test_gateway_and_storage_variables() -> None:
    body = {
        "/sys/info/serialnum": "ZT2230000000000A1234",
        "/sys/info/model": "PVS6 ",
        "/sys/info/sw_rev": "2025.09.04.61845",
        "/sys/info/uptime": "86400.5",
        "/sys/info/ram_usage": "41",
        "/sys/info/sys_type": "Storage",
        "/sys/pvs/flashwear_type_b": "0x05",
        "/sys/devices/ess/0/sn": "ESS1",
        "/sys/devices/ess/0/socVal": "0.42",
        "/sys/devices/ess/0/sohVal": "0.97",
        "/sys/devices/ess/0/opMode": "SELF_CONSUMPTION",
        "/sys/devices/ess/0/vBattV": "nan",
        "/sys/devices/transfer_switch/0/sn": "MIDC1",
        "/sys/devices/transfer_switch/0/midStEnum": "MID_STATE_CLOSED",
        "/sys/devices/transfer_switch/0/v1nGridV": "121.5",
        "/sys/devices/weather/0/sn": "W1",
        "/sys/devices/weather/0/tAmbDegc": "20",
    }
    data = parse_responses([body])

    pvs = data.supervisor
    assert (pvs.serial, pvs.model, pvs.build) == ("ZT2230000000000A1234", "PVS6", 61845)
    assert pvs.uptime_s == pytest.approx(86400.5)
    assert pvs.ram_usage_pct == 41
    assert pvs.flash_wear_pct == 50
    assert pvs.system_type == "Storage"
    ess = data.storage["ESS1"]
    assert ess.state_of_charge_pct == pytest.approx(42.0)
    assert ess.state_of_health_pct == pytest.approx(97.0)
    assert ess.operating_mode == "SELF_CONSUMPTION"
    assert ess.battery_voltage_v is None
    switch = data.transfer_switches["MIDC1"]
    assert switch.contactor_state == "MID_STATE_CLOSED"
    assert switch.grid_voltage_l1_v == pytest.approx(121.5)
    assert data.other_devices["W1"].raw["tAmbDegc"] == "20"
