"""DeviceList captures from three real PVS6 units parse into the right devices and values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custom_components.sunpower_pvs.pvs import (
    Generation,
    GenericDevice,
    MeterKind,
    PVSProtocolError,
    parse_responses,
)

from .conftest import load


def test_krbaker_night_sample() -> None:
    data = parse_responses([load("devicelist-2024.2-b61640-krbaker-sample.json")])

    assert data.generation is Generation.LEGACY
    pvs = data.supervisor
    assert pvs.serial == "ZT204485000549A0321"
    assert pvs.model == "PVS6"
    assert pvs.build == 61640
    assert pvs.sw_version == "2024.2, Build 61640"
    assert pvs.uptime_s == 99696
    assert pvs.untransmitted_records == 2487
    assert pvs.communication_errors == 400
    assert pvs.flash_available_kib == 104808
    assert pvs.cpu_load == pytest.approx(0.33)
    assert pvs.last_report == datetime(2024, 4, 16, 23, 45, tzinfo=UTC)

    assert set(data.meters) == {"PVS6M20440321p", "PVS6M20440321c"}
    production = data.meters["PVS6M20440321p"]
    assert production.kind is MeterKind.PRODUCTION
    assert production.subtype == "GROSS_PRODUCTION_SITE"
    assert production.net_energy_kwh == pytest.approx(19327.99)
    assert production.power_kw == 0.0
    assert production.reactive_power_kvar == pytest.approx(0.4392)
    assert production.current_a == pytest.approx(1.8457)
    assert production.ct_rating_a == 50
    assert production.positive_energy_kwh is None  # not sent by a production meter
    consumption = data.meters["PVS6M20440321c"]
    assert consumption.kind is MeterKind.CONSUMPTION
    assert consumption.subtype == "GROSS_CONSUMPTION_LINESIDE"
    assert consumption.power_kw == pytest.approx(1.3493)
    assert consumption.positive_energy_kwh == pytest.approx(27900.1399)
    assert consumption.negative_energy_kwh == pytest.approx(2.91)
    assert consumption.voltage_l1_v == pytest.approx(121.9041)
    assert consumption.power_l2_kw == pytest.approx(1.1624)

    assert len(data.inverters) == 20
    assert all(inverter.state == "error" for inverter in data.inverters.values())
    first = data.inverters["E00202040011392"]
    assert first.model == "AC_Module_Type_E"
    assert first.panel == "SPR-X22-360-E-AC"
    assert first.lifetime_energy_kwh == pytest.approx(1328.2679)
    assert first.power_kw == 0.0
    assert first.heatsink_temperature_c == 18
    assert first.status_indicator == 0
    assert first.hw_version == "4405"
    assert first.sw_version == "4.40.1"
    assert first.last_report == datetime(2024, 4, 16, 23, 27, 28, tzinfo=UTC)


def test_smcneece_sample_with_meter_subtypes() -> None:
    data = parse_responses([load("devicelist-2025.06-b61839-smcneece-sample.json")])

    assert data.supervisor.serial == "ZTFAKE0000000000001"
    assert data.supervisor.build == 61839
    assert data.supervisor.scan_time_s == 24
    assert len(data.inverters) == 30
    meter = data.meters["PVS6MFAKE00001c"]
    assert meter.subtype == "NET_CONSUMPTION_LOADSIDE"
    assert meter.net_energy_kwh == pytest.approx(-1205.65)
    assert meter.power_kw == pytest.approx(-3.0282)
    assert meter.power_factor == pytest.approx(-0.4696)
    assert data.meters["PVS6MFAKE00001p"].power_kw == pytest.approx(8.0855)
    inverter = data.inverters["EFAKE001"]
    assert inverter.state == "working"
    assert inverter.power_kw == pytest.approx(0.28)
    assert inverter.dc_power_kw == pytest.approx(0.2887)
    assert inverter.lifetime_energy_kwh == pytest.approx(1513.9541)
    total = sum(i.power_kw or 0.0 for i in data.inverters.values())
    assert total > 5.0


def test_sungazer_raw_type_g() -> None:
    data = parse_responses([load("devicelist-2025.06-b61839-sungazer-raw.json")])

    assert data.supervisor.serial == "ZT21234123451234123"
    assert len(data.inverters) == 12
    assert {i.model for i in data.inverters.values()} == {"AC_Module_Type_G"}
    inverter = data.inverters["E00123412341234"]
    assert inverter.lifetime_energy_kwh == pytest.approx(1705.9147)
    assert inverter.frequency_hz == pytest.approx(60.01)
    # The consumption meter's serial and description disagree; the SERIAL is identity.
    assert data.meters["PVS6M21420621c"].kind is MeterKind.CONSUMPTION
    assert data.meters["PVS6M12341231p"].net_energy_kwh == pytest.approx(20733.1699)


def test_sunvault_fragments() -> None:
    data = parse_responses([load("device-fragments-2022.05-ess-sungazer.json")])

    disconnect = data.pv_disconnects["SY01234567890ABCDEF"]
    assert disconnect.state == "working"
    assert disconnect.relay1_closed is True
    assert disconnect.relay2_error is False
    assert disconnect.grid_voltage_l1_v == pytest.approx(123.1)
    assert disconnect.pv_voltage_l2_v == pytest.approx(122.5)
    assert disconnect.sw_version == "0.2.13"
    assert disconnect.hw_version == "0.2.0"
    storage_inverter = data.storage_inverters["00001ABC1234"]
    assert storage_inverter.model == "SchneiderElectric-XW6848-21"
    assert storage_inverter.parent == "00001ABC1234_01234567890ABCDEF"
    assert storage_inverter.power_kw is None
    battery = data.batteries["M00122109A0355"]
    assert battery.model == "POWERAMP-Komodo 1.2"
    assert battery.state_of_charge_pct is None
    ess = data.storage["00001ABC1234_01234567890ABCDEF"]
    assert ess.device_type == "Energy Storage System"
    assert ess.state == "error"
    gateway = data.other_devices["BC1234006789"]
    assert isinstance(gateway, GenericDevice)
    assert gateway.device_type == "Gateway"
    assert gateway.raw["mac_address"] == "d8:a9:ab:cd:12:34"
    assert gateway.raw["ISDETAIL"] == "true"
    assert data.other_devices["BC123400678933751040"].device_type == "ESS BMS"
    # Nothing identifies the supervisor in fragments: its serial is empty by rule.
    assert data.supervisor.serial == ""


def test_missing_values_are_none_not_zero() -> None:
    body = {
        "result": "succeed",
        "devices": [
            None,
            {"DEVICE_TYPE": "Inverter", "SERIAL": "E1", "STATE": "error", "MODEL": "X"},
            {
                "DEVICE_TYPE": "Inverter",
                "SERIAL": "E2",
                "p_3phsum_kw": "nan",
                "ltea_3phsum_kwh": "",
                "freq_hz": "-",
                "p_mpptsum_kw": "0.12",
            },
        ],
    }
    data = parse_responses([body])
    assert data.inverters["E1"].power_kw is None
    assert data.inverters["E1"].lifetime_energy_kwh is None
    assert data.inverters["E2"].power_kw is None
    assert data.inverters["E2"].lifetime_energy_kwh is None
    assert data.inverters["E2"].frequency_hz is None
    assert data.inverters["E2"].dc_power_kw == pytest.approx(0.12)  # older field name


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"result": "error", "devices": []}, "result='error'"),
        ({"result": "succeed", "devices": "none"}, "not a PVS answer"),
        ({"devices": [], "result": "succeed", "x": 1} | {"result": "busy"}, "result='busy'"),
    ],
)
def test_untrusted_device_lists_are_refused(body: object, message: str) -> None:
    with pytest.raises(PVSProtocolError, match=message):
        parse_responses([body])


def test_unknown_device_types_are_kept_with_raw_fields() -> None:
    body = {
        "result": "succeed",
        "devices": [
            {"DEVICE_TYPE": "MET Station", "SERIAL": "MS1", "t_amb_degc": "21.5", "nested": {}},
            {"DEVICE_TYPE": "Power Meter", "SERIAL": "M1", "MODEL": "mystery", "TYPE": "X"},
        ],
    }
    data = parse_responses([body])
    station = data.other_devices["MS1"]
    assert station.device_type == "MET Station"
    assert station.raw["t_amb_degc"] == "21.5"
    assert "nested" not in station.raw
    # A meter whose kind cannot be told is kept, not guessed.
    assert data.other_devices["M1"].device_type == "Power Meter"
    assert not data.meters
